import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createPersistedQueryStore, documentHash } from '../src/graphql/persisted-documents.js';
import { ManifestError, manifestEntries, parseManifest, readDocumentsFolder } from '../src/graphql/persisted-manifest.js';
import { schema } from '../src/graphql/schema.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';
import { createSharedCache } from './helpers/cdn.js';

const LISTING = 'query Listing($n: Int!) { products(first: $n, sortKey: PRICE) { nodes { handle title } } }';
const SHOP = 'query Shop { shop { name } }';
const persistedQuery = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: documentHash(query) } });

const folder = mkdtempSync(path.join(tmpdir(), 'vitrine-persisted-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function persistedGetUrl(hash: string, variables?: Record<string, unknown>): string {
  const params = new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) });
  if (variables) params.set('variables', JSON.stringify(variables));
  return `${TEST_URL}/graphql?${params}`;
}

function post(t: TestApp, body: Record<string, unknown>) {
  return t.app.fetch(
    new Request(`${TEST_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
      body: JSON.stringify(body),
    }),
  );
}

function getUrl(t: TestApp, url: string, headers: Record<string, string> = {}) {
  return t.app.fetch(new Request(url, { headers: { 'x-storefront-access-token': t.token, ...headers } }));
}

describe('the automatic persisted query store', () => {
  it('keeps a document only under its own SHA-256', () => {
    const store = createPersistedQueryStore({ maxEntries: 10, maxBytes: 10_000 });
    expect(store.register(documentHash(SHOP + ' '), SHOP)).toBe(false);
    expect(store.register('0'.repeat(64), SHOP)).toBe(false);
    expect(store.size).toBe(0);
    expect(store.register(documentHash(SHOP), SHOP)).toBe(true);
    expect(store.get(documentHash(SHOP))).toBe(SHOP);
  });

  it('is bounded in entries and in bytes', () => {
    const byCount = createPersistedQueryStore({ maxEntries: 2, maxBytes: 10_000 });
    const docs = ['{ a }', '{ b }', '{ c }'];
    for (const doc of docs) byCount.register(documentHash(doc), doc);
    expect(byCount.size).toBe(2);
    expect(byCount.get(documentHash('{ a }'))).toBeUndefined(); // least recently used goes first

    const byBytes = createPersistedQueryStore({ maxEntries: 100, maxBytes: 300 });
    const big = `{ ${'x'.repeat(400)} }`;
    expect(byBytes.register(documentHash(big), big)).toBe(false);
    for (let i = 0; i < 20; i++) byBytes.register(documentHash(`{ f${i} }`), `{ f${i} }`);
    expect(byBytes.bytes).toBeLessThanOrEqual(300);
    expect(byBytes.size).toBeLessThan(20);
  });
});

describe('PERSISTED_DOCUMENTS=automatic (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ products: 10 });
  });
  afterAll(() => t?.close());

  it('asks for the document when a hash is unknown, registers it with a matching hash, then answers a cacheable GET', async () => {
    const hash = documentHash(LISTING);
    const unknown = await getUrl(t, persistedGetUrl(hash, { n: 2 }));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    expect(unknown.headers.get('cache-control')).toBe('no-store');

    const registered = await post(t, { query: LISTING, variables: { n: 2 }, extensions: persistedQuery(LISTING) });
    expect(registered.status).toBe(200);
    expect((await registered.json()).data.products.nodes).toHaveLength(2);

    const response = await getUrl(t, persistedGetUrl(hash, { n: 2 }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"/);
    expect((await response.json()).data.products.nodes).toHaveLength(2);

    const revalidated = await getUrl(t, persistedGetUrl(hash, { n: 2 }), { 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
  });

  it('never registers a document whose hash does not match, or that does not run', async () => {
    const mismatch = await post(t, { query: SHOP, extensions: persistedQuery(SHOP + ' ') });
    expect(mismatch.status).toBe(400);
    expect((await mismatch.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    expect((await getUrl(t, persistedGetUrl(documentHash(SHOP + ' ')))).status).toBe(404);
    expect((await getUrl(t, persistedGetUrl(documentHash(SHOP)))).status).toBe(404);

    const invalid = '{ noSuchField }';
    const refused = await post(t, { query: invalid, extensions: persistedQuery(invalid) });
    expect(refused.status).toBe(400);
    expect((await getUrl(t, persistedGetUrl(documentHash(invalid)))).status).toBe(404);

    const malformed = await post(t, { extensions: { persistedQuery: { version: 2, sha256Hash: documentHash(SHOP) } } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('still runs any document sent in full', async () => {
    const response = await post(t, { query: SHOP });
    expect((await response.json()).data.shop.name).toBe('Vitrine Demo Shop');
  });

  it('serves a persisted GET from a CDN-like cache, then revalidates it with 304', async () => {
    await post(t, { query: LISTING, variables: { n: 3 }, extensions: persistedQuery(LISTING) });
    let clock = 0;
    const cdn = createSharedCache(
      (request) => t.app.fetch(request),
      () => clock,
    );
    const url = persistedGetUrl(documentHash(LISTING), { n: 3 });
    const ask = () => cdn.fetch(new Request(url, { headers: { 'x-storefront-access-token': t.token } }));

    const first = await ask();
    expect(first.headers.get('x-cdn')).toBe('MISS');
    const body = await first.json();
    expect(body.data.products.nodes).toHaveLength(3);
    const hit = await ask();
    expect(hit.headers.get('x-cdn')).toBe('HIT');
    expect(cdn.originRequests).toBe(1);

    clock += (t.config.http.publicCache.maxAgeSeconds + 1) * 1000;
    const revalidated = await ask();
    expect(revalidated.headers.get('x-cdn')).toBe('REVALIDATED'); // the origin answered 304
    expect(await revalidated.json()).toEqual(body);
    expect(cdn.originRequests).toBe(2);
  });
});

describe('PERSISTED_DOCUMENTS=required', () => {
  let t: TestApp;
  const manifestFile = path.join(folder, 'manifest.json');
  beforeAll(async () => {
    writeFileSync(manifestFile, JSON.stringify({ [documentHash(LISTING)]: LISTING }));
    t = await createTestApp({ products: 10, env: { PERSISTED_DOCUMENTS: 'required', PERSISTED_DOCUMENTS_MANIFEST: manifestFile } });
  });
  afterAll(() => t?.close());

  it('answers the manifest’s documents by hash, cacheable and revalidated with 304', async () => {
    const url = persistedGetUrl(documentHash(LISTING), { n: 2 });
    const response = await getUrl(t, url);
    expect(response.status).toBe(200);
    expect((await response.json()).data.products.nodes).toHaveLength(2);
    const etag = response.headers.get('etag')!;
    expect((await getUrl(t, url, { 'if-none-match': etag })).status).toBe(304);
  });

  it('refuses documents sent in full, registrations and unknown hashes, with a code and a 4xx', async () => {
    const freeForm = await post(t, { query: SHOP });
    expect(freeForm.status).toBe(403);
    expect((await freeForm.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');

    const freeGet = await getUrl(t, `${TEST_URL}/graphql?${new URLSearchParams({ query: SHOP })}`);
    expect(freeGet.status).toBe(403);
    expect(freeGet.headers.get('cache-control')).toBe('no-store');

    const registration = await post(t, { query: SHOP, extensions: persistedQuery(SHOP) });
    expect(registration.status).toBe(403);
    const unknown = await getUrl(t, persistedGetUrl(documentHash(SHOP)));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('needs a manifest, and refuses to start with a bad one', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PERSISTED_DOCUMENTS: 'required' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', PERSISTED_DOCUMENTS: 'sometimes' })).toThrow(ConfigError);
    const bad = path.join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ [documentHash(SHOP)]: LISTING }));
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL: TEST_URL,
      PERSISTED_DOCUMENTS: 'required',
      PERSISTED_DOCUMENTS_MANIFEST: bad,
    });
    expect(() => createApp({ config, db: t.db })).toThrow(ManifestError);
  });
});

describe('PERSISTED_DOCUMENTS=off', () => {
  it('tells APQ clients that persisted queries are not supported, and runs documents sent in full', async () => {
    const t = await createTestApp({ products: 0, env: { PERSISTED_DOCUMENTS: 'off' } });
    try {
      const response = await getUrl(t, persistedGetUrl(documentHash(SHOP)));
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
      expect((await post(t, { query: SHOP })).status).toBe(200);
      const withHash = await post(t, { query: SHOP, extensions: persistedQuery(SHOP) });
      expect((await withHash.json()).data.shop.name).toBe('Vitrine Demo Shop');
    } finally {
      await t.close();
    }
  });
});

describe('the manifest', () => {
  it('is read as hash -> document or as Apollo’s manifest, and checked against hashes and the schema', () => {
    expect(parseManifest({ [documentHash(SHOP)]: SHOP }, schema).get(documentHash(SHOP))).toBe(SHOP);
    const apollo = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: documentHash(SHOP), name: 'Shop', type: 'query', body: SHOP }],
    };
    expect([...parseManifest(apollo, schema).keys()]).toEqual([documentHash(SHOP)]);
    expect(() => parseManifest({ [documentHash(SHOP)]: LISTING }, schema)).toThrow(/not the SHA-256/);
    expect(() => parseManifest({ [documentHash('{ nope }')]: '{ nope }' }, schema)).toThrow(/Cannot query field "nope"/);
    expect(() => parseManifest([SHOP], schema)).toThrow(ManifestError);
  });

  it('is built from a folder of .graphql documents', () => {
    const docs = path.join(folder, 'documents');
    mkdirSync(path.join(docs, 'nested'), { recursive: true });
    writeFileSync(path.join(docs, 'shop.graphql'), SHOP + '\n');
    writeFileSync(path.join(docs, 'nested', 'listing.gql'), LISTING);
    writeFileSync(path.join(docs, 'notes.txt'), 'not a document');
    const files = readDocumentsFolder(docs);
    expect(files.map((file) => file.name)).toEqual([path.join('nested', 'listing.gql'), 'shop.graphql']);
    const entries = manifestEntries(files, schema);
    const manifest = Object.fromEntries(entries.map((entry) => [entry.hash, entry.document]));
    expect(parseManifest(manifest, schema).size).toBe(2); // every hash matches its printed document
    writeFileSync(path.join(docs, 'broken.graphql'), '{ products { nodes { nope } } }');
    expect(() => manifestEntries(readDocumentsFolder(docs), schema)).toThrow(/broken\.graphql/);
  });
});
