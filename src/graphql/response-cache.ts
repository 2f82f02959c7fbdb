// A short-lived cache of anonymous catalog responses. The catalog is the same for every
// storefront token, so a query without a signed-in customer can be answered from memory
// for a few seconds: the price of that is that a product's stock, price or publication
// shows up to `ttlMs` late, as on any CDN-cached storefront. Responses for a customer,
// mutations, and responses with errors are never cached; a mutation empties the cache.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface CachedResponse {
  body: string;
  contentType: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, { value: CachedResponse; expires: number }>();

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number; maxBodyBytes: number },
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  /** Key for a request: method, the document and variables (query string or body), Accept. */
  static key(method: string, search: string, body: string, accept: string): string {
    return `${method}\n${accept}\n${search}\n${body}`;
  }

  get(key: string): CachedResponse | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    // Refresh recency: Map iteration order is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores a successful response; returns whether it was stored. */
  set(key: string, value: CachedResponse): boolean {
    if (!this.enabled || value.body.length > this.options.maxBodyBytes) return false;
    // A response carrying errors is never reused: `"errors":` can only appear unescaped as a key.
    if (value.body.includes('"errors":')) return false;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return true;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Marks anonymous query results as cacheable (the app stores them) and empties the cache
 * after any mutation, so a process never serves its own stale writes.
 */
export function responseCachePlugin(cache: ResponseCache): Plugin<{ cache?: { cacheable: boolean }; viewer?: { customer: unknown } }> {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const kind = operation?.operation;
      const ctx = args.contextValue;
      if (kind === 'query' && ctx.cache && !ctx.viewer?.customer) ctx.cache.cacheable = true;
      if (kind === 'mutation') {
        return {
          onExecuteDone() {
            cache.clear();
          },
        };
      }
      return undefined;
    },
  };
}
