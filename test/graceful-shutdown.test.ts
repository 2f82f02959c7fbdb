// SIGTERM on a real server process: /ready turns 503 while /health stays 200, a request
// already in flight gets its whole answer, the pools close without errors, and a rolling
// restart of two processes behind a load balancer loses no request. Runs on the embedded
// database (two folders with the same token), or on PostgreSQL when DATABASE_URL is set.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, databaseFromEnv, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { createStorefrontToken } from '../src/auth/storefront-tokens.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { roundRobinProxy, startServerProcess, type ServerProcess } from './helpers/processes.ts';
import { withDatabase } from '../src/db/engine-adapters.ts';

const QUERY = JSON.stringify({ query: '{ shop { name } products(first: 3) { nodes { id } } }' });

let token: string;
/** The environment of backend 0 and 1: the same data either way. */
let envs: [Record<string, string>, Record<string, string>];
let folder: string | undefined;
let db: TestDatabase | undefined;
const running: ServerProcess[] = [];

beforeAll(async () => {
  const server = databaseFromEnv();
  if (server.kind === 'postgres') {
    db = await createTestDatabase();
    token = (await createStorefrontToken(db.prisma, { name: 'load' })).token;
    const env = { DATABASE_URL: withDatabase(server.url, db.name) };
    envs = [env, env];
    return;
  }
  // One migrated folder with a token, copied: two embedded databases that accept it.
  folder = await mkdtemp(path.join(tmpdir(), 'vitrine-shutdown-'));
  const first = path.join(folder, 'a');
  const local = await openDatabase({ kind: 'pglite', dataDir: first });
  try {
    await applyMigrations(local);
    token = (await createStorefrontToken(local.prisma, { name: 'load' })).token;
  } finally {
    await local.close();
  }
  await cp(first, path.join(folder, 'b'), { recursive: true });
  envs = [{ PGLITE_DIR: first }, { PGLITE_DIR: path.join(folder, 'b') }];
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await db?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function start(index: 0 | 1, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const process = await startServerProcess({ ...envs[index], ...extra });
  running.push(process);
  return process;
}

/** A POST /graphql whose body is held back until `release()`: a request in flight. */
function heldRequest(base: string) {
  let release!: () => void;
  const answer = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    const req = httpRequest(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(QUERY), 'x-storefront-access-token': token },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.write(QUERY.slice(0, 10));
    release = () => req.end(QUERY.slice(10));
  });
  return { answer, release: () => release() };
}

function graphql(base: string): Promise<Response> {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
    body: QUERY,
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${running.map((p) => p.output()).join('\n---\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Log lines at level warn or above, and pool misuse however it is logged. */
function problems(output: string): string[] {
  return output.split('\n').filter((line) => /"level":"(warn|error|fatal)"|after calling end|Cannot use a pool/i.test(line));
}

describe('graceful shutdown', () => {
  it('refuses several workers on the embedded database, which one process at a time may open', () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY=2 needs DATABASE_URL/);
    expect(loadConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://db/shop' }).lifecycle.workers).toBe(2);
  });

  it('drains: /ready 503 while /health stays 200, and a request in flight gets its whole answer', async () => {
    const server = await start(0, { SHUTDOWN_DELAY_MS: '1500' });
    const before = await fetch(`${server.url}/ready`);
    expect(before.status).toBe(200);
    await before.arrayBuffer();

    // A request whose body is still on its way when SIGTERM arrives; the rest is sent only
    // once the server is draining with this request counted.
    const held = heldRequest(server.url);
    void until(() => /"inFlight":[1-9]/.test(server.output()), 'the drain to start').then(held.release);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let the first bytes reach the server
    server.child.kill('SIGTERM');

    await until(async () => (await fetch(`${server.url}/ready`)).status === 503, '/ready to answer 503');
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    const result = await held.answer;
    expect(result.status).toBe(200);
    expect(result.connection).toBe('close');
    expect(JSON.parse(result.body)).toMatchObject({ data: { shop: { name: expect.any(String) } } });

    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"msg":"shut down"');
    expect(problems(server.output())).toEqual([]);
  });

  it('loses no request while two processes behind a load balancer restart one after the other', async () => {
    const backends = [await start(0, { SHUTDOWN_DELAY_MS: '500' }), await start(1, { SHUTDOWN_DELAY_MS: '500' })];
    const proxy = await roundRobinProxy(() => backends.map((b) => b.url), { readyPollMs: 100 });
    const statuses = new Map<number, number>();
    let stop = false;
    const load = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const response = await graphql(proxy.url);
        const body = (await response.json()) as { data?: { shop?: unknown } };
        const status = response.status === 200 && body.data?.shop ? 200 : response.status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
    try {
      for (const index of [0, 1] as const) {
        const before = statuses.get(200) ?? 0;
        await until(() => (statuses.get(200) ?? 0) > before + 20, 'load to flow');
        const old = backends[index]!;
        expect(await old.stop('SIGTERM')).toEqual({ code: 0, signal: null });
        expect(problems(old.output())).toEqual([]);
        backends[index] = await start(index, { SHUTDOWN_DELAY_MS: '500' });
      }
      const before = statuses.get(200) ?? 0;
      await until(() => (statuses.get(200) ?? 0) > before + 20, 'load to flow after the restarts');
    } finally {
      stop = true;
      await Promise.all(load);
      await proxy.close();
    }
    expect(proxy.failures).toEqual([]);
    expect([...statuses.keys()]).toEqual([200]);
  }, 90_000);

  it.skipIf(!process.env.DATABASE_URL)('in cluster mode the primary forwards SIGTERM and every worker drains', async () => {
    const cluster = await start(0, { WEB_CONCURRENCY: '2' });
    expect(cluster.output()).toContain('with 2 worker processes');
    for (let i = 0; i < 4; i++) expect((await graphql(cluster.url)).status).toBe(200);
    const held = heldRequest(cluster.url);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let the first bytes reach a worker
    cluster.child.kill('SIGTERM');
    await until(() => cluster.output().split('shutting down: draining').length === 3, 'both workers to drain');
    held.release();
    const result = await held.answer;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ data: { shop: { name: expect.any(String) } } });
    expect(await cluster.exited).toEqual({ code: 0, signal: null });
    expect(cluster.output().split('"msg":"shut down"').length).toBe(3);
    expect(problems(cluster.output())).toEqual([]);
  });
});
