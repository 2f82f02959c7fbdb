// Facets for a product list (search results or a collection): each filterable property with
// the values present and how many products each would give, in Shopify's Filter shape, so a
// sidebar renders its links from one response. Counts are disjunctive, as shoppers expect: a
// facet's values are counted with every active filter except that facet's own, so picking
// another value of the same facet widens the list by the count shown. With none of its own
// filters active, a facet whose products have one value each (availability, type, vendor)
// sums to the list's total.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { formatAmount } from './money.js';
import type { ProductFilter } from './product-listing.js';
import { allOf, productFilterGroups, publishedProductSql } from './search-sql.js';

export type FilterType = 'LIST' | 'PRICE_RANGE' | 'BOOLEAN';

export interface FacetValue {
  id: string;
  label: string;
  count: number;
  /** The ProductFilter that selects this value, to send back as-is. */
  input: ProductFilter;
}

export interface Facet {
  id: string;
  label: string;
  type: FilterType;
  values: FacetValue[];
}

interface Row {
  facet: 'available' | 'productType' | 'productVendor' | 'tag' | 'variantOption' | 'price';
  name: string | null;
  value: string | null;
  n: number;
  lo: number | null;
  hi: number | null;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');

/**
 * Facets of the published products matching `match` (SQL on the alias `p`) and `filters`,
 * in one statement. LIST facets show at most `maxValues` values, the most frequent first.
 */
export async function productFacets(
  prisma: PrismaClient,
  input: { match: Prisma.Sql; filters: readonly ProductFilter[]; now: Date; currencyCode?: string; maxValues: number },
): Promise<Facet[]> {
  const currencyCode = input.currencyCode ?? 'USD';
  const groups = [...productFilterGroups(input.filters, currencyCode)];
  const flags = groups.map(([, sql], i) => Prisma.sql`${sql} AS ${Prisma.raw(`f${i}`)}`);
  const flag = (i: number) => Prisma.raw(`b.f${i}`);
  const except = (kind: string) => allOf(groups.flatMap(([k], i) => (k === kind ? [] : [flag(i)])));
  // Option facets leave out the filters on their own option name only.
  const exceptOption = allOf(
    groups.flatMap(([k], i) =>
      k.startsWith('variantOption:') ? [Prisma.sql`(o.name = ${k.slice('variantOption:'.length)} OR ${flag(i)})`] : [flag(i)],
    ),
  );
  const rows = await prisma.$queryRaw<Row[]>`
    WITH b AS MATERIALIZED (
      SELECT p.id, p."availableForSale" AS available, p."productType" AS product_type, p.vendor, p.tags,
             p."minPrice" AS lo, p."maxPrice" AS hi ${flags.length ? Prisma.sql`, ${Prisma.join(flags)}` : Prisma.empty}
      FROM "Product" AS p
      WHERE ${publishedProductSql(input.now)} AND ${input.match}
    )
    SELECT 'available' AS facet, NULL AS name, b.available::text AS value, count(*)::int AS n, NULL::int AS lo, NULL::int AS hi
      FROM b WHERE ${except('available')} GROUP BY b.available
    UNION ALL
    SELECT 'price', NULL, NULL, count(*)::int, min(b.lo), max(b.hi) FROM b WHERE ${except('price')}
    UNION ALL
    SELECT 'productType', NULL, b.product_type, count(*)::int, NULL, NULL
      FROM b WHERE b.product_type <> '' AND ${except('productType')} GROUP BY b.product_type
    UNION ALL
    SELECT 'productVendor', NULL, b.vendor, count(*)::int, NULL, NULL
      FROM b WHERE b.vendor <> '' AND ${except('productVendor')} GROUP BY b.vendor
    UNION ALL
    SELECT 'tag', NULL, t.tag, count(*)::int, NULL, NULL
      FROM b CROSS JOIN LATERAL unnest(b.tags) AS t(tag) WHERE ${except('tag')} GROUP BY t.tag
    UNION ALL
    SELECT 'variantOption', o.name, o.value, count(*)::int, NULL, NULL
      FROM b CROSS JOIN LATERAL (
        -- Per product (an index lookup each), its distinct option values.
        SELECT DISTINCT e.value->>'name' AS name, e.value->>'value' AS value
        FROM "ProductVariant" AS v
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(v."selectedOptions") = 'array' THEN v."selectedOptions" ELSE '[]'::jsonb END) AS e(value)
        WHERE v."productId" = b.id
      ) AS o
      WHERE ${exceptOption} AND o.name IS NOT NULL AND o.value IS NOT NULL
      GROUP BY o.name, o.value`;
  return toFacets(rows, currencyCode, input.maxValues);
}

function list(id: string, label: string, rows: Row[], input: (value: string) => ProductFilter, maxValues: number): Facet {
  const values = rows
    .filter((row) => row.value !== null && row.n > 0)
    .sort((a, b) => b.n - a.n || a.value!.localeCompare(b.value!))
    .slice(0, maxValues)
    .map((row) => ({ id: `${id}.${slug(row.value!)}`, label: row.value!, count: row.n, input: input(row.value!) }));
  return { id, label, type: 'LIST', values };
}

function toFacets(rows: Row[], currencyCode: string, maxValues: number): Facet[] {
  const of = (facet: Row['facet']) => rows.filter((row) => row.facet === facet);
  const facets: Facet[] = [];
  const availability = of('available');
  const count = (value: string) => availability.find((row) => row.value === value)?.n ?? 0;
  if (availability.length > 0) {
    facets.push({
      id: 'filter.v.availability',
      label: 'Availability',
      type: 'BOOLEAN',
      values: [
        { id: 'filter.v.availability.1', label: 'In stock', count: count('true'), input: { available: true } },
        { id: 'filter.v.availability.0', label: 'Out of stock', count: count('false'), input: { available: false } },
      ],
    });
  }
  const price = of('price')[0];
  if (price && price.n > 0 && price.lo !== null && price.hi !== null) {
    const range = { min: formatAmount(price.lo, currencyCode), max: formatAmount(price.hi, currencyCode) };
    facets.push({
      id: 'filter.v.price',
      label: 'Price',
      type: 'PRICE_RANGE',
      values: [{ id: 'filter.v.price', label: 'Price', count: price.n, input: { price: range } }],
    });
  }
  const lists: Facet[] = [
    list('filter.p.product_type', 'Product type', of('productType'), (productType) => ({ productType }), maxValues),
    list('filter.p.vendor', 'Vendor', of('productVendor'), (productVendor) => ({ productVendor }), maxValues),
    list('filter.p.tag', 'Tag', of('tag'), (tag) => ({ tag }), maxValues),
  ];
  const options = of('variantOption');
  const names = [...new Set(options.map((row) => row.name!))].sort((a, b) => a.localeCompare(b));
  for (const name of names) {
    lists.push(
      list(
        `filter.v.option.${slug(name)}`,
        name,
        options.filter((row) => row.name === name),
        (value) => ({ variantOption: { name, value } }),
        maxValues,
      ),
    );
  }
  return [...facets, ...lists.filter((facet) => facet.values.length > 0)];
}

/** SQL on the alias `p`: the product is in the collection. */
export function inCollectionSql(collectionId: number): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "CollectionProduct" AS cp WHERE cp."collectionId" = ${collectionId} AND cp."productId" = p.id)`;
}
