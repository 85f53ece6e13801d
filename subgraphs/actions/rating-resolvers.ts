/** Ratings: add/delete, the caller's own, an action's ratings and their stars, User.ratings. */
import { randomUUID } from 'node:crypto';
import type { Resolvers } from './generated/resolvers-types.ts';
import { requireAuthenticated } from '../kit/authorize.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import { actionOrNotFound, pageOf, requireUserOfRatings, type ActionsServices } from './services.ts';

const MAX_COMMENT_LENGTH = 2000;

export function ratingResolvers({ catalogue }: ActionsServices): Resolvers {
  return {
    Query: {
      async get_user_action_rating(_root, { action_id }, { principal, db }) {
        const userId = requireUserOfRatings(principal);
        actionOrNotFound(catalogue, action_id, 'action_id');
        return (
          (await db
            .selectFrom('action_ratings')
            .selectAll()
            .where('action_id', '=', action_id)
            .where('user_id', '=', userId)
            .executeTakeFirst()) ?? null
        );
      },
      async list_user_action_ratings(_root, _args, { principal, db }) {
        const userId = requireUserOfRatings(principal);
        return db.selectFrom('action_ratings').selectAll().where('user_id', '=', userId).orderBy('updated_at', 'desc').execute();
      },
    },
    Mutation: {
      async add_action_rating(_root, args, { principal, db }) {
        const userId = requireUserOfRatings(principal);
        actionOrNotFound(catalogue, args.action_id, 'action_id');
        if (!Number.isInteger(args.rating) || args.rating < 1 || args.rating > 5)
          throw badUserInput('rating', 'must be a whole number from 1 to 5');
        const comment = args.comment?.trim() || null;
        if (comment && comment.length > MAX_COMMENT_LENGTH)
          throw badUserInput('comment', `must be at most ${MAX_COMMENT_LENGTH} characters`);
        const now = new Date().toISOString();
        // One rating per user and action: a second replaces the first (and keeps its id and creation time).
        await db
          .insertInto('action_ratings')
          .values({
            id: randomUUID(),
            action_id: args.action_id,
            user_id: userId,
            rating: args.rating,
            comment,
            created_at: now,
            updated_at: now,
          })
          .onConflict((conflict) =>
            conflict.columns(['action_id', 'user_id']).doUpdateSet({ rating: args.rating, comment, updated_at: now }),
          )
          .execute();
        return db
          .selectFrom('action_ratings')
          .selectAll()
          .where('action_id', '=', args.action_id)
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow();
      },
      async delete_action_rating(_root, { id }, { principal, db }) {
        const userId = requireUserOfRatings(principal);
        const deleted = await db.deleteFrom('action_ratings').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
        // Someone else's rating is not found, as one that does not exist.
        if (Number(deleted.numDeletedRows) === 0) throw notFound('Rating', 'id');
        return true;
      },
    },
    Action: {
      async ratings(action, args, { principal, db }) {
        requireAuthenticated(principal);
        const { offset, limit } = pageOf(args.offset, args.limit);
        return db
          .selectFrom('action_ratings')
          .selectAll()
          .where('action_id', '=', action.id)
          .orderBy('updated_at', 'desc')
          .orderBy('id')
          .offset(offset)
          .limit(limit)
          .execute();
      },
      async rating_stats(action, _args, { db }) {
        const rows = await db
          .selectFrom('action_ratings')
          .select((eb) => ['rating', eb.fn.countAll<string>().as('count')])
          .where('action_id', '=', action.id)
          .groupBy('rating')
          .execute();
        return [1, 2, 3, 4, 5].map((rating) => ({ rating, count: Number(rows.find((row) => Number(row.rating) === rating)?.count ?? 0) }));
      },
      async user_rating(action, _args, { principal, db }) {
        // An API key has no user, hence no rating of its own.
        if (principal.kind !== 'user') return null;
        return (
          (await db
            .selectFrom('action_ratings')
            .selectAll()
            .where('action_id', '=', action.id)
            .where('user_id', '=', principal.userId)
            .executeTakeFirst()) ?? null
        );
      },
    },
    ActionRating: {
      // Ratings are given to catalogue actions only (add_action_rating checks it).
      action: (rating) => catalogue.byId.get(rating.action_id)!,
      user: (rating) => ({ __typename: 'PublicUser', id: rating.user_id }),
    },
    User: {
      __resolveReference: ({ id }) => ({ id }),
      async ratings({ id }, _args, { principal, db }) {
        requireAuthenticated(principal);
        return db.selectFrom('action_ratings').selectAll().where('user_id', '=', id).orderBy('updated_at', 'desc').execute();
      },
    },
  };
}
