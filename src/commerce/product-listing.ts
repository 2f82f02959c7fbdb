// How storefront product lists are filtered and ordered: the rules behind `products`
// and `collection.products`. Pure functions producing Prisma arguments; the visibility
// rule itself lives in ./catalog.ts and is always applied.
import type { Prisma } from '../generated/prisma/client.js';
import { publishedProductWhere } from './catalog.js';
import { keysetOrderBy, type Keyset } from './keyset.js';
import { parseAmount } from './money.js';

export type ProductSortKey = 'TITLE' | 'PRICE' | 'CREATED_AT' | 'ID';
export type CollectionProductSortKey = 'COLLECTION_DEFAULT' | 'MANUAL' | ProductSortKey;

export interface ProductFilter {
  available?: boolean | null;
  price?: { min?: string | null; max?: string | null } | null;
  productType?: string | null;
  productVendor?: string | null;
  tag?: string | null;
  /** A variant with this option value, e.g. { name: "Color", value: "Navy" }. */
  variantOption?: { name: string; value: string } | null;
}

export class ListingInputError extends Error {
  override name = 'ListingInputError';
  constructor(
    message: string,
    readonly field: string[],
  ) {
    super(message);
  }
}

/** The most filters one list request may carry. */
export const MAX_FILTERS = 20;

function priceBound(value: string | null | undefined, currencyCode: string, field: string): number | null {
  if (value === null || value === undefined) return null;
  const minor = parseAmount(value, currencyCode);
  if (minor === null || minor < 0) {
    throw new ListingInputError(`${field} must be a non-negative decimal amount such as "19.99"`, ['filters', 'price', field]);
  }
  return minor;
}

/**
 * Shopify's semantics: filters of the same kind are alternatives (OR), different kinds
 * must all hold (AND). A price filter matches a product with at least one variant in range.
 */
export function productFilterWhere(filters: readonly ProductFilter[] | null | undefined, currencyCode = 'USD'): Prisma.ProductWhereInput[] {
  if (!filters || filters.length === 0) return [];
  if (filters.length > MAX_FILTERS) throw new ListingInputError(`At most ${MAX_FILTERS} filters are allowed`, ['filters']);
  const groups = new Map<string, Prisma.ProductWhereInput[]>();
  const add = (kind: string, where: Prisma.ProductWhereInput) => {
    const list = groups.get(kind) ?? [];
    list.push(where);
    groups.set(kind, list);
  };
  for (const filter of filters) {
    const kinds = Object.entries(filter).filter(([, value]) => value !== null && value !== undefined);
    if (kinds.length !== 1) {
      throw new ListingInputError('Each filter must set exactly one of available, price, productType, productVendor, tag, variantOption', [
        'filters',
      ]);
    }
    if (filter.available !== null && filter.available !== undefined) add('available', { availableForSale: filter.available });
    if (filter.productType) add('productType', { productType: filter.productType });
    if (filter.productVendor) add('productVendor', { vendor: filter.productVendor });
    if (filter.tag) add('tag', { tags: { has: filter.tag } });
    // Each option name is a kind of its own: Color alternatives OR together, Color AND Size.
    if (filter.variantOption) {
      const { name, value } = filter.variantOption;
      add(`variantOption:${name}`, { variants: { some: { selectedOptions: { array_contains: [{ name, value }] } } } });
    }
    if (filter.price) {
      const min = priceBound(filter.price.min, currencyCode, 'min');
      const max = priceBound(filter.price.max, currencyCode, 'max');
      if (min !== null && max !== null && min > max) {
        throw new ListingInputError('price.min must not exceed price.max', ['filters', 'price']);
      }
      add('price', {
        variants: { some: { price: { ...(min !== null ? { gte: min } : {}), ...(max !== null ? { lte: max } : {}) } } },
      });
    }
  }
  return [...groups.values()].map((alternatives) => (alternatives.length === 1 ? alternatives[0]! : { OR: alternatives }));
}

/** Where clause for a storefront product list: visibility first, then the filters. */
export function productListWhere(
  filters: readonly ProductFilter[] | null | undefined,
  now: Date,
  extra: Prisma.ProductWhereInput[] = [],
): Prisma.ProductWhereInput {
  return { AND: [publishedProductWhere(now), ...extra, ...productFilterWhere(filters)] };
}

/** A product list's ordering as keyset columns; `id` breaks ties so every row has one place. */
export function productKeyset(sortKey: ProductSortKey): Keyset {
  const id = { path: ['id'], kind: 'int' } as const;
  switch (sortKey) {
    case 'TITLE':
      return [{ path: ['title'], kind: 'string' }, id];
    case 'PRICE':
      return [{ path: ['minPrice'], kind: 'int' }, id];
    case 'CREATED_AT':
      return [{ path: ['createdAt'], kind: 'date' }, id];
    case 'ID':
      return [id];
  }
}

/** A collection's membership rows ordered by the product (or the merchant's position). */
export function collectionProductKeyset(sortKey: CollectionProductSortKey): Keyset {
  const id = { path: ['productId'], kind: 'int' } as const;
  switch (sortKey) {
    case 'COLLECTION_DEFAULT':
    case 'MANUAL':
      return [{ path: ['position'], kind: 'int' }, id];
    case 'ID':
      return [id];
    default:
      return [
        ...productKeyset(sortKey)
          .slice(0, -1)
          .map((column) => ({ ...column, path: ['product', ...column.path] })),
        id,
      ];
  }
}

/** A product's variants and its images: the merchant's display order, `id` breaking ties. */
export const DISPLAY_ORDER_KEYSET: Keyset = [
  { path: ['position'], kind: 'int' },
  { path: ['id'], kind: 'int' },
];

/** A product's collection memberships, by collection (one membership per collection). */
export const BY_COLLECTION_KEYSET: Keyset = [{ path: ['collectionId'], kind: 'int' }];

export type CollectionSortKey = 'TITLE' | 'UPDATED_AT' | 'ID';

export function collectionKeyset(sortKey: CollectionSortKey): Keyset {
  const id = { path: ['id'], kind: 'int' } as const;
  switch (sortKey) {
    case 'TITLE':
      return [{ path: ['title'], kind: 'string' }, id];
    case 'UPDATED_AT':
      return [{ path: ['updatedAt'], kind: 'date' }, id];
    case 'ID':
      return [id];
  }
}

/** Order for a product list; `id` breaks ties so cursors are stable. */
export function productOrderBy(sortKey: ProductSortKey, reverse: boolean): Prisma.ProductOrderByWithRelationInput[] {
  return keysetOrderBy(productKeyset(sortKey), reverse ? 'desc' : 'asc');
}

/** Order for a collection's membership rows (the manual order is the merchant's). */
export function collectionProductOrderBy(
  sortKey: CollectionProductSortKey,
  reverse: boolean,
): Prisma.CollectionProductOrderByWithRelationInput[] {
  return keysetOrderBy(collectionProductKeyset(sortKey), reverse ? 'desc' : 'asc');
}
