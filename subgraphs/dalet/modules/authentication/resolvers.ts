/** `login`: the one Dalet operation called without a token (a login step: no @authenticated). */
import type { SubgraphModule } from '../../../kit/define-subgraph.ts';
import type { DaletContext, DaletServices } from '../../common/context.ts';
import { badCredentials } from '../../common/errors.ts';
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords.ts';

interface LoginArgs {
  input: { username: string; password: string };
}

export const authenticationModule: SubgraphModule<DaletServices> = {
  schema: [new URL('./schema.graphql', import.meta.url)],
  resolvers: ({ tokens }) => ({
    Mutation: {
      async login(_root: unknown, { input }: LoginArgs, { db }: DaletContext) {
        const user = await db
          .selectFrom('users')
          .select(['id', 'login', 'password_hash'])
          .where('login', '=', input.username)
          .executeTakeFirst();
        // An unknown login costs one hash too, so that timing does not tell which logins exist.
        const matches = await verifyPassword(input.password, user?.password_hash ?? UNKNOWN_USER_HASH);
        if (!user || !matches) throw badCredentials();
        return { token: await tokens.issue(db, user, new Date()) };
      },
    },
  }),
};
