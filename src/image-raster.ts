// PNG, WebP and JPEG versions of the placeholder images, for clients that cannot show SVG
// (native mobile image views). Rendered from the same SVG with sharp, and kept in a
// per-process LRU cache bounded in bytes; concurrent requests for one picture share a render.
import { LRUCache } from 'lru-cache';

export type RasterFormat = 'png' | 'webp' | 'jpg';

export const RASTER_CONTENT_TYPES: Readonly<Record<RasterFormat, string>> = {
  png: 'image/png',
  webp: 'image/webp',
  jpg: 'image/jpeg',
};

/** Rendered pictures kept per process, in bytes (a 2048² PNG placeholder is ~100 kB). */
export const RASTER_CACHE_BYTES = 32 * 1024 * 1024;
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

const cache = new LRUCache<string, Uint8Array<ArrayBuffer>>({
  maxSize: RASTER_CACHE_BYTES,
  maxEntrySize: MAX_ENTRY_BYTES,
  sizeCalculation: (bytes) => Math.max(1, bytes.byteLength),
});
const rendering = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

// sharp (libvips, ~30 MB of memory) is loaded by the first raster request, not at start-up:
// most storefronts show the SVG and never ask for one.
let sharpModule: Promise<typeof import('sharp')> | undefined;

async function render(svg: string, format: RasterFormat): Promise<Uint8Array<ArrayBuffer>> {
  const { default: sharp } = await (sharpModule ??= import('sharp'));
  // The SVG is ours (no scripts, no external references) and at most 2048 px a side.
  const image = sharp(Buffer.from(svg), { limitInputPixels: 2048 * 2048 });
  const output =
    format === 'png' ? image.png() : format === 'webp' ? image.webp({ quality: 85 }) : image.flatten().jpeg({ quality: 85, mozjpeg: true });
  return new Uint8Array(await output.toBuffer());
}

/** The picture drawn by `svg` in `format`, from the cache when it was rendered before. */
export async function rasterize(svg: string, format: RasterFormat): Promise<Uint8Array<ArrayBuffer>> {
  const key = `${format}\n${svg}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let pending = rendering.get(key);
  if (!pending) {
    pending = render(svg, format).finally(() => rendering.delete(key));
    rendering.set(key, pending);
  }
  const bytes = await pending;
  cache.set(key, bytes);
  return bytes;
}

/** How many rendered pictures the cache holds and their size in bytes (for tests and metrics). */
export function rasterCacheStats(): { entries: number; bytes: number } {
  return { entries: cache.size, bytes: cache.calculatedSize };
}
