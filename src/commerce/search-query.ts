// Turning what a shopper typed into search words, and choosing spelling corrections.
// Pure functions: no database. The words only ever reach SQL as bound parameters, never
// as tsquery text, so operators (! & | :* ( )), quotes and backslashes are just noise.
import type { SearchLimits } from '../config.js';
import { ListingInputError } from './product-listing.js';

/** Bad search input a shopper can fix; reported like other listing input errors. */
export class SearchInputError extends ListingInputError {
  override name = 'SearchInputError';
  constructor(
    message: string,
    readonly reason: 'BLANK' | 'TOO_LONG',
  ) {
    super(message, ['query']);
  }
}

export interface SearchWords {
  /** Lower case, accents stripped, letters and digits only; at least one. */
  words: string[];
  /** The last word is matched as a prefix ("lin" finds "linen"), unless the query ended with a space. */
  lastIsPrefix: boolean;
}

/** Folds case and strips combining accents: "Crème Brûlée" -> "creme brulee". */
export function foldWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Splits a query into words. Throws SearchInputError for a query that is too long or has no
 * letters or digits at all (blank or punctuation only): never "search everything".
 */
export function parseSearchQuery(raw: string, limits: Pick<SearchLimits, 'maxQueryLength' | 'maxQueryWords'>): SearchWords {
  if (raw.length > limits.maxQueryLength) {
    throw new SearchInputError(`The search query is too long (at most ${limits.maxQueryLength} characters).`, 'TOO_LONG');
  }
  const words = foldWord(raw)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => word.slice(0, 40));
  if (words.length === 0) throw new SearchInputError('Type a word to search for.', 'BLANK');
  if (words.length > limits.maxQueryWords) {
    throw new SearchInputError(`The search query has too many words (at most ${limits.maxQueryWords}).`, 'TOO_LONG');
  }
  return { words, lastIsPrefix: !/[\s]$/u.test(raw) };
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(best);
    }
  }
  return rows[a.length]![b.length]!;
}

/** How many edits a word of this length may be off: none for 1–2 letters, 1 up to 5, else 2. */
export function allowedEdits(word: string): number {
  if (word.length <= 2) return 0;
  return word.length <= 5 ? 1 : 2;
}

export interface Candidate {
  word: string;
  /** Products using the word: the tie-breaker between equally close words. */
  products: number;
}

/**
 * The catalog word a misspelled word most likely meant, or null when none is close enough.
 * A prefix (the word still being typed) may also match the start of a longer word.
 */
export function chooseCorrection(word: string, candidates: readonly Candidate[], prefix: boolean): string | null {
  const limit = allowedEdits(word);
  let best: { word: string; distance: number; whole: number; products: number } | null = null;
  for (const candidate of candidates) {
    const whole = editDistance(word, candidate.word);
    let distance = whole;
    if (prefix && candidate.word.length > word.length) {
      distance = Math.min(
        distance,
        editDistance(word, candidate.word.slice(0, word.length)),
        editDistance(word, candidate.word.slice(0, word.length + 1)),
      );
    }
    if (distance === 0 || distance > limit) continue;
    // Fewest edits; then the closest whole word; then the most used.
    const better =
      !best ||
      distance < best.distance ||
      (distance === best.distance && (whole < best.whole || (whole === best.whole && candidate.products > best.products)));
    if (better) best = { word: candidate.word, distance, whole, products: candidate.products };
  }
  return best?.word ?? null;
}
