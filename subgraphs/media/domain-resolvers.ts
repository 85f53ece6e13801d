/** Custom domains of a library: add (validated, the first one primary), list, delete (the next one becomes primary). */
import type { Resolvers } from './generated/resolvers-types.ts';
import type { DomainRow, MediaServices } from './services.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { badUserInput } from '../../core/errors.ts';
import { enqueue } from '../kit/queue/index.ts';
import { libraryFor } from './access.ts';
import { VERIFY_DOMAIN_JOB, VERIFY_DOMAIN_MAX_ATTEMPTS } from './domain-verification.ts';
import { requireDomain, verificationRecord } from './domains.ts';

export function domainResolvers(deps: MediaServices): Resolvers {
  return {
    Query: {
      list_custom_domains: async (_, { library_id }, { db, principal }) => {
        const library = await libraryFor(db, principal, library_id, 'read', 'library_id');
        return db
          .selectFrom('custom_domains')
          .selectAll()
          .where('library_id', '=', library.id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
      },
    },
    Mutation: {
      create_custom_domain: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.library_id, 'write', 'library_id');
        const domain = requireDomain(args.domain);
        const row = await db.transaction().execute(async (trx) => {
          const taken = await trx.selectFrom('custom_domains').select('id').where('domain', '=', domain).executeTakeFirst();
          // Not which library has it: that would tell one project about another's.
          if (taken) throw badUserInput('domain', 'is already in use');
          const primary = await trx
            .selectFrom('custom_domains')
            .select('id')
            .where('library_id', '=', library.id)
            .where('is_primary', '=', 1)
            .executeTakeFirst();
          const created: DomainRow = {
            id: randomUUID(),
            library_id: library.id,
            domain,
            is_primary: primary ? 0 : 1,
            verification_token: randomBytes(18).toString('base64url'),
            verified_at: null,
            created_at: new Date().toISOString(),
          };
          await trx.insertInto('custom_domains').values(created).execute();
          await enqueue(trx, { kind: VERIFY_DOMAIN_JOB, payload: { domainId: created.id }, maxAttempts: VERIFY_DOMAIN_MAX_ATTEMPTS });
          return created;
        });
        deps.wake();
        return row;
      },
      delete_custom_domain: async (_, args, { db, principal }) => {
        const library = await libraryFor(db, principal, args.library_id, 'write', 'library_id');
        const domain = args.domain.trim().toLowerCase().replace(/\.$/, '');
        return db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('custom_domains')
            .selectAll()
            .where('library_id', '=', library.id)
            .where('domain', '=', domain)
            .executeTakeFirst();
          if (!row) return false;
          await trx.deleteFrom('custom_domains').where('id', '=', row.id).execute();
          if (row.is_primary) {
            const next = await trx
              .selectFrom('custom_domains')
              .select('id')
              .where('library_id', '=', library.id)
              .orderBy('created_at')
              .orderBy('id')
              .executeTakeFirst();
            if (next) await trx.updateTable('custom_domains').set({ is_primary: 1 }).where('id', '=', next.id).execute();
          }
          return true;
        });
      },
    },
    CustomDomain: {
      is_primary: (row) => row.is_primary === 1,
      library: (row, _, { db }) => db.selectFrom('libraries').selectAll().where('id', '=', row.library_id).executeTakeFirstOrThrow(),
      verification_record_name: (row) => verificationRecord(row.domain, row.verification_token).name,
      verification_record_value: (row) => verificationRecord(row.domain, row.verification_token).value,
    },
  };
}
