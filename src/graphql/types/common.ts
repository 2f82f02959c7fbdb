// Scalars and small value types shared by every type family.
import { GraphQLError, Kind } from 'graphql';
import { CURRENCY_CODES, formatAmount } from '../../commerce/money.js';
import { builder } from '../builder.js';

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date and time in UTC, e.g. "2026-11-22T07:41:00.000Z".',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string');
    return date;
  },
});

const DECIMAL = /^-?\d{1,13}(\.\d{1,6})?$/;

builder.scalarType('Decimal', {
  description: 'A decimal number serialized as a string, e.g. "19.99". Never a float.',
  serialize: (value) => value,
  // Only strings: a JSON number may already have lost digits to floating point.
  parseValue: (value) => {
    if (typeof value === 'string' && DECIMAL.test(value.trim())) return value.trim();
    throw new GraphQLError('Decimal must be a decimal string such as "19.99", not a number');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING && DECIMAL.test(ast.value.trim())) return ast.value.trim();
    throw new GraphQLError('Decimal must be a decimal string such as "19.99", not a number');
  },
});

builder.scalarType('URL', {
  description: 'An absolute URL (RFC 3986).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value === 'string' && URL.canParse(value)) return value;
    throw new GraphQLError('URL must be an absolute URL');
  },
});

builder.scalarType('HTML', {
  description: 'An HTML fragment, e.g. a product description.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value === 'string') return value;
    throw new GraphQLError('HTML must be a string');
  },
});

const CURRENCY_NAMES = new Intl.DisplayNames(['en'], { type: 'currency' });

export interface Money {
  amount: number; // minor units
  currencyCode: string;
}

export const CurrencyCode = builder.enumType('CurrencyCode', {
  description: 'ISO 4217 currency codes this shop prices in.',
  values: Object.fromEntries(CURRENCY_CODES.map((code) => [code, { description: `${CURRENCY_NAMES.of(code)} (${code}).` }])) as Record<
    (typeof CURRENCY_CODES)[number],
    { description: string }
  >,
});

export const WeightUnit = builder.enumType('WeightUnit', {
  description: 'Units of weight, as in Shopify.',
  values: {
    KILOGRAMS: { description: 'Metric system unit of mass.' },
    GRAMS: { description: '1/1000th of 1 kilogram.' },
    POUNDS: { description: 'Imperial system unit of mass.' },
    OUNCES: { description: '1/16th of 1 pound.' },
  } as const,
});

export const MoneyV2 = builder.objectRef<Money>('MoneyV2').implement({
  description: 'A monetary value with currency. `amount` is a decimal string, never a float.',
  fields: (t) => ({
    amount: t.field({
      type: 'Decimal',
      description: 'The amount as a decimal string, e.g. "19.99".',
      resolve: (money) => formatAmount(money.amount, money.currencyCode),
    }),
    currencyCode: t.field({
      type: CurrencyCode,
      description: 'The currency of the amount.',
      resolve: (money) => money.currencyCode as typeof CurrencyCode.$inferType,
    }),
  }),
});

export interface PriceRange {
  min: Money;
  max: Money;
}

export const ProductPriceRange = builder.objectRef<PriceRange>('ProductPriceRange').implement({
  description: 'The lowest and highest variant prices of a product.',
  fields: (t) => ({
    minVariantPrice: t.field({ type: MoneyV2, description: 'The lowest variant price.', resolve: (range) => range.min }),
    maxVariantPrice: t.field({ type: MoneyV2, description: 'The highest variant price.', resolve: (range) => range.max }),
  }),
});

export const SEO = builder.objectRef<{ title: string | null; description: string | null }>('SEO').implement({
  description: 'Search-engine metadata.',
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true, description: 'The title for search results.' }),
    description: t.exposeString('description', { nullable: true, description: 'The description for search results.' }),
  }),
});

/** Stored image URLs may be server-relative (`/images/...`): serve them from our origin. */
export function absoluteUrl(url: string, publicUrl: string): string {
  return url.startsWith('/') ? `${publicUrl}${url}` : url;
}

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why a mutation refused its input.',
  values: {
    INVALID: { description: 'The value is not acceptable; the message says why.' },
    BLANK: { description: 'A required value is missing or empty.' },
    TOO_LONG: { description: 'The value is longer than allowed.' },
    NOT_FOUND: { description: "No such object for you: unknown, not visible, or someone else's." },
    LESS_THAN_OR_EQUAL_TO: { description: 'The number is too small (e.g. a quantity of 0 or less).' },
    GREATER_THAN: { description: 'The number is larger than allowed (e.g. above the per-line quantity cap).' },
    OUT_OF_STOCK: { description: 'The variant is sold out.' },
    NOT_ENOUGH_IN_STOCK: { description: 'Fewer units are in stock than asked for.' },
    TOO_MANY_LINES: { description: 'The cart would have more lines than allowed.' },
    ALREADY_COMPLETED: { description: 'The cart was checked out and can no longer change.' },
    IDEMPOTENCY_KEY_REUSED: { description: 'This idempotency key was already used for another cart.' },
    EMPTY_CART: { description: 'The cart has no lines to check out.' },
    DELIVERY_ADDRESS_REQUIRED: { description: 'Checkout needs a delivery address on the cart.' },
    DELIVERY_OPTION_REQUIRED: { description: 'Checkout needs a selected delivery option.' },
    DELIVERY_OPTION_UNAVAILABLE: { description: "The delivery option does not serve the cart's address." },
    CURRENCY_MISMATCH: { description: 'The merchandise is priced in another currency than the cart.' },
  } as const,
});

export interface UserErrorShape {
  field: string[] | null;
  code: typeof UserErrorCode.$inferType;
  message: string;
}

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'Input a user can fix. `field` is the path to the offending input field.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'The path to the input field at fault, e.g. ["input", "firstName"].',
    }),
    code: t.field({ type: UserErrorCode, description: 'What is wrong, for programs.', resolve: (error) => error.code }),
    message: t.exposeString('message', { description: 'What is wrong, for people.' }),
  }),
});

/** A GraphQL error with a code for arguments that cannot be answered (not a mutation input). */
export function badUserInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extra } });
}
