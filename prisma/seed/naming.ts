// Names, codes and prices that look like a real shop's, and the sets that keep handles and
// titles unique across the generated catalog.
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-and-/g, '-');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Light text on dark swatches, dark text on light ones. */
export function contrastOn(hex: string): string {
  const n = parseInt(hex, 16);
  const luminance = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return luminance > 150 ? '2b2b2b' : 'f7f4ee';
}

export function code(text: string): string {
  const words = text
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const letters =
    words.length >= 3
      ? words.slice(0, 3).map((w) => w[0])
      : words.length === 2
        ? [words[0]![0], words[0]![1], words[1]![0]]
        : [...(words[0] ?? 'XXX').slice(0, 3)];
  return letters.join('').toUpperCase().padEnd(3, 'X');
}

export type PriceStyle = 'nine' | 'five' | 'ten';

/** Rounds cents to a price that looks like one: 1999, 4500, 12900. */
export function prettyPrice(cents: number, style: PriceStyle): number {
  const dollars = cents / 100;
  switch (style) {
    case 'nine':
      return Math.max(1, Math.round(dollars)) * 100 - 1;
    case 'five':
      return Math.max(5, Math.round(dollars / 5) * 5) * 100;
    case 'ten':
      return Math.max(9, Math.round(dollars / 10) * 10 - 1) * 100;
  }
}

/** Product lines: named like a shop names its ranges, they tell apart products that
 * would otherwise share a title ("Juniper Cast Iron Skillet"). */
const LINES = [
  'Aster',
  'Birch',
  'Cedar',
  'Dune',
  'Ember',
  'Fjord',
  'Glen',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Linden',
  'Meadow',
  'Nova',
  'Orchard',
  'Quarry',
  'Rowan',
  'Sierra',
  'Tundra',
  'Umber',
  'Vale',
  'Willow',
  'Yarrow',
  'Zephyr',
];

/** Hands out unique product titles without drawing random numbers (so every other value
 * of the catalog stays what the seed makes it). */
export class TitleSet {
  private readonly used = new Set<string>();
  take(modifier: string | null, material: string | null, noun: string, modifiers: readonly string[], id: number): string {
    const title = (...words: (string | null)[]) => words.filter(Boolean).join(' ');
    const candidates = function* () {
      yield title(modifier, material, noun);
      for (let i = 0; i < modifiers.length; i++) yield title(modifiers[(id + i) % modifiers.length]!, material, noun);
      for (let i = 0; i < LINES.length; i++) yield title(LINES[(id + i) % LINES.length]!, modifier, material, noun);
    };
    for (const candidate of candidates()) {
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
    for (let n = 2; ; n++) {
      const candidate = `${title(modifier, material, noun)} No. ${n}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }
}

export class HandleSet {
  private readonly used = new Set<string>();
  take(base: string): string {
    let handle = base || 'item';
    for (let n = 2; this.used.has(handle); n++) handle = `${base}-${n}`;
    this.used.add(handle);
    return handle;
  }
}
