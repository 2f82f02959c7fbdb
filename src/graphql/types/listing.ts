// Arguments shared by product lists: sort key, reverse, filters.
import { builder } from '../builder.js';

export const ProductSortKeys = builder.enumType('ProductSortKeys', {
  description: 'How `products` can be ordered. Ties are broken by ID.',
  values: ['TITLE', 'PRICE', 'CREATED_AT', 'ID'] as const,
});

export const ProductCollectionSortKeys = builder.enumType('ProductCollectionSortKeys', {
  description: "How a collection's products can be ordered. Ties are broken by product ID.",
  values: {
    COLLECTION_DEFAULT: { description: "The collection's own order (the merchant's manual order)." },
    MANUAL: { description: 'The order the merchant arranged.' },
    TITLE: {},
    PRICE: { description: 'Lowest variant price.' },
    CREATED: { description: 'Product creation time.' },
    CREATED_AT: { description: 'Product creation time.', deprecationReason: 'Use `CREATED`, as Shopify names it.' },
    ID: {},
  } as const,
});

export const CollectionSortKeys = builder.enumType('CollectionSortKeys', {
  values: ['TITLE', 'UPDATED_AT', 'ID'] as const,
});

const PriceRangeFilter = builder.inputType('PriceRangeFilter', {
  description: 'A price range; bounds are decimal strings in the shop currency, inclusive.',
  fields: (t) => ({
    min: t.field({ type: 'Decimal', required: false }),
    max: t.field({ type: 'Decimal', required: false }),
  }),
});

const VariantOptionFilter = builder.inputType('VariantOptionFilter', {
  description: 'A variant option value, e.g. { name: "Color", value: "Navy" } (exact, case-sensitive).',
  fields: (t) => ({
    name: t.string({ required: true }),
    value: t.string({ required: true }),
  }),
});

export const ProductFilterInput = builder.inputType('ProductFilter', {
  description:
    'One filter on a product list; set exactly one field. Filters of the same kind are alternatives (OR); different kinds must all match (AND).',
  fields: (t) => ({
    available: t.boolean({ required: false, description: 'Products with (true) or without (false) a variant for sale.' }),
    price: t.field({ type: PriceRangeFilter, required: false, description: 'At least one variant priced in range.' }),
    productType: t.string({ required: false }),
    productVendor: t.string({ required: false }),
    tag: t.string({ required: false }),
    variantOption: t.field({ type: VariantOptionFilter, required: false, description: 'At least one variant with this option value.' }),
  }),
});

