// The user errors commerce rules return: a path to the offending input, a stable code
// (the GraphQL layer exposes them as UserErrorCode) and a message a shopper can act on.

export type CommerceErrorCode =
  | 'INVALID'
  | 'BLANK'
  | 'TOO_LONG'
  | 'NOT_FOUND'
  | 'GREATER_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'OUT_OF_STOCK'
  | 'NOT_ENOUGH_IN_STOCK'
  | 'TOO_MANY_LINES'
  | 'ALREADY_COMPLETED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'EMPTY_CART'
  | 'DELIVERY_ADDRESS_REQUIRED'
  | 'DELIVERY_OPTION_REQUIRED'
  | 'DELIVERY_OPTION_UNAVAILABLE'
  | 'CURRENCY_MISMATCH';

export interface CommerceUserError {
  field: string[];
  code: CommerceErrorCode;
  message: string;
}

export function userError(field: string[], code: CommerceErrorCode, message: string): CommerceUserError {
  return { field, code, message };
}

/** Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}
