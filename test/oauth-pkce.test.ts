import { describe, expect, it } from 'vitest';
import { CODE_VERIFIER_SHAPE, s256Challenge, verifyS256 } from '../src/auth/oauth/pkce.js';

describe('PKCE (RFC 7636)', () => {
  it('matches the Appendix B test vector', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
  });

  it('agrees with a verifier and challenge made with Web Crypto, as a SPA would', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const verifier = Buffer.from(bytes).toString('base64url');
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    expect(verifyS256(verifier, Buffer.from(digest).toString('base64url'))).toBe(true);
  });

  it('accepts verifiers of 43 to 128 characters of [A-Za-z0-9-._~] only', () => {
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(42))).toBe(false);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(43))).toBe(true);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(128))).toBe(true);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(129))).toBe(false);
    expect(CODE_VERIFIER_SHAPE.test('-._~' + 'A9'.repeat(20))).toBe(true);
    for (const bad of ['+', '/', '=', ' ', '%', 'é']) expect(CODE_VERIFIER_SHAPE.test(bad + 'a'.repeat(50))).toBe(false);
  });

  it('rejects a wrong verifier and a plain challenge', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(verifyS256(verifier.replace(/.$/, 'j'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    // `plain`: challenge == verifier must not pass as S256.
    expect(verifyS256(verifier, verifier)).toBe(false);
  });
});
