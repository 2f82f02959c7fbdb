// The example storefront (examples/storefront) in a real browser, served by Vite on another
// origin than the API: the whole shopper's journey, then GraphiQL. Screenshots of each step
// go to test/artifacts/storefront/ (git-ignored). Needs Debian's chromium, like
// test/graphiql-browser.test.ts: skipped without it, except under CI=true.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databaseFromEnv } from '../src/config.js';
import { startExample } from '../scripts/example-server.js';

const CHROMIUM = '/usr/bin/chromium';
const browserRequired = process.env.CI === 'true';
const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts/storefront');
const VITE_CACHE = path.join(tmpdir(), `vitrine-storefront-vite-${process.pid}`);
let example: Awaited<ReturnType<typeof startExample>> | undefined;
let browser: Browser | undefined;

describe.skipIf((!existsSync(CHROMIUM) && !browserRequired) || databaseFromEnv().kind === 'postgres')(
  'the example storefront in a browser',
  () => {
    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`CI=true and no browser at ${CHROMIUM}: install it with apt-get install -y chromium`);
      mkdirSync(ARTIFACTS, { recursive: true });
      example = await startExample({
        pgliteDir: 'memory://',
        demoProducts: 80,
        viteCacheDir: VITE_CACHE,
        logLevel: 'silent',
      });
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await example?.close();
      rmSync(VITE_CACHE, { recursive: true, force: true });
    });

    async function newPage(): Promise<{ page: Page; failures: string[] }> {
      const page = await browser!.newPage({ viewport: { width: 1200, height: 860 } });
      page.setDefaultTimeout(30_000);
      const failures: string[] = [];
      page.on('pageerror', (e) => failures.push(String(e)));
      // Failed responses are listed by URL (the console's message has none); the browser's own favicon probe is not ours.
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && failures.push(m.text()));
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && failures.push(`${r.status()} ${r.url()}`));
      return { page, failures };
    }
    let step = 0;
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: path.join(ARTIFACTS, `${String(++step).padStart(2, '0')}-${name}.png`) });

    it('browses, filters, searches, picks a variant, signs up, checks out and signs out', async () => {
      const { page, failures } = await newPage();
      const apiCalls: string[] = [];
      page.on('request', (r) => r.url().startsWith(example!.api) && apiCalls.push(r.url()));

      // Home: featured collections with product images from the API.
      await page.goto(`${example!.web}/`);
      await page.waitForSelector('.featured .card img');
      await shot(page, 'home');

      // A collection, then one facet value; the list narrows.
      await page.click('.featured .more');
      await page.waitForSelector('.listing .facet input');
      const before = await page.locator('.listing .card').count();
      await page.locator('.listing .facet input').first().check();
      await page.waitForURL(/filter=/);
      await page.waitForSelector('.listing .facet input:checked');
      expect(await page.locator('.listing .card').count()).toBeLessThanOrEqual(before);
      await page.selectOption('#sort', 'price-asc');
      await page.waitForURL(/sort=price-asc/);
      await page.waitForSelector('.listing .card');
      await shot(page, 'collection-filtered');

      // Search: suggestions while typing, then the results page.
      const title = (await page.locator('.listing .card .title').first().innerText()).trim();
      const word = title.split(/\s+/)[0]!;
      await page.fill('.search input', word.slice(0, 4));
      await page.waitForSelector('.suggestions:not([hidden]) li');
      await shot(page, 'suggestions');
      await page.fill('.search input', word);
      await page.press('.search input', 'Enter');
      await page.waitForURL(/\/search\?q=/);
      await page.waitForSelector('.listing .card');
      await shot(page, 'search');

      // A product for sale; pick the last in-stock value of its last option.
      await page
        .locator('.listing .card', { hasNot: page.locator('.price', { hasText: 'Sold out' }) })
        .first()
        .locator('a')
        .click();
      await page.waitForSelector('.product #add-to-bag');
      const swatches = page.locator('.option').last().locator('.swatch:not(.sold-out)');
      await swatches.last().click();
      await expect.poll(() => swatches.last().getAttribute('aria-pressed')).toBe('true');
      await page.waitForSelector('#add-to-bag:not([disabled])');
      await shot(page, 'product');
      await page.click('#add-to-bag');
      await page.waitForSelector('[role=status]:has-text("Added")');
      expect(await page.locator('.bag-count').innerText()).toBe('1');

      // The bag (anonymous), then sign up on Vitrine's hosted page.
      await page.click('#bag');
      await page.waitForSelector('#sign-in-to-checkout');
      await shot(page, 'bag-anonymous');
      await page.click('#sign-in-to-checkout');
      await page.waitForURL((url) => url.origin === example!.api);
      await page.click('text=Create an account');
      await page.fill('#name', 'Ada Lovelace');
      await page.fill('#email', `ada+${Date.now()}@example.com`);
      await page.fill('#password', 'correct horse battery');
      await shot(page, 'sign-up');
      await page.click('button[value=signup]');

      // Back on the storefront: the bag became the customer's cart.
      await page.waitForURL(`${example!.web}/bag`);
      await page.waitForSelector('.cart .line');
      expect(await page.locator('.cart .line').count()).toBe(1);
      expect(await page.evaluate(() => localStorage.getItem('vitrine.bag'))).toBeNull();
      await shot(page, 'cart');

      // An access token the API refuses (expired, revoked key): one refresh, then the retry succeeds.
      await page.evaluate(() => {
        const tokens = JSON.parse(sessionStorage.getItem('vitrine.tokens')!);
        sessionStorage.setItem('vitrine.tokens', JSON.stringify({ ...tokens, access_token: 'not-a-valid-token' }));
      });

      // Quantity 2, a delivery address, a delivery option.
      const subtotal = await page.locator('.totals dd').first().innerText();
      await page.fill('.line input[type=number]', '2');
      await page.press('.line input[type=number]', 'Tab');
      await expect.poll(() => page.locator('.totals dd').first().innerText()).not.toBe(subtotal);
      expect(await page.locator('.bag-count').innerText()).toBe('2');
      await page.fill('input[name=firstName]', 'Ada');
      await page.fill('input[name=lastName]', 'Lovelace');
      await page.fill('input[name=address1]', '1 Main St');
      await page.fill('input[name=city]', 'Springfield');
      await page.fill('input[name=provinceCode]', 'IL');
      await page.fill('input[name=zip]', '62701');
      await page.click('form.address button[type=submit]');
      await page.waitForSelector('.delivery-option input');
      await page.locator('.delivery-option input').first().check();
      await page.waitForSelector('.delivery-option input:checked');
      await expect.poll(() => page.locator('.totals dd').nth(1).innerText()).not.toBe('Choose an option');
      await shot(page, 'cart-delivery');

      // Check out; the confirmation and the order history.
      await page.click('#place-order');
      await page.waitForURL(/\/orders\?placed=/);
      await page.waitForSelector('.order');
      const number = new URL(page.url()).searchParams.get('placed');
      expect(await page.locator('.confirmation').innerText()).toContain(number);
      expect(await page.locator(`.order[data-number="${number}"]`).innerText()).toContain('2 ×');
      await shot(page, 'orders');

      // Sign out: the refresh token is revoked, the hosted session ends, back on the shop.
      const revoked = await page.evaluate(() => sessionStorage.getItem('vitrine.tokens'));
      await page.click('#sign-out');
      await page.waitForURL(`${example!.web}/`);
      await page.waitForSelector('#sign-in');
      expect(await page.evaluate(() => sessionStorage.getItem('vitrine.tokens'))).toBeNull();
      expect(apiCalls.some((url) => url.endsWith('/oauth/revoke'))).toBe(true);
      await shot(page, 'signed-out');

      // The revoked sign-in put back with a refused access token: the refresh fails too, so the shop signs out.
      await page.evaluate((saved) => {
        sessionStorage.setItem('vitrine.tokens', JSON.stringify({ ...JSON.parse(saved!), access_token: 'not-a-valid-token' }));
      }, revoked);
      await page.goto(`${example!.web}/orders`);
      await page.waitForSelector('.orders .error:has-text("sign in again")');
      await page.waitForSelector('#sign-in');
      expect(await page.evaluate(() => sessionStorage.getItem('vitrine.tokens'))).toBeNull();
      await shot(page, 'session-ended');

      // The only failed requests are the refused tokens: twice on /graphql, once the revoked refresh token.
      expect(failures.sort()).toEqual([`400 ${example!.api}/oauth/token`, `401 ${example!.api}/graphql`, `401 ${example!.api}/graphql`]);
    }, 120_000);

    it('opens GraphiQL on the API and runs a products query', async () => {
      const { page } = await newPage();
      const query = '{ products(first: 3, sortKey: TITLE) { nodes { handle title } } }';
      await page.goto(`${example!.api}/graphql?query=${encodeURIComponent(query)}`);
      await page.waitForSelector('.graphiql-container');
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('"handle"'));
      expect(await page.locator('.graphiql-response').innerText()).toContain('"products"');
      await shot(page, 'graphiql');
    }, 60_000);
  },
);
