// Signing in with an unknown email does the same password work as with a wrong password:
// one scrypt run at the same cost, counted (not timed), so the test cannot flake.
import * as crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../src/db/client.js';
import { authenticateCustomer, signUpCustomer } from '../src/commerce/customers.js';
import { createTestDatabase } from './helpers/db.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});
const scrypt = vi.mocked(crypto.scrypt);

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
}, 120_000);
afterAll(() => db?.close());

/** The scrypt runs (their N, r, p) that one sign-in attempt makes. */
async function work(email: string, password: string) {
  await authenticateCustomer(db.prisma, { email: 'warm-up@example.com', password: 'x' }); // the dummy hash exists
  scrypt.mockClear();
  const customer = await authenticateCustomer(db.prisma, { email, password });
  const runs = scrypt.mock.calls.map((call) => {
    const options = call[3];
    return { N: options.N, r: options.r, p: options.p };
  });
  return { customer, runs };
}

describe('password work for unknown accounts', () => {
  it('runs scrypt once at the same cost for a wrong password, an unknown email and a right password', async () => {
    const signedUp = await signUpCustomer(db.prisma, { email: 'known@example.com', password: 'a long enough password' });
    expect(signedUp.ok).toBe(true);
    const wrong = await work('known@example.com', 'not the password at all');
    const unknown = await work('nobody@example.com', 'not the password at all');
    const right = await work('known@example.com', 'a long enough password');
    expect(wrong.customer).toBeNull();
    expect(unknown.customer).toBeNull();
    expect(right.customer?.email).toBe('known@example.com');
    expect(wrong.runs).toHaveLength(1);
    expect(wrong.runs[0]!.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(unknown.runs).toEqual(wrong.runs);
    expect(right.runs).toEqual(wrong.runs);
  });
});
