import type { SubgraphCodegenConfig } from '../kit/codegen/generate.ts';

/** What billing's resolvers are given as parents: the store's rows (see generated/resolvers-types.ts). */
export const codegenConfig: SubgraphCodegenConfig = {
  contextType: '../services.ts#BillingContext',
  mappers: {
    Project: '../access.ts#ProjectReference',
    Country: '../store.ts#CountryRow',
    State: '../store.ts#StateRow',
    City: '../store.ts#CityRow',
    BillingInfo: '../store.ts#BillingInfoRow',
    TaxIdentifier: '../store.ts#TaxIdentifierRow',
    TaxIdentifierType: '../tax-ids/tax-id-types.ts#TaxIdType',
    PaymentCard: '../store.ts#PaymentCardRow',
    Invoice: '../invoices/invoice-resolvers.ts#InvoiceParent',
    InvoiceItem: '../invoices/ledger.ts#InvoiceItemRow',
  },
  scalars: { DateTimeISO: 'string' },
};
