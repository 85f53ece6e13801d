/**
 * Invalidations: exact paths or a prefix ending in `*`. InProgress until the edge has dropped the matching
 * entries (edge/deployer.ts), then Completed.
 */
import type { Resolvers } from './generated/resolvers-types.ts';
import { randomBytes } from 'node:crypto';
import { badUserInput, notFound } from '../../core/errors.ts';
import { loadDistribution } from './distribution-store.ts';
import type { InvalidationRow } from './store.ts';

/** CloudFront allows 3000 paths in progress per distribution; one request may carry that many. */
const MAX_PATHS = 3_000;

const toInvalidation = (row: InvalidationRow) => ({
  id: row.id,
  create_time: row.create_time,
  status: row.status,
  paths: JSON.parse(row.paths_json) as string[],
});

function checkPaths(paths: string[]): string[] {
  if (paths.length === 0 || paths.length > MAX_PATHS) throw badUserInput('paths', `give 1 to ${MAX_PATHS} paths`);
  for (const path of paths) {
    if (!/^\/[\x21-\x7e]{0,4095}$/.test(path))
      throw badUserInput('paths', `path "${path}" must start with "/" and hold printable characters only`);
    if (path.slice(0, -1).includes('*')) throw badUserInput('paths', `path "${path}": "*" may only end a path`);
  }
  return [...new Set(paths)];
}

export function invalidationResolvers(): Resolvers {
  return {
    Query: {
      async list_distribution_invalidations(_, { distribution_id }, { db, principal }) {
        await loadDistribution(db, principal, distribution_id, 'VIEW_CDN');
        const rows = await db
          .selectFrom('invalidations')
          .selectAll()
          .where('distribution_id', '=', distribution_id)
          .orderBy('create_time', 'desc')
          .orderBy('id')
          .execute();
        return rows.map(toInvalidation);
      },
      async get_distribution_invalidation(_, { invalidation_id, distribution_id }, { db, principal }) {
        await loadDistribution(db, principal, distribution_id, 'VIEW_CDN');
        const row = await db
          .selectFrom('invalidations')
          .selectAll()
          .where('id', '=', invalidation_id)
          .where('distribution_id', '=', distribution_id)
          .executeTakeFirst();
        if (!row) throw notFound('Invalidation', 'invalidation_id');
        return toInvalidation(row);
      },
    },
    Mutation: {
      async create_distribution_invalidation(_, { paths, distribution_id }, { db, principal }) {
        await loadDistribution(db, principal, distribution_id, 'EDIT_CDN');
        const id = `I${randomBytes(7).toString('hex').toUpperCase()}`;
        await db
          .insertInto('invalidations')
          .values({
            id,
            distribution_id,
            paths_json: JSON.stringify(checkPaths(paths)),
            status: 'InProgress',
            create_time: new Date().toISOString(),
          })
          .execute();
        return true;
      },
    },
  };
}
