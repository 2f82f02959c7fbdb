// Placeholder images served by the API itself, so the demo catalog needs no network and
// no image files. A URL fully determines its picture:
//
//   /images/<products|collections>/<name>[_<W>x<H>].<svg|png|webp|jpg>[?bg=RRGGBB&fg=RRGGBB&w=W&h=H&label=Text]
//
// The SVG is the picture; PNG, WebP and JPEG are rendered from it (./image-raster.ts).
// <name> is a lower-case slug (a-z, 0-9, '-'); the picture shows its initials unless a
// label is given. Colours default to ones derived from the name. Width and height come
// from the `_WxH` suffix, then `w`/`width` and `h`/`height` (a lone one makes a square),
// default 800, each clamped to [MIN_SIZE, MAX_SIZE]. Unknown parameters (cache busters)
// are ignored; a malformed path or value, or a repeated parameter, is a 404.
// The SVG contains no script and no external references, and is served with a CSP that
// forbids both anyway, because an SVG opened directly is a document.

import { RASTER_CONTENT_TYPES, rasterize, type RasterFormat } from './image-raster.js';

const ROUTE = /^\/images\/(products|collections)\/([a-z0-9](?:[a-z0-9-]{0,158}[a-z0-9])?)(?:_(\d{1,5})x(\d{1,5}))?\.(svg|png|webp|jpg)$/;
const HEX = /^(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const DIMENSION = /^\d{1,5}$/;
const KNOWN_PARAMS = ['bg', 'fg', 'w', 'h', 'width', 'height', 'label'] as const;

export const DEFAULT_SIZE = 800;
export const MIN_SIZE = 16;
export const MAX_SIZE = 2048;
export const MAX_LABEL_LENGTH = 60;

export const IMAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'image/svg+xml',
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'cross-origin-resource-policy': 'cross-origin',
};

export type ImageFormat = 'svg' | RasterFormat;

export interface PlaceholderSpec {
  kind: 'products' | 'collections';
  format: ImageFormat;
  name: string;
  width: number;
  height: number;
  background: string;
  foreground: string;
  label: string | null;
}

/**
 * Answers `GET|HEAD /images/...`. Returns null for any other path, so the caller can go
 * on routing; a path under /images/ that is not a valid image URL is a 404.
 */
export async function handleImageRequest(request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith('/images/')) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', {
      status: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const spec = parseImageUrl(url);
  if (!spec)
    return new Response('Not found', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    });
  const body = renderPlaceholderSvg(spec);
  const headers = new Headers(IMAGE_HEADERS);
  // The SVG determines every format's bytes: its hash and the format make the etag.
  headers.set('etag', `"${hash32(body).toString(16)}${spec.format === 'svg' ? '' : `-${spec.format}`}"`);
  if (request.headers.get('if-none-match') === headers.get('etag')) return new Response(null, { status: 304, headers });
  if (spec.format !== 'svg') headers.set('content-type', RASTER_CONTENT_TYPES[spec.format]);
  const bytes = spec.format === 'svg' ? new TextEncoder().encode(body) : await rasterize(body, spec.format);
  headers.set('content-length', String(bytes.byteLength));
  return new Response(request.method === 'HEAD' ? null : bytes, { status: 200, headers });
}

/** Parses an image URL (path and query) into what to draw, or null when malformed. */
export function parseImageUrl(url: URL): PlaceholderSpec | null {
  const match = ROUTE.exec(url.pathname);
  if (!match) return null;
  const [, kind, name, pathWidth, pathHeight, format] = match;
  if (!name || (kind !== 'products' && kind !== 'collections')) return null;
  const params = url.searchParams;
  for (const key of KNOWN_PARAMS) if (params.getAll(key).length > 1) return null;

  const dimension = (...values: (string | null | undefined)[]): number | null | undefined => {
    const value = values.find((v) => v !== null && v !== undefined);
    if (value === undefined || value === null) return undefined;
    if (!DIMENSION.test(value)) return null;
    return Math.min(MAX_SIZE, Math.max(MIN_SIZE, Number(value)));
  };
  const w = dimension(pathWidth, params.get('w'), params.get('width'));
  const h = dimension(pathHeight, params.get('h'), params.get('height'));
  if (w === null || h === null) return null;

  const colour = (value: string | null, fallback: string): string | null => {
    if (value === null) return fallback;
    if (!HEX.test(value)) return null;
    const hex = value.toLowerCase();
    return hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  };
  const derived = deriveColours(name);
  const background = colour(params.get('bg'), derived.background);
  const foreground = colour(params.get('fg'), derived.foreground);
  if (!background || !foreground) return null;

  const rawLabel = params.get('label');
  // Control characters become spaces: removing them from the label is the point.
  // eslint-disable-next-line no-control-regex
  const printable = rawLabel?.replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, ' ');
  const label = printable === undefined ? null : [...printable.trim()].slice(0, MAX_LABEL_LENGTH).join('');

  return {
    kind,
    format: format as ImageFormat,
    name,
    width: w ?? h ?? DEFAULT_SIZE,
    height: h ?? w ?? DEFAULT_SIZE,
    background,
    foreground,
    label: label || null,
  };
}

/** Builds the URL path and query for a placeholder; the inverse of parseImageUrl. */
export function placeholderImagePath(spec: {
  kind: 'products' | 'collections';
  name: string;
  background?: string;
  foreground?: string;
  width?: number;
  height?: number;
  label?: string;
}): string {
  const params = new URLSearchParams();
  if (spec.background) params.set('bg', spec.background);
  if (spec.foreground) params.set('fg', spec.foreground);
  if (spec.width) params.set('w', String(spec.width));
  if (spec.height) params.set('h', String(spec.height));
  if (spec.label) params.set('label', spec.label);
  const query = params.toString();
  return `/images/${spec.kind}/${spec.name}.svg${query ? `?${query}` : ''}`;
}

