import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  handleImageRequest,
  imageTransformProblem,
  initialsOf,
  MAX_SIZE,
  MIN_SIZE,
  placeholderImagePath,
  transformImageUrl,
} from '../src/images.ts';
import { rasterCacheStats, RASTER_CACHE_BYTES } from '../src/image-raster.ts';

const BASE = 'http://vitrine.test';

async function get(path: string, init: RequestInit = {}) {
  const response = await handleImageRequest(new Request(BASE + path, init));
  return { response, body: response ? await response.text() : null };
}

function svgSize(body: string): [number, number] {
  const match = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(body);
  expect(match).not.toBeNull();
  return [Number(match![1]), Number(match![2])];
}

describe('handleImageRequest', () => {
  it('ignores paths outside /images/', async () => {
    expect((await get('/graphql')).response).toBeNull();
    expect((await get('/imagesfoo/products/a.svg')).response).toBeNull();
    expect((await get('/')).response).toBeNull();
  });

  it('serves a deterministic SVG with strict headers', async () => {
    const path = '/images/products/merino-wool-sweater-1.svg?bg=1f2a44&fg=f4efe6&w=800&h=600';
    const { response, body } = await get(path);
    expect(response!.status).toBe(200);
    expect(response!.headers.get('content-type')).toBe('image/svg+xml');
    expect(response!.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response!.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response!.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(body).toContain('fill="#1f2a44"');
    expect(body).toContain('>MWS</text>');
    expect(svgSize(body!)).toEqual([800, 600]);
    expect(body).not.toMatch(/<script|href=|on\w+=/i);
    const again = await get(path);
    expect(again.body).toBe(body);
    expect(again.response!.headers.get('etag')).toBe(response!.headers.get('etag'));
    expect(Number(response!.headers.get('content-length'))).toBe(new TextEncoder().encode(body!).byteLength);
  });

  it('derives colours from the name when none are given, and different names look different', async () => {
    const a = await get('/images/products/trail-running-shoe-1.svg');
    const b = await get('/images/collections/summer-essentials.svg');
    expect(a.response!.status).toBe(200);
    expect(b.response!.status).toBe(200);
    expect(svgSize(a.body!)).toEqual([800, 800]);
    expect(a.body).not.toBe(b.body);
    expect(b.body).toContain('>SE</text>');
  });

  it('honours sizes from the path suffix and the query, with caps', async () => {
    expect(svgSize((await get('/images/products/mug_300x200.svg')).body!)).toEqual([300, 200]);
    expect(svgSize((await get('/images/products/mug.svg?width=400')).body!)).toEqual([400, 400]);
    expect(svgSize((await get('/images/products/mug.svg?h=120')).body!)).toEqual([120, 120]);
    expect(svgSize((await get('/images/products/mug.svg?w=99999&h=1')).body!)).toEqual([MAX_SIZE, MIN_SIZE]);
  });

  it('answers HEAD with headers only and 304 on a matching etag', async () => {
    const head = await get('/images/products/mug.svg', { method: 'HEAD' });
    expect(head.response!.status).toBe(200);
    expect(head.body).toBe('');
    const etag = head.response!.headers.get('etag')!;
    const cached = await get('/images/products/mug.svg', { headers: { 'if-none-match': etag } });
    expect(cached.response!.status).toBe(304);
  });

  it('refuses other methods', async () => {
    const { response } = await get('/images/products/mug.svg', { method: 'POST', body: 'x' });
    expect(response!.status).toBe(405);
    expect(response!.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each([
    '/images/products/Mug.svg',
    '/images/products/mug.gif',
    '/images/products/mug.svg.png',
    '/images/products/mug',
    '/images/products/.svg',
    '/images/products/-mug.svg',
    '/images/products/a/b.svg',
    '/images/products/..%2fetc.svg',
    '/images/users/mug.svg',
    '/images/products/mug_0x.svg',
    '/images/products/mug.svg?bg=red',
    '/images/products/mug.svg?fg=12345',
    '/images/products/mug.svg?w=-5',
    '/images/products/mug.svg?w=1e3',
    '/images/products/mug.svg?w=10&w=20',
    `/images/products/${'a'.repeat(200)}.svg`,
  ])('404 for malformed %s', async (path) => {
    const { response } = await get(path);
    expect(response!.status).toBe(404);
    expect(response!.headers.get('content-type')).not.toContain('svg');
  });

  it('ignores unknown query parameters such as cache busters', async () => {
    expect((await get('/images/products/mug.svg?v=3&crop=center')).response!.status).toBe(200);
  });

  it('escapes the label and never reflects markup', async () => {
    const evil = `"><script>alert(1)</script><a href='javascript:x'>&`;
    const { response, body } = await get(`/images/products/mug.svg?label=${encodeURIComponent(evil)}`);
    expect(response!.status).toBe(200);
    expect(body).not.toContain('<script');
    expect(body).not.toContain('<a ');
    expect(body).not.toContain(evil);
    const tags = new Set([...body!.matchAll(/<\/?([a-zA-Z]+)/g)].map((m) => m[1]));
    expect([...tags].every((tag) => ['svg', 'rect', 'circle', 'path', 'text'].includes(tag!))).toBe(true);
    expect(body).toContain('&#60;script&#62;');
    expect((body!.match(/<text/g) ?? []).length).toBe(2);
  });

  it('caps the label length and strips control characters', async () => {
    const { body } = await get(`/images/products/mug.svg?label=${encodeURIComponent('x\u0000y'.repeat(50))}`);
    expect(body).not.toContain('\u0000');
    const label = /<text[^>]*fill-opacity="0.85"[^>]*>([^<]*)<\/text>/.exec(body!)![1]!;
    expect([...label].length).toBeLessThanOrEqual(60);
  });
});

describe('helpers', () => {
  it('escapes XML special characters', () => {
    expect(escapeXml(`<a b="c" d='e'>&`)).toBe('&#60;a b=&#34;c&#34; d=&#39;e&#39;&#62;&#38;');
  });

  it('takes initials of slug words, ignoring numbers', () => {
    expect(initialsOf('ceramic-pour-over-set-3')).toBe('CPS');
    expect(initialsOf('mug')).toBe('M');
    expect(initialsOf('123')).toBe('#');
  });

  it('builds paths that round-trip', async () => {
    const path = placeholderImagePath({
      kind: 'products',
      name: 'camp-mug-2',
      background: 'c8553d',
      foreground: 'fff6ee',
      width: 640,
      height: 480,
      label: 'Camp Mug',
    });
    expect(path).toBe('/images/products/camp-mug-2.svg?bg=c8553d&fg=fff6ee&w=640&h=480&label=Camp+Mug');
    const { response, body } = await get(path);
    expect(response!.status).toBe(200);
    expect(svgSize(body!)).toEqual([640, 480]);
    expect(body).toContain('>Camp Mug</text>');
  });
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): [number, number] {
  const view = Buffer.from(bytes);
  expect([...view.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(view.toString('latin1', 12, 16)).toBe('IHDR');
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}

/** Width and height from a WebP's first chunk (VP8X, VP8L or VP8), after checking RIFF/WEBP. */
function webpSize(bytes: Uint8Array): [number, number] {
  const view = Buffer.from(bytes);
  expect(view.toString('latin1', 0, 4)).toBe('RIFF');
  expect(view.readUInt32LE(4)).toBe(view.byteLength - 8);
  expect(view.toString('latin1', 8, 12)).toBe('WEBP');
  const chunk = view.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return [1 + view.readUIntLE(24, 3), 1 + view.readUIntLE(27, 3)];
  if (chunk === 'VP8L') {
    const bits = view.readUInt32LE(21);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  expect(chunk).toBe('VP8 ');
  return [view.readUInt16LE(26) & 0x3fff, view.readUInt16LE(28) & 0x3fff];
}

async function bytesOf(path: string, init: RequestInit = {}) {
  const response = (await handleImageRequest(new Request(BASE + path, init)))!;
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('PNG, WebP and JPEG renditions', () => {
  it('renders PNG at the requested size with its content type', async () => {
    const { response, bytes } = await bytesOf('/images/products/merino-wool-sweater-1.png?w=320&h=240');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(pngSize(bytes)).toEqual([320, 240]);
  });

  it('renders WebP and JPEG, sizes from the path suffix, capped like the SVG', async () => {
    const webp = await bytesOf('/images/products/mug_200x100.webp');
    expect(webp.response.headers.get('content-type')).toBe('image/webp');
    expect(webpSize(webp.bytes)).toEqual([200, 100]);
    const capped = await bytesOf('/images/collections/summer-essentials.webp?w=99999&h=10');
    expect(webpSize(capped.bytes)).toEqual([MAX_SIZE, MIN_SIZE]);
    const jpg = await bytesOf('/images/products/mug.jpg?w=64');
    expect(jpg.response.headers.get('content-type')).toBe('image/jpeg');
    expect([...jpg.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('gives each format its own etag, answers 304 and HEAD, and serves repeats from a bounded cache', async () => {
    const path = '/images/products/camp-mug-2.png?w=100';
    const first = await bytesOf(path);
    const svg = await bytesOf(path.replace('.png', '.svg'));
    expect(first.response.headers.get('etag')).not.toBe(svg.response.headers.get('etag'));
    const before = rasterCacheStats();
    const again = await bytesOf(path);
    expect(again.bytes).toEqual(first.bytes);
    expect(rasterCacheStats()).toEqual(before); // a cache hit adds nothing
    expect(before.bytes).toBeLessThanOrEqual(RASTER_CACHE_BYTES);
    const notModified = await bytesOf(path, { headers: { 'if-none-match': first.response.headers.get('etag')! } });
    expect(notModified.response.status).toBe(304);
    const head = await bytesOf(path, { method: 'HEAD' });
    expect(head.bytes.byteLength).toBe(0);
    expect(head.response.headers.get('content-type')).toBe('image/png');
  });
});

describe('transformImageUrl', () => {
  const original = '/images/products/camp-mug-2.svg?bg=c8553d&fg=fff6ee&w=800&h=600&label=Camp+Mug';

  it('fits within the bounds without enlarging, keeps the aspect ratio and picks the format', () => {
    expect(transformImageUrl(original, { maxWidth: 400, preferredContentType: 'PNG' })).toBe(
      '/images/products/camp-mug-2.png?bg=c8553d&fg=fff6ee&label=Camp+Mug&w=400&h=300',
    );
    expect(transformImageUrl(original, { maxWidth: 400, maxHeight: 150 })).toBe(
      '/images/products/camp-mug-2.svg?bg=c8553d&fg=fff6ee&label=Camp+Mug&w=200&h=150',
    );
    expect(transformImageUrl(original, { maxWidth: 4000, preferredContentType: 'WEBP' })).toMatch(/\.webp\?.*w=800&h=600$/);
    expect(transformImageUrl(original, { maxWidth: 300, scale: 2 })).toMatch(/w=600&h=450$/);
    expect(transformImageUrl('/images/products/mug_3000x100.svg', { scale: 3 })).toBe(
      `/images/products/mug.svg?w=${MAX_SIZE}&h=${Math.round(100 * (MAX_SIZE / 2048))}`,
    );
  });

  it("leaves other hosts' images alone and refuses impossible transforms", () => {
    expect(transformImageUrl('https://cdn.example.com/a.svg?w=9', { maxWidth: 10, preferredContentType: 'PNG' })).toBe(
      'https://cdn.example.com/a.svg?w=9',
    );
    expect(imageTransformProblem({ maxWidth: 0 })).toMatch(/maxWidth/);
    expect(imageTransformProblem({ scale: 4 })).toMatch(/scale/);
    expect(imageTransformProblem({ maxWidth: 1, maxHeight: 1, scale: 3 })).toBeNull();
  });
});
