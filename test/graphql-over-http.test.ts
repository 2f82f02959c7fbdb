// The GraphQL-over-HTTP conformance audit (graphql-http), run in-process through app.fetch.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
});
afterAll(() => t?.close());

describe('GraphQL over HTTP', () => {
  const audits = serverAudits({
    url: `${TEST_URL}/graphql`,
    // Every request carries a storefront token, as a real client's would.
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      request.headers.set('x-storefront-access-token', t.token);
      return t.app.fetch(request);
    },
  });
  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      // MUST and SHOULD both have to pass; MAY is informational.
      if (result.status !== 'ok' && !audit.name.startsWith('MAY')) {
        expect.fail(`${result.status}: ${'reason' in result ? result.reason : ''}`);
      }
    });
  }
});
