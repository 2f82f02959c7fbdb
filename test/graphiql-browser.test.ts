// GraphiQL in a real browser: the page renders, runs a query with the prefilled storefront
// token, and no request leaves the machine. Needs Debian's chromium: skipped without it,
// except under CI=true (.ci/run installs it), where a missing browser fails the test.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFromEnv, loadConfig } from '../src/config.js';
import { start } from '../src/server.js';

const CHROMIUM = '/usr/bin/chromium';
const browserRequired = process.env.CI === 'true';
let server: Awaited<ReturnType<typeof start>> | undefined;

// It never touches the configured database, so the PostgreSQL run of the suite skips it.
describe.skipIf((!existsSync(CHROMIUM) && !browserRequired) || databaseFromEnv().kind === 'postgres')('GraphiQL in a browser', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`CI=true and no browser at ${CHROMIUM}: install it with apt-get install -y chromium`);
    // A throwaway embedded database, a small catalog, an ephemeral port.
    server = await start(loadConfig({ NODE_ENV: 'development', PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'warn' }), {
      demoProducts: 20,
    });
  }, 180_000); // a new embedded database: initdb, migrations, seed (slow on a busy machine)
  afterAll(() => server?.close());

  it('renders offline and runs the example query with the token filled in', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      const failures: string[] = [];
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith(server!.url) && !/^(blob|data):/.test(url)) foreign.push(url);
      });
      page.on('pageerror', (e) => failures.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && failures.push(m.text()));
      await page.goto(`${server!.url}/graphql`);
      await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(
        () => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('minVariantPrice'),
        null,
        { timeout: 30_000 },
      );
      const response = await page.locator('.graphiql-response').innerText();
      expect(response).toContain('"products"');
      expect(response).not.toContain('UNAUTHENTICATED');
      expect(foreign).toEqual([]);
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('opens a shared ?query= link in GraphiQL with that query and runs it, and again after a reload', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const query = '{ products(first: 2, sortKey: TITLE) { nodes { handle } } }';
      await page.goto(`${server!.url}/graphql?query=${encodeURIComponent(query)}`);
      await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('"handle"'), null, {
        timeout: 30_000,
      });
      expect(await page.locator('.graphiql-response').innerText()).not.toContain('minVariantPrice');
      // GraphiQL keeps the query in the address as it is edited; a reload must open GraphiQL again.
      await page.reload();
      await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
      expect(new URL(page.url()).searchParams.get('query')).toBe(query);
      // Monaco renders spaces as no-break spaces.
      expect((await page.locator('.graphiql-query-editor').innerText()).replace(/\s+/g, ' ')).toContain('sortKey: TITLE');
    } finally {
      await browser.close();
    }
  }, 90_000);
});
