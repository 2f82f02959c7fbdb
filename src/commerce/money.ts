// Money is stored and computed as integer minor units with an ISO 4217 currency code.
// Only at the edge is it turned into a decimal string (MoneyV2.amount) or parsed back.

/** ISO 4217 codes this shop can price in (the GraphQL `CurrencyCode` enum). */
export const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF', 'SEK', 'DKK', 'NOK'] as const;
export type CurrencyCode = (typeof CURRENCY_CODES)[number];

export function isCurrencyCode(code: string): code is CurrencyCode {
  return (CURRENCY_CODES as readonly string[]).includes(code);
}

const exponents = new Map<string, number>();

/** Number of minor-unit digits of a currency: USD 2, JPY 0, KWD 3. */
export function currencyExponent(currencyCode: string): number {
  let exponent = exponents.get(currencyCode);
  if (exponent === undefined) {
    try {
      exponent = new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2;
    }
    exponents.set(currencyCode, exponent);
  }
  return exponent;
}

/** 1999 USD -> "19.99"; 500 JPY -> "500"; -5 USD -> "-0.05". */
export function formatAmount(minorUnits: number, currencyCode: string): string {
  if (!Number.isSafeInteger(minorUnits)) throw new RangeError(`Not an integer amount: ${minorUnits}`);
  const exponent = currencyExponent(currencyCode);
  if (exponent === 0) return String(minorUnits);
  const sign = minorUnits < 0 ? '-' : '';
  const digits = String(Math.abs(minorUnits)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * "19.99" -> 1999 for USD. Returns null for anything that is not a plain decimal with at
 * most the currency's number of fraction digits (no exponents, no floats rounding).
 */
export function parseAmount(amount: string, currencyCode: string): number | null {
  const match = /^(-)?(\d{1,13})(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return null;
  const exponent = currencyExponent(currencyCode);
  const fraction = match[3] ?? '';
  if (fraction.length > exponent && !/^0*$/.test(fraction.slice(exponent))) return null;
  const minor = Number(match[2]) * 10 ** exponent + Number(fraction.slice(0, exponent).padEnd(exponent, '0') || '0');
  return match[1] && minor !== 0 ? -minor : minor;
}
