// The ceiling for the listing scenario: a bare node:http server that answers the listing
// request with the same JSON bytes as Vitrine, produced by ONE hand-written SQL statement
// through `pg`. It checks the storefront token the way Vitrine does (SHA-256 looked up in
// "StorefrontToken", cached a few seconds), reads and parses the JSON body, and otherwise
// does the least work possible: PostgreSQL builds the response text, Node writes it out.
//
//   DATABASE_URL=postgres://... PUBLIC_URL=http://127.0.0.1:4001 PORT=4001 npx tsx bench/ceiling-server.ts
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sha256 } from '../src/hash.js';

/** A decimal string the way src/commerce/money.ts formats minor units (JPY has no minor unit). */
function moneySql(minor: string, currency: string): string {
  return `CASE WHEN ${currency} = 'JPY' THEN ${minor}::text ELSE round(${minor}::numeric / 100, 2)::text END`;
}

/** Vitrine's global ID, Shopify's readable form: gid://vitrine/Type/id. */
function globalIdSql(type: string, id: string): string {
  return `'gid://vitrine/${type}/' || ${id}`;
}

/** A JSON string literal of a text expression (PostgreSQL escapes as JSON.stringify does). */
function str(expr: string): string {
  return `to_json((${expr})::text)::text`;
}

/**
 * $1 = first (page size), $2 = PUBLIC_URL (prefix of server-relative image paths),
 * $3 = now (the visibility clock). Returns one row, one column: the response body.
 *
 * The same rules as Vitrine: products visible when ACTIVE and publishedAt <= now, in id
 * order; the first 10 variants by (position, id); a variant is available when it has
 * stock or keeps selling (inventory policy CONTINUE); the first 3 published collections
 * by collection id; image URLs made absolute.
 */
export const LISTING_SQL = `
SELECT '{"data":{"products":{"nodes":[' || coalesce(string_agg(card.json, ',' ORDER BY card.id), '') || ']}}}' AS body
FROM (
  SELECT p.id,
    '{"id":"' || ${globalIdSql('Product', 'p.id')} || '"'
    || ',"handle":' || ${str('p.handle')}
    || ',"title":' || ${str('p.title')}
    || ',"featuredImage":' || coalesce(fi.json, 'null')
    || ',"priceRange":{"minVariantPrice":{"amount":"' || ${moneySql('p."minPrice"', 'p."currencyCode"')}
    || '","currencyCode":"' || p."currencyCode" || '"}}'
    || ',"variants":{"nodes":[' || coalesce(v.json, '') || ']}'
    || ',"collections":{"nodes":[' || coalesce(c.json, '') || ']}'
    || '}' AS json
  FROM (
    SELECT id, handle, title, "featuredImageId", "minPrice", "currencyCode"
    FROM "Product"
    WHERE status = 'ACTIVE' AND "publishedAt" <= $3
    ORDER BY id
    LIMIT $1
  ) p
  LEFT JOIN LATERAL (
    SELECT '{"url":' || ${str(`CASE WHEN left(i.url, 1) = '/' THEN $2 || i.url ELSE i.url END`)} || '}' AS json
    FROM "ProductImage" i
    WHERE i.id = p."featuredImageId"
  ) fi ON true
  LEFT JOIN LATERAL (
    SELECT string_agg(
      '{"id":"' || ${globalIdSql('ProductVariant', 'pv.id')} || '"'
      || ',"title":' || ${str('pv.title')}
      || ',"availableForSale":' || (pv."inventoryQuantity" > 0 OR pv."inventoryPolicy" = 'CONTINUE')::text
      || ',"price":{"amount":"' || ${moneySql('pv.price', 'pv."currencyCode"')} || '"}'
      || ',"selectedOptions":[' || coalesce((
        SELECT string_agg('{"name":' || ${str(`o.value->>'name'`)} || ',"value":' || ${str(`o.value->>'value'`)} || '}', ',' ORDER BY o.ordinality)
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(pv."selectedOptions") = 'array' THEN pv."selectedOptions" ELSE '[]'::jsonb END)
          WITH ORDINALITY AS o(value, ordinality)
        WHERE jsonb_typeof(o.value->'name') = 'string' AND jsonb_typeof(o.value->'value') = 'string'
      ), '') || ']}',
      ',' ORDER BY pv.position, pv.id) AS json
    FROM (
      SELECT id, title, position, price, "currencyCode", "inventoryQuantity", "inventoryPolicy", "selectedOptions"
      FROM "ProductVariant"
      WHERE "productId" = p.id
      ORDER BY position, id
      LIMIT 10
    ) pv
  ) v ON true
  LEFT JOIN LATERAL (
    SELECT string_agg('{"handle":' || ${str('pc.handle')} || '}', ',' ORDER BY pc."collectionId") AS json
    FROM (
      SELECT cp."collectionId", col.handle
      FROM "CollectionProduct" cp
      JOIN "Collection" col ON col.id = cp."collectionId"
      WHERE cp."productId" = p.id AND col."publishedAt" <= $3
      ORDER BY cp."collectionId"
      LIMIT 3
    ) pc
  ) c ON true
) card
`.trim();

