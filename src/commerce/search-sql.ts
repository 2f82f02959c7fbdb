// SQL fragments shared by search, predictive search and facet counts: the visibility rule,
// full-text queries built from words passed as parameters, and product filters.
import { Prisma } from '../generated/prisma/client.js';
import { publishedProductWhere } from './catalog.js';
import { parseAmount } from './money.js';
import { productFilterWhere, type ProductFilter } from './product-listing.js';

/** src/commerce/catalog.ts's visibility rule for products, as SQL on the alias `p`. */
export function publishedProductSql(now: Date): Prisma.Sql {
  const rule = publishedProductWhere(now);
  return Prisma.sql`p.status = ${rule.status}::"ProductStatus" AND p."publishedAt" <= ${rule.publishedAt.lte}`;
}

/**
 * One word as a tsquery: English stemming, accents folded; a prefix matches every word that
 * starts with it ("lin" -> linen). The word travels as a bound parameter; quotes and
 * backslashes are removed before it is quoted as a single tsquery lexeme.
 */
export function wordQuerySql(word: string, prefix: boolean): Prisma.Sql {
  return prefix
    ? Prisma.sql`to_tsquery('english'::regconfig, '''' || translate(vitrine_unaccent(${word}::text), '''\\:', '') || ''':*')`
    : Prisma.sql`plainto_tsquery('english'::regconfig, vitrine_unaccent(${word}::text))`;
}

/** All words must match (AND), or any of them (OR); the last one as a prefix when asked. */
export function textQuerySql(words: readonly string[], lastIsPrefix: boolean, anyWord = false): Prisma.Sql {
  const parts = words.map((word, i) => wordQuerySql(word, lastIsPrefix && i === words.length - 1));
  return Prisma.sql`(${Prisma.join(parts, anyWord ? ' || ' : ' && ')})`;
}

/**
 * Filters grouped by kind, as SQL on the alias `p`: alternatives of one kind OR together, and
 * the kinds AND (the same semantics and validation as productFilterWhere, which runs first
 * so both paths refuse the same input). A price filter matches when any variant is in range.
 */
export function productFilterGroups(filters: readonly ProductFilter[] | null | undefined, currencyCode = 'USD'): Map<string, Prisma.Sql> {
  productFilterWhere(filters, currencyCode); // validates; throws ListingInputError
  const alternatives = new Map<string, Prisma.Sql[]>();
  const add = (kind: string, sql: Prisma.Sql) => alternatives.set(kind, [...(alternatives.get(kind) ?? []), sql]);
  for (const filter of filters ?? []) {
    if (filter.available !== null && filter.available !== undefined)
      add('available', Prisma.sql`p."availableForSale" = ${filter.available}`);
    if (filter.productType) add('productType', Prisma.sql`p."productType" = ${filter.productType}`);
    if (filter.productVendor) add('productVendor', Prisma.sql`p.vendor = ${filter.productVendor}`);
    if (filter.tag) add('tag', Prisma.sql`p.tags @> ARRAY[${filter.tag}]::text[]`);
    if (filter.variantOption) {
      const option = JSON.stringify([{ name: filter.variantOption.name, value: filter.variantOption.value }]);
      add(
        `variantOption:${filter.variantOption.name}`,
        Prisma.sql`EXISTS (SELECT 1 FROM "ProductVariant" AS v WHERE v."productId" = p.id AND v."selectedOptions" @> ${option}::jsonb)`,
      );
    }
    if (filter.price) {
      const min = filter.price.min == null ? null : parseAmount(filter.price.min, currencyCode);
      const max = filter.price.max == null ? null : parseAmount(filter.price.max, currencyCode);
      add(
        'price',
        Prisma.sql`EXISTS (SELECT 1 FROM "ProductVariant" AS v WHERE v."productId" = p.id
          AND (${min}::int IS NULL OR v.price >= ${min}::int) AND (${max}::int IS NULL OR v.price <= ${max}::int))`,
      );
    }
  }
  return new Map([...alternatives].map(([kind, list]) => [kind, Prisma.sql`(${Prisma.join(list, ' OR ')})`]));
}

/** AND of the given groups, or TRUE. */
export function allOf(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.sql`(${Prisma.join(conditions, ' AND ')})`;
}