/** Shopify's ImageTransformInput, less cropping. */
export interface ImageTransform {
  maxWidth?: number | null;
  maxHeight?: number | null;
  /** 1–3: multiplies the fitted size, for high-density screens. */
  scale?: number | null;
  preferredContentType?: 'PNG' | 'WEBP' | 'JPG' | null;
}

/** Why a transform cannot be honoured, or null when it can. */
export function imageTransformProblem(transform: ImageTransform): string | null {
  for (const key of ['maxWidth', 'maxHeight'] as const) {
    const value = transform[key];
    if (value !== null && value !== undefined && value < 1) return `${key} must be at least 1.`;
  }
  const scale = transform.scale;
  if (scale !== null && scale !== undefined && (scale < 1 || scale > 3)) return 'scale must be between 1 and 3.';
  return null;
}

/**
 * The server-relative URL of a placeholder image resized to fit within maxWidth × maxHeight (never
 * enlarged, aspect kept), times `scale`, at most MAX_SIZE a side, in the preferred format.
 * Any other URL (another host's image) is returned unchanged: there is nothing to resize.
 */
export function transformImageUrl(url: string, transform: ImageTransform): string {
  if (!url.startsWith('/images/')) return url;
  const parsed = new URL(url, 'http://relative.invalid');
  const spec = parseImageUrl(parsed);
  if (!spec) return url;
  const fit = Math.min(
    1,
    transform.maxWidth ? transform.maxWidth / spec.width : 1,
    transform.maxHeight ? transform.maxHeight / spec.height : 1,
  );
  const wanted = fit * (transform.scale ?? 1);
  const factor = Math.min(wanted, MAX_SIZE / spec.width, MAX_SIZE / spec.height);
  const size = (value: number) => Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(value * factor)));
  const format = transform.preferredContentType ? (transform.preferredContentType.toLowerCase() as ImageFormat) : spec.format;
  parsed.pathname = `/images/${spec.kind}/${spec.name}.${format}`;
  for (const key of ['w', 'h', 'width', 'height']) parsed.searchParams.delete(key);
  parsed.searchParams.set('w', String(size(spec.width)));
  parsed.searchParams.set('h', String(size(spec.height)));
  return `${parsed.pathname}${parsed.search}`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Initials of a slug's words, ignoring a trailing image number: "merino-wool-sweater-2" → "MWS". */
export function initialsOf(name: string): string {
  const words = name.split('-').filter((w) => w && !/^\d+$/.test(w));
  const letters = words.map((w) => w[0]!.toUpperCase());
  return (letters.length > 3 ? [letters[0], letters[1], letters[letters.length - 1]] : letters).join('') || '#';
}

export function renderPlaceholderSvg(spec: PlaceholderSpec): string {
  const { width: w, height: h } = spec;
  const bg = `#${spec.background}`;
  const fg = `#${spec.foreground}`;
  const min = Math.min(w, h);
  const cx = w / 2;
  const cy = h / 2;
  const seed = hash32(spec.name);
  const r = round(min * 0.3);
  const shapes = [
    `<circle cx="${round(cx)}" cy="${round(cy)}" r="${r}" fill="${fg}" fill-opacity="0.14"/>`,
    `<rect x="${round(cx - r)}" y="${round(cy - r)}" width="${2 * r}" height="${2 * r}" rx="${round(r * 0.25)}" fill="${fg}" fill-opacity="0.14"/>`,
    `<path d="M${round(cx - r * 1.3)} ${round(cy + r * 0.8)}L${round(cx - r * 0.3)} ${round(cy - r * 0.9)}L${round(cx + r * 0.2)} ${round(cy - r * 0.1)}L${round(cx + r * 0.55)} ${round(cy - r * 0.6)}L${round(cx + r * 1.3)} ${round(cy + r * 0.8)}Z" fill="${fg}" fill-opacity="0.14"/>`,
  ];
  const shape = shapes[seed % shapes.length]!;
  const initials = escapeXml(initialsOf(spec.name));
  const font = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(spec.label ?? initialsOf(spec.name))}">`,
    `<rect width="${w}" height="${h}" fill="${bg}"/>`,
    shape,
    `<text x="${round(cx)}" y="${round(cy)}" ${font} font-size="${round(min * 0.16)}" font-weight="600" fill="${fg}" text-anchor="middle" dominant-baseline="central">${initials}</text>`,
  ];
  if (spec.label) {
    const size = round(Math.max(8, Math.min(min * 0.055, (w * 0.9) / Math.max(1, spec.label.length) / 0.55)));
    parts.push(
      `<text x="${round(cx)}" y="${round(h - Math.max(size, min * 0.08))}" ${font} font-size="${size}" fill="${fg}" fill-opacity="0.85" text-anchor="middle">${escapeXml(spec.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

const PALETTE: readonly (readonly [string, string])[] = [
  ['1f2a44', 'f4efe6'],
  ['2f4f3a', 'eef3e8'],
  ['8b5e3c', 'fbf4ec'],
  ['c8553d', 'fff6ee'],
  ['3a6ea5', 'f2f7fc'],
  ['d9c5a0', '3b2f22'],
  ['6b4e71', 'f7f0f8'],
  ['e8e3d9', '2b2b2b'],
  ['4a5759', 'f1f4f4'],
  ['b08968', 'fffaf3'],
];

function deriveColours(name: string): { background: string; foreground: string } {
  const [background, foreground] = PALETTE[hash32(name) % PALETTE.length]!;
  return { background, foreground };
}

/** FNV-1a, 32 bits: a stable choice of colours and shapes from a name. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
