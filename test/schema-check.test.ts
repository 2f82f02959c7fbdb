import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSchemaChange, previousSchema, recordedBreakingPaths } from '../scripts/schema-compat.js';

const BEFORE = `
type Query {
  product(handle: String!): Product
  products(first: Int): [Product!]!
}
type Product {
  title: String!
  vendor: String @deprecated(reason: "Use brand.")
  brand: String
}
`;

const ADDED = BEFORE.replace('brand: String', 'brand: String\n  handle: String!');
const REMOVED = BEFORE.replace('  vendor: String @deprecated(reason: "Use brand.")\n', '');
const NO_CHANGELOG = '# Changelog\n\n## Unreleased\n';
const RECORDED = `# Changelog

## Unreleased

### Breaking

- \`Product.vendor\`: removed (deprecated since 0.1.0); use \`Product.brand\`.

### Added

- \`Product.title\` is listed here, not under Breaking.

## 0.1.0

### Breaking

- \`Query.products\` (an old release does not count)
`;

describe('schema:check rules', () => {
  it('passes a change that only adds', async () => {
    const result = await checkSchemaChange({ previous: BEFORE, current: ADDED, changelog: NO_CHANGELOG });
    expect(result.ok).toBe(true);
    expect(result.safe.map((change) => change.path)).toEqual(['Product.handle']);
  });

  it('fails a breaking change the changelog does not record', async () => {
    const result = await checkSchemaChange({ previous: BEFORE, current: REMOVED, changelog: NO_CHANGELOG });
    expect(result.ok).toBe(false);
    expect(result.unrecorded.map((change) => change.path)).toEqual(['Product.vendor']);
  });

  it('passes a breaking change recorded under Unreleased → Breaking', async () => {
    const result = await checkSchemaChange({ previous: BEFORE, current: REMOVED, changelog: RECORDED });
    expect(result.ok).toBe(true);
    expect(result.recorded.map((change) => change.path)).toEqual(['Product.vendor']);
  });

  it('reads only the Unreleased breaking list, outside comments', async () => {
    expect([...recordedBreakingPaths(RECORDED)].sort()).toEqual(['Product.brand', 'Product.vendor']);
    const commented = '## Unreleased\n\n### Breaking\n\n<!-- e.g.\n- `Product.vendor` removed -->\n';
    expect(recordedBreakingPaths(commented).size).toBe(0);
    const older = await checkSchemaChange({
      previous: BEFORE,
      current: BEFORE.replace('products(first: Int)', 'products(first: Int!)'),
      changelog: RECORDED,
    });
    expect(older.ok).toBe(false); // recorded only in 0.1.0's list
    expect(older.unrecorded.map((change) => change.path)).toEqual(['Query.products.first']);
  });
});

describe('the previous schema from git', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const repo = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-schema-check-'));
    dirs.push(dir);
    return dir;
  };
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, stdio: 'pipe', encoding: 'utf8' });
  const commit = (cwd: string, sdl: string, message: string) => {
    writeFileSync(path.join(cwd, 'schema.graphql'), sdl);
    git(cwd, 'add', 'schema.graphql');
    git(cwd, 'commit', '-q', '-m', message);
  };

  it('skips, with the reason, outside git, on a first commit and in a shallow clone', () => {
    expect(previousSchema({ cwd: repo(), file: 'schema.graphql' })).toEqual({ sdl: null, reason: 'not a git checkout' });
    const dir = repo();
    git(dir, 'init', '-q');
    commit(dir, BEFORE, 'first');
    expect(previousSchema({ cwd: dir, file: 'schema.graphql' })).toEqual({ sdl: null, reason: 'no previous commit' });
    commit(dir, REMOVED, 'second');
    const shallow = path.join(repo(), 'clone');
    git(path.dirname(shallow), 'clone', '-q', '--depth', '1', `file://${dir}`, shallow);
    expect(previousSchema({ cwd: shallow, file: 'schema.graphql' })).toEqual({
      sdl: null,
      reason: 'shallow clone without the previous commit',
    });
    expect(previousSchema({ cwd: shallow, file: 'schema.graphql', base: 'no-such-branch' }).sdl).toBeNull();
  });

  it('reads HEAD~1, or the merge base with --base', () => {
    const dir = repo();
    git(dir, 'init', '-q', '-b', 'main');
    commit(dir, BEFORE, 'first');
    commit(dir, ADDED, 'second');
    git(dir, 'checkout', '-q', '-b', 'feature');
    commit(dir, REMOVED, 'third');
    commit(dir, REMOVED + '\n', 'fourth');
    const previous = previousSchema({ cwd: dir, file: 'schema.graphql' });
    expect(previous.sdl).toBe(REMOVED);
    const mergeBase = previousSchema({ cwd: dir, file: 'schema.graphql', base: 'main' });
    expect(mergeBase.sdl).toBe(ADDED);
  });
});
