import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';
import { LISTING_QUERY } from './helpers/queries.js';
import { encodeGlobalId as encodeGlobalID } from '../src/graphql/ids.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 80 });
});
afterAll(() => t?.close());

async function allPublished() {
  return t.db.prisma.product.findMany({
    where: { status: 'ACTIVE', publishedAt: { lte: new Date() } },
    orderBy: { id: 'asc' },
    include: { variants: true },
  });
}

describe('storefront token', () => {
  it('refuses a request without a token, with 401 and nothing executed', async () => {
    const { result, sql } = await t.statements(() =>
      t.gql('{ products(first: 1) { nodes { id } } }', {}, { 'x-storefront-access-token': '' }),
    );
    expect(result.status).toBe(401);
    expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(result.body.data).toBeUndefined();
    expect(sql).toEqual([]);
  });

  it('refuses unknown and malformed tokens', async () => {
    for (const token of ['vst_' + 'x'.repeat(43), 'nope', 'vst_'.padEnd(60, 'a')]) {
      const res = await t.gql('{ products(first: 1) { nodes { id } } }', {}, { 'x-storefront-access-token': token });
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('catalog', () => {
  it('lists only published products, in id order by default', async () => {
    const published = await allPublished();
    const res = await t.gql('{ products(first: 250) { nodes { id handle } pageInfo { hasNextPage } } }');
    expect(res.status).toBe(200);
    expect(res.body.data.products.nodes.map((p: { handle: string }) => p.handle)).toEqual(published.map((p) => p.handle));
    expect(res.body.data.products.pageInfo.hasNextPage).toBe(false);
    const hidden = await t.db.prisma.product.count({ where: { NOT: { id: { in: published.map((p) => p.id) } } } });
    expect(hidden).toBeGreaterThan(0); // the seed exercises the visibility rule
  });

  it('pages forward and backward with cursors under every sort key', async () => {
    for (const sortKey of ['TITLE', 'PRICE', 'CREATED_AT', 'ID']) {
      for (const reverse of [false, true]) {
        const full = await t.gql(
          `query($s: ProductSortKeys, $r: Boolean) { products(first: 250, sortKey: $s, reverse: $r) { nodes { id } } }`,
          { s: sortKey, r: reverse },
        );
        const expected = full.body.data.products.nodes.map((n: { id: string }) => n.id);
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page: Awaited<ReturnType<TestApp['gql']>> = await t.gql(
            `query($s: ProductSortKeys, $r: Boolean, $a: String) { products(first: 7, after: $a, sortKey: $s, reverse: $r) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
            { s: sortKey, r: reverse, a: after },
          );
          seen.push(...page.body.data.products.nodes.map((n: { id: string }) => n.id));
          if (!page.body.data.products.pageInfo.hasNextPage) break;
          after = page.body.data.products.pageInfo.endCursor;
        }
        expect(seen).toEqual(expected);
        const last = await t.gql(
          `query($s: ProductSortKeys, $r: Boolean) { products(last: 5, sortKey: $s, reverse: $r) { nodes { id } pageInfo { hasPreviousPage } } }`,
          { s: sortKey, r: reverse },
        );
        expect(last.body.data.products.nodes.map((n: { id: string }) => n.id)).toEqual(expected.slice(-5));
        expect(last.body.data.products.pageInfo.hasPreviousPage).toBe(true);
      }
    }
  });

  it('sorts by lowest variant price', async () => {
    const res = await t.gql('{ products(first: 250, sortKey: PRICE) { nodes { priceRange { minVariantPrice { amount } } } } }');
    const prices = res.body.data.products.nodes.map((n: { priceRange: { minVariantPrice: { amount: string } } }) =>
      Number(n.priceRange.minVariantPrice.amount),
    );
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(typeof res.body.data.products.nodes[0].priceRange.minVariantPrice.amount).toBe('string');
  });

  it('filters by availability, price, vendor, type and tag', async () => {
    const published = await allPublished();
    const q = `query($f: [ProductFilter!]) { products(first: 250, filters: $f) { nodes { handle } } }`;
    const handles = async (f: unknown) => (await t.gql(q, { f })).body.data.products.nodes.map((n: { handle: string }) => n.handle).sort();
    const expectHandles = (pred: (p: (typeof published)[number]) => boolean) =>
      published
        .filter(pred)
        .map((p) => p.handle)
        .sort();

    expect(await handles([{ available: false }])).toEqual(expectHandles((p) => !p.availableForSale));
    expect(await handles([{ available: false }])).not.toEqual([]);
    expect(await handles([{ price: { min: '20', max: '50.00' } }])).toEqual(
      expectHandles((p) => p.variants.some((v) => v.price >= 2000 && v.price <= 5000)),
    );
    const vendor = published[0]!.vendor;
    const type = published[1]!.productType;
    const tag = published[2]!.tags[0]!;
    expect(await handles([{ productVendor: vendor }])).toEqual(expectHandles((p) => p.vendor === vendor));
    expect(await handles([{ productType: type }, { productVendor: vendor }])).toEqual(
      expectHandles((p) => p.productType === type && p.vendor === vendor),
    );
    expect(await handles([{ tag }])).toEqual(expectHandles((p) => p.tags.includes(tag)));
  });

  it('answers a bad filter with a coded error, not a crash', async () => {
    const res = await t.gql(`{ products(first: 5, filters: [{ price: { min: "9", max: "1" } }]) { nodes { id } } }`);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/price/);
  });

  it('finds a product by handle or id, and hides unpublished ones everywhere', async () => {
    const [visible] = await allPublished();
    const hidden = await t.db.prisma.product.findFirstOrThrow({
      where: { OR: [{ status: { not: 'ACTIVE' } }, { publishedAt: { gt: new Date() } }, { publishedAt: null }] },
      include: { variants: true },
    });
    const hid = encodeGlobalID('Product', hidden.id);
    const vid = encodeGlobalID('ProductVariant', hidden.variants[0]!.id);
    const res = await t.gql(
      `query($h: String!, $hh: String!, $hid: ID!, $vid: ID!) {
        a: product(handle: $h) { handle }
        b: product(handle: $hh) { handle }
        c: product(id: $hid) { handle }
        d: node(id: $hid) { id }
        e: node(id: $vid) { id }
        f: nodes(ids: [$hid, $vid]) { id }
      }`,
      { h: visible!.handle, hh: hidden.handle, hid, vid },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ a: { handle: visible!.handle }, b: null, c: null, d: null, e: null, f: [null, null] });
  });

  it('serves a full product page', async () => {
    const product = await t.db.prisma.product.findFirstOrThrow({
      where: { status: 'ACTIVE', publishedAt: { lte: new Date() }, variants: { some: { compareAtPrice: { not: null } } } },
      include: { variants: { orderBy: { position: 'asc' } }, options: true },
    });
    const target = product.variants[product.variants.length - 1]!;
    const res = await t.gql(
      `query($h: String!, $o: [SelectedOptionInput!]!) { product(handle: $h) {
        id title description descriptionHtml vendor productType tags availableForSale createdAt updatedAt
        seo { title description }
        options { name optionValues { name } }
        priceRange { minVariantPrice { amount currencyCode } maxVariantPrice { amount } }
        compareAtPriceRange { maxVariantPrice { amount } }
        featuredImage { url altText width height }
        images(first: 10) { nodes { url } }
        variants(first: 100) { nodes { id sku title quantityAvailable availableForSale price { amount } compareAtPrice { amount } selectedOptions { name value } image { url } product { handle } } }
        variantBySelectedOptions(selectedOptions: $o) { id sku }
        collections(first: 10) { nodes { handle } }
      } }`,
      { h: product.handle, o: target.selectedOptions },
    );
    expect(res.body.errors).toBeUndefined();
    const p = res.body.data.product;
    expect(p.variants.nodes).toHaveLength(product.variants.length);
    expect(p.variantBySelectedOptions.sku).toBe(target.sku);
    expect(p.featuredImage.url.startsWith(TEST_URL + '/images/')).toBe(true);
    expect(p.options.map((o: { name: string }) => o.name)).toEqual(
      product.options.sort((a, b) => a.position - b.position).map((o) => o.name),
    );
    expect(Number(p.compareAtPriceRange.maxVariantPrice.amount)).toBeGreaterThan(0);
  });

  it('lists collections and a collection page in the merchant order', async () => {
    const collection = await t.db.prisma.collection.findFirstOrThrow({
      where: { publishedAt: { lte: new Date() }, products: { some: {} } },
      include: { products: { orderBy: { position: 'asc' }, include: { product: true } } },
    });
    const expected = collection.products
      .filter((m) => m.product.status === 'ACTIVE' && m.product.publishedAt && m.product.publishedAt <= new Date())
      .map((m) => m.product.handle);
    const res = await t.gql(
      `query($h: String!) { collection(handle: $h) { title products(first: 250) { nodes { handle } } } collections(first: 250) { nodes { handle } } }`,
      { h: collection.handle },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.collection.products.nodes.map((n: { handle: string }) => n.handle)).toEqual(expected);
    const byPrice = await t.gql(
      `query($h: String!) { collection(handle: $h) { products(first: 250, sortKey: PRICE, reverse: true, filters: [{ available: true }]) { nodes { availableForSale priceRange { minVariantPrice { amount } } } } } }`,
      { h: collection.handle },
    );
    const nodes = byPrice.body.data.collection.products.nodes as {
      availableForSale: boolean;
      priceRange: { minVariantPrice: { amount: string } };
    }[];
    expect(nodes.every((n) => n.availableForSale)).toBe(true);
    const prices = nodes.map((n) => Number(n.priceRange.minVariantPrice.amount));
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
  });
});

/** The storefront-token lookup is cached for 5 s; on a slow machine the cache may lapse mid-test. */
const catalogOnly = (sql: string[]) => sql.filter((statement) => !statement.includes('"StorefrontToken"'));

describe('connections', () => {
  it('answers pageInfo alone, and edges and nodes together', async () => {
    const handle = (await t.db.prisma.collection.findFirstOrThrow({ where: { publishedAt: { lte: new Date() }, products: { some: {} } } }))
      .handle;
    const res = await t.gql(
      `query($h: String!) { collection(handle: $h) {
        a: products(first: 2) { pageInfo { hasNextPage endCursor } }
        b: products(first: 2) { edges { cursor node { handle } } nodes { title } }
      } product(handle: "${(await allPublished())[0]!.handle}") { collections(first: 2) { pageInfo { hasNextPage } } } }`,
      { h: handle },
    );
    expect(res.body.errors).toBeUndefined();
    const { a, b } = res.body.data.collection;
    expect(typeof a.pageInfo.hasNextPage).toBe('boolean');
    expect(b.edges.map((e: { node: { handle: string } }) => e.node.handle)).toHaveLength(b.nodes.length);
    expect(b.nodes.every((n: { title: string }) => typeof n.title === 'string')).toBe(true);
    expect(typeof res.body.data.product.collections.pageInfo.hasNextPage).toBe('boolean');
  });
});

describe('batching', () => {
  it('runs the listing in the same few statements for 24 and 100 products', async () => {
    await t.gql(LISTING_QUERY, { first: 1 }); // warm the storefront-token cache
    const small = await t.statements(() => t.gql(LISTING_QUERY, { first: 24 }));
    const large = await t.statements(() => t.gql(LISTING_QUERY, { first: 100 }));
    expect(small.result.body.errors).toBeUndefined();
    expect(large.result.body.errors).toBeUndefined();
    expect(small.result.body.data.products.nodes).toHaveLength(24);
    expect(catalogOnly(small.sql).length).toBeLessThanOrEqual(6);
    expect(catalogOnly(large.sql).length).toBe(catalogOnly(small.sql).length);
  });

  it('loads 50 mixed nodes with one statement per type', async () => {
    const published = await allPublished();
    const collections = await t.db.prisma.collection.findMany({ take: 10 });
    const ids = [
      ...published.slice(0, 20).map((p) => encodeGlobalID('Product', p.id)),
      ...published.slice(0, 20).map((p) => encodeGlobalID('ProductVariant', p.variants[0]!.id)),
      ...collections.map((c) => encodeGlobalID('Collection', c.id)),
    ];
    expect(ids).toHaveLength(50);
    const { result, sql } = await t.statements(() =>
      t.gql(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { handle } ... on ProductVariant { sku } ... on Collection { title } } }`,
        { ids },
      ),
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.nodes.filter(Boolean)).toHaveLength(
      50 - collections.filter((c) => !c.publishedAt || c.publishedAt > new Date()).length,
    );
    expect(catalogOnly(sql).length).toBeLessThanOrEqual(3);
  });
});

describe('protections', () => {
  it('caps first/last at 250 with a user-facing error and a 400', async () => {
    const res = await t.gql('{ products(first: 251) { nodes { id } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/250/);
  });

  it('rejects expensive, deep and alias-heavy documents with 400 and a code', async () => {
    const costly = await t.gql('{ products(first: 250) { nodes { variants(first: 250) { nodes { price { amount } } } } } }');
    expect(costly.status).toBe(400);
    expect(costly.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const deep = await t.gql(
      '{ products(first: 1) { nodes { collections(first: 1) { nodes { products(first: 1) { nodes { collections(first: 1) { nodes { products(first: 1) { nodes { collections(first: 1) { nodes { handle } } } } } } } } } } } } }',
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    const aliases = await t.gql(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: products(first: 1) { nodes { id } }`).join(' ')} }`);
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors[0].extensions.code).toBe('TOO_MANY_ALIASES');
  });

  it('measures the same document again for other variables: a pass is remembered per variables, never per document', async () => {
    const doc = 'query Pages($n: Int!) { products(first: $n) { nodes { variants(first: $n) { nodes { price { amount } } } } } }';
    for (let i = 0; i < 3; i++) {
      const cheap = await t.gql(doc, { n: 2 });
      expect(cheap.status).toBe(200);
      expect(cheap.body.errors).toBeUndefined();
      const costly = await t.gql(doc, { n: 250 });
      expect(costly.status).toBe(400);
      expect(costly.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    }
  });

  it('rejects a cheap document that repeats fragments into too many fields, with 400 and a code', async () => {
    // 10 scalars, spread 10 times, spread 11 times: 1,100 field selections at almost no cost.
    const spreads = (name: string, n: number) => Array.from({ length: n }, () => `...${name}`).join(' ');
    const doc = `{ products(first: 1) { nodes { ...F3 } } }
      fragment F1 on Product { id handle title vendor productType description descriptionHtml createdAt updatedAt availableForSale }
      fragment F2 on Product { ${spreads('F1', 10)} }
      fragment F3 on Product { ${spreads('F2', 11)} }`;
    const broad = await t.gql(doc);
    expect(broad.status).toBe(400);
    expect(broad.body.errors[0].extensions.code).toBe('QUERY_TOO_BROAD');
    expect(broad.body.data).toBeUndefined();
    const narrower = await t.gql(doc.replace(spreads('F2', 11), spreads('F2', 9)));
    expect(narrower.status).toBe(200);
    expect(narrower.body.errors).toBeUndefined();
  });

  it('answers parse, validation and variable errors (no data) with 400 even for application/json', async () => {
    for (const [query, variables] of [
      ['{ products(first: 1) { nodes { nope } } }', {}],
      ['{ products(first: 1) ', {}],
      ['query($n: Int!) { products(first: $n) { nodes { id } } }', { n: 'many' }],
    ] as const) {
      const res = await t.gql(query, variables);
      expect(res.status, query).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors[0].extensions.code).toMatch(/^(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/);
    }
  });

  it('refuses non-JSON POST bodies (CSRF) and mutations over GET', async () => {
    const form = await t.app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-storefront-access-token': t.token },
        body: 'query=%7B__typename%7D',
      }),
    );
    expect(form.status).toBe(415);
    const get = await t.app.fetch(
      new Request(`${TEST_URL}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
        headers: { 'x-storefront-access-token': t.token, accept: 'application/json' },
      }),
    );
    expect(get.status).toBe(405);
  });

  it('answers GET queries and honours application/graphql-response+json', async () => {
    const res = await t.app.fetch(
      new Request(`${TEST_URL}/graphql?query=${encodeURIComponent('{ products(first: 1) { nodes { id } } }')}`, {
        headers: { 'x-storefront-access-token': t.token, accept: 'application/graphql-response+json' },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/graphql-response\+json/);
  });

  it('serves GraphiQL to a browser without any external asset', async () => {
    const res = await t.app.fetch(new Request(`${TEST_URL}/graphql`, { headers: { accept: 'text/html' } }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('graphiql');
    expect(html).not.toMatch(/https?:\/\/(?!vitrine\.test)/);
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    for (const asset of assets) {
      const r = await t.app.fetch(new Request(TEST_URL + asset));
      expect(r.status, asset).toBe(200);
    }
  });
});

describe('CORS', () => {
  it('lets storefronts on other origins read answers, errors included', async () => {
    const origin = { origin: 'https://shop.example' };
    const ok = await t.gql('{ __typename }', {}, origin);
    expect(ok.headers.get('access-control-allow-origin')).toMatch(/^\*|https:\/\/shop\.example$/);
    const denied = await t.gql('{ __typename }', {}, { ...origin, 'x-storefront-access-token': '' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await t.app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'OPTIONS',
        headers: {
          ...origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-storefront-access-token, authorization',
        },
      }),
    );
    expect(preflight.status).toBeLessThan(300);
    expect((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('x-storefront-access-token');
  });
});
