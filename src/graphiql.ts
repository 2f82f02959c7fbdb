// GraphiQL served entirely from this server: no CDN, works offline and under a strict
// Content-Security-Policy. The assets are the built files of @graphql-yoga/graphiql,
// vendored in vendor/graphiql/ (see its README): the npm package would pull React,
// graphql 17 and a URL loader into the install for files that are already bundled.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const distDir = fileURLToPath(new URL('../vendor/graphiql/', import.meta.url));
const version = readFileSync(path.join(distDir, 'VERSION'), 'utf8').trim();

/** Assets are versioned by path, so they can be cached forever. */
export const GRAPHIQL_ASSET_PREFIX = `/graphiql/${version}/`;

const ASSETS: Record<string, { file: string; type: string }> = {
  'graphiql.css': { file: 'graphiql.css', type: 'text/css; charset=utf-8' },
  'graphiql.js': { file: 'graphiql.js', type: 'text/javascript; charset=utf-8' },
  'editor.worker.js': { file: 'editor.worker.js', type: 'text/javascript; charset=utf-8' },
  'json.worker.js': { file: 'json.worker.js', type: 'text/javascript; charset=utf-8' },
  'graphql.worker.js': { file: 'graphql.worker.js', type: 'text/javascript; charset=utf-8' },
};

const cache = new Map<string, Promise<Buffer>>();

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Serves `/graphiql/<version>/<asset>`; null for other paths. */
export async function handleGraphiQLAsset(pathname: string): Promise<Response | null> {
  if (!pathname.startsWith('/graphiql/')) return null;
  if (!pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return new Response('Not found', { status: 404 });
  const name = pathname.slice(GRAPHIQL_ASSET_PREFIX.length);
  if (name === 'boot.js') return bootScript();
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return new Response('Not found', { status: 404 });
  let body = cache.get(name);
  if (!body) {
    body = readFile(path.join(distDir, asset.file));
    cache.set(name, body);
  }
  return new Response(new Uint8Array(await body), {
    headers: {
      'content-type': asset.type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    },
  });
}

function bootScript(): Response {
  // Reads its options from the page's JSON block: no inline script, so the CSP stays strict.
  const source = `(function () {
  var options = JSON.parse(document.getElementById('graphiql-options').textContent);
  var base = ${JSON.stringify(GRAPHIQL_ASSET_PREFIX)};
  var workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: function (_id, label) { return base + (workers[label] || workers.editorWorkerService); } };
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();`;
  return new Response(source, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
  });
}

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export interface GraphiQLPageOptions {
  endpoint: string;
  /** Prefilled request headers, e.g. a development storefront token. */
  headers?: Record<string, string>;
  defaultQuery?: string;
}

export function renderGraphiQLPage(options: GraphiQLPageOptions): Response {
  const opts = {
    title: 'Vitrine Storefront API',
    endpoint: options.endpoint,
    headers: options.headers ? JSON.stringify(options.headers, null, 2) : undefined,
    query: options.defaultQuery,
    shouldPersistHeaders: false,
  };
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vitrine · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.css">
</head>
<body>
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root" style="height:100vh">Loading GraphiQL…</div>
<script type="application/json" id="graphiql-options">${escapeJsonForHtml(opts)}</script>
<script src="${GRAPHIQL_ASSET_PREFIX}graphiql.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}boot.js"></script>
</body>
</html>`;
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': CSP,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
}

export const DEFAULT_QUERY = `# Welcome to Vitrine. The storefront token header is filled in below.
query Listing {
  products(first: 12, sortKey: PRICE) {
    nodes {
      handle
      title
      priceRange { minVariantPrice { amount currencyCode } }
      featuredImage { url altText }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
