// The GraphQL documents and request bodies of the benchmark scenarios.
import type pg from 'pg';

/** The product card of a listing page: issue 2's batching query, verbatim. */
const PRODUCT_CARD = `
        id handle title
        featuredImage { url }
        priceRange { minVariantPrice { amount currencyCode } }
        variants(first: 10) { nodes { id title availableForSale price { amount } selectedOptions { name value } } }
        collections(first: 3) { nodes { handle } }`;

export const LISTING_QUERY = `query Listing($first: Int!) {
  products(first: $first) {
    nodes {${PRODUCT_CARD}
    }
  }
}`;

/** What a storefront's product page asks for. */
export const PRODUCT_PAGE_QUERY = `query ProductPage($handle: String!) {
  product(handle: $handle) {
    id handle title vendor productType tags availableForSale
    description
    descriptionHtml
    options { name optionValues { name } }
    priceRange { minVariantPrice { amount currencyCode } maxVariantPrice { amount currencyCode } }
    compareAtPriceRange { minVariantPrice { amount currencyCode } maxVariantPrice { amount currencyCode } }
    featuredImage { url altText width height }
    images(first: 10) { nodes { url altText width height } }
    variants(first: 100) {
      nodes {
        id title sku availableForSale quantityAvailable
        price { amount currencyCode }
        compareAtPrice { amount currencyCode }
        selectedOptions { name value }
        image { url altText width height }
      }
    }
    collections(first: 5) { nodes { handle title } }
    seo { title description }
  }
}`;

export const COLLECTION_PAGE_QUERY = `query CollectionPage($handle: String!) {
  collection(handle: $handle) {
    title
    products(first: 24) {
      nodes {${PRODUCT_CARD}
      }
    }
  }
}`;

export const NODES_QUERY = `query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    id
    ... on Product { handle title priceRange { minVariantPrice { amount currencyCode } } }
    ... on ProductVariant { title availableForSale price { amount currencyCode } }
    ... on Collection { handle title }
  }
}`;

/** A storefront's search page: the listing's card for 24 results of a common word. */
export const SEARCH_QUERY = `query Search($q: String!) {
  search(query: $q, first: 24) {
    totalCount
    nodes {${PRODUCT_CARD}
    }
  }
}`;

export function globalId(type: 'Product' | 'ProductVariant' | 'Collection', id: number): string {
  return `gid://vitrine/${type}/${id}`;
}

export type ScenarioName = 'listing' | 'ceiling' | 'product' | 'collection' | 'nodes' | 'search';

export interface Scenario {
  name: ScenarioName;
  label: string;
  /** Which server answers it. */
  target: 'vitrine' | 'ceiling';
  /** Request bodies, sent in rotation. */
  bodies: string[];
  /** Checks one parsed response: returns a problem, or null when it is a real answer. */
  check(body: unknown): string | null;
}

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

function gqlProblem(body: unknown, field: string, minItems = 0): string | null {
  const b = body as GqlBody;
  if (b.errors?.length) return `GraphQL errors: ${JSON.stringify(b.errors).slice(0, 300)}`;
  const value = b.data?.[field];
  if (value === null || value === undefined) return `data.${field} is ${String(value)}`;
  if (minItems > 0) {
    const nodes =
      (value as { nodes?: unknown[] }).nodes ??
      (value as { products?: { nodes?: unknown[] } }).products?.nodes ??
      (Array.isArray(value) ? value : undefined);
    if (!nodes || nodes.length < minItems) return `data.${field} has ${nodes?.length ?? 0} items, expected at least ${minItems}`;
    if (field === 'nodes' && nodes.some((n) => n === null)) return 'nodes answered null for a published ID';
  }
  return null;
}

export interface CatalogSample {
  productHandles: string[];
  collectionHandles: string[];
  idSets: string[][];
  /** Common words of the catalog's search lexicon, each in at least 24 visible products' texts. */
  searchTerms: string[];
  counts: { products: number; visibleProducts: number; variants: number; collections: number; visibleCollections: number };
}

