// The real Prisma CLI, offline, through prisma/schema-engine.mjs. Each CLI run costs
// several seconds, so this file keeps to one: `migrate status` on a PGlite folder.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations } from '../src/db/migrate.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vitrine-cli-'));
  await applyMigrations({ kind: 'pglite', dataDir: dir });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('`prisma migrate status` runs offline against a PGlite folder', () => {
  // A clean environment: no DATABASE_URL (so PGLITE_DIR applies) and no engine override
  // from the developer's shell. PATH only needs this node (the stand-in's shebang).
  const env: Record<string, string> = {
    PATH: path.dirname(process.execPath),
    HOME: dir,
    PGLITE_DIR: dir,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    NO_COLOR: '1',
  };
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'status'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 90_000,
  });
  const output = `${run.stdout}\n${run.stderr}`;
  expect(output, output).toMatch(/Database schema is up to date!/);
  expect(run.status, output).toBe(0);
}, 120_000);
