// Private signing keys are encrypted at rest with AES-256-GCM under a key derived (HKDF-
// SHA-256) from KEY_ENCRYPTION_SECRET, and bound to their kid, so a database dump alone
// cannot sign tokens. Without a configured secret (the embedded default) one is generated
// once into a file beside the database folder.
import { createCipheriv, createDecipheriv, hkdf, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import type { Config } from '../../config.js';

/** How a private JWK is stored: `{ enc, iv, data, tag }`, base64url, the kid as associated data. */
export interface EncryptedJwk {
  enc: 'A256GCM';
  iv: string;
  data: string;
  tag: string;
}

export class KeyEncryptionError extends Error {
  override name = 'KeyEncryptionError';
}

export function isEncryptedJwk(value: unknown): value is EncryptedJwk {
  const v = value as Partial<EncryptedJwk> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.enc === 'A256GCM' &&
    typeof v.iv === 'string' &&
    typeof v.data === 'string' &&
    typeof v.tag === 'string'
  );
}

async function readOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won
  }
  return (await readFile(file, 'utf8')).trim();
}

export class KeyEncryption {
  private key: Promise<Buffer> | null = null;

  constructor(private readonly source: { encryptionSecret: string | null; secretFile: string }) {}

  private aesKey(): Promise<Buffer> {
    this.key ??= (async () => {
      const secret = this.source.encryptionSecret ?? (await readOrCreateSecret(this.source.secretFile));
      if (!secret) throw new KeyEncryptionError(`The key-encryption secret in ${this.source.secretFile} is empty`);
      return new Promise<Buffer>((resolve, reject) =>
        hkdf('sha256', secret, 'vitrine', 'signing-key-encryption A256GCM', 32, (error, key) =>
          error ? reject(error) : resolve(Buffer.from(key)),
        ),
      );
    })();
    this.key.catch(() => {
      this.key = null;
    });
    return this.key;
  }

  async encrypt(jwk: JWK, kid: string): Promise<EncryptedJwk> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.aesKey(), iv);
    cipher.setAAD(Buffer.from(kid));
    const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
    return {
      enc: 'A256GCM',
      iv: iv.toString('base64url'),
      data: data.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
    };
  }

  async decrypt(stored: EncryptedJwk, kid: string): Promise<JWK> {
    const decipher = createDecipheriv('aes-256-gcm', await this.aesKey(), Buffer.from(stored.iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64url'));
    try {
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64url')), decipher.final()]).toString('utf8')) as JWK;
    } catch {
      throw new KeyEncryptionError(`Signing key ${kid} cannot be decrypted: KEY_ENCRYPTION_SECRET differs from the one it was stored with`);
    }
  }
}

/** The key encryption of a configuration (one per secret source, shared by the process). */
export function keyEncryption(config: Pick<Config, 'signingKeys'>): KeyEncryption {
  const { encryptionSecret, secretFile } = config.signingKeys;
  const id = `${encryptionSecret === null ? 'file' : 'secret'}:${encryptionSecret ?? secretFile}`;
  let found = shared.get(id);
  if (!found) shared.set(id, (found = new KeyEncryption({ encryptionSecret, secretFile })));
  return found;
}
const shared = new Map<string, KeyEncryption>();
