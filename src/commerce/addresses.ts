// Mailing addresses: validation (ISO country codes, known province codes, postal codes)
// and the signed-in customer's address book. Every read and write is scoped to the
// customer: another customer's address answers like a missing one.
import type { CustomerAddress, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { countryName, isCountryCode, postalCodePattern, provincesOf } from './countries.js';
import { userError, type CommerceUserError } from './user-errors.js';

export interface AddressInput {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  countryCode?: string | null;
  phone?: string | null;
}

/** A validated address, as stored in CustomerAddress rows and in cart/order snapshots. */
export interface Address {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCode: string;
  phone: string | null;
}

const MAX_FIELD = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const PHONE = /^\+?[0-9][0-9 ().-]{3,24}$/;

export type AddressResult = { address: Address; userErrors: [] } | { address: null; userErrors: CommerceUserError[] };

/** Validates and normalizes an address; `path` prefixes each error's field. */
export function validateAddress(input: AddressInput, path: string[] = []): AddressResult {
  const errors: CommerceUserError[] = [];
  const text = (field: keyof AddressInput, required: boolean): string | null => {
    const value = (input[field] ?? '').trim();
    if (!value) {
      if (required)
        errors.push(userError([...path, field], 'BLANK', `Enter ${field === 'address1' ? 'a street address' : `the ${field}`}.`));
      return null;
    }
    if (value.length > MAX_FIELD) errors.push(userError([...path, field], 'TOO_LONG', `Use at most ${MAX_FIELD} characters.`));
    else if (CONTROL_CHARS.test(value)) errors.push(userError([...path, field], 'INVALID', 'Remove control characters.'));
    return value;
  };
  const firstName = text('firstName', false);
  const lastName = text('lastName', false);
  const company = text('company', false);
  const address1 = text('address1', true);
  const address2 = text('address2', false);
  const city = text('city', true);
  const countryCode = (text('countryCode', true) ?? '').toUpperCase();
  if (countryCode && !isCountryCode(countryCode)) {
    errors.push(userError([...path, 'countryCode'], 'INVALID', 'Use an ISO 3166-1 alpha-2 country code, such as US or DE.'));
  }
  let province = text('province', false);
  let provinceCode = text('provinceCode', false)?.toUpperCase() ?? null;
  const provinces = provincesOf(countryCode);
  if (provinces) {
    const byName = province ? Object.entries(provinces).find(([, name]) => name.toLowerCase() === province!.toLowerCase()) : undefined;
    provinceCode ??= byName?.[0] ?? null;
    if (!provinceCode)
      errors.push(userError([...path, 'provinceCode'], 'BLANK', `Choose a state or province of ${countryName(countryCode)}.`));
    else if (!provinces[provinceCode])
      errors.push(
        userError([...path, 'provinceCode'], 'INVALID', `${provinceCode} is not a province code of ${countryName(countryCode)}.`),
      );
    else province = provinces[provinceCode]!;
  } else if (provinceCode && !province) {
    province = provinceCode;
  }
  let zip = text('zip', false);
  const pattern = postalCodePattern(countryCode);
  if (pattern) {
    if (!zip) errors.push(userError([...path, 'zip'], 'BLANK', 'Enter the postal code.'));
    else if (!pattern.test(zip))
      errors.push(userError([...path, 'zip'], 'INVALID', `Enter a valid postal code for ${countryName(countryCode)}.`));
    else zip = zip.toUpperCase();
  }
  const phone = text('phone', false);
  if (phone && !PHONE.test(phone)) errors.push(userError([...path, 'phone'], 'INVALID', 'Enter a valid phone number.'));
  if (errors.length > 0 || !address1 || !city)
    return { address: null, userErrors: errors.length ? errors : [userError(path, 'INVALID', 'Invalid address.')] };
  return {
    address: {
      firstName,
      lastName,
      company,
      address1,
      address2,
      city,
      province,
      provinceCode: provinces ? provinceCode : null,
      zip,
      countryCode,
      phone,
    },
    userErrors: [],
  };
}

/** Reads an address snapshot (a Json column) back; null when absent or not an address. */
export function readAddress(value: unknown): Address | null {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object') return null;
  const a = value as Record<string, unknown>;
  if (typeof a.address1 !== 'string' || typeof a.city !== 'string' || typeof a.countryCode !== 'string') return null;
  const opt = (key: string) => (typeof a[key] === 'string' ? a[key] : null);
  return {
    firstName: opt('firstName'),
    lastName: opt('lastName'),
    company: opt('company'),
    address1: a.address1,
    address2: opt('address2'),
    city: a.city,
    province: opt('province'),
    provinceCode: opt('provinceCode'),
    zip: opt('zip'),
    countryCode: a.countryCode,
    phone: opt('phone'),
  };
}

export function addressOfRow(row: CustomerAddress): Address {
  const { firstName, lastName, company, address1, address2, city, province, provinceCode, zip, countryCode, phone } = row;
  return { firstName, lastName, company, address1, address2, city, province, provinceCode, zip, countryCode, phone };
}

type Db = PrismaClient | Prisma.TransactionClient;

/** One of the customer's own addresses, or null (another customer's looks missing). */
export function findOwnAddress(prisma: Db, customerId: string, addressId: string): Promise<CustomerAddress | null> {
  return prisma.customerAddress.findFirst({ where: { id: addressId, customerId } });
}

export type AddressWriteResult = { addressId: string | null; userErrors: CommerceUserError[] };

/** Saves a new address; the first one becomes the default. */
export async function createAddress(prisma: PrismaClient, customerId: string, input: AddressInput): Promise<AddressWriteResult> {
  const checked = validateAddress(input, ['address']);
  if (!checked.address) return { addressId: null, userErrors: checked.userErrors };
  const row = await prisma.customerAddress.create({ data: { ...checked.address, customerId }, select: { id: true } });
  await prisma.customer.updateMany({ where: { id: customerId, defaultAddressId: null }, data: { defaultAddressId: row.id } });
  return { addressId: row.id, userErrors: [] };
}

export async function updateAddress(
  prisma: PrismaClient,
  customerId: string,
  addressId: string,
  input: AddressInput,
): Promise<AddressWriteResult> {
  const checked = validateAddress(input, ['address']);
  if (!checked.address) return { addressId: null, userErrors: checked.userErrors };
  const { count } = await prisma.customerAddress.updateMany({ where: { id: addressId, customerId }, data: checked.address });
  if (count === 0) return { addressId: null, userErrors: [notFound()] };
  return { addressId, userErrors: [] };
}

export async function deleteAddress(prisma: PrismaClient, customerId: string, addressId: string): Promise<AddressWriteResult> {
  const { count } = await prisma.customerAddress.deleteMany({ where: { id: addressId, customerId } });
  if (count === 0) return { addressId: null, userErrors: [notFound()] };
  return { addressId, userErrors: [] };
}

export async function setDefaultAddress(prisma: PrismaClient, customerId: string, addressId: string): Promise<AddressWriteResult> {
  const own = await findOwnAddress(prisma, customerId, addressId);
  if (!own) return { addressId: null, userErrors: [notFound('addressId')] };
  await prisma.customer.update({ where: { id: customerId }, data: { defaultAddressId: own.id }, select: { id: true } });
  return { addressId: own.id, userErrors: [] };
}

function notFound(field = 'id'): CommerceUserError {
  return userError([field], 'NOT_FOUND', 'No address with this ID.');
}
