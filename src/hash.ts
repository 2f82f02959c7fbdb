// The one SHA-256 helper: token and code hashes at rest, PKCE challenges, CSP hashes.
import { createHash, type BinaryToTextEncoding } from 'node:crypto';

/** SHA-256 of a string (UTF-8) or bytes, as text in the given encoding (hex by default). */
export function sha256(data: string | Uint8Array, encoding: BinaryToTextEncoding = 'hex'): string {
  return createHash('sha256').update(data).digest(encoding);
}
