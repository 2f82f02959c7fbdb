// The rules behind `npm run schema:check`: compare two versions of schema.graphql with
// GraphQL Inspector and accept a breaking change only when CHANGELOG.md records it.
// Convention: under the `## Unreleased` heading, a `### Breaking` list names every breaking
// change by its schema path in backticks (`Product.title`, `Query.products.first`,
// `ProductSortKeys.VENDOR`, or a type name such as `Article`). HTML comments are ignored.
import { execFileSync } from 'node:child_process';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';

export interface SchemaCheckResult {
  ok: boolean;
  /** Breaking changes the changelog does not record (the reason `ok` is false). */
  unrecorded: Change[];
  /** Breaking changes the changelog records. */
  recorded: Change[];
  /** Changes that may affect some clients (a new enum value, a changed default): reported, never failed. */
  dangerous: Change[];
  safe: Change[];
}

/** How a change is named in the changelog: its schema path (or its type when it has none). */
export function changeKey(change: Change): string {
  return change.path ?? String(change.type);
}

/** The paths listed in backticks under `## Unreleased` → `### Breaking` in CHANGELOG.md. */
export function recordedBreakingPaths(changelog: string): Set<string> {
  const text = changelog.replace(/<!--[\s\S]*?-->/g, '');
  const paths = new Set<string>();
  let inUnreleased = false;
  let inBreaking = false;
  for (const line of text.split('\n')) {
    const heading = /^(#{2,3})\s+(.*?)\s*$/.exec(line);
    if (heading) {
      const [, level, title] = heading;
      if (level === '##') {
        inUnreleased = /^\[?unreleased\]?$/i.test(title!);
        inBreaking = false;
      } else {
        inBreaking = inUnreleased && /^breaking/i.test(title!);
      }
      continue;
    }
    if (!inBreaking) continue;
    for (const match of line.matchAll(/`([^`]+)`/g)) paths.add(match[1]!.trim());
  }
  return paths;
}

export async function checkSchemaChange(input: { previous: string; current: string; changelog: string }): Promise<SchemaCheckResult> {
  const changes = await diff(buildSchema(input.previous), buildSchema(input.current));
  const recordedPaths = recordedBreakingPaths(input.changelog);
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  const unrecorded = breaking.filter((change) => !recordedPaths.has(changeKey(change)));
  return {
    ok: unrecorded.length === 0,
    unrecorded,
    recorded: breaking.filter((change) => recordedPaths.has(changeKey(change))),
    dangerous: changes.filter((change) => change.criticality.level === CriticalityLevel.Dangerous),
    safe: changes.filter((change) => change.criticality.level === CriticalityLevel.NonBreaking),
  };
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/**
 * The schema file as it was in the base commit: `HEAD~1` by default, or the merge base of
 * HEAD and `base` (e.g. `origin/main` in a pull request's CI). Null, with the reason, when
 * there is nothing to compare with: not a git checkout, a first commit, a shallow clone
 * without the base, or a base without the file.
 */
export function previousSchema(options: {
  cwd: string;
  file: string;
  base?: string;
}): { sdl: string; commit: string } | { sdl: null; reason: string } {
  if (git(options.cwd, ['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') return { sdl: null, reason: 'not a git checkout' };
  let commit: string | undefined;
  if (options.base) {
    commit = git(options.cwd, ['merge-base', 'HEAD', options.base])?.trim();
    if (!commit)
      return { sdl: null, reason: `no merge base of HEAD and ${options.base} in this clone (fetch it, or deepen a shallow clone)` };
  } else {
    commit = git(options.cwd, ['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}'])?.trim();
    if (!commit) {
      const shallow = git(options.cwd, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true';
      return { sdl: null, reason: shallow ? 'shallow clone without the previous commit' : 'no previous commit' };
    }
  }
  const sdl = git(options.cwd, ['show', `${commit}:./${options.file}`]);
  if (sdl === null) return { sdl: null, reason: `${options.file} does not exist in ${commit.slice(0, 12)}` };
  return { sdl, commit };
}
