import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../src/auth/passwords.js';
import {
  authenticateCustomer,
  customerDisplayName,
  normalizeEmail,
  signUpCustomer,
  splitFullName,
  updateCustomerNames,
} from '../src/commerce/customers.js';
import { oauthTestDatabase } from './helpers/oauth.js';

let db: Database;
beforeAll(async () => {
  db = await oauthTestDatabase();
}, 120_000);
afterAll(() => db?.close());

describe('passwords (scrypt)', () => {
  it('hashes with a random salt and verifies in constant time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterx', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plaintext')).toBe(false);
    expect(await verifyPassword('correct horse battery', 'scrypt$40$8$1$AAAA$BBBB')).toBe(false); // absurd cost refused
  });

  it('normalizes Unicode so the same password typed differently still matches', async () => {
    const hash = await hashPassword('caf\u00e9 au lait, please');
    expect(await verifyPassword('cafe\u0301 au lait, please', hash)).toBe(true);
  });

  it('has a minimum (and a sane maximum) length', () => {
    expect(MIN_PASSWORD_LENGTH).toBeGreaterThanOrEqual(8);
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH - 1))).toMatch(/at least/);
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH))).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most/);
  });

  it('keeps a dummy hash for unknown accounts', async () => {
    expect(await dummyPasswordHash()).toMatch(/^scrypt\$/);
    expect(await dummyPasswordHash()).toBe(await dummyPasswordHash());
  });
});

describe('customer accounts', () => {
  it('normalizes emails', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalizeEmail('not an email')).toBeNull();
    expect(normalizeEmail('a@b')).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(250)}@example.com`)).toBeNull();
  });

  it('signs up with a lower-cased unique email and a hashed password', async () => {
    const result = await signUpCustomer(db.prisma, {
      email: 'Grace@Example.com',
      password: 'a long enough passphrase',
      name: ' Grace  Brewster Hopper ',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.customer).toMatchObject({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Brewster Hopper' });
    expect(result.customer.passwordHash).toMatch(/^scrypt\$/);
    const again = await signUpCustomer(db.prisma, { email: 'GRACE@example.com', password: 'another long passphrase' });
    expect(again).toEqual({ ok: false, errors: [expect.objectContaining({ field: ['email'], code: 'TAKEN' })] });
  });

  it('refuses bad sign-up input with field errors', async () => {
    const result = await signUpCustomer(db.prisma, { email: 'nope', password: 'short', name: 'x'.repeat(300) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.field[0], e.code])).toEqual([
      ['email', 'INVALID'],
      ['password', 'TOO_SHORT'],
      ['name', 'TOO_LONG'],
    ]);
    const blank = await signUpCustomer(db.prisma, { email: '', password: '' });
    expect(!blank.ok && blank.errors.map((e) => e.code)).toEqual(['BLANK', 'BLANK']);
  });

  it('authenticates with the right password only, and the same null for unknown emails', async () => {
    await signUpCustomer(db.prisma, { email: 'login@example.com', password: 'the right password' });
    expect(await authenticateCustomer(db.prisma, { email: 'LOGIN@example.com ', password: 'the right password' })).toMatchObject({
      email: 'login@example.com',
    });
    expect(await authenticateCustomer(db.prisma, { email: 'login@example.com', password: 'the wrong password' })).toBeNull();
    expect(await authenticateCustomer(db.prisma, { email: 'nobody@example.com', password: 'the right password' })).toBeNull();
    expect(await authenticateCustomer(db.prisma, { email: 'not an email', password: 'the right password' })).toBeNull();
  });

  it('updates names: trims, clears with null or "", leaves out what is not given, refuses bad input', async () => {
    const created = await signUpCustomer(db.prisma, { email: 'names@example.com', password: 'the right password', name: 'Ada Lovelace' });
    if (!created.ok) throw new Error('sign-up failed');
    const id = created.customer.id;
    expect(await updateCustomerNames(db.prisma, id, { firstName: '  Augusta ' })).toEqual({ customerId: id, userErrors: [] });
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ firstName: 'Augusta', lastName: 'Lovelace' });
    await updateCustomerNames(db.prisma, id, { lastName: '' });
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ firstName: 'Augusta', lastName: null });
    const bad = await updateCustomerNames(db.prisma, id, { firstName: 'x'.repeat(101), lastName: 'a\u0000b' });
    expect(bad.customerId).toBeNull();
    expect(bad.userErrors.map((e) => [e.field[0], e.code])).toEqual([
      ['firstName', 'TOO_LONG'],
      ['lastName', 'INVALID'],
    ]);
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ firstName: 'Augusta' });
    const gone = await updateCustomerNames(db.prisma, '00000000-0000-4000-8000-000000000000', { firstName: 'X' });
    expect(gone.customerId).toBeNull();
  });

  it('derives display names', () => {
    expect(customerDisplayName({ email: 'a@example.com', firstName: 'Ada', lastName: 'Lovelace' })).toBe('Ada Lovelace');
    expect(customerDisplayName({ email: 'a@example.com', firstName: null, lastName: 'Lovelace' })).toBe('Lovelace');
    expect(customerDisplayName({ email: 'a@example.com', firstName: null, lastName: null })).toBe('a@example.com');
    expect(splitFullName('  ')).toEqual({ firstName: null, lastName: null });
  });
});
