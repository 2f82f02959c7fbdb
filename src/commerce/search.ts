// Storefront product search: relevance-ranked full text (title over tags, vendor and type
// over description), English stemming, prefix matching on the last word, accents ignored,
// misspelled words corrected against the catalog's lexicon, and keyset pagination over
// the ranked list. Only published products (src/commerce/catalog.ts) are ever returned.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { readRows } from '../db/reads.js';
import type { SearchLimits } from '../config.js';
import { ListingInputError, type ProductFilter } from './product-listing.js';
import { chooseCorrection, parseSearchQuery, type Candidate } from './search-query.js';
import { allOf, productFilterGroups, publishedProductSql, textQuerySql, wordQuerySql } from './search-sql.js';

export type SearchSortKey = 'RELEVANCE' | 'PRICE';

/** A parsed, corrected search: what every statement of one request (page, count, facets) matches. */
export interface SearchPlan {
  /** The words searched for, after spelling correction. */
  words: string[];
  lastIsPrefix: boolean;
  /** Words replaced by a catalog word: [typed, searched]. */
  corrections: [string, string][];
  filters: readonly ProductFilter[];
  /** False: every word must match. True: any word may (used when no product has them all). */
  anyWord: boolean;
  now: Date;
}

/**
 * Parses the query and corrects misspelled words in one statement: a word that matches no
 * product is replaced by the closest catalog word (trigram neighbours from the lexicon,
 * then the fewest edits), so "sewater" searches for "sweater". Stop words ("the") are
 * left alone.
 */
export async function planSearch(
  prisma: PrismaClient,
  input: { query: string; filters?: readonly ProductFilter[] | null; now: Date },
  limits: SearchLimits,
): Promise<SearchPlan> {
  const { words, lastIsPrefix } = parseSearchQuery(input.query, limits);
  const filters = input.filters ?? [];
  productFilterGroups(filters); // refuse bad filters before any statement runs
  const checks = words.map((word, i) => {
    const prefix = lastIsPrefix && i === words.length - 1;
    return Prisma.sql`SELECT ${i}::int AS i, k.known, c.candidates
      FROM (SELECT numnode(q.q) = 0 OR EXISTS (SELECT 1 FROM "Product" AS p WHERE p."searchDocument" @@ q.q) AS known
            FROM (SELECT ${wordQuerySql(word, prefix)} AS q) AS q) AS k
      LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object('word', s.word, 'products', s.products) ORDER BY s.d) AS candidates
        FROM (SELECT word, products, word <-> vitrine_unaccent(${word}::text) AS d FROM "SearchWord"
              ORDER BY word <-> vitrine_unaccent(${word}::text) LIMIT 8) AS s
      ) AS c ON NOT k.known`;
  });
  const rows = await readRows<{ i: number; known: boolean; candidates: Candidate[] | null }>(
    prisma,
    Prisma.sql`${Prisma.join(checks, ' UNION ALL ')}`,
  );
  const corrected = [...words];
  const corrections: [string, string][] = [];
  for (const row of rows) {
    if (row.known || !row.candidates) continue;
    const word = words[row.i]!;
    const correction = chooseCorrection(word, row.candidates, lastIsPrefix && row.i === words.length - 1);
    if (correction) {
      corrected[row.i] = correction;
      corrections.push([word, correction]);
    }
  }
  return { words: corrected, lastIsPrefix, corrections, filters, anyWord: false, now: input.now };
}

/** The products a plan matches (before filters): published and matching every word. */
export function searchMatchSql(plan: Pick<SearchPlan, 'words' | 'lastIsPrefix' | 'anyWord' | 'now'>): Prisma.Sql {
  return Prisma.sql`${publishedProductSql(plan.now)} AND p."searchDocument" @@ ${textQuerySql(plan.words, plan.lastIsPrefix, plan.anyWord)}`;
}

// ---------------------------------------------------------------------------
// Pages over the ranked list
// ---------------------------------------------------------------------------

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface SearchPage {
  edges: { cursor: string; id: number }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** How many products the plan matches with its filters, counted with the page; null when it read no row. */
  totalCount: number | null;
}

interface Position {
  key: number;
  id: number;
  /** The page came from the any-word fallback: later pages must stay on it. */
  anyWord: boolean;
}

const CURSOR_VERSION = 's1';

export function encodeSearchCursor(sortKey: SearchSortKey, position: Position): string {
  const tag = sortKey === 'RELEVANCE' ? 'R' : 'P';
  return Buffer.from(JSON.stringify([CURSOR_VERSION, tag, position.key, position.id, position.anyWord ? 1 : 0])).toString('base64url');
}

/** A cursor of this sort order, or a ListingInputError (never a crash) for anything else. */
export function decodeSearchCursor(sortKey: SearchSortKey, cursor: string, field: 'after' | 'before'): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const tag = sortKey === 'RELEVANCE' ? 'R' : 'P';
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 5 ||
    parsed[0] !== CURSOR_VERSION ||
    parsed[1] !== tag ||
    !Number.isSafeInteger(parsed[2]) ||
    !Number.isSafeInteger(parsed[3]) ||
    (parsed[4] !== 0 && parsed[4] !== 1)
  ) {
    throw new ListingInputError(`\`${field}\` is not a cursor of this search and sort order`, [field]);
  }
  return { key: parsed[2] as number, id: parsed[3] as number, anyWord: parsed[4] === 1 };
}

