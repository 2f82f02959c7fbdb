// The GraphQL-over-HTTP conformance audit (graphql-http), run in-process through app.fetch.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
});
afterAll(() => t?.close());

// Deliberate deviations, each a SHOULD of the spec's legacy application/json mode: Vitrine
// answers every response without data with a 4xx (shared/notes/security.md), so caches,
// proxies and monitoring never see a failed request as a success.
const DEVIATIONS: Record<string, string> = {
  '572B': 'document parsing failure answers 400, not 200, under application/json',
  FDE2: 'document validation failure answers 400, not 200, under application/json',
  '7B9B': 'variable coercion failure answers 400, not 200, under application/json',
};

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
  // MAY audits are optional behaviour: reported after the run, never counted as tests.
  const mayAudits = audits.filter((audit) => audit.name.startsWith('MAY') && !DEVIATIONS[audit.id]);
  afterAll(async () => {
    const failed: string[] = [];
    for (const audit of mayAudits) {
      const result = await audit.fn();
      if (result.status !== 'ok') failed.push(`${audit.id} ${audit.name}: ${result.status}`);
    }
    console.info(
      `GraphQL over HTTP, MAY audits: ${mayAudits.length - failed.length} of ${mayAudits.length} met${failed.length ? `; not met:\n  ${failed.join('\n  ')}` : ''}`,
    );
  });

  for (const audit of audits) {
    if (DEVIATIONS[audit.id]) {
      it(`${audit.id} deviates on purpose: ${DEVIATIONS[audit.id]}`, async () => {
        const result = await audit.fn();
        expect(result.status).not.toBe('ok');
      });
      continue;
    }
    if (mayAudits.includes(audit)) continue;
    // MUST and SHOULD both have to pass.
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') expect.fail(`${result.status}: ${'reason' in result ? result.reason : ''}`);
    });
  }
});
