import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../src/auth/oauth/grants.js';
import { SigningKeyStore } from '../src/auth/oauth/keys.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeCustomer, registerClient, testKeyEncryption } from './helpers/oauth.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
});
afterAll(() => t?.close());

async function signedIn(scope = 'customer') {
  const client = await registerClient(t.db.prisma);
  const { customer } = await makeCustomer(t.db.prisma);
  const family = await t.db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId: customer.id, scope, expiresAt: new Date(Date.now() + 86_400_000) },
  });
  const deps = {
    config: t.config,
    prisma: t.db.prisma,
    keys: new SigningKeyStore(t.db.prisma, { encryption: testKeyEncryption }),
    now: Date.now,
  };
  const { token } = await signAccessToken(deps, {
    customerId: customer.id,
    clientId: client.clientId,
    scope: scope.split(' '),
    familyId: family.id,
  });
  return { customer, headers: { authorization: `Bearer ${token}` } };
}

describe('Customer through GraphQL', () => {
  it('never loads the password hash, whatever the request selects', async () => {
    const { customer, headers } = await signedIn();
    const { result, sql } = await t.statements(async () => ({
      read: await t.gql('{ customer { id email displayName firstName lastName createdAt } }', {}, headers),
      update: await t.gql(
        'mutation { customerUpdate(input: { firstName: "Ada" }) { customer { id email firstName } userErrors { code } } }',
        {},
        headers,
      ),
    }));
    const { read, update } = result;
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.customer.email).toBe(customer.email);
    expect(update.body.data.customerUpdate).toMatchObject({ customer: { firstName: 'Ada' }, userErrors: [] });
    const node = await t.statements(() =>
      t.gql('query($id: ID!) { node(id: $id) { ... on Customer { email } } }', { id: read.body.data.customer.id }, headers),
    );
    expect(node.result.body.data.node).toEqual({ email: customer.email });
    const customerReads = [...sql, ...node.sql].filter((statement) => /FROM\s+"(\w+"\.")?Customer"/i.test(statement));
    expect(customerReads.length).toBeGreaterThanOrEqual(3); // the test sees the reads it checks
    for (const statement of customerReads) expect(statement).not.toContain('passwordHash');
  });

  it('treats a token without the customer scope as anonymous', async () => {
    const { headers } = await signedIn('openid');
    const res = await t.gql('{ customer { email } }', {}, headers);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.customer).toBeNull();
  });

  it('answers null, not an error, to an anonymous customer query', async () => {
    const res = await t.gql('{ customer { email } }');
    expect(res.body).toEqual({ data: { customer: null } });
  });

  it('answers a refused update with user errors and a null customer', async () => {
    const { headers } = await signedIn();
    const res = await t.gql(
      `mutation { customerUpdate(input: { firstName: "${'x'.repeat(101)}" }) { customer { email } userErrors { field code } } }`,
      {},
      headers,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.customerUpdate).toEqual({ customer: null, userErrors: [{ field: ['input', 'firstName'], code: 'TOO_LONG' }] });
  });
});
