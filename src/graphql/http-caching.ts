// HTTP caching of GraphQL answers, for browsers and a CDN in front of Vitrine. An anonymous
// `GET /graphql` answer that ran cleanly (data, no errors, status 200) is `public` for a
// short while and carries a strong ETag of its body; a matching `If-None-Match` gets 304.
// Everything else — a customer's answer, an error, a refused or throttled request, any
// POST — is never stored by a shared cache. `Vary` names every request header the answer
// depends on, so a cache never hands one request's answer to a request that differs in them.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { sha256 } from '../hash.js';

/**
 * Request headers that change a `/graphql` answer: the storefront token (valid, revoked or
 * missing decides 200 or 401), the bearer token (a customer's answer or a 401), and Accept
 * (`application/graphql-response+json` or `application/json`; `text/html` opens GraphiQL).
 * The URL carries the rest (document or persisted hash, variables, operation name). CORS
 * adds `Origin` itself when `CORS_ORIGINS` is a list; with `*` the answer does not vary by origin.
 */
export const GRAPHQL_VARY = ['Accept', 'Authorization', 'X-Storefront-Access-Token'] as const;

export interface HttpCachingOptions {
  /** Seconds a shared cache may serve the answer without asking again; 0 = revalidate every time. */
  maxAgeSeconds: number;
  /** Seconds after that it may still serve it while it revalidates in the background. */
  staleWhileRevalidateSeconds: number;
  /** Whether the request has no signed-in customer (decided before GraphQL runs). */
  isAnonymous: (request: Request) => boolean;
}

/** The Cache-Control of a public answer. */
export function publicCacheControl(options: Pick<HttpCachingOptions, 'maxAgeSeconds' | 'staleWhileRevalidateSeconds'>): string {
  if (options.maxAgeSeconds === 0) return 'public, no-cache';
  const swr = options.staleWhileRevalidateSeconds > 0 ? `, stale-while-revalidate=${options.staleWhileRevalidateSeconds}` : '';
  return `public, max-age=${options.maxAgeSeconds}${swr}`;
}

/** A strong validator: the SHA-256 of the exact bytes of the body. */
export function strongETag(body: Uint8Array): string {
  return `"${sha256(body, 'base64url')}"`;
}

/** RFC 9110 §13.1.2: If-None-Match compares weakly (a `W/` prefix is ignored); `*` matches any. */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

/** Adds header names to Vary, keeping what is there (case-insensitively, no duplicates). */
export function addVary(headers: Headers, names: readonly string[]): void {
  const present = (headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (present.includes('*')) return;
  const lower = new Set(present.map((name) => name.toLowerCase()));
  const merged = [...present, ...names.filter((name) => !lower.has(name.toLowerCase()))];
  headers.set('vary', merged.join(', '));
}

export function useHttpCaching(options: HttpCachingOptions): Plugin {
  const cacheControl = publicCacheControl(options);
  const clean = new WeakSet<Request>();
  return {
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      const single = result as ExecutionResult;
      if (single.data != null && !single.errors?.length) clean.add(request);
    },
    async onResponse(event) {
      const { request, response } = event;
      const { headers } = response;
      addVary(headers, GRAPHQL_VARY);
      // Yoga's response-cache plugin labels the answers it stores with its cache key as ETag
      // (a hash of the document, not of the body) and a Last-Modified; neither validates this body.
      headers.delete('etag');
      headers.delete('last-modified');
      const isPublic = request.method === 'GET' && response.status === 200 && clean.has(request) && options.isAnonymous(request);
      if (!isPublic) {
        if (!(headers.get('cache-control') ?? '').includes('no-store')) headers.set('cache-control', 'no-store');
        return;
      }
      const body = new Uint8Array(await response.arrayBuffer());
      const etag = strongETag(body);
      const out = new Headers(headers);
      out.set('cache-control', cacheControl);
      out.set('etag', etag);
      if (ifNoneMatchMatches(request.headers.get('if-none-match'), etag)) {
        out.delete('content-type');
        out.delete('content-length');
        event.setResponse(new Response(null, { status: 304, headers: out }));
        return;
      }
      event.setResponse(new Response(body, { status: 200, headers: out }));
    },
  };
}
