// Customer accounts: sign-up, password sign-in, profile updates. No GraphQL here; the
// hosted sign-in page and the GraphQL resolvers both call these functions.
import type { Customer, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../auth/passwords.js';

export interface CustomerUserError {
  field: string[];
  code: 'INVALID' | 'BLANK' | 'TOO_LONG' | 'TAKEN' | 'TOO_SHORT';
  message: string;
}

export const MAX_NAME_LENGTH = 100;
const MAX_EMAIL_LENGTH = 254;
// Deliberately loose (local@domain.tld); the address is proven by use, not by regex.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Lower-cased, trimmed email, or null when it cannot be an address. */
export function normalizeEmail(email: string): string | null {
  const value = email.trim().toLowerCase();
  if (!value || value.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(value) || CONTROL_CHARS.test(value)) return null;
  return value;
}

/** The name shown for a customer: "First Last", or the email when no name is known. */
export function customerDisplayName(customer: Pick<Customer, 'email' | 'firstName' | 'lastName'>): string {
  const name = [customer.firstName, customer.lastName].filter((part) => part && part.trim()).join(' ');
  return name || customer.email;
}

/** Validates one name field: trimmed; empty means "no name" (null). */
function checkName(field: string, value: string | null, errors: CustomerUserError[]): string | null {
  const text = (value ?? '').trim();
  if (text.length > MAX_NAME_LENGTH) {
    errors.push({ field: [field], code: 'TOO_LONG', message: `Use at most ${MAX_NAME_LENGTH} characters.` });
  } else if (CONTROL_CHARS.test(text)) {
    errors.push({ field: [field], code: 'INVALID', message: 'Remove control characters.' });
  }
  return text || null;
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; one word → first name only. */
export function splitFullName(name: string): { firstName: string | null; lastName: string | null } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  return { firstName: parts[0]!, lastName: parts.slice(1).join(' ') || null };
}

export type SignUpResult = { ok: true; customer: Customer } | { ok: false; errors: CustomerUserError[] };

export async function signUpCustomer(
  prisma: PrismaClient,
  input: { email: string; password: string; name?: string | null },
): Promise<SignUpResult> {
  const errors: CustomerUserError[] = [];
  const email = normalizeEmail(input.email);
  if (!input.email.trim()) errors.push({ field: ['email'], code: 'BLANK', message: 'Enter your email address.' });
  else if (!email) errors.push({ field: ['email'], code: 'INVALID', message: 'Enter a valid email address.' });
  if (!input.password) {
    errors.push({ field: ['password'], code: 'BLANK', message: 'Choose a password.' });
  } else {
    const problem = passwordProblem(input.password);
    if (problem)
      errors.push({ field: ['password'], code: input.password.length < MIN_PASSWORD_LENGTH ? 'TOO_SHORT' : 'TOO_LONG', message: problem });
  }
  const fullName = (input.name ?? '').trim();
  let firstName: string | null = null;
  let lastName: string | null = null;
  if (fullName.length > 2 * MAX_NAME_LENGTH) {
    errors.push({ field: ['name'], code: 'TOO_LONG', message: `Use at most ${2 * MAX_NAME_LENGTH} characters.` });
  } else {
    const split = splitFullName(fullName);
    const nameErrors: CustomerUserError[] = [];
    firstName = checkName('name', split.firstName, nameErrors);
    lastName = checkName('name', split.lastName, nameErrors);
    if (nameErrors[0]) errors.push(nameErrors[0]);
  }
  if (errors.length > 0 || !email) return { ok: false, errors };

  const taken = () => ({
    ok: false as const,
    errors: [{ field: ['email'], code: 'TAKEN' as const, message: 'An account with this email already exists. Sign in instead.' }],
  });
  if (await prisma.customer.findUnique({ where: { email }, select: { id: true } })) return taken();
  const passwordHash = await hashPassword(input.password);
  try {
    const customer = await prisma.customer.create({ data: { email, passwordHash, firstName, lastName } });
    return { ok: true, customer };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return taken(); // a concurrent sign-up won
    throw error;
  }
}

/**
 * Checks an email and password. Returns the customer, or null for both "no such account"
 * and "wrong password"; an unknown email still pays for one scrypt run, so the two take
 * the same time.
 */
export async function authenticateCustomer(prisma: PrismaClient, input: { email: string; password: string }): Promise<Customer | null> {
  const email = normalizeEmail(input.email);
  const customer = email ? await prisma.customer.findUnique({ where: { email } }) : null;
  const ok = await verifyPassword(input.password, customer?.passwordHash ?? (await dummyPasswordHash()));
  return customer && ok ? customer : null;
}

/**
 * The signed-in customer's own record with a planned selection (plugin-prisma's `query`).
 * There is no way to read another customer: the id comes from the verified access token.
 */
export function findOwnCustomer(prisma: PrismaClient, query: Omit<Prisma.CustomerFindUniqueArgs, 'where'>, viewerCustomerId: string) {
  return prisma.customer.findUnique({ ...query, where: { id: viewerCustomerId } });
}

export type UpdateNamesResult = { customerId: string | null; userErrors: CustomerUserError[] };

/**
 * Updates a customer's names. A field left out (undefined) is unchanged; null or an
 * empty string clears it. Returns the id to refetch, or user errors and no change.
 */
export async function updateCustomerNames(
  prisma: PrismaClient,
  customerId: string,
  input: { firstName?: string | null; lastName?: string | null },
): Promise<UpdateNamesResult> {
  const userErrors: CustomerUserError[] = [];
  const data: { firstName?: string | null; lastName?: string | null } = {};
  if (input.firstName !== undefined) data.firstName = checkName('firstName', input.firstName, userErrors);
  if (input.lastName !== undefined) data.lastName = checkName('lastName', input.lastName, userErrors);
  if (userErrors.length > 0) return { customerId: null, userErrors };
  const { count } = await prisma.customer.updateMany({ where: { id: customerId }, data });
  if (count === 0)
    return { customerId: null, userErrors: [{ field: ['customer'], code: 'INVALID', message: 'The customer no longer exists.' }] };
  return { customerId, userErrors };
}
