// DATABASE_REPLICA_URL: anonymous catalog reads go to the replica, while a signed-in
// customer's reads and every write stay on the primary (read-after-write). The replica
// URL points at the same database here, so routing is proven by counting the statements
// each client sends. Runs only against PostgreSQL (DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { databaseFromEnv } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { withDatabase } from '../src/db/engine-adapters.ts';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.ts';
import { signedInCustomer } from './helpers/customer.ts';

describe.skipIf(!process.env.DATABASE_URL)('read replica', () => {
  let t: TestApp;
  let db: Database;
  let app: App;
  const primary: string[] = [];
  const replica: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ products: 20 });
    const server = databaseFromEnv();
    if (server.kind !== 'postgres') throw new Error('PostgreSQL expected');
    const url = withDatabase(server.url, t.db.name);
    db = await openDatabase(
      { kind: 'postgres', url, poolMax: 2, replicaUrl: url },
      { onQuery: (sql) => primary.push(sql), onReplicaQuery: (sql) => replica.push(sql) },
    );
    app = createApp({ config: t.config, db });
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  async function gql(query: string, headers: Record<string, string> = {}) {
    primary.length = 0;
    replica.length = 0;
    const response = await app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token, ...headers },
        body: JSON.stringify({ query }),
      }),
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body: any = await response.json();
    return { status: response.status, body, primary: [...primary], replica: [...replica] };
  }

  const onProducts = (sql: string[]) => sql.filter((s) => s.includes('"Product"'));

  it('sends anonymous catalog reads to the replica', async () => {
    const listing = await gql('{ products(first: 5) { nodes { id title variants(first: 2) { nodes { id price { amount } } } } } }');
    expect(listing.status).toBe(200);
    expect(listing.body.data.products.nodes).toHaveLength(5);
    expect(onProducts(listing.replica).length).toBeGreaterThan(0);
    expect(onProducts(listing.primary)).toEqual([]);
  });

  it("keeps a signed-in customer's writes and the reads after them on the primary", async () => {
    const customer = await signedInCustomer(t);
    const variant = (await gql('{ products(first: 1) { nodes { variants(first: 1) { nodes { id } } } } }')).body.data.products.nodes[0]
      .variants.nodes[0].id as string;
    const created = await gql(
      `mutation { cartCreate(input: { lines: [{ merchandiseId: "${variant}", quantity: 1 }] }) { cart { id totalQuantity } userErrors { code } } }`,
      customer.headers,
    );
    expect(created.body.data.cartCreate.userErrors).toEqual([]);
    expect(created.replica).toEqual([]);
    expect(created.primary.some((s) => s.includes('INSERT'))).toBe(true);

    const read = await gql('{ customer { activeCart { id totalQuantity lines(first: 5) { nodes { quantity } } } } }', customer.headers);
    expect(read.body.data.customer.activeCart).toMatchObject({ id: created.body.data.cartCreate.cart.id, totalQuantity: 1 });
    expect(read.replica).toEqual([]);
    expect(read.primary.some((s) => s.includes('"Cart"'))).toBe(true);
  });
});
