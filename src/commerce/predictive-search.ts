// As-you-type search: the top products and collections for a partial query, and query
// suggestions completing the last word from the catalog's lexicon ("lin" -> "linen"). One
// statement finds all three; only what the response shows is loaded after it.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { SearchLimits } from '../config.js';
import { publishedCollectionWhere } from './catalog.js';
import { parseSearchQuery } from './search-query.js';
import { publishedProductSql, textQuerySql } from './search-sql.js';

export type PredictiveSearchType = 'PRODUCT' | 'COLLECTION' | 'QUERY';

export interface PredictiveSearchResult {
  productIds: number[];
  collectionIds: number[];
  /** Suggested complete queries, most used words first. */
  queries: { text: string; styledText: string }[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function predictiveSearch(
  prisma: PrismaClient,
  input: { query: string; limit?: number | null; types?: readonly PredictiveSearchType[] | null; now: Date },
  limits: SearchLimits,
): Promise<PredictiveSearchResult> {
  const { words } = parseSearchQuery(input.query, limits);
  const limit = Math.min(Math.max(input.limit ?? limits.maxPredictiveResults, 1), limits.maxPredictiveResults);
  const types = new Set(input.types?.length ? input.types : ['PRODUCT', 'COLLECTION', 'QUERY']);
  // Always a prefix: the shopper is still typing.
  const query = textQuerySql(words, true);
  const last = words.at(-1)!;
  const before = words.slice(0, -1);
  const verified = before.length
    ? Prisma.sql`${textQuerySql(before, false)} && plainto_tsquery('english'::regconfig, s.word)`
    : Prisma.sql`plainto_tsquery('english'::regconfig, s.word)`;
  const parts: Prisma.Sql[] = [];
  if (types.has('PRODUCT')) {
    parts.push(Prisma.sql`(SELECT 'product' AS kind, p.id::text AS value, ts_rank(p."searchDocument", ${query})::float8 AS score
      FROM "Product" AS p WHERE ${publishedProductSql(input.now)} AND p."searchDocument" @@ ${query}
      ORDER BY score DESC, p.id LIMIT ${limit})`);
  }
  if (types.has('COLLECTION')) {
    const visible = publishedCollectionWhere(input.now);
    parts.push(Prisma.sql`(SELECT 'collection' AS kind, c.id::text AS value, ts_rank(d.doc, ${query})::float8 AS score
      FROM "Collection" AS c
      CROSS JOIN LATERAL (SELECT to_tsvector('english'::regconfig, vitrine_unaccent(c.title)) AS doc) AS d
      WHERE c."publishedAt" <= ${visible.publishedAt.lte} AND d.doc @@ ${query}
      ORDER BY score DESC, c.id LIMIT ${limit})`);
  }
  if (types.has('QUERY')) {
    // Completions of the last word that, with the words before it, find a published product.
    parts.push(Prisma.sql`(SELECT 'query' AS kind, s.word AS value, s.products::float8 AS score
      FROM "SearchWord" AS s
      WHERE s.word LIKE ${last.replace(/[\\%_]/g, '\\$&') + '%'} AND s.word ~ '^[[:alnum:]]+$'
        AND EXISTS (SELECT 1 FROM "Product" AS p WHERE ${publishedProductSql(input.now)} AND p."searchDocument" @@ (${verified}))
      ORDER BY s.products DESC, s.word LIMIT ${limit})`);
  }
  const rows = parts.length
    ? await prisma.$queryRaw<{ kind: string; value: string }[]>(Prisma.sql`${Prisma.join(parts, ' UNION ALL ')}`)
    : [];
  const prefix = before.join(' ');
  return {
    productIds: rows.filter((r) => r.kind === 'product').map((r) => Number(r.value)),
    collectionIds: rows.filter((r) => r.kind === 'collection').map((r) => Number(r.value)),
    queries: rows
      .filter((r) => r.kind === 'query')
      .map((r) => {
        const text = prefix ? `${prefix} ${r.value}` : r.value;
        const typed = (prefix ? `${prefix} ` : '') + last;
        return { text, styledText: `${escapeHtml(typed)}<mark>${escapeHtml(text.slice(typed.length))}</mark>` };
      }),
  };
}