/** The products a plan matches with its filters: what the ranked page and the count read. */
function matchWithFiltersSql(plan: SearchPlan): Prisma.Sql {
  return Prisma.sql`${searchMatchSql(plan)} AND ${allOf([...productFilterGroups(plan.filters).values()])}`;
}

/**
 * One page of the ranked list. Order: relevance (a rank kept as an integer, so cursors
 * compare exactly) highest first, or lowest price first; id breaks ties; `reverse` flips
 * the whole order. Cursors are (sort value, id) keysets: no duplicates or gaps between pages.
 * When no product has every word, the first page falls back to products with any of them
 * (best first), and its cursors keep later pages there. Returns the plan the page used.
 */
export async function searchPage(
  prisma: PrismaClient,
  plan: SearchPlan,
  options: PageArgs & { sortKey: SearchSortKey; reverse: boolean; defaultPageSize: number; maxPageSize: number },
): Promise<{ plan: SearchPlan; page: SearchPage }> {
  const { sortKey } = options;
  if (options.first != null && options.last != null) throw new ListingInputError('Pass `first` or `last`, not both', ['first']);
  const backward = options.last != null;
  const size = (backward ? options.last : options.first) ?? options.defaultPageSize;
  if (!Number.isInteger(size) || size < 0 || size > options.maxPageSize) {
    throw new ListingInputError(`Page size must be between 0 and ${options.maxPageSize}`, [backward ? 'last' : 'first']);
  }
  const after = options.after ? decodeSearchCursor(sortKey, options.after, 'after') : null;
  const before = options.before ? decodeSearchCursor(sortKey, options.before, 'before') : null;
  const cursorMode = after?.anyWord ?? before?.anyWord;
  const run = (used: SearchPlan) => rankedRows(prisma, used, { sortKey, reverse: options.reverse, backward, size, after, before });

  let used: SearchPlan = cursorMode === undefined ? plan : { ...plan, anyWord: cursorMode };
  let rows = await run(used);
  if (cursorMode === undefined && rows.length === 0 && size > 0 && plan.words.length > 1) {
    used = { ...plan, anyWord: true };
    rows = await run(used);
  }
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backward) page.reverse();
  const edges = page.map((row) => ({ id: row.id, cursor: encodeSearchCursor(sortKey, { key: row.k, id: row.id, anyWord: used.anyWord }) }));
  return {
    plan: used,
    page: {
      edges,
      pageInfo: {
        hasNextPage: backward ? before !== null : more,
        hasPreviousPage: backward ? more : after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: rows[0]?.n ?? null,
    },
  };
}

/**
 * Up to size + 1 rows (id, sort value) beyond the cursors, in scan order. Each also carries the
 * number of products the plan matches, cursors aside: every match is ranked anyway, so counting
 * them here spares `totalCount` a statement of its own.
 */
async function rankedRows(
  prisma: PrismaClient,
  plan: SearchPlan,
  o: { sortKey: SearchSortKey; reverse: boolean; backward: boolean; size: number; after: Position | null; before: Position | null },
): Promise<{ id: number; k: number; n: number }[]> {
  if (o.size === 0) return [];
  // Forward order: key descending for relevance, ascending for price; id ascending. reverse flips both.
  const keyDesc = (o.sortKey === 'RELEVANCE') !== o.reverse;
  const idDesc = o.reverse;
  const beyond = (at: Position, forward: boolean) => {
    const keyOp = Prisma.raw(keyDesc === forward ? '<' : '>');
    const idOp = Prisma.raw(idDesc === forward ? '<' : '>');
    return Prisma.sql`(s.k ${keyOp} ${at.key} OR (s.k = ${at.key} AND s.id ${idOp} ${at.id}))`;
  };
  const window = allOf([...(o.after ? [beyond(o.after, true)] : []), ...(o.before ? [beyond(o.before, false)] : [])]);
  const scan = (desc: boolean) => Prisma.raw(desc !== o.backward ? 'DESC' : 'ASC');
  const key =
    o.sortKey === 'RELEVANCE'
      ? Prisma.sql`round(ts_rank(p."searchDocument", ${textQuerySql(plan.words, plan.lastIsPrefix, plan.anyWord)}) * 1000000)::int`
      : Prisma.sql`p."minPrice"`;
  return readRows<{ id: number; k: number; n: number }>(
    prisma,
    Prisma.sql`
    SELECT s.id, s.k, s.n FROM (
      SELECT p.id, ${key} AS k, (count(*) OVER ())::int AS n FROM "Product" AS p
      WHERE ${matchWithFiltersSql(plan)}
    ) AS s
    WHERE ${window}
    ORDER BY s.k ${scan(keyDesc)}, s.id ${scan(idDesc)}
    LIMIT ${o.size + 1}`,
  );
}

/** How many published products the plan matches with its filters (when the page did not count them). */
export async function searchCount(prisma: PrismaClient, plan: SearchPlan): Promise<number> {
  const [row] = await readRows<{ n: number }>(
    prisma,
    Prisma.sql`
    SELECT count(*)::int AS n FROM "Product" AS p
    WHERE ${matchWithFiltersSql(plan)}`,
  );
  return row?.n ?? 0;
}
