// Scalars and small value types shared by every type family.
import { GraphQLError, Kind } from 'graphql';
import { formatAmount } from '../../commerce/money.js';
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

builder.scalarType('Decimal', {
  description: 'A decimal number serialized as a string, e.g. "19.99". Never a float.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value === 'string' && /^-?\d{1,13}(\.\d{1,6})?$/.test(value.trim())) return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new GraphQLError('Decimal must be a decimal string such as "19.99"');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) {
      if (/^-?\d{1,13}(\.\d{1,6})?$/.test(ast.value)) return ast.value;
    }
    throw new GraphQLError('Decimal must be a decimal string such as "19.99"');
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

export interface Money {
  amount: number; // minor units
  currencyCode: string;
}

export const CurrencyCode = builder.enumType('CurrencyCode', {
  description: 'ISO 4217 currency codes this shop prices in.',
  values: ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF', 'SEK', 'DKK', 'NOK'] as const,
});

export const MoneyV2 = builder.objectRef<Money>('MoneyV2').implement({
  description: 'A monetary value with currency. `amount` is a decimal string, never a float.',
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', resolve: (money) => formatAmount(money.amount, money.currencyCode) }),
    currencyCode: t.field({ type: CurrencyCode, resolve: (money) => money.currencyCode as typeof CurrencyCode.$inferType }),
  }),
});

export interface PriceRange {
  min: Money;
  max: Money;
}

export const ProductPriceRange = builder.objectRef<PriceRange>('ProductPriceRange').implement({
  description: 'The lowest and highest variant prices of a product.',
  fields: (t) => ({
    minVariantPrice: t.field({ type: MoneyV2, resolve: (range) => range.min }),
    maxVariantPrice: t.field({ type: MoneyV2, resolve: (range) => range.max }),
  }),
});

export const SEO = builder.objectRef<{ title: string | null; description: string | null }>('SEO').implement({
  description: 'Search-engine metadata.',
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

/** Stored image URLs may be server-relative (`/images/...`): serve them from our origin. */
export function absoluteUrl(url: string, publicUrl: string): string {
  return url.startsWith('/') ? `${publicUrl}${url}` : url;
}

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why a mutation refused its input.',
  values: [
    'INVALID',
    'BLANK',
    'TOO_LONG',
    'NOT_FOUND',
    'LESS_THAN_OR_EQUAL_TO',
    'GREATER_THAN',
    'OUT_OF_STOCK',
    'NOT_ENOUGH_IN_STOCK',
    'TOO_MANY_LINES',
    'ALREADY_COMPLETED',
    'IDEMPOTENCY_KEY_REUSED',
    'EMPTY_CART',
    // Carts, delivery and checkout
    'DELIVERY_ADDRESS_REQUIRED',
    'DELIVERY_OPTION_REQUIRED',
    'DELIVERY_OPTION_UNAVAILABLE',
    'CURRENCY_MISMATCH',
  ] as const,
});

export interface UserErrorShape {
  field: string[] | null;
  code: typeof UserErrorCode.$inferType;
  message: string;
}

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'Input a user can fix. `field` is the path to the offending input field.',
  fields: (t) => ({
    field: t.exposeStringList('field', { nullable: true }),
    code: t.field({ type: UserErrorCode, resolve: (error) => error.code }),
    message: t.exposeString('message'),
  }),
});

/** A GraphQL error with a code for arguments that cannot be answered (not a mutation input). */
export function badUserInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extra } });
}
