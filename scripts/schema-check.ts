// Fails when schema.graphql breaks clients without saying so: compares it with the previous
// commit's (or, with `--base <ref>`, with the merge base of HEAD and that ref) and exits 1
// on a breaking change that CHANGELOG.md does not record (see scripts/schema-compat.ts).
//   npm run schema:check [-- --base origin/main]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Change } from '@graphql-inspector/core';
import { changeKey, checkSchemaChange, previousSchema } from './schema-compat.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: npm run schema:check [-- --base <git ref>]\n';

function list(title: string, changes: Change[]): void {
  if (changes.length === 0) return;
  process.stdout.write(`${title}:\n`);
  for (const change of changes) process.stdout.write(`  ${changeKey(change)}: ${change.message}\n`);
}

async function main(): Promise<number> {
  let base: string | undefined;
  try {
    base = parseArgs({ options: { base: { type: 'string' } } }).values.base;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const previous = previousSchema({ cwd: root, file: 'schema.graphql', base });
  if (previous.sdl === null) {
    process.stdout.write(`schema:check skipped: ${previous.reason}; nothing to compare schema.graphql with.\n`);
    return 0;
  }
  let result;
  try {
    result = await checkSchemaChange({
      previous: previous.sdl,
      current: readFileSync(`${root}/schema.graphql`, 'utf8'),
      changelog: readFileSync(`${root}/CHANGELOG.md`, 'utf8'),
    });
  } catch (error) {
    process.stderr.write(`schema:check failed: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`schema.graphql compared with ${previous.commit.slice(0, 12)}\n`);
  list('Breaking, recorded in CHANGELOG.md', result.recorded);
  list('Dangerous (check the clients)', result.dangerous);
  list('Safe', result.safe);
  if (result.ok) return 0;
  list('Breaking and NOT recorded', result.unrecorded);
  process.stdout.write(
    'Deprecate instead (@deprecated, keep it for at least one release), or record each path under "## Unreleased" → "### Breaking" in CHANGELOG.md, e.g.\n' +
      result.unrecorded.map((change) => `- \`${changeKey(change)}\`: ${change.message}\n`).join(''),
  );
  return 1;
}

process.exitCode = await main();
