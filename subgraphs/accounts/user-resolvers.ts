/** Users: login and logout, the caller's own profile, and the `User` and `PublicUser` entities. */
import { randomUUID } from 'node:crypto';
import type { Resolvers } from './generated/resolvers-types.ts';
import { authorize, requireAuthenticated } from '../kit/authorize.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/identity.ts';
import { consumeOtp, generateOtp, OTP_TTL_MS, storeOtp } from './email-otp.ts';
import { findProject } from './project-resolvers.ts';
import type { AccountsContext, AccountsServices } from './services.ts';
import type { UserRow } from './store.ts';
import { requireEmail, requireText } from '../kit/validation.ts';
import { requireUser } from './validation.ts';

type Db = AccountsContext['db'];

const MAX_PERSON_NAME_LENGTH = 100;

async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The projects of `userId` the caller may see: all of them for the user themself, otherwise only the
 * projects the caller has a role in (another user's other projects are none of the caller's business).
 */
function visibleProjectIds(principal: Principal, userId: string): 'all' | string[] {
  if (principal.kind === 'user' && principal.userId === userId) return 'all';
  return principal.kind === 'user' || principal.kind === 'apiKey' ? Object.keys(principal.roles) : [];
}

function visibleDefaultProjectId(principal: Principal, user: UserRow): string | null {
  if (user.default_project_id === null) return null;
  const visible = visibleProjectIds(principal, user.id);
  return visible === 'all' || visible.includes(user.default_project_id) ? user.default_project_id : null;
}

/** The seed types the code Float!; a whole number from 0 to 999999 is the only sensible value. */
function requireOtp(otp: number): string {
  if (!Number.isInteger(otp) || otp < 0 || otp > 999_999) throw badUserInput('otp', 'must be the 6-digit code from the email');
  return String(otp).padStart(6, '0');
}

