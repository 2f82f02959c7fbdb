// Bounded input on every endpoint, and the headers every answer carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { databaseFromEnv, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { start } from '../src/server.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 5 });
});
afterAll(() => t?.close());

/** A body of `total` bytes sent in 64 KB chunks, with no Content-Length; counts what was read. */
function streamedBody(total: number, chunk = 'x') {
  const piece = new TextEncoder().encode(chunk.repeat(64 * 1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { body, read: () => sent };
}

describe('body-size limits', () => {
  it('answers 413 to a GraphQL body over the limit, reading no further than the limit', async () => {
    const limit = t.config.http.maxGraphQLBodyBytes;
    const stream = streamedBody(64 * 1024 * 1024);
    const response = await t.app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
        body: stream.body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(stream.read()).toBeLessThan(limit + 4 * 64 * 1024);
  });

  it('answers 413 from a declared Content-Length at once', async () => {
    const response = await t.app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token, 'content-length': String(5 * 1024 * 1024) },
        body: '{}',
      }),
    );
    expect(response.status).toBe(413);
  });

  it('refuses a 5 MB body of junk variables with 413, before it is parsed', async () => {
    const junk = 'j'.repeat(5 * 1024 * 1024);
    const res = await t.gql('{ products(first: 1) { nodes { id } } }', { junk });
    expect(res.status).toBe(413);
  });

  it('never lets a 10 MB handle reach the database', async () => {
    const { result, sql } = await t.statements(() =>
      t.gql('query($h: String!) { product(handle: $h) { id } }', { h: 'h'.repeat(10 * 1024 * 1024) }),
    );
    expect(result.status).toBe(413);
    expect(sql).toEqual([]);
  });

  it('answers 413 to an OAuth form over the form limit', async () => {
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/authorize']) {
      const stream = streamedBody(8 * 1024 * 1024, 'a');
      const response = await t.app.fetch(
        new Request(`${TEST_URL}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: stream.body,
          duplex: 'half',
        } as RequestInit),
      );
      expect(response.status, path).toBe(413);
      expect(stream.read(), path).toBeLessThan(t.config.http.maxFormBodyBytes + 4 * 64 * 1024);
    }
  });

  it('answers 499 and logs no error when the client goes away while its body is read', async () => {
    const lines: string[] = [];
    const app = createApp({ config: t.config, db: t.db, logger: createLogger('debug', (line) => lines.push(line)) });
    const client = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ shop { name } }'));
      },
      pull(controller) {
        // What the HTTP server does when the connection closes mid-body.
        client.abort();
        controller.error(new DOMException('This operation was aborted', 'AbortError'));
      },
    });
    const response = await app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
        body,
        duplex: 'half',
        signal: client.signal,
      } as RequestInit),
    );
    expect(response.status).toBe(499);
    const levels = lines.map((line) => (JSON.parse(line) as { level: string; msg: string }).level);
    expect(levels).not.toContain('error');
    expect(lines.some((line) => line.includes('request aborted by the client'))).toBe(true);

    // The same failure with the client still there is an error, logged as one.
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('the disk is on fire'));
      },
    });
    const broken = await app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
        body: failing,
        duplex: 'half',
      } as RequestInit),
    );
    expect(broken.status).toBe(500);
    expect(lines.some((line) => line.includes('"level":"error"') && line.includes('request failed'))).toBe(true);
  });

  it('lets a body under the limit through', async () => {
    const res = await t.gql('{ products(first: 1) { nodes { id } } }', { padding: 'p'.repeat(5000) });
    expect(res.status).toBe(200);
  });
});

describe('string arguments', () => {
  const max = () => t.config.graphql.maxStringLength;

  it('refuses an over-long string literal with BAD_USER_INPUT and 400, without touching the database', async () => {
    const handle = 'h'.repeat(max() + 1);
    const { result, sql } = await t.statements(() => t.gql(`{ product(handle: "${handle}") { id } }`));
    expect(result.status).toBe(400);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(sql).toEqual([]);
  });

  it('refuses an over-long string variable the same way, however deep', async () => {
    const handle = 'h'.repeat(max() + 1);
    const { result, sql } = await t.statements(() => t.gql('query($h: String!) { product(handle: $h) { id } }', { h: handle }));
    expect(result.status).toBe(400);
    expect(result.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(sql).toEqual([]);
    const nested = await t.gql('query($f: [ProductFilter!]) { products(first: 1, filters: $f) { nodes { id } } }', {
      f: [{ tag: 't'.repeat(max() + 1) }],
    });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(nested.body.errors[0].message).toContain('f[0].tag');
  });

  it('refuses a NUL character in a string with BAD_USER_INPUT', async () => {
    const literal = await t.gql('{ product(handle: "a\\u0000b") { id } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const variable = await t.gql('query($h: String!) { product(handle: $h) { id } }', { h: 'a\u0000b' });
    expect(variable.status).toBe(400);
    expect(variable.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('accepts a string of exactly the maximum length', async () => {
    const res = await t.gql('query($h: String!) { product(handle: $h) { id } }', { h: 'h'.repeat(max()) });
    expect(res.status).toBe(200);
    expect(res.body.data.product).toBeNull();
  });
});

describe('headers', () => {
  const appWith = (env: Record<string, string>) =>
    createApp({ config: loadConfig({ NODE_ENV: 'test', PUBLIC_URL: TEST_URL, ...env }), db: t.db });

  it('sends Strict-Transport-Security only when the public URL is https', async () => {
    const https = appWith({ PUBLIC_URL: 'https://api.shop.example' });
    for (const path of ['/health', '/graphql', '/.well-known/oauth-authorization-server']) {
      const response = await https.fetch(new Request(`https://api.shop.example${path}`));
      expect(response.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{7,}/);
    }
    expect((await t.app.fetch(new Request(`${TEST_URL}/health`))).headers.get('strict-transport-security')).toBeNull();
  });

  it('sends nosniff on every answer, 404s included', async () => {
    for (const path of ['/health', '/nope', '/graphql']) {
      expect((await t.app.fetch(new Request(`${TEST_URL}${path}`))).headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('allows only the configured CORS origins', async () => {
    const app = appWith({ CORS_ORIGINS: 'https://shop.example, https://admin.shop.example' });
    const ask = (origin: string, path = '/graphql') =>
      app.fetch(
        new Request(`${TEST_URL}${path}`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json', 'x-storefront-access-token': t.token },
          body: JSON.stringify({ query: '{ __typename }' }),
        }),
      );
    const allowed = await ask('https://shop.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    expect((await ask('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.fetch(
      new Request(`${TEST_URL}/oauth/token`, {
        method: 'OPTIONS',
        headers: { origin: 'https://admin.shop.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.shop.example');
    expect(() => loadConfig({ CORS_ORIGINS: 'shop.example' })).toThrow(/CORS_ORIGINS/);
  });
});

// The Node server hands the app its own Request objects: the limits must hold there too.
describe.skipIf(databaseFromEnv().kind === 'postgres')('body-size limits through the Node server', () => {
  let server: Awaited<ReturnType<typeof start>> | undefined;
  beforeAll(async () => {
    server = await start(
      loadConfig({ NODE_ENV: 'development', PORT: '0', PGLITE_DIR: 'memory://', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }),
    );
  }, 120_000);
  afterAll(() => server?.close());

  const post = (path: string, type: string, body: ReadableStream<Uint8Array> | string) =>
    fetch(`${server!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-storefront-access-token': server!.devStorefrontToken! },
      body,
      duplex: 'half',
    } as RequestInit);
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode(text)), c.close()) });

  it('answers a chunked body under the limit, and 413 above it, with or without Content-Length', { timeout: 60_000 }, async () => {
    const ok = await post('/graphql', 'application/json', chunked(JSON.stringify({ query: '{ __typename }' })));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect((await post('/graphql', 'application/json', streamedBody(2 * 1024 * 1024).body)).status).toBe(413);
    expect((await post('/graphql', 'application/json', big)).status).toBe(413);
    expect((await post('/oauth/token', 'application/x-www-form-urlencoded', streamedBody(1024 * 1024, 'a').body)).status).toBe(413);
    // The next request is answered too (a 413 closes its connection instead of leaving it stuck).
    const form = await post('/oauth/token', 'application/x-www-form-urlencoded', chunked('grant_type=password'));
    expect(form.status).toBe(400);
    expect((await form.json()).error).toBe('unsupported_grant_type');
  });
});
