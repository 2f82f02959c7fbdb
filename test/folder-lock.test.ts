// The embedded database folder is locked to one process: a second opener is refused with
// the owner's PID, a stale lock is taken over, and the CLI refuses while a server runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPGlite } from '../src/db/pglite.js';
import { DatabaseLockedError, LOCK_FILE, lockDataDir } from '../src/db/folder-lock.js';

const root = mkdtempSync(path.join(tmpdir(), 'vitrine-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const freshDir = () => path.join(root, `db${++n}`);

/** The PID of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('embedded database folder lock', () => {
  it('refuses a second opener of the same folder, naming the owner, until the first closes', async () => {
    const dir = freshDir();
    const first = await createPGlite(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    const second = await createPGlite(dir).then(
      () => 'opened',
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(DatabaseLockedError);
    expect((second as DatabaseLockedError).pid).toBe(process.pid);
    expect((second as Error).message).toMatch(/DATABASE_URL/);
    await first.close();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const again = await createPGlite(dir);
    expect((await again.query<{ x: number }>('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    await again.close();
  }, 120_000);

  it('refuses while another live process holds the lock', async () => {
    const dir = freshDir();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(other);
    lockDataDir(dir).release();
    writeFileSync(path.join(dir, LOCK_FILE), `${other.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${other.pid}\\b`));
    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    // Its owner is gone now: the same lock file is stale.
    const lock = lockDataDir(dir);
    expect(readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a stale lock: a dead PID, garbage, or our own PID left by an earlier process', () => {
    for (const content of [`${deadPid()}\n`, 'not a pid', `${process.pid}\n`]) {
      const dir = freshDir();
      lockDataDir(dir).release();
      writeFileSync(path.join(dir, LOCK_FILE), content);
      const lock = lockDataDir(dir);
      expect(readFileSync(lock.file, 'utf8').trim(), content).toBe(String(process.pid));
      expect(() => lockDataDir(dir), content).toThrow(DatabaseLockedError);
      lock.release();
      expect(existsSync(lock.file)).toBe(false);
    }
  });

  it('makes the CLI refuse, with exit code 1 and the server PID, while a server holds the folder', async () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    const dir = freshDir();
    const env = {
      ...process.env,
      PGLITE_DIR: dir,
      PORT: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      DATABASE_URL: '',
    };
    const server = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'src/server.ts')], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('/graphql')) resolve();
      });
      server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
    const cli = (...argv: string[]) =>
      spawnSync(process.execPath, [path.join(repo, 'bin/vitrine.js'), ...argv], { cwd: repo, env, encoding: 'utf8', timeout: 60_000 });

    const refused = cli('client', 'create', '--name', 'spa', '--redirect-uri', 'http://127.0.0.1:5173/callback');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`in use by process ${server.pid}`);
    expect(refused.stderr).toMatch(/Stop that process first, or set DATABASE_URL/);

    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const list = cli('client', 'list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toBe(''); // the refused command wrote nothing
  }, 120_000);
});
