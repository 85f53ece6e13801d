/**
 * Statistics from real jobs and ratings, each one grouped query (Kysely's builder, both engines):
 * - `jobStatistics`: the JobStatistic of a project, an action, or both, over the last 30 days.
 * - `catalogueStatistics`: per action, what the Action's scores and flags are made of, for the whole
 *   catalogue at once (list_actions asks for every action's flags).
 *
 * Scores: popular_score = jobs in the last 30 days + 5 per rating; trending_score = jobs in the last 7
 * days minus jobs in the 7 days before. is_popular / is_trending: among the 3 best scores above 0;
 * is_highly_rated: at least 3 ratings averaging 4 or more; is_new: added in the last 30 days.
 */
import type { Kysely } from 'kysely';
import type { ActionsDatabase } from './store.ts';

const DAY_MS = 86_400_000;

export interface JobStatistic {
  total_jobs: string;
  total_completed_jobs: string;
  total_failed_jobs: string;
  total_queued_jobs: string;
  total_in_progress_jobs: string;
  average_execution_time: string;
  total_execution_time: string;
  total_cost: number;
  average_cost: number;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function jobStatistics(
  db: Kysely<ActionsDatabase>,
  scope: { projectId?: string; actionId?: string },
  now = Date.now(),
): Promise<JobStatistic> {
  const rows = await db
    .selectFrom('jobs')
    .innerJoin('queue_jobs', 'queue_jobs.id', 'jobs.id')
    .select((eb) => [
      'queue_jobs.status',
      eb.fn.countAll<string>().as('jobs'),
      eb.fn.sum<string>('jobs.duration_ms').as('duration_ms'),
      eb.fn.sum<string>('jobs.cost_minor').as('cost_minor'),
    ])
    .where('jobs.created_at', '>=', new Date(now - 30 * DAY_MS).toISOString())
    .$if(scope.projectId !== undefined, (query) => query.where('jobs.project_id', '=', scope.projectId!))
    .$if(scope.actionId !== undefined, (query) => query.where('jobs.action_id', '=', scope.actionId!))
    .groupBy('queue_jobs.status')
    .execute();
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.jobs ?? 0);
  const total = rows.reduce((sum, row) => sum + Number(row.jobs), 0);
  const finished = count('COMPLETED') + count('FAILED');
  const durationMs = rows.reduce((sum, row) => sum + Number(row.duration_ms ?? 0), 0);
  const costMinor = rows.reduce((sum, row) => sum + Number(row.cost_minor ?? 0), 0);
  return {
    total_jobs: String(total),
    total_completed_jobs: String(count('COMPLETED')),
    total_failed_jobs: String(count('FAILED')),
    total_queued_jobs: String(count('QUEUED')),
    total_in_progress_jobs: String(count('IN_PROGRESS')),
    average_execution_time: String(finished ? round(durationMs / finished / 1000) : 0),
    total_execution_time: String(round(durationMs / 1000)),
    total_cost: round(costMinor / 100, 4),
    average_cost: count('COMPLETED') ? round(costMinor / 100 / count('COMPLETED'), 4) : 0,
  };
}

export interface ActionStatistics {
  popular_score: number;
  trending_score: number;
  rating_count: number;
  rating_total: number;
  /** Over the last 30 days; null without finished jobs. */
  success_rate: number | null;
  average_duration: number | null;
  average_cost: number | null;
  is_popular: boolean;
  is_trending: boolean;
  is_highly_rated: boolean;
}

const TOP = 3;

export async function catalogueStatistics(
  db: Kysely<ActionsDatabase>,
  actionIds: readonly string[],
  now = Date.now(),
): Promise<Map<string, ActionStatistics>> {
  const since = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const [monthly, lastWeek, twoWeeks, ratings] = await Promise.all([
    db
      .selectFrom('jobs')
      .innerJoin('queue_jobs', 'queue_jobs.id', 'jobs.id')
      .select((eb) => [
        'jobs.action_id',
        'queue_jobs.status',
        eb.fn.countAll<string>().as('jobs'),
        eb.fn.sum<string>('jobs.duration_ms').as('duration_ms'),
        eb.fn.sum<string>('jobs.cost_minor').as('cost_minor'),
      ])
      .where('jobs.created_at', '>=', since(30))
      .groupBy(['jobs.action_id', 'queue_jobs.status'])
      .execute(),
    db
      .selectFrom('jobs')
      .select((eb) => ['action_id', eb.fn.countAll<string>().as('jobs')])
      .where('created_at', '>=', since(7))
      .groupBy('action_id')
      .execute(),
    db
      .selectFrom('jobs')
      .select((eb) => ['action_id', eb.fn.countAll<string>().as('jobs')])
      .where('created_at', '>=', since(14))
      .groupBy('action_id')
      .execute(),
    db
      .selectFrom('action_ratings')
      .select((eb) => ['action_id', eb.fn.countAll<string>().as('ratings'), eb.fn.sum<string>('rating').as('total')])
      .groupBy('action_id')
      .execute(),
  ]);
  const stats = new Map<string, ActionStatistics>();
  for (const id of actionIds) {
    const mine = monthly.filter((row) => row.action_id === id);
    const count = (status: string) => Number(mine.find((row) => row.status === status)?.jobs ?? 0);
    const completed = mine.find((row) => row.status === 'COMPLETED');
    const finished = count('COMPLETED') + count('FAILED');
    const week = Number(lastWeek.find((row) => row.action_id === id)?.jobs ?? 0);
    const fortnight = Number(twoWeeks.find((row) => row.action_id === id)?.jobs ?? 0);
    const rating = ratings.find((row) => row.action_id === id);
    const ratingCount = Number(rating?.ratings ?? 0);
    const ratingTotal = Number(rating?.total ?? 0);
    stats.set(id, {
      popular_score: mine.reduce((sum, row) => sum + Number(row.jobs), 0) + 5 * ratingCount,
      trending_score: week - (fortnight - week),
      rating_count: ratingCount,
      rating_total: ratingTotal,
      success_rate: finished ? round(count('COMPLETED') / finished, 4) : null,
      average_duration: completed ? round(Number(completed.duration_ms ?? 0) / Number(completed.jobs) / 1000) : null,
      average_cost: completed ? round(Number(completed.cost_minor ?? 0) / Number(completed.jobs) / 100, 4) : null,
      is_popular: false,
      is_trending: false,
      is_highly_rated: ratingCount >= 3 && ratingTotal / ratingCount >= 4,
    });
  }
  const topBy = (score: 'popular_score' | 'trending_score') =>
    [...stats.entries()]
      .filter(([, entry]) => entry[score] > 0)
      .sort(([, a], [, b]) => b[score] - a[score])
      .slice(0, TOP)
      .map(([id]) => id);
  for (const id of topBy('popular_score')) stats.get(id)!.is_popular = true;
  for (const id of topBy('trending_score')) stats.get(id)!.is_trending = true;
  return stats;
}
