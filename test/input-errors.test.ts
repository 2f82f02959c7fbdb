// Input a frontend can fix gets BAD_USER_INPUT and a 400 before anything executes: never
// INTERNAL_SERVER_ERROR, never a logged error with a stack trace, never a schema hint in
// production.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { encodeGlobalId } from '../src/graphql/ids.js';
import { createTestApp, TEST_URL, type GqlResult, type TestApp, PRODUCTION_SECRETS } from './helpers/app.js';
import { signedInCustomer } from './helpers/customer.js';

let t: TestApp;
let app: App;
let production: App;
const logged: string[] = [];
const logger = {
  debug: () => {},
  info: () => {},
  warn: (message: string, fields?: Record<string, unknown>) => logged.push(JSON.stringify({ message, ...fields })),
  error: (message: string, fields?: Record<string, unknown>) => logged.push(JSON.stringify({ message, ...fields })),
};

beforeAll(async () => {
  t = await createTestApp({ products: 12 });
  app = createApp({ config: t.config, db: t.db, logger });
  production = createApp({
    config: loadConfig({ NODE_ENV: 'production', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', ...PRODUCTION_SECRETS }),
    db: t.db,
    logger,
  });
});
afterAll(() => t?.close());
afterEach(() => {
  const lines = logged.splice(0);
  expect(lines, 'nothing logged as an error').toEqual([]);
});

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  on: App = app,
  headers: Record<string, string> = {},
): Promise<GqlResult> {
  const response = await on.fetch(
    new Request(`${TEST_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token, ...headers },
      body: JSON.stringify({ query, variables }),
    }),
  );
  return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
}

/** A 400 with BAD_USER_INPUT and no data: nothing executed. */
function expectRefused(res: GqlResult, message: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(res.body.errors[0].message).toMatch(message);
}

const firstPage = async (sortKey = 'ID') =>
  (await gql('query($s: ProductSortKeys) { products(first: 2, sortKey: $s) { pageInfo { endCursor } } }', { s: sortKey })).body.data
    .products.pageInfo.endCursor as string;

describe('global IDs', () => {
  it('refuses a malformed global ID in node, nodes and product(id:), the old base64 form included', async () => {
    expectRefused(await gql('{ node(id: "nope") { id } }'), /Invalid global ID/);
    expectRefused(
      await gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [encodeGlobalId('Product', 1), 'UHJvZHVjdDox'] }),
      /Invalid global ID/,
    );
    expectRefused(await gql('query($id: ID) { product(id: $id) { id } }', { id: 'gid://vitrine/Product/' }), /Invalid global ID/);
  });

  it('refuses a global ID of the wrong type for an argument', async () => {
    expectRefused(await gql(`{ product(id: "${encodeGlobalId('Collection', 1)}") { id } }`), /not the ID of a Product/);
    expectRefused(
      await gql('query($id: ID) { collection(id: $id) { id } }', { id: encodeGlobalId('ProductVariant', 1) }),
      /not the ID of a Collection/,
    );
  });

  it('answers null, not an error, for a well-formed ID of an unknown type in node', async () => {
    const res = await gql('{ node(id: "gid://vitrine/Nothing/1") { id } }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { node: null } });
  });
});

describe('cursors', () => {
  it('refuses a malformed or tampered cursor', async () => {
    expectRefused(await gql('{ products(first: 2, after: "nope") { nodes { id } } }'), /Invalid cursor/);
    const cursor = await firstPage();
    const tampered = `${cursor.slice(0, 4)}${cursor[4] === 'A' ? 'B' : 'A'}${cursor.slice(5)}`;
    expectRefused(await gql('query($c: String) { products(last: 2, before: $c) { nodes { id } } }', { c: tampered }), /Invalid cursor/);
    expectRefused(
      await gql('query($c: String) { collections(first: 2, after: $c) { nodes { id } } }', { c: 'R1BDOk46MTI=' }),
      /Invalid cursor/,
    );
    // A product's own lists (variants, images, collections) check their cursors as strictly.
    expectRefused(await gql('{ products(first: 1) { nodes { variants(first: 1, after: "nope") { nodes { id } } } } }'), /Invalid cursor/);
    expectRefused(
      await gql('{ products(first: 1) { nodes { collections(last: 1, before: "nope") { nodes { id } } } } }'),
      /Invalid cursor/,
    );
    const variants = await gql('{ products(first: 1) { nodes { variants(first: 1) { pageInfo { endCursor } } } } }');
    const after = variants.body.data.products.nodes[0].variants.pageInfo.endCursor;
    const next = await gql('query($a: String) { products(first: 1) { nodes { variants(first: 1, after: $a) { nodes { id } } } } }', {
      a: after,
    });
    expect(next.body.errors).toBeUndefined();
  });

  it('refuses a cursor from another connection', async () => {
    const cursor = await firstPage();
    expectRefused(
      await gql('query($c: String) { collections(first: 2, after: $c) { nodes { id } } }', { c: cursor }),
      /another list or sort order/,
    );
    const handle = (await t.db.prisma.collection.findFirstOrThrow({ where: { publishedAt: { lte: new Date() } } })).handle;
    const res = await gql('query($h: String!, $c: String) { collection(handle: $h) { products(first: 2, after: $c) { nodes { id } } } }', {
      h: handle,
      c: cursor,
    });
    expectRefused(res, /another list or sort order/);
  });

  it("refuses a cursor of another collection's products", async () => {
    const [a, b] = await t.db.prisma.collection.findMany({
      where: { publishedAt: { lte: new Date() }, products: { some: {} } },
      take: 2,
      orderBy: { id: 'asc' },
    });
    const query = 'query($h: String!, $c: String) { collection(handle: $h) { products(first: 1, after: $c) { pageInfo { endCursor } } } }';
    const cursor = (await gql(query, { h: a!.handle })).body.data.collection.products.pageInfo.endCursor;
    expect((await gql(query, { h: a!.handle, c: cursor })).body.errors).toBeUndefined();
    // Known only once the collection is loaded: a coded error on the field, not a crash.
    const res = await gql(query, { h: b!.handle, c: cursor });
    expect(res.body.data).toEqual({ collection: null });
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/another list or sort order/);
  });

  it('refuses a cursor from another sort key', async () => {
    const cursor = await firstPage('TITLE');
    expectRefused(
      await gql('query($c: String) { products(first: 2, after: $c, sortKey: PRICE) { nodes { id } } }', { c: cursor }),
      /another list or sort order/,
    );
    expectRefused(
      await gql('query($c: String) { products(first: 2, after: $c) { nodes { id } } }', { c: cursor }),
      /another list or sort order/,
    );
  });

  it("refuses a cursor that cannot name a row of a customer's lists (UUID ids)", async () => {
    const ada = await signedInCustomer(t);
    const asAda = (query: string, variables: Record<string, unknown>) => gql(query, variables, app, ada.headers);
    const prismaCursor = (chunk: string) => Buffer.from(`GPC:${chunk}`).toString('base64');
    const lists = [
      'query($c: String) { customer { orders(first: 2, after: $c) { nodes { id } } } }',
      'query($c: String) { customer { addresses(last: 2, before: $c) { nodes { id } } } }',
      'query($c: String) { customer { carts(first: 2, after: $c) { nodes { lines(first: 1, after: $c) { nodes { id } } } } } }',
    ];
    for (const query of lists) {
      // A number (the old cursors of a product's variants had one), a string that is no UUID, no cursor at all.
      for (const cursor of [prismaCursor('N:12'), prismaCursor('S:nope'), 'nope']) {
        expectRefused(await asAda(query, { c: cursor }), /Invalid cursor/);
      }
      // A UUID that names no row is a well-formed cursor: an empty page, no error.
      const res = await asAda(query, { c: prismaCursor(`S:${randomUUID()}`) });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
  });
});

describe('other arguments', () => {
  it('refuses first together with last, on keyset and plain connections', async () => {
    expectRefused(await gql('{ products(first: 2, last: 2) { nodes { id } } }'), /either `first` or `last`/);
    expectRefused(
      await gql('{ products(first: 1) { nodes { variants(first: 1, last: 1) { nodes { id } } } } }'),
      /either `first` or `last`/,
    );
  });

  it('refuses a NUL byte in any string argument, literal or variable, nested or not', async () => {
    expectRefused(await gql('query($h: String) { product(handle: $h) { id } }', { h: 'mug\u0000' }), /NUL/);
    expectRefused(await gql('{ product(handle: "mug\\u0000") { id } }'), /NUL/);
    expectRefused(
      await gql('query($f: [ProductFilter!]) { products(first: 1, filters: $f) { nodes { id } } }', { f: [{ tag: 'a\u0000' }] }),
      /NUL/,
    );
  });

  it('gives no "Did you mean" hints from variable coercion in production', async () => {
    const enumTypo = await gql(
      'query($s: ProductSortKeys) { products(first: 1, sortKey: $s) { nodes { id } } }',
      { s: 'TITEL' },
      production,
    );
    const fieldTypo = await gql(
      'query($f: [ProductFilter!]) { products(first: 1, filters: $f) { nodes { id } } }',
      { f: [{ tga: 'x' }] },
      production,
    );
    for (const res of [enumTypo, fieldTypo]) {
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).not.toMatch(/Did you mean/);
    }
    // Development keeps them: they help while building a storefront.
    const dev = await gql('query($s: ProductSortKeys) { products(first: 1, sortKey: $s) { nodes { id } } }', { s: 'TITEL' });
    expect(dev.body.errors[0].message).toMatch(/Did you mean/);
  });
});
