// GraphiQL served entirely from this server: no CDN, works offline and under a strict
// Content-Security-Policy. The assets are the built files of @graphql-yoga/graphiql,
// vendored in vendor/graphiql/ (see its README): the npm package would pull React,
// graphql 17 and a URL loader into the install for files that are already bundled.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';

const distDir = path.join(PACKAGE_ROOT, 'vendor', 'graphiql');
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

/**
 * Whether a GET that accepts HTML is a browser opening GraphiQL rather than an API call:
 * always without a `query` parameter; with one (GraphiQL keeps the edited query in the
 * address bar, so a reloaded or shared link carries it) when GraphiQL is on and the
 * request has no credentials, since a browser's address bar sends no token headers.
 */
export function isGraphiQLNavigation(request: Request, graphiqlEnabled: boolean): boolean {
  if (!new URL(request.url).searchParams.has('query')) return true;
  return graphiqlEnabled && !request.headers.has('x-storefront-access-token') && !request.headers.has('authorization');
}

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
  // A reloaded or shared link's query (and variables) win over the welcome query.
  var link = new URLSearchParams(location.search);
  if (link.get('query')) options.query = link.get('query');
  if (link.get('variables')) options.variables = link.get('variables');
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
  /** Prefilled request headers, e.g. a development storefront token. Without them the
   * page asks for a token in the Headers tab and keeps it in the browser's localStorage. */
  headers?: Record<string, string>;
  defaultQuery?: string;
}

/** The Headers tab's starting text when the server has no token to fill in. */
export const TOKEN_HEADER_TEMPLATE = '{\n  "X-Storefront-Access-Token": ""\n}';

export function renderGraphiQLPage(options: GraphiQLPageOptions): Response {
  const prefilled = options.headers !== undefined;
  const query = options.defaultQuery?.replace(/^# Welcome to Vitrine\..*\n/, prefilled ? WELCOME_WITH_TOKEN : WELCOME_WITHOUT_TOKEN);
  const opts = {
    title: 'Vitrine Storefront API',
    endpoint: options.endpoint,
    headers: prefilled ? JSON.stringify(options.headers, null, 2) : TOKEN_HEADER_TEMPLATE,
    query,
    // A token typed in by hand survives reloads (localStorage); a prefilled one is not stored.
    shouldPersistHeaders: !prefilled,
    defaultEditorToolsVisibility: prefilled ? true : 'headers',
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

const WELCOME_WITH_TOKEN = '# Welcome to Vitrine. The storefront token header is filled in below.\n';
const WELCOME_WITHOUT_TOKEN = `# Welcome to Vitrine. Paste a storefront token into the Headers tab below
# ("X-Storefront-Access-Token"); create one with: npx vitrine token create --name graphiql
# This browser keeps it (localStorage) until you clear it.
`;

export const DEFAULT_QUERY = `# Welcome to Vitrine.
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
