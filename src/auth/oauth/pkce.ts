// PKCE (RFC 7636), S256 only: `plain` would hand the verifier to anyone who sees the
// authorization request.
import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../hash.js';

/** RFC 7636 §4.1: 43–128 characters of [A-Za-z0-9-._~]. */
export const CODE_VERIFIER_SHAPE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is the base64url (no padding) of a SHA-256 digest: 43 characters. */
export const CODE_CHALLENGE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function s256Challenge(verifier: string): string {
  return sha256(verifier, 'base64url');
}

/** True when `verifier` is well formed and hashes to `challenge`; compared in constant time. */
export function verifyS256(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER_SHAPE.test(verifier) || !CODE_CHALLENGE_SHAPE.test(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256Challenge(verifier)), Buffer.from(challenge));
}
