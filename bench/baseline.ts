// `bench/run.ts --baseline <commit>`: a second Vitrine, built from another commit, measured
// in the same run as today's tree, so the two compare on the same machine at the same time.
//
// The commit is checked out as a detached git worktree in the system's temporary folder
// (kept for the next run; `git worktree remove <dir>` deletes it). It shares today's
// node_modules when its package-lock.json is the same, else gets its own `npm ci`; either
// way its Prisma client is generated from its own schema.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fmt, mean } from './stats.ts';

const run = promisify(execFile);

export interface BaselineTree {
  /** The commit, abbreviated. */
  label: string;
  /** Its worktree: the server runs there. */
  dir: string;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a, 'utf8'), readFile(b, 'utf8').catch(() => null)]);
  return x === y;
}

export async function prepareBaseline(root: string, commitish: string, log: (message: string) => void): Promise<BaselineTree> {
  const sha = (await run('git', ['rev-parse', '--verify', `${commitish}^{commit}`], { cwd: root })).stdout.trim();
  const label = sha.slice(0, 7);
  const dir = path.join(os.tmpdir(), `vitrine-baseline-${sha.slice(0, 12)}`);
  if (!existsSync(path.join(dir, 'package.json'))) {
    await run('git', ['worktree', 'add', '--detach', '--force', dir, sha], { cwd: root });
    log(`baseline ${label}: checked out in ${dir}`);
  } else {
    log(`baseline ${label}: reusing ${dir}`);
  }
  if (!existsSync(path.join(dir, 'node_modules'))) {
    if (await sameFile(path.join(root, 'package-lock.json'), path.join(dir, 'package-lock.json'))) {
      await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      log(`baseline ${label}: same package-lock.json, sharing node_modules`);
    } else {
      log(`baseline ${label}: its own dependencies (npm ci)…`);
      await run('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    }
  }
  // Its own client, from its own schema (the generated folder is per checkout).
  await run('npx', ['prisma', 'generate'], { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  log(`baseline ${label}: Prisma client generated`);
  return { label, dir };
}

export interface ServerMeasurement {
  scenario: string;
  round: number;
  rps: number;
  p99: number;
  server: 'today' | 'baseline';
}

/** Today vs the baseline per scenario: mean req/s, the ratio of the means and of each round, p99. */
export function renderBaselineTable(
  baseline: BaselineTree,
  scenarios: { name: string; label: string }[],
  measurements: ServerMeasurement[],
): string {
  const lines = [
    `Today's tree vs commit ${baseline.label} (its own server, same database, same settings), back to back in every round, order alternating:`,
    '',
    '| scenario | today req/s | baseline req/s | today / baseline | per round | p99 ms today / baseline |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const scenario of scenarios) {
    const today = measurements.filter((m) => m.scenario === scenario.name && m.server === 'today');
    const base = measurements.filter((m) => m.scenario === scenario.name && m.server === 'baseline');
    if (!today.length || !base.length) continue;
    const perRound = today.map((t) => {
      const b = base.find((m) => m.round === t.round);
      return b ? fmt(t.rps / b.rps, 2) : 'n/a';
    });
    lines.push(
      `| ${scenario.label} | ${fmt(mean(today.map((m) => m.rps)))} | ${fmt(mean(base.map((m) => m.rps)))} | **${fmt(
        mean(today.map((m) => m.rps)) / mean(base.map((m) => m.rps)),
        2,
      )}** | ${perRound.join(', ')} | ${fmt(mean(today.map((m) => m.p99)), 0)} / ${fmt(mean(base.map((m) => m.p99)), 0)} |`,
    );
  }
  return lines.join('\n');
}
