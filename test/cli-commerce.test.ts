import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { makeCustomer } from './helpers/oauth.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const run = cliRunner(() => db);

describe('vitrine orders and shipping', () => {
  it('lists the shipping rates the migration seeded', async () => {
    const { code, out } = await run('shipping', 'list');
    expect(code).toBe(0);
    expect(out.map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['us-standard', 'us-express', 'international-standard']));
    expect(out.find((l) => l.startsWith('us-standard\t'))).toBe('us-standard\tStandard\tUS\t5.99 USD\tfree from 75.00\t3-5 days\tactive');
  });

  it('lists orders, newest first, optionally of one customer', async () => {
    const a = await makeCustomer(db.prisma);
    const b = await makeCustomer(db.prisma);
    const order = (customerId: string, email: string, key: string, total: number, processedAt: Date) =>
      db.prisma.order.create({
        data: {
          customerId,
          idempotencyKey: key,
          email,
          currencyCode: 'USD',
          subtotal: total,
          total,
          shippingTitle: 'Standard',
          shippingHandle: 'us-standard',
          shippingPrice: 0,
          shippingAddress: {},
          processedAt,
        },
        select: { number: true },
      });
    const first = await order(a.customer.id, a.email, 'k1', 1999, new Date('2026-11-01T00:00:00Z'));
    const second = await order(b.customer.id, b.email, 'k2', 500, new Date('2026-11-02T00:00:00Z'));
    const all = await run('orders', 'list');
    expect(all.code).toBe(0);
    expect(all.out.map((l) => l.split('\t')[0])).toEqual([`#${second.number}`, `#${first.number}`]);
    expect(all.out[1]).toBe(
      `#${first.number}\t2026-11-01T00:00:00.000Z\t${a.email}\tPENDING_PAYMENT\tPENDING\tUNFULFILLED\t19.99 USD\t0 lines`,
    );
    const one = await run('orders', 'list', '--customer', a.email.toUpperCase());
    expect(one.out.map((l) => l.split('\t')[0])).toEqual([`#${first.number}`]);
    const none = await run('orders', 'list', '--customer', 'nobody@example.com');
    expect(none).toMatchObject({ code: 0, out: [], err: ['No orders.'] });
  });

  it('answers bad usage with exit code 2', async () => {
    expect((await run('orders', 'list', '--customer')).code).toBe(2);
    expect((await run('orders', 'list', '--limit', 'x')).code).toBe(2);
    expect((await run('shipping', 'list', 'extra')).code).toBe(2);
  });
});
