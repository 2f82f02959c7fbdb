// Imported first by every benchmark entry: the servers it starts (and Vitrine's modules it
// loads in-process) run as in production, which also requires the production secrets.
// The benchmark's are throwaway values made per run; mail goes nowhere (nothing sends any).
import { randomBytes } from 'node:crypto';

/** Passed to every production config the benchmark builds (process.env carries them to the servers). */
export const PRODUCTION_SECRETS = {
  KEY_ENCRYPTION_SECRET: process.env.KEY_ENCRYPTION_SECRET ?? randomBytes(32).toString('base64url'),
  SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:9',
  CURSOR_SECRET: process.env.CURSOR_SECRET ?? randomBytes(32).toString('base64url'),
};

process.env.NODE_ENV = 'production';
Object.assign(process.env, PRODUCTION_SECRETS);
