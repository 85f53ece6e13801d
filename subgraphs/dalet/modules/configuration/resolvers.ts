/**
 * The 22 configuration queries: read-only views of the site loaded by migration 002. Each kind is small
 * (a site has tens of statuses or formats, not thousands), so its rows are read and filtered here; every
 * filter field is ANDed, a list field matches any of its values.
 */
import type { Kysely } from 'kysely';
import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import { daletCaller, type DaletContext, type DaletServices } from '../../common/context.ts';
import { pageOfList, type PaginationInput } from '../../common/pagination.ts';
import type { DaletDatabase } from '../../store/tables.ts';
import { SITE } from '../../store/site/index.ts';
import { visibleCategory } from '../categories/queries.ts';

type ConfigObject = Record<string, any>;

/** Where each filter field looks in an object (by default: the field named by the filter, singular). */
const FILTER_PATHS: Record<string, (object: ConfigObject, kind: string) => unknown> = {
  ids: (object) => object.id,
  names: (object) => object.name,
  abbreviations: (object) => object.abbreviation,
  codes: (object) => object.code,
  tagNames: (object) => object.tagName,
  types: (object, kind) => (kind === 'mediaFormats' ? object.mediaType : object.type),
  protocolTypes: (object) => object.protocolType,
  familyNames: (object) => object.family?.name,
  languageIds: (object) => object.language?.id,
  usedOnSite: (object) => object.usedOnSite,
  default: (object) => object.default,
  system: (object) => object.system,
};

function matches(object: ConfigObject, kind: string, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([field, wanted]) => {
    if (wanted === null || wanted === undefined) return true;
    const actual = FILTER_PATHS[field]?.(object, kind);
    if (Array.isArray(wanted)) return wanted.length === 0 || wanted.map(String).includes(String(actual));
    return actual === wanted;
  });
}

export async function readConfiguration(db: Kysely<DaletDatabase>, kind: string): Promise<ConfigObject[]> {
  const rows = await db.selectFrom('configuration_objects').select('data').where('kind', '=', kind).execute();
  const objects = rows.map((row) => JSON.parse(row.data) as ConfigObject);
  // In id order (numeric ids as numbers), the order pages are cut in.
  return objects.sort((a, b) => String(a.id ?? a.name).localeCompare(String(b.id ?? b.name), 'en', { numeric: true }));
}

/** The list field of each query's output, where it differs from the query's name. */
const LIST_FIELDS: Record<string, string> = { deployedSolrIndexes: 'solrIndexes' };

interface ListArgs {
  input?: { where?: Record<string, unknown> | null; select?: PaginationInput | null } | null;
}

const listQuery =
  (kind: string) =>
  async (_root: unknown, { input }: ListArgs, context: DaletContext) => {
    await daletCaller(context);
    const objects = (await readConfiguration(context.db, kind)).filter((object) => matches(object, kind, input?.where ?? {}));
    const page = pageOfList(objects, input?.select);
    return { totalCount: page.totalCount, pageInfo: page.pageInfo, [LIST_FIELDS[kind] ?? kind]: page.items };
  };

/** Categories and user groups are the store's own data: configuration names them, and they are read here. */
const categoryByFullName = (key: string) => async (object: ConfigObject, _args: unknown, context: DaletContext) => {
  const fullName = object[key];
  if (typeof fullName !== 'string') return null;
  const category = await context.db.selectFrom('categories').select('id').where('full_name', '=', fullName).executeTakeFirst();
  return visibleCategory(context, category?.id);
};

const configurationResolvers = {
  Query: Object.fromEntries(Object.keys(SITE).map((kind) => [kind, listQuery(kind)])),
  TrackStackTemplate: { defaultCategory: categoryByFullName('defaultCategoryFullName') },
  UserTaskType: {
    defaultCategory: categoryByFullName('defaultCategoryFullName'),
    async defaultUserGroupAssignments(object: ConfigObject, _args: unknown, { db }: DaletContext) {
      const names: string[] = object.defaultUserGroupNames ?? [];
      return names.length ? db.selectFrom('user_groups').selectAll().where('name', 'in', names).orderBy('id').execute() : [];
    },
  },
  Station: { defaultRundownCategory: categoryByFullName('defaultRundownCategoryFullName') },
  MediaPackTemplateItem: { category: categoryByFullName('categoryFullName') },
};

const SDL_FILES = [
  'asset-types',
  'data-fields',
  'locators-formats',
  'solr-indexes',
  'storage-units',
  'studios',
  'templates',
  'user-task-types',
];

export const configurationModule: SubgraphModule<DaletServices> = {
  schema: SDL_FILES.map((file) => new URL(`./${file}.graphql`, import.meta.url)),
  resolvers: () => configurationResolvers,
};
