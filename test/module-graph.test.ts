// What the server loads at start-up: its static import graph (followed through relative
// imports) must not include the demo-catalog generator, which is loaded on demand only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Relative static imports (`import … from './x.js'`, `export … from`), resolved to .ts files. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      const target = path.resolve(path.dirname(file), match[1]!).replace(/\.js$/, '.ts');
      if (!target.includes(`${path.sep}generated${path.sep}`)) visit(target);
    }
  };
  visit(path.join(repo, entry));
  return seen;
}

describe('module graph', () => {
  it('follows static imports (the seed is reachable from the CLI)', () => {
    const cli = [...staticGraph('src/cli/main.ts')].map((f) => path.relative(repo, f));
    expect(cli).toContain(path.join('prisma', 'seed', 'index.ts'));
  });

  it('keeps the demo-catalog generator out of the server', () => {
    const server = [...staticGraph('src/server.ts')].map((f) => path.relative(repo, f));
    expect(server).toContain(path.join('src', 'app.ts'));
    expect(server.filter((f) => f.startsWith(path.join('prisma', 'seed')))).toEqual([]);
  });
});
