// Checks the production build (`npm run build`): starts `node dist/src/server.js` (plain
// Node, no TypeScript loader) on a throwaway embedded database and a free port, waits for it
// to print where it listens, and asks /health, GraphiQL's page and one GraphQL query.
// Run by .ci/run after the build; exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const ENTRY = path.join(ROOT, 'dist', 'src', 'server.js');
if (!existsSync(ENTRY)) {
  process.stderr.write(`${path.relative(ROOT, ENTRY)} is missing: run npm run build first\n`);
  process.exit(1);
}

const started = Date.now();
const child = spawn(process.execPath, [ENTRY], {
  cwd: ROOT,
  // A clean environment for the server: only what it needs, so no loader can come in through NODE_OPTIONS.
  env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PGLITE_DIR: 'memory://', PORT: '0', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

async function main(): Promise<void> {
  const deadline = Date.now() + 60_000;
  let match: RegExpMatchArray | null;
  while (!(match = output.match(/on (http:\/\/\S+)\/graphql/))) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the server did not say where it listens within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const base = match[1]!;
  const token = output.match(/Development storefront token: (\S+)/)?.[1];
  if (!token) throw new Error('no development storefront token printed');
  const health = await fetch(`${base}/health`);
  if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
  const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
  if (page.status !== 200 || !(await page.text()).includes('graphiql')) throw new Error(`GraphiQL answered ${page.status}`);
  const answer = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
    body: JSON.stringify({ query: '{ products(first: 2) { nodes { handle variants(first: 1) { nodes { price { amount } } } } } }' }),
  });
  const body = (await answer.json()) as { data?: { products: { nodes: unknown[] } }; errors?: unknown };
  if (answer.status !== 200 || body.errors || body.data?.products.nodes.length !== 2) {
    throw new Error(`the products query answered ${answer.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  process.stdout.write(
    `production build: ${base} answered /health, GraphiQL and a products query (${Date.now() - started} ms from spawn, demo catalog included)\n`,
  );
}

main()
  .then(() => {
    child.kill('SIGTERM');
  })
  .catch((error: unknown) => {
    process.stderr.write(`production build smoke test failed: ${error instanceof Error ? error.message : String(error)}\n${output}\n`);
    child.kill('SIGKILL');
    process.exitCode = 1;
  });