export function userResolvers({ settings, signer, hmac, mailer, pictures, loaders }: AccountsServices): Resolvers {
  const pictureOf = (user: Pick<UserRow, 'picture_file'>) => pictures.urlOf(user.picture_file);

  return {
    Query: {
      async get_me(_root, _args, { principal, db }) {
        requireAuthenticated(principal);
        // An API key answers with the user who created it, if any.
        const user = principal.userId === null ? undefined : await findUser(db, principal.userId);
        if (!user) throw notFound('User', 'id');
        return user;
      },
      async login_with_email_otp(_root, args, { db }) {
        const email = requireEmail(args.email);
        const code = requireOtp(args.otp);
        const now = new Date();
        // One answer for every failure (no code, wrong, expired, used, too many tries): no oracle on emails.
        if (!(await consumeOtp(db, hmac, email, code, now)))
          throw badUserInput('otp', 'the code is wrong, has expired or was already used; ask for a new one');
        const tokenId = randomUUID();
        const expiresAt = new Date(now.getTime() + settings.accessTokenTtlSeconds * 1000);
        const userId = await db.transaction().execute(async (trx) => {
          let user = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
          if (!user) {
            user = { id: randomUUID() };
            const at = now.toISOString();
            await trx
              .insertInto('users')
              .values({
                id: user.id,
                email,
                first_name: null,
                last_name: null,
                default_project_id: null,
                picture_file: null,
                created_at: at,
                updated_at: at,
              })
              .execute();
          }
          // Expired tokens need no revocation record any more; pruning them here keeps the table small.
          await trx.deleteFrom('access_tokens').where('user_id', '=', user.id).where('expires_at', '<', now.toISOString()).execute();
          await trx
            .insertInto('access_tokens')
            .values({ id: tokenId, user_id: user.id, expires_at: expiresAt.toISOString(), revoked_at: null, created_at: now.toISOString() })
            .execute();
          return user.id;
        });
        return signer.sign({ userId, tokenId, expiresAt }, now);
      },
    },
    Mutation: {
      async send_email_otp(_root, args, { db }) {
        const email = requireEmail(args.email);
        const code = generateOtp();
        await storeOtp(db, hmac, email, code, new Date());
        await mailer.send({
          to: email,
          subject: `Your Cognitive Cloud login code: ${code}`,
          text: `Your Cognitive Cloud login code is ${code}\n\nIt expires in ${OTP_TTL_MS / 60_000} minutes and works once. If you did not ask for it, ignore this email.\n`,
        });
        return true;
      },
      async logout(_root, _args, { principal, db }) {
        const user = requireUser(principal);
        // The gateway passes on the principal of /internal/authenticate/user, which names the token.
        if (!user.tokenId) throw new Error('logout: the principal names no token (the gateway must pass tokenId on)');
        await db
          .updateTable('access_tokens')
          .set({ revoked_at: new Date().toISOString() })
          .where('id', '=', user.tokenId)
          .where('user_id', '=', user.userId)
          .execute();
        return true;
      },
      async set_default_project(_root, { project_id }, { principal, db }) {
        const user = requireUser(principal);
        authorize(principal, project_id, 'VIEW_PROJECT');
        if (!(await findProject(db, project_id))) throw notFound('Project', 'project_id');
        await db
          .updateTable('users')
          .set({ default_project_id: project_id, updated_at: new Date().toISOString() })
          .where('id', '=', user.userId)
          .execute();
        return true;
      },
      async update_user_profile(_root, args, { principal, db }) {
        const { userId } = requireUser(principal);
        const first_name = requireText(args.first_name, 'first_name', { maxLength: MAX_PERSON_NAME_LENGTH });
        const last_name = requireText(args.last_name, 'last_name', { maxLength: MAX_PERSON_NAME_LENGTH });
        const before = await findUser(db, userId);
        if (!before) throw notFound('User', 'id');
        const removePicture = args.set_profile_picture_null === true;
        const changes = { first_name, last_name, updated_at: new Date().toISOString(), ...(removePicture ? { picture_file: null } : {}) };
        await db.updateTable('users').set(changes).where('id', '=', userId).execute();
        if (removePicture) await pictures.remove(before.picture_file);
        return { ...before, ...changes };
      },
      async create_profile_picture_upload(_root, args, { principal }) {
        const { userId } = requireUser(principal);
        const contentType = args.content_type.trim().toLowerCase();
        if (!pictures.isAcceptedType(contentType))
          throw badUserInput('content_type', 'must be one of image/png, image/jpeg, image/gif, image/webp');
        return pictures.createUploadUrl(userId, contentType, new Date());
      },
    },
    User: {
      __resolveReference({ id }, context) {
        requireAuthenticated(context.principal);
        return loaders.visibleUser(id, context);
      },
      picture: pictureOf,
      // Another project's member sees nothing of this user's other projects, their id included.
      default_project_id: (user, _args, { principal }) => visibleDefaultProjectId(principal, user),
      async default_project(user, _args, context) {
        const id = visibleDefaultProjectId(context.principal, user);
        return id === null ? null : loaders.project(id, context);
      },
      async projects(user, _args, { principal, db }) {
        const visible = visibleProjectIds(principal, user.id);
        if (visible !== 'all' && visible.length === 0) return [];
        let query = db
          .selectFrom('projects')
          .innerJoin('project_members', 'project_members.project_id', 'projects.id')
          .selectAll('projects')
          .select('project_members.role as my_role')
          .where('project_members.user_id', '=', user.id);
        if (visible !== 'all') query = query.where('projects.id', 'in', visible);
        const rows = await query.orderBy('projects.created_at').orderBy('projects.id').execute();
        // The role joined in is the user's; the caller's role is only the same when the caller is that user.
        return rows.map(({ my_role, ...project }) => (visible === 'all' ? { ...project, my_role } : project));
      },
    },
    PublicUser: {
      __resolveReference({ id }, context) {
        requireAuthenticated(context.principal);
        return loaders.publicUser(id, context);
      },
      picture: pictureOf,
    },
  };
}
