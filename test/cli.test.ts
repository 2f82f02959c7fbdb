import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorefrontTokenVerifier } from '../src/auth/storefront-tokens.js';
import { cliRunner } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const run = cliRunner(() => db);

describe('vitrine CLI', () => {
  it('creates a storefront token and prints it alone on stdout', async () => {
    const created = await run('token', 'create', '--name', 'web');
    expect(created.code).toBe(0);
    expect(created.out).toHaveLength(1);
    expect(created.out[0]).toMatch(/^vst_[A-Za-z0-9_-]{43}$/);
    expect(await new StorefrontTokenVerifier(db.prisma).verify(created.out[0])).toMatchObject({ name: 'web', kind: 'PUBLIC' });
    const priv = await run('token', 'create', '--name', 'ssr', '--private');
    expect(priv.out[0]).toMatch(/^vsp_/);
  });

  it('lists and revokes tokens', async () => {
    const { out } = await run('token', 'create', '--name', 'gone');
    const list = await run('token', 'list');
    const row = list.out.map((l) => l.split('\t')).find((cols) => cols[5] === 'gone')!;
    expect(row[3]).toBe('active');
    expect(list.out.join('\n')).not.toContain(out[0]); // never the token itself
    expect((await run('token', 'revoke', row[0]!)).code).toBe(0);
    expect(await new StorefrontTokenVerifier(db.prisma).verify(out[0])).toBeNull();
    expect((await run('token', 'revoke', row[0]!)).code).toBe(1);
  });

  it('answers bad usage with usage on stderr and exit code 2', async () => {
    for (const argv of [['nope'], ['token', 'create'], ['token', 'create', '--name', 'x', '--bogus'], ['seed', '--products', 'many'], []]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.out).toEqual([]);
      expect(result.err.join('\n')).toMatch(/Usage/);
    }
  });

  it('takes an operand that begins with "-" for a command without options (a signing key id may)', async () => {
    const missing = await run('keys', 'revoke', '-Xb2NoSuchKeyId');
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toContain('No signing key -Xb2NoSuchKeyId');
    expect((await run('keys', 'revoke', '--help')).code).toBe(2);
  });

  it('works as the installed bin', () => {
    const bin = fileURLToPath(new URL('../bin/vitrine.js', import.meta.url));
    const result = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/vitrine token create --name <app>/);
  });
});
