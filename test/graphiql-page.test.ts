// When /graphql answers with the GraphiQL page, and what the page is told: links carrying
// ?query= open GraphiQL in a browser, API calls keep getting JSON, and without a
// development token the page asks for one instead of claiming it is filled in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { TOKEN_HEADER_TEMPLATE } from '../src/graphiql.js';
import { createTestApp, TEST_URL, type TestApp, PRODUCTION_SECRETS } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 3 });
});
afterAll(() => t?.close());

const link = `${TEST_URL}/graphql?query=${encodeURIComponent('{ products(first: 2) { nodes { handle } } }')}`;
const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function pageOptions(response: Response): Promise<Record<string, unknown>> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await response.text();
  const json = /<script type="application\/json" id="graphiql-options">([^<]*)<\/script>/.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!) as Record<string, unknown>;
}

describe('GraphiQL page', () => {
  it('opens for a browser following a ?query= link (GraphiQL reads the query from the address)', async () => {
    const options = await pageOptions(await t.app.fetch(new Request(link, { headers: browser })));
    expect(options.endpoint).toBe('/graphql');
  });

  it('leaves API calls with ?query= to the API: with a token, a bearer, or without HTML in Accept', async () => {
    const withToken = await t.app.fetch(new Request(link, { headers: { ...browser, 'x-storefront-access-token': t.token } }));
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toEqual({ data: { products: { nodes: expect.any(Array) } } });

    const withBearer = await t.app.fetch(new Request(link, { headers: { ...browser, authorization: 'Bearer nope' } }));
    expect(withBearer.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(withBearer.status).toBe(401);

    const json = await t.app.fetch(new Request(link, { headers: { accept: 'application/graphql-response+json' } }));
    expect(json.status).toBe(401);
    expect(json.headers.get('content-type')).toMatch(/json/);
  });

  it('never serves the page for a link when GraphiQL is off (production)', async () => {
    const app = createApp({
      config: loadConfig({ NODE_ENV: 'production', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', ...PRODUCTION_SECRETS }),
      db: t.db,
    });
    const res = await app.fetch(new Request(link, { headers: browser }));
    expect(res.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(res.status).toBe(401);
    expect((await app.fetch(new Request(`${TEST_URL}/graphql`, { headers: browser }))).status).toBe(404);
  });

  it('fills in the development token when there is one, and does not store it', async () => {
    const app = createApp({ config: t.config, db: t.db, devStorefrontToken: t.token });
    const options = await pageOptions(await app.fetch(new Request(`${TEST_URL}/graphql`, { headers: browser })));
    expect(JSON.parse(options.headers as string)).toEqual({ 'X-Storefront-Access-Token': t.token });
    expect(options.shouldPersistHeaders).toBe(false);
    expect(options.query).toMatch(/token header is filled in/);
  });

  it('without a development token (PostgreSQL), asks for one in the Headers tab and keeps it in the browser', async () => {
    const options = await pageOptions(await t.app.fetch(new Request(`${TEST_URL}/graphql`, { headers: browser })));
    expect(options.headers).toBe(TOKEN_HEADER_TEMPLATE);
    expect(JSON.parse(options.headers as string)).toEqual({ 'X-Storefront-Access-Token': '' });
    expect(options.shouldPersistHeaders).toBe(true);
    expect(options.defaultEditorToolsVisibility).toBe('headers');
    expect(options.query).toMatch(/Paste a storefront token into the Headers tab/);
    expect(options.query).toMatch(/vitrine token create/);
    expect(options.query).not.toMatch(/filled in/);
    expect(options.query).toMatch(/products\(first: 12/);
  });
});
