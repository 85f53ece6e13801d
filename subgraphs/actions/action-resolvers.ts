/** The catalogue: get_action, list_actions, list_action_categories, suggest_actions_for_prompt, and Action's fields. */
import type { Resolvers } from './generated/resolvers-types.ts';
import { authorize, requireAuthenticated } from '../kit/authorize.ts';
import { badUserInput } from '../../core/errors.ts';
import { can } from '../kit/permissions.ts';
import type { ActionDefinition } from './catalogue/index.ts';
import { selectJobs, toJobView } from './jobs.ts';
import { actionOrNotFound, pageOf, projectIdOf, type ActionParent, type ActionsContext, type ActionsServices } from './services.ts';
import { jobStatistics, type ActionStatistics } from './statistics.ts';

const COLLECTION_FLAGS = {
  FEATURED: 'is_featured',
  POPULAR: 'is_popular',
  TRENDING: 'is_trending',
  NEW: 'is_new',
  HIGHLY_RATED: 'is_highly_rated',
} as const;
type Collection = keyof typeof COLLECTION_FLAGS;
const COLLECTION_SCORES: Partial<Record<Collection, 'popular_score' | 'trending_score'>> = {
  POPULAR: 'popular_score',
  TRENDING: 'trending_score',
};

const NEW_FOR_MS = 30 * 86_400_000;
const MAX_PROMPT_LENGTH = 2000;

const isNew = (action: ActionDefinition) => Date.now() - Date.parse(action.added_at) < NEW_FOR_MS;

export function actionResolvers({ catalogue, search, statisticsOf }: ActionsServices): Resolvers {
  const stat =
    <K extends keyof ActionStatistics>(key: K) =>
    async (action: ActionParent, _args: unknown, context: ActionsContext) =>
      (await statisticsOf(context, action.id))[key];

  async function inCollection(action: ActionDefinition, collection: Collection, context: ActionsContext): Promise<boolean> {
    if (collection === 'FEATURED') return action.featured === true;
    if (collection === 'NEW') return isNew(action);
    return (await statisticsOf(context, action.id))[COLLECTION_FLAGS[collection]];
  }

  return {
    Query: {
      get_action(_root, { id }, { principal }) {
        requireAuthenticated(principal);
        return actionOrNotFound(catalogue, id, 'id');
      },
      list_action_categories(_root, _args, { principal }) {
        requireAuthenticated(principal);
        return [...catalogue.categories];
      },
      async list_actions(_root, args, context) {
        requireAuthenticated(context.principal);
        const { offset, limit } = pageOf(args.offset, args.limit, 50);
        let actions: ActionDefinition[] = [...catalogue.actions];
        const keyword = args.search_keyword?.trim();
        if (keyword) {
          if (keyword.length > MAX_PROMPT_LENGTH) throw badUserInput('search_keyword', `must be at most ${MAX_PROMPT_LENGTH} characters`);
          const ranked = search.rank(keyword);
          actions = ranked.map((id) => catalogue.byId.get(id)!);
        }
        if (args.categories?.length) actions = actions.filter((action) => args.categories!.includes(action.category));
        if (args.collection) {
          const flags = await Promise.all(actions.map((action) => inCollection(action, args.collection!, context)));
          actions = actions.filter((_action, index) => flags[index]);
          const score = COLLECTION_SCORES[args.collection];
          // A ranked collection lists its best first (a search keyword's ranking wins over it).
          if (score && !keyword) {
            const scores = new Map(
              await Promise.all(actions.map(async (action) => [action.id, (await statisticsOf(context, action.id))[score]] as const)),
            );
            actions.sort((a, b) => scores.get(b.id)! - scores.get(a.id)!);
          }
        }
        return actions.slice(offset, offset + limit).map((action): ActionParent => ({ ...action, total_count: actions.length }));
      },
      suggest_actions_for_prompt(_root, { prompt }, { principal }) {
        requireAuthenticated(principal);
        if (!prompt.trim()) throw badUserInput('prompt', 'must not be empty');
        if (prompt.length > MAX_PROMPT_LENGTH) throw badUserInput('prompt', `must be at most ${MAX_PROMPT_LENGTH} characters`);
        return search.rank(prompt).map((id) => catalogue.byId.get(id)!);
      },
    },
    Action: {
      __resolveReference: ({ id }) => catalogue.byId.get(id) ?? null,
      created_at: (action) => `${action.added_at}T00:00:00.000Z`,
      updated_at: (action) => `${action.added_at}T00:00:00.000Z`,
      is_featured: (action) => action.featured === true,
      is_new: (action) => isNew(action),
      deprecated: (action) => action.deprecated === true,
      cost_amount: (action) => action.unit_price_minor / 100,
      total_count: (action) => action.total_count ?? catalogue.actions.length,
      is_popular: stat('is_popular'),
      is_trending: stat('is_trending'),
      is_highly_rated: stat('is_highly_rated'),
      popular_score: stat('popular_score'),
      trending_score: stat('trending_score'),
      rating_count: stat('rating_count'),
      rating_total: stat('rating_total'),
      success_rate: stat('success_rate'),
      average_duration: stat('average_duration'),
      average_cost: stat('average_cost'),
      category_details: (action) => catalogue.categories.find((category) => category.id === action.category) ?? null,
      async jobs(action, args, { principal, db }) {
        requireAuthenticated(principal);
        const { offset, limit } = pageOf(args.offset, args.limit);
        // Without project_id: the jobs of every project the caller may view jobs of.
        let projects = Object.entries(principal.roles)
          .filter(([, role]) => can(role, 'VIEW_JOBS'))
          .map(([projectId]) => projectId);
        if (args.project_id) {
          authorize(principal, args.project_id, 'VIEW_JOBS');
          projects = [args.project_id];
        }
        if (projects.length === 0) return [];
        const records = await selectJobs(db)
          .where('jobs.action_id', '=', action.id)
          .where('jobs.project_id', 'in', projects)
          .orderBy('jobs.created_at', 'desc')
          .offset(offset)
          .limit(limit)
          .execute();
        return records.map(toJobView);
      },
      async project_job_statistics(action, args, { principal, db }) {
        requireAuthenticated(principal);
        const projectId = projectIdOf(principal, args.project_id);
        authorize(principal, projectId, 'VIEW_JOBS');
        return jobStatistics(db, { projectId, actionId: action.id });
      },
      total_job_statistics: (action, _args, { db }) => jobStatistics(db, { actionId: action.id }),
    },
  };
}
