/** What the resolvers share, built once in index.ts, and the helpers every resolver module uses. */
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import { badUserInput, cognitiveCloudError } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import type { ActionDefinition, Catalogue } from './catalogue/index.ts';
import type { PayloadValidator } from './payload-validation.ts';
import type { ActionSearch } from './search.ts';
import type { Keyring } from './secret.ts';
import type { ActionsSettings } from './settings.ts';
import { catalogueStatistics, type ActionStatistics } from './statistics.ts';
import type { ActionsDatabase } from './store.ts';

export type ActionsContext = SubgraphContext<ActionsDatabase>;

/** An action as the API shows it: its catalogue entry, and the count of the list it came in. */
export type ActionParent = ActionDefinition & { total_count?: number };

/** An entity of another subgraph (`User`, `PublicUser`, `Project`), known here by its id. */
export interface EntityReference {
  id: string;
}

export interface ActionsServices {
  catalogue: Catalogue;
  statisticsOf: StatisticsOf;
  validatePayload: PayloadValidator;
  search: ActionSearch;
  settings: ActionsSettings;
  keyring: Keyring;
}

export type StatisticsOf = (context: ActionsContext, actionId: string) => Promise<ActionStatistics>;

/**
 * An action's statistics. Every action's are computed in one go, once per request however many actions it
 * shows: the request's context keys them, so they go with it.
 */
export function createStatisticsOf(catalogue: Catalogue): StatisticsOf {
  const byRequest = new WeakMap<ActionsContext, Promise<Map<string, ActionStatistics>>>();
  return (context, actionId) => {
    let all = byRequest.get(context);
    if (!all) {
      all = catalogueStatistics(
        context.db,
        catalogue.actions.map((action) => action.id),
      );
      byRequest.set(context, all);
    }
    return all.then((stats) => stats.get(actionId)!);
  };
}

export function actionOrNotFound(catalogue: Catalogue, id: string, argumentName: string): ActionDefinition {
  const action = catalogue.byId.get(id);
  if (!action) throw cognitiveCloudError('NOT_FOUND', 'Action not found', { argumentName });
  return action;
}

/** `project_id` as given, or the API key's own project when it was left out. */
export function projectIdOf(principal: Principal, projectId: string | null | undefined, argumentName = 'project_id'): string {
  if (projectId) return projectId;
  if (principal.kind === 'apiKey') {
    const [own] = Object.keys(principal.roles);
    if (own) return own;
  }
  throw badUserInput(argumentName, "is required unless you call with an API key (then it is the key's project)");
}

const MAX_LIMIT = 100;

/** offset and limit (Float in the seed): whole numbers, limit at most 100, default 20. */
export function pageOf(
  offset: number | null | undefined,
  limit: number | null | undefined,
  defaultLimit = 20,
): { offset: number; limit: number } {
  const start = offset ?? 0;
  const size = limit ?? defaultLimit;
  if (!Number.isInteger(start) || start < 0) throw badUserInput('offset', 'must be a whole number of at least 0');
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIMIT) throw badUserInput('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  return { offset: start, limit: size };
}

/** Ratings belong to people: an API key has none, so it may not rate or read "my" ratings. */
export function requireUserOfRatings(principal: Principal): string {
  if (principal.kind === 'user') return principal.userId;
  if (principal.kind === 'apiKey') {
    throw cognitiveCloudError('FORBIDDEN', 'An API key has no user: ratings are given by users; call with a user login token');
  }
  throw cognitiveCloudError('UNAUTHENTICATED', 'Authentication required: send an API key or a token as "Authorization: Bearer ..."');
}