export const TOKEN_SQL = `SELECT id, name, kind, "revokedAt" FROM "StorefrontToken" WHERE "tokenHash" = $1`;

/** The same shape check as src/auth/storefront-tokens.ts: nothing malformed reaches SQL. */
const TOKEN_SHAPE = /^vs[tp]_[A-Za-z0-9_-]{43}$/;
const MAX_BODY = 100_000;

export interface CeilingOptions {
  pool: pg.Pool;
  /** Base of absolute image URLs, as Vitrine's PUBLIC_URL (no trailing slash). */
  publicUrl: string;
  /** How long a token lookup is trusted; Vitrine's StorefrontTokenVerifier uses 5 s. */
  tokenTtlMs?: number;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function errorBody(message: string, code: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

export function createCeilingHandler(options: CeilingOptions): Handler {
  const { pool, publicUrl } = options;
  const ttl = options.tokenTtlMs ?? 5_000;
  const tokens = new Map<string, { ok: boolean; expires: number }>();

  async function tokenIsValid(token: string | undefined): Promise<boolean> {
    if (!token || !TOKEN_SHAPE.test(token)) return false;
    const hash = sha256(token);
    const now = Date.now();
    const hit = tokens.get(hash);
    if (hit && hit.expires > now) return hit.ok;
    const { rows } = await pool.query<{ revokedAt: Date | null }>({ name: 'ceiling-token', text: TOKEN_SQL, values: [hash] });
    const ok = rows.length === 1 && rows[0]!.revokedAt === null;
    if (tokens.size > 10_000) tokens.clear();
    tokens.set(hash, { ok, expires: now + ttl });
    return ok;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/graphql') {
      send(response, 404, errorBody('Only POST /graphql is served here.', 'NOT_FOUND'));
      return;
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      send(response, 415, errorBody('POST bodies must be application/json.', 'UNSUPPORTED_MEDIA_TYPE'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        send(response, 413, errorBody('Request body too large.', 'PAYLOAD_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    }
    if (!(await tokenIsValid(request.headers['x-storefront-access-token'] as string | undefined))) {
      send(response, 401, errorBody('A valid X-Storefront-Access-Token header is required.', 'UNAUTHENTICATED'));
      return;
    }
    let first = 20;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown; variables?: { first?: unknown } | null };
      if (typeof body.query !== 'string') throw new Error('no query');
      const requested = body.variables?.first;
      if (requested !== undefined) {
        if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 0 || requested > 250) throw new Error('bad first');
        first = requested;
      }
    } catch {
      send(response, 400, errorBody('Expected {"query": "...", "variables": {"first": 0..250}}.', 'BAD_REQUEST'));
      return;
    }
    const { rows } = await pool.query<{ body: string }>({
      name: 'ceiling-listing',
      text: LISTING_SQL,
      values: [first, publicUrl, new Date()],
    });
    send(response, 200, rows[0]!.body);
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`ceiling: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!response.headersSent) send(response, 500, errorBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'));
      else response.destroy();
    });
  };
}

export async function startCeilingServer(options: {
  databaseUrl: string;
  publicUrl: string;
  host?: string;
  port?: number;
  poolMax?: number;
}): Promise<{ server: Server; url: string; pool: pg.Pool; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 });
  const server = createServer(createCeilingHandler({ pool, publicUrl: options.publicUrl.replace(/\/+$/, '') }));
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    pool,
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('ceiling-server: DATABASE_URL is required\n');
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 0);
  const host = process.env.HOST ?? '127.0.0.1';
  const publicUrl = process.env.PUBLIC_URL ?? `http://${host}:${port}`;
  startCeilingServer({ databaseUrl, publicUrl, host, port, poolMax: Number(process.env.DATABASE_POOL_MAX ?? 10) }).then(
    (server) => {
      process.stdout.write(`ceiling listening on ${server.url}\n`);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          server.close().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    },
    (error: unknown) => {
      process.stderr.write(`ceiling-server failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
