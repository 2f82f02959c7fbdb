// search: ranking, stemming, prefixes, accents, typos, visibility, the search document kept
// current by triggers, pagination over the ranked list, and hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createProducts } from './helpers/products.js';

let t: TestApp;

const SEARCH = /* GraphQL */ `
  query Search(
    $q: String!
    $first: Int
    $after: String
    $last: Int
    $before: String
    $sortKey: SearchSortKeys
    $reverse: Boolean
    $filters: [ProductFilter!]
  ) {
    search(
      query: $q
      first: $first
      after: $after
      last: $last
      before: $before
      sortKey: $sortKey
      reverse: $reverse
      productFilters: $filters
    ) {
      totalCount
      correctedQuery
      edges {
        cursor
        node {
          handle
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

async function search(q: string, variables: Record<string, unknown> = {}) {
  const res = await t.gql(SEARCH, { q, first: 50, ...variables });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  const s = res.body.data.search;
  return { ...s, handles: s.edges.map((e: { node: { handle: string } }) => e.node.handle) as string[] };
}

beforeAll(async () => {
  t = await createTestApp({ products: 0 });
  await createProducts(t.db.prisma, [
    { handle: 'linen-shirt', title: 'Linen Shirt', description: 'A breezy shirt for summer.', productType: 'Shirts', tags: ['summer'] },
    { handle: 'cotton-tee', title: 'Cotton Tee', description: 'Soft cotton, pairs well with linen trousers.', productType: 'Shirts' },
    { handle: 'linen-apron', title: 'Kitchen Apron', description: 'Stonewashed.', vendor: 'Linen House', productType: 'Kitchen' },
    { handle: 'merino-sweater', title: 'Merino Wool Sweater', description: 'Warm and light.', productType: 'Sweaters', tags: ['winter'] },
    { handle: 'creme-candle', title: 'Crème Brûlée Candle', description: 'Smells of caramel.', productType: 'Home' },
    { handle: 'cafe-mug', title: 'Cafe Mug', description: 'Stoneware.', productType: 'Home' },
    { handle: 'running-shoe', title: 'Trail Running Shoe', description: 'Grippy.', productType: 'Shoes' },
    { handle: 'draft-zephyr', title: 'Zephyr Jacket', status: 'DRAFT' },
    { handle: 'future-zephyr', title: 'Zephyr Vest', publishedAt: new Date('2999-01-01T00:00:00Z') },
    { handle: 'unpublished-zephyr', title: 'Zephyr Hat', publishedAt: null },
  ]);
}, 120_000);
afterAll(() => t?.close());

describe('search ranking and matching', () => {
  it('ranks a title match above a vendor match above a description match', async () => {
    const { handles, totalCount } = await search('linen');
    expect(handles).toEqual(['linen-shirt', 'linen-apron', 'cotton-tee']);
    expect(totalCount).toBe(3);
  });

  it('stems English words', async () => {
    expect((await search('shirts ')).handles).toContain('linen-shirt');
    expect((await search('running shoes')).handles).toEqual(['running-shoe']);
    expect((await search('run')).handles).toEqual(['running-shoe']);
  });

  it('matches the last word as a prefix', async () => {
    expect((await search('lin')).handles).toEqual(['linen-shirt', 'linen-apron', 'cotton-tee']);
    expect((await search('linen sh')).handles).toEqual(['linen-shirt', 'cotton-tee']); // the tee's type is Shirts
    expect((await search('merino swe')).handles).toEqual(['merino-sweater']);
  });

  it('ignores accents on either side', async () => {
    expect((await search('creme brulee')).handles).toEqual(['creme-candle']);
    expect((await search('CRÈME')).handles).toEqual(['creme-candle']);
    expect((await search('café')).handles).toEqual(['cafe-mug']);
  });

  it('finds a product when a word is one or two letters off, and says what it searched for', async () => {
    const sewater = await search('sewater');
    expect(sewater.handles).toEqual(['merino-sweater']);
    expect(sewater.correctedQuery).toBe('sweater');
    expect((await search('merino sweatr')).handles).toEqual(['merino-sweater']);
    expect((await search('lnien shirt')).handles).toEqual(['linen-shirt', 'cotton-tee']);
    expect((await search('candel')).handles).toEqual(['creme-candle']);
    expect((await search('linen')).correctedQuery).toBeNull();
    expect((await search('xqzvw')).handles).toEqual([]);
    expect((await search('the linen')).correctedQuery).toBeNull(); // a stop word is not a typo
  });

  it('falls back to any word when no product has them all, and pages on in that mode', async () => {
    const all = await search('linen quokka');
    expect(all.handles).toEqual(['linen-shirt', 'linen-apron', 'cotton-tee']);
    expect(all.totalCount).toBe(3);
    const first = await search('linen quokka', { first: 2 });
    const rest = await search('linen quokka', { first: 2, after: first.pageInfo.endCursor });
    expect([...first.handles, ...rest.handles]).toEqual(all.handles);
    expect((await search('merino wool')).handles).toEqual(['merino-sweater']); // both words: no fallback
  });

  it('counts every match whatever the page: later pages, backward pages, empty pages', async () => {
    const first = await search('linen', { first: 1 });
    expect(first.totalCount).toBe(3);
    const second = await search('linen', { first: 1, after: first.pageInfo.endCursor });
    expect(second.totalCount).toBe(3);
    expect((await search('linen', { first: null, last: 1 })).totalCount).toBe(3);
    // Counted on its own when the page reads no row.
    expect((await search('linen', { first: 0 })).totalCount).toBe(3);
    const last = await search('linen', { first: 5 });
    expect((await search('linen', { first: 5, after: last.pageInfo.endCursor })).totalCount).toBe(3);
    // A query counted with its page is one statement fewer.
    const counted = await t.statements(() => t.gql(SEARCH, { q: 'linen', first: 2 }));
    const alone = await t.statements(() => t.gql(SEARCH.replace('totalCount', ''), { q: 'linen', first: 2 }));
    expect(counted.sql.length).toBe(alone.sql.length);
  });

  it('returns only published products, and suggests nothing from hidden ones', async () => {
    const zephyr = await search('zephyr');
    expect(zephyr.handles).toEqual([]);
    expect(zephyr.totalCount).toBe(0);
    const res = await t.gql('{ predictiveSearch(query: "zeph") { products { handle } queries { text } } }');
    expect(res.body.data.predictiveSearch).toEqual({ products: [], queries: [] });
  });
});

describe('the search document follows the catalog', () => {
  it('changes with the title, the tags and the variants, and the lexicon follows', async () => {
    const prisma = t.db.prisma;
    const ids = await createProducts(prisma, [{ handle: 'changing', title: 'Plain Bottle', variants: [{ title: 'Small', price: 900 }] }]);
    const id = ids.get('changing')!;
    expect((await search('bottle')).handles).toEqual(['changing']);

    await prisma.product.update({ where: { id }, data: { title: 'Insulated Flask' } });
    expect((await search('bottle')).handles).toEqual([]);
    expect((await search('flask')).handles).toEqual(['changing']);
    expect((await search('flsak')).handles).toEqual(['changing']); // the lexicon learnt "flask"
    const words = async () =>
      (await prisma.searchWord.findMany({ where: { word: { in: ['bottle', 'flask', 'hydration'] } } })).map((w) => w.word).sort();
    expect(await words()).toEqual(['flask']);

    await prisma.product.update({ where: { id }, data: { tags: ['hydration'] } });
    expect((await search('hydration')).handles).toEqual(['changing']);
    expect(await words()).toEqual(['flask', 'hydration']);

    await prisma.productVariant.create({ data: { productId: id, title: 'Crimson', position: 2, price: 1100 } });
    expect((await search('crimson')).handles).toEqual(['changing']);
    await prisma.productVariant.updateMany({ where: { productId: id, title: 'Crimson' }, data: { title: 'Teal' } });
    expect((await search('crimson')).handles).toEqual([]);
    expect((await search('teal')).handles).toEqual(['changing']);
    await prisma.productVariant.deleteMany({ where: { productId: id, title: 'Teal' } });
    expect((await search('teal')).handles).toEqual([]);

    await prisma.product.update({ where: { id }, data: { status: 'DRAFT' } });
    expect((await search('flask')).handles).toEqual([]);
    await prisma.product.delete({ where: { id } });
    expect(await words()).toEqual([]);
  });
});

describe('pagination over the ranked list', () => {
  beforeAll(async () => {
    // Ties on purpose: several products rank the same for "tote".
    await createProducts(
      t.db.prisma,
      Array.from({ length: 17 }, (_, i) => ({
        handle: `tote-${i}`,
        title: i % 3 === 0 ? `Canvas Tote ${i}` : `Canvas Bag ${i}`,
        description: i % 3 === 0 ? 'Roomy.' : i % 3 === 1 ? 'A tote for the market.' : 'A tote, a tote, the tote bag.',
        vendor: i % 2 ? 'Tote Co' : 'Bagworks',
        variants: [{ title: 'One', price: 1000 + (i % 5) * 250, stock: i % 4 }],
      })),
    );
  });

  it('pages forward and backward without duplicates or gaps, for every sort', async () => {
    for (const sortKey of ['RELEVANCE', 'PRICE']) {
      for (const reverse of [false, true]) {
        const full = await search('tote', { sortKey, reverse, first: 250 });
        expect(full.handles.length).toBe(17);
        expect(new Set(full.handles).size).toBe(17);
        const forward: string[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const page = await search('tote', { sortKey, reverse, first: 4, after });
          forward.push(...page.handles);
          expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(forward).toEqual(full.handles);
        const backward: string[] = [];
        let before: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const page = await search('tote', { sortKey, reverse, first: null, last: 5, before });
          backward.unshift(...page.handles);
          if (!page.pageInfo.hasPreviousPage) break;
          before = page.pageInfo.startCursor;
        }
        expect(backward).toEqual(full.handles);
      }
    }
  });

  it('puts title matches first and sorts by price on request', async () => {
    const relevance = await search('tote');
    expect(relevance.handles.slice(0, 6).every((h: string) => Number(h.split('-')[1]) % 3 === 0)).toBe(true);
    const res = await t.gql('{ search(query: "tote", first: 50, sortKey: PRICE) { nodes { priceRange { minVariantPrice { amount } } } } }');
    const prices = res.body.data.search.nodes.map((n: { priceRange: { minVariantPrice: { amount: string } } }) =>
      Number(n.priceRange.minVariantPrice.amount),
    );
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('refuses cursors that are not its own, with a code', async () => {
    const relevance = await search('tote', { first: 2 });
    for (const [after, sortKey] of [
      ['garbage', 'RELEVANCE'],
      [relevance.pageInfo.endCursor, 'PRICE'],
      [Buffer.from('["s1","R",1.5,2,0]').toString('base64url'), 'RELEVANCE'],
      [Buffer.from('["s1","R",1,2]').toString('base64url'), 'RELEVANCE'],
    ]) {
      const res = await t.gql(SEARCH, { q: 'tote', first: 2, after, sortKey });
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('hostile and empty queries', () => {
  it('gives a coded user error for empty, blank, punctuation-only and oversized queries', async () => {
    for (const q of ['', '   ', '\n\t', '!&|', '"\'\\', ':*()', '😀', 'x'.repeat(10_240)]) {
      const res = await t.gql(SEARCH, { q, first: 5 });
      expect(res.status, q.slice(0, 20)).toBeLessThan(500);
      expect(res.body.errors?.[0]?.extensions?.code, q.slice(0, 20)).toBe('BAD_USER_INPUT');
      expect(res.body.data?.search ?? null).toBeNull();
    }
  });

  it('answers tsquery syntax, quotes, backslashes and emoji with results, never a server error', async () => {
    const hostile = [
      'linen & !shirt',
      'linen | shirt',
      'lin:*',
      "linen') OR 1=1 --",
      '"linen"',
      'linen\\',
      '(linen',
      'linen:A',
      '!!linen',
      'lin😀en',
      'linen <-> shirt',
      'a'.repeat(40) + ' linen',
    ];
    for (const q of hostile) {
      const res = await t.gql(SEARCH, { q, first: 5 });
      expect(res.status, q).toBe(200);
      expect(res.body.errors, q).toBeUndefined();
      expect(typeof res.body.data.search.totalCount).toBe('number');
    }
    // Operators are only separators: the same as typing the words.
    expect((await search('linen & !shirt')).handles).toEqual((await search('linen shirt')).handles);
    const predictive = await t.gql('query($q: String!) { predictiveSearch(query: $q) { queries { text } } }', { q: "lin'\\:*" });
    expect(predictive.body.errors).toBeUndefined();
  });
});
