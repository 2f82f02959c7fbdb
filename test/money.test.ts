import { describe, expect, it } from 'vitest';
import { currencyExponent, formatAmount, parseAmount } from '../src/commerce/money.js';

describe('money', () => {
  it('knows minor-unit exponents', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('formats minor units as decimal strings, never floats', () => {
    expect(formatAmount(1999, 'USD')).toBe('19.99');
    expect(formatAmount(5, 'USD')).toBe('0.05');
    expect(formatAmount(-5, 'USD')).toBe('-0.05');
    expect(formatAmount(0, 'EUR')).toBe('0.00');
    expect(formatAmount(500, 'JPY')).toBe('500');
    expect(formatAmount(1234, 'KWD')).toBe('1.234');
    expect(() => formatAmount(1.5, 'USD')).toThrow(RangeError);
  });

  it('parses decimal strings exactly', () => {
    expect(parseAmount('19.99', 'USD')).toBe(1999);
    expect(parseAmount('19.9', 'USD')).toBe(1990);
    expect(parseAmount('19', 'USD')).toBe(1900);
    expect(parseAmount('0.10', 'USD')).toBe(10);
    expect(parseAmount('19.990', 'USD')).toBe(1999);
    expect(parseAmount('500', 'JPY')).toBe(500);
    expect(parseAmount('-1.00', 'USD')).toBe(-100);
  });

  it('refuses what is not a plain decimal within the currency precision', () => {
    for (const bad of ['19.999', '1e3', 'abc', '', '1.2.3', '0x10', ' ']) expect(parseAmount(bad, 'USD')).toBeNull();
    expect(parseAmount('1.5', 'JPY')).toBeNull();
  });
});