/** Picks published handles and IDs to rotate through, spread over the catalog, deterministically. */
export async function sampleCatalog(
  client: pg.Client | pg.Pool,
  options: { handles?: number; idSets?: number } = {},
): Promise<CatalogSample> {
  const handles = options.handles ?? 16;
  const visible = `p.status = 'ACTIVE' AND p."publishedAt" <= now()`;
  const products = await client.query<{ id: number; handle: string }>(
    `SELECT p.id, p.handle FROM "Product" p WHERE ${visible} ORDER BY p.id`,
  );
  const variants = await client.query<{ id: number }>(
    `SELECT v.id FROM "ProductVariant" v JOIN "Product" p ON p.id = v."productId" WHERE ${visible} ORDER BY v.id`,
  );
  // Collections with a full page of visible products first: a collection page of 24.
  const collections = await client.query<{ id: number; handle: string; visible_products: number }>(`
    SELECT c.id, c.handle, count(p.id)::int AS visible_products
    FROM "Collection" c
    LEFT JOIN "CollectionProduct" cp ON cp."collectionId" = c.id
    LEFT JOIN "Product" p ON p.id = cp."productId" AND ${visible}
    WHERE c."publishedAt" <= now()
    GROUP BY c.id ORDER BY count(p.id) >= 24 DESC, c.id`);
  const totals = await client.query<{ products: number; variants: number; collections: number }>(
    `SELECT (SELECT count(*) FROM "Product")::int AS products, (SELECT count(*) FROM "ProductVariant")::int AS variants, (SELECT count(*) FROM "Collection")::int AS collections`,
  );
  const spread = <T>(rows: T[], n: number): T[] => {
    if (rows.length <= n) return rows;
    return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]!);
  };
  const full = collections.rows.filter((c) => c.visible_products >= 24);
  const collectionRows = spread(full.length >= 4 ? full : collections.rows, handles);

  // 50 IDs of mixed types per request: 20 products, 20 variants, 10 collections, interleaved.
  const sets: string[][] = [];
  const setCount = options.idSets ?? 8;
  for (let s = 0; s < setCount; s++) {
    const pick = <T>(rows: T[], n: number, salt: number): T[] =>
      Array.from({ length: Math.min(n, rows.length) }, (_, i) => rows[(s * 7919 + i * 131 + salt) % rows.length]!);
    const p = pick(products.rows, 20, 0).map((r) => globalId('Product', r.id));
    const v = pick(variants.rows, 20, 17).map((r) => globalId('ProductVariant', r.id));
    const c = pick(collections.rows, 10, 3).map((r) => globalId('Collection', r.id));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(p[i]!, v[i]!);
      if (i % 2 === 1) ids.push(c[(i - 1) / 2]!);
    }
    sets.push(ids.filter(Boolean));
  }
  // The lexicon counts products by word; the most common words give full pages of 24.
  const words = await client.query<{ word: string }>(
    `SELECT word FROM "SearchWord" WHERE word ~ '^[a-z]{4,}$' AND products >= 24 ORDER BY products DESC, word LIMIT 8`,
  );
  const t = totals.rows[0]!;
  return {
    productHandles: spread(products.rows, handles).map((r) => r.handle),
    collectionHandles: collectionRows.map((r) => r.handle),
    idSets: sets,
    searchTerms: words.rows.map((r) => r.word),
    counts: {
      products: t.products,
      visibleProducts: products.rows.length,
      variants: t.variants,
      collections: t.collections,
      visibleCollections: collections.rows.length,
    },
  };
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

export function buildScenarios(sample: CatalogSample, listingFirst = 24): Scenario[] {
  const listingBody = body(LISTING_QUERY, { first: listingFirst });
  return [
    {
      name: 'listing',
      label: `listing: products(first: ${listingFirst})`,
      target: 'vitrine',
      bodies: [listingBody],
      check: (b) => gqlProblem(b, 'products', Math.min(listingFirst, sample.counts.visibleProducts)),
    },
    {
      name: 'ceiling',
      label: 'listing CEILING: one SQL query, pg + node:http',
      target: 'ceiling',
      bodies: [listingBody],
      check: (b) => gqlProblem(b, 'products', Math.min(listingFirst, sample.counts.visibleProducts)),
    },
    {
      name: 'product',
      label: `product page by handle (${sample.productHandles.length} handles)`,
      target: 'vitrine',
      bodies: sample.productHandles.map((handle) => body(PRODUCT_PAGE_QUERY, { handle })),
      check: (b) => gqlProblem(b, 'product'),
    },
    {
      name: 'collection',
      label: `collection page of 24 (${sample.collectionHandles.length} handles)`,
      target: 'vitrine',
      bodies: sample.collectionHandles.map((handle) => body(COLLECTION_PAGE_QUERY, { handle })),
      check: (b) => gqlProblem(b, 'collection', 1),
    },
    {
      name: 'nodes',
      label: `nodes: 50 mixed IDs (${sample.idSets.length} sets)`,
      target: 'vitrine',
      bodies: sample.idSets.map((ids) => body(NODES_QUERY, { ids })),
      check: (b) => gqlProblem(b, 'nodes', 50),
    },
    {
      name: 'search',
      label: `search page of 24 (${sample.searchTerms.length} common words)`,
      target: 'vitrine',
      bodies: sample.searchTerms.map((q) => body(SEARCH_QUERY, { q })),
      check: (b) => gqlProblem(b, 'search', 24),
    },
  ];
}
