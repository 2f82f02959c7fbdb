// Arguments shared by product lists: sort key, reverse, filters.
import { builder } from '../builder.js';

export const ProductSortKeys = builder.enumType('ProductSortKeys', {
  description: 'How `products` can be ordered. Ties are broken by ID.',
  values: {
    TITLE: { description: 'By title.' },
    PRICE: { description: 'By lowest variant price.' },
    CREATED_AT: { description: 'By creation time.' },
    ID: { description: 'By ID: the order products were added in.' },
  } as const,
});

export const ProductCollectionSortKeys = builder.enumType('ProductCollectionSortKeys', {
  description: "How a collection's products can be ordered. Ties are broken by product ID.",
  values: {
    COLLECTION_DEFAULT: { description: "The collection's own order (the merchant's manual order)." },
    MANUAL: { description: 'The order the merchant arranged.' },
    TITLE: { description: 'By product title.' },
    PRICE: { description: 'Lowest variant price.' },
    CREATED: { description: 'Product creation time.' },
    ID: { description: 'By product ID.' },
  } as const,
});

export const CollectionSortKeys = builder.enumType('CollectionSortKeys', {
  description: 'How `collections` can be ordered. Ties are broken by ID.',
  values: {
    TITLE: { description: 'By title.' },
    UPDATED_AT: { description: 'By the time of the last change.' },
    ID: { description: 'By ID: the order collections were added in.' },
  } as const,
});

const PriceRangeFilter = builder.inputType('PriceRangeFilter', {
  description: 'A price range; bounds are decimal strings in the shop currency, inclusive.',
  fields: (t) => ({
    min: t.field({ type: 'Decimal', required: false, description: 'The lowest price, e.g. "20.00"; no lower bound when left out.' }),
    max: t.field({ type: 'Decimal', required: false, description: 'The highest price, e.g. "50.00"; no upper bound when left out.' }),
  }),
});

const VariantOptionFilter = builder.inputType('VariantOptionFilter', {
  description: 'A variant option value, e.g. { name: "Color", value: "Navy" } (exact, case-sensitive).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The option name, e.g. "Color".' }),
    value: t.string({ required: true, description: 'The option value, e.g. "Navy".' }),
  }),
});

export const ProductFilterInput = builder.inputType('ProductFilter', {
  description:
    'One filter on a product list; set exactly one field. Filters of the same kind are alternatives (OR); different kinds must all match (AND).',
  fields: (t) => ({
    available: t.boolean({ required: false, description: 'Products with (true) or without (false) a variant for sale.' }),
    price: t.field({ type: PriceRangeFilter, required: false, description: 'At least one variant priced in range.' }),
    productType: t.string({ required: false, description: 'Products of this type, matched exactly.' }),
    productVendor: t.string({ required: false, description: 'Products of this vendor, matched exactly.' }),
    tag: t.string({ required: false, description: 'Products carrying this tag.' }),
    variantOption: t.field({ type: VariantOptionFilter, required: false, description: 'At least one variant with this option value.' }),
  }),
});
