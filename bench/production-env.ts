// Imported first by every benchmark entry: the servers it starts (and Vitrine's modules it
// loads in-process) run as in production, which also requires the production secrets.
// The benchmark's are throwaway values made per run; mail goes nowhere (nothing sends any).
import { randomBytes } from 'node:crypto';

process.env.NODE_ENV = 'production';
process.env.KEY_ENCRYPTION_SECRET ??= randomBytes(32).toString('base64url');
process.env.SMTP_URL ??= 'smtp://127.0.0.1:9';
