import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture(level: Parameters<typeof createLogger>[0] = 'debug') {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line));
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON line per event with level, time, message and fields', () => {
    const { logger, lines, entries } = capture();
    logger.info('started', { port: 4000 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(entries()[0]).toMatchObject({ level: 'info', msg: 'started', port: 4000, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('drops events below LOG_LEVEL and writes nothing when silent', () => {
    const warn = capture('warn');
    warn.logger.debug('a');
    warn.logger.info('b');
    warn.logger.warn('c');
    warn.logger.error('d');
    expect(warn.entries().map((e) => e.msg)).toEqual(['c', 'd']);
    const silent = capture('silent');
    silent.logger.error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('serializes errors with their message and stack', () => {
    const { logger, entries } = capture();
    logger.error('request failed', { error: new Error('boom') });
    expect(entries()[0]!.error).toMatchObject({ message: 'boom', stack: expect.stringContaining('boom') });
  });

  it('redacts authorization headers, tokens, cookies and passwords', () => {
    const { logger, lines } = capture();
    const secrets = {
      bearer: 'Bearer eyJhbGciOiJFUzI1NiJ9.secret-bearer.sig',
      storefront: 'vst_secret-storefront-token',
      cookie: 'vitrine_session=secret-session-cookie',
      setCookie: 'vitrine_csrf=secret-csrf-cookie',
      password: 'secret-password-123',
      refresh: 'vrt_secret-refresh-token',
      access: 'secret-access-token',
      token: 'secret-plain-token',
    };
    logger.info('request', {
      req: {
        headers: {
          authorization: secrets.bearer,
          cookie: secrets.cookie,
          'x-storefront-access-token': secrets.storefront,
          accept: 'application/json',
        },
      },
      res: { headers: { 'set-cookie': secrets.setCookie } },
    });
    logger.info('form', {
      form: { password: secrets.password, email: 'ada@example.com' },
      body: { refresh_token: secrets.refresh, access_token: secrets.access },
    });
    logger.warn('flat', { token: secrets.token, password: secrets.password, authorization: secrets.bearer, cookie: secrets.cookie });
    logger.info('headers', { headers: { authorization: secrets.bearer, 'set-cookie': secrets.setCookie } });
    const output = lines.join('\n');
    for (const secret of Object.values(secrets)) expect(output).not.toContain(secret);
    // What is not a secret stays readable.
    expect(output).toContain('application/json');
    expect(output).toContain('ada@example.com');
    expect(output).toContain('[redacted]');
  });
});
