import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_URL, type TestApp, PRODUCTION_SECRETS } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0, env: { NODE_ENV: 'production', ...PRODUCTION_SECRETS } });
});
afterAll(() => t?.close());

describe('production defaults', () => {
  it('turns introspection off and hides field suggestions', async () => {
    const schema = await t.gql('{ __schema { types { name } } }');
    expect(schema.status).toBe(400);
    expect(schema.body.data).toBeUndefined();
    const typo = await t.gql('{ product(handle: "x") { titl } }');
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
  });

  it('serves no GraphiQL', async () => {
    const res = await t.app.fetch(new Request(`${TEST_URL}/graphql`, { headers: { accept: 'text/html' } }));
    expect(res.status).toBe(404);
  });

  it('keeps __typename, which clients rely on', async () => {
    const res = await t.gql('{ __typename }');
    expect(res.body.data).toEqual({ __typename: 'Query' });
    expect(res.body.extensions.cost.throttleStatus.maximumAvailable).toBe(20000); // rate limits are on by default outside tests
  });
});
