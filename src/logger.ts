// Structured logs through pino: one JSON line per event on stderr, with credentials
// (authorization headers, tokens, cookies, passwords) redacted wherever they appear.
// Call sites use the small Logger interface below, not pino itself.
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream } from 'pino';
import type { Config } from './config.js';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEYS = [
  'authorization',
  'password',
  'token',
  'refresh_token',
  'access_token',
  'code_verifier',
  'cookie',
  'set-cookie',
  'x-storefront-access-token',
  'csrf_token',
];

/** Redacted at the top level of the fields, one level down, and in request/response headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => `["${key}"]`),
  ...SECRET_KEYS.map((key) => `*["${key}"]`),
  ...SECRET_KEYS.map((key) => `*.headers["${key}"]`),
  ...SECRET_KEYS.map((key) => `*.*.headers["${key}"]`),
];

export function createLogger(
  level: Config['logLevel'],
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const destination: DestinationStream = { write: (chunk: string) => write(chunk.replace(/\n$/, '')) };
  const log = pino(
    {
      level,
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: stdSerializers.err, err: stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields: Record<string, unknown> = {}) =>
      log[method](fields, message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
