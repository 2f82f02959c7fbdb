// A small shared HTTP cache, as a CDN in front of Vitrine would be: it stores GET answers
// marked `public` with a max-age, keyed by URL and by the request headers the answer's Vary
// names, serves them while fresh, and once stale revalidates them with If-None-Match (a 304
// refreshes the stored answer). Only what the tests need: no stale-while-revalidate (a
// stale answer is revalidated before it is served), no heuristics, no range requests.

export interface SharedCache {
  fetch(request: Request): Promise<Response>;
  /** Requests that reached the origin. */
  readonly originRequests: number;
}

interface Entry {
  body: Uint8Array;
  status: number;
  headers: Headers;
  storedAt: number;
  /** The request's values of the headers Vary names. */
  varied: Map<string, string | null>;
}

function directives(headers: Headers): Map<string, string | true> {
  const map = new Map<string, string | true>();
  for (const part of (headers.get('cache-control') ?? '').split(',')) {
    const [name, value] = part.trim().split('=');
    if (name) map.set(name.toLowerCase(), value ?? true);
  }
  return map;
}

function varyNames(headers: Headers): string[] {
  return (headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

function storable(response: Response): boolean {
  const cc = directives(response.headers);
  return (
    response.status === 200 && cc.has('public') && !cc.has('no-store') && !cc.has('private') && !varyNames(response.headers).includes('*')
  );
}

export function createSharedCache(origin: (request: Request) => Promise<Response>, now: () => number): SharedCache {
  const entries = new Map<string, Entry[]>();
  let originRequests = 0;
  const toOrigin = (request: Request) => {
    originRequests++;
    return origin(request);
  };
  const serve = (entry: Entry, state: string) => {
    const headers = new Headers(entry.headers);
    headers.set('age', String(Math.floor((now() - entry.storedAt) / 1000)));
    headers.set('x-cdn', state);
    return new Response(entry.body.slice(), { status: entry.status, headers });
  };
  const store = async (request: Request, response: Response, list: Entry[]) => {
    const body = new Uint8Array(await response.arrayBuffer());
    const varied = new Map(varyNames(response.headers).map((name) => [name, request.headers.get(name)]));
    const entry: Entry = { body, status: response.status, headers: new Headers(response.headers), storedAt: now(), varied };
    list.push(entry);
    return serve(entry, 'MISS');
  };
  return {
    get originRequests() {
      return originRequests;
    },
    async fetch(request) {
      if (request.method !== 'GET') return toOrigin(request);
      const list = entries.get(request.url) ?? [];
      entries.set(request.url, list);
      const entry = list.find((candidate) => [...candidate.varied].every(([name, value]) => request.headers.get(name) === value));
      if (!entry) {
        const response = await toOrigin(request);
        return storable(response) ? store(request, response, list) : response;
      }
      const maxAge = Number(directives(entry.headers).get('max-age') ?? 0);
      if (now() - entry.storedAt < maxAge * 1000) return serve(entry, 'HIT');
      const etag = entry.headers.get('etag');
      const headers = new Headers(request.headers);
      if (etag) headers.set('if-none-match', etag);
      const response = await toOrigin(new Request(request.url, { headers }));
      list.splice(list.indexOf(entry), 1);
      if (response.status === 304) {
        const refreshed = { ...entry, storedAt: now(), headers: new Headers(entry.headers) };
        response.headers.forEach((value, name) => refreshed.headers.set(name, value));
        list.push(refreshed);
        return serve(refreshed, 'REVALIDATED');
      }
      return storable(response) ? store(request, response, list) : response;
    },
  };
}
