/** A project's tax identifiers, and the types Stripe supports. */
import type { Resolvers } from '../generated/resolvers-types.ts';
import { randomUUID } from 'node:crypto';
import { authorize, requireAuthenticated } from '../../kit/authorize.ts';
import { badUserInput } from '../../../core/errors.ts';
import { checkTaxId } from './tax-id-format.ts';
import { TAX_ID_TYPES } from './tax-id-types.ts';

export function taxIdResolvers(): Resolvers {
  return {
    Query: {
      list_tax_identifier_types(_root, _args, { principal }) {
        requireAuthenticated(principal);
        return [...TAX_ID_TYPES];
      },
      async list_project_tax_identifiers(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_BILLING_INFO');
        return db
          .selectFrom('tax_identifiers')
          .selectAll()
          .where('project_id', '=', project_id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
      },
    },
    Mutation: {
      async add_project_tax_identifier(_root, args, { principal, db }) {
        authorize(principal, args.project_id, 'EDIT_BILLING_INFO');
        const check = checkTaxId(args.type, args.value);
        if (!check.ok) throw badUserInput(check.argumentName, check.message);
        const result = await db
          .insertInto('tax_identifiers')
          .values({
            id: randomUUID(),
            project_id: args.project_id,
            country: check.kind.country,
            type: check.kind.type,
            value: check.value,
            created_at: new Date().toISOString(),
          })
          .onConflict((conflict) => conflict.columns(['project_id', 'type', 'value']).doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) throw badUserInput('value', 'this tax identifier is already added');
        return true;
      },
      async remove_project_tax_identifier(_root, { id, project_id }, { principal, db }) {
        authorize(principal, project_id, 'CLEAR_BILLING_INFO');
        const result = await db.deleteFrom('tax_identifiers').where('id', '=', id).where('project_id', '=', project_id).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      },
    },
    TaxIdentifier: {
      country_details: async (taxId, _args, { db }) =>
        (await db.selectFrom('countries').selectAll().where('id', '=', taxId.country).executeTakeFirst()) ?? null,
      type_name: (taxId) => TAX_ID_TYPES.find((kind) => kind.type === taxId.type && kind.country === taxId.country)?.name ?? null,
    },
  };
}
