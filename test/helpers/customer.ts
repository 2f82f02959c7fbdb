// A signed-in customer for GraphQL tests: a customer row, a token family and a real
// access token signed by the app's keys, as the OAuth token endpoint would issue it.
import { signAccessToken } from '../../src/auth/oauth/grants.js';
import { SigningKeyStore } from '../../src/auth/oauth/keys.js';
import type { TestApp } from './app.js';
import { makeCustomer, registerClient, testKeyEncryption } from './oauth.js';

export interface SignedInCustomer {
  customerId: string;
  email: string;
  headers: Record<string, string>;
  gql: (query: string, variables?: Record<string, unknown>) => ReturnType<TestApp['gql']>;
}

export async function signedInCustomer(t: TestApp): Promise<SignedInCustomer> {
  const client = await registerClient(t.db.prisma);
  const { customer, email } = await makeCustomer(t.db.prisma);
  const family = await t.db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: new Date(Date.now() + 86_400_000) },
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
    scope: ['customer'],
    familyId: family.id,
  });
  const headers = { authorization: `Bearer ${token}` };
  return { customerId: customer.id, email, headers, gql: (query, variables) => t.gql(query, variables, headers) };
}
