import { describe, expect, it } from 'vitest';
import { chooseCorrection, editDistance, foldWord, parseSearchQuery, SearchInputError } from '../src/commerce/search-query.js';

const limits = { maxQueryLength: 256, maxQueryWords: 10 };

describe('parseSearchQuery', () => {
  it('splits into folded words; the last is a prefix unless the query ends with a space', () => {
    expect(parseSearchQuery('Crème  Brûlée', limits)).toEqual({ words: ['creme', 'brulee'], lastIsPrefix: true });
    expect(parseSearchQuery('linen shirt ', limits)).toEqual({ words: ['linen', 'shirt'], lastIsPrefix: false });
    expect(foldWord('ÉTÉ')).toBe('ete');
  });

  it('treats tsquery operators, quotes, backslashes and emoji as separators', () => {
    expect(parseSearchQuery(`wool & !cotton | (linen:*) 'x' "y" \\ 😀 -z`, limits).words).toEqual([
      'wool',
      'cotton',
      'linen',
      'x',
      'y',
      'z',
    ]);
  });

  it('refuses blank, punctuation-only, too long and too wordy queries with a reason', () => {
    for (const query of ['', '   ', '\t\n', '!&|:*()', "''\\\\", '😀😀']) {
      expect(() => parseSearchQuery(query, limits)).toThrow(SearchInputError);
      try {
        parseSearchQuery(query, limits);
      } catch (error) {
        expect((error as SearchInputError).reason).toBe('BLANK');
        expect((error as SearchInputError).field).toEqual(['query']);
      }
    }
    expect(() => parseSearchQuery('a'.repeat(10_000), limits)).toThrow(/too long/);
    expect(() => parseSearchQuery('a b c d e f g h i j k', limits)).toThrow(/too many words/);
  });
});

describe('spelling correction', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('sweater', 'sweater')).toBe(0);
    expect(editDistance('sewater', 'sweater')).toBe(1);
    expect(editDistance('swater', 'sweater')).toBe(1);
    expect(editDistance('sweeter', 'sweater')).toBe(1);
    expect(editDistance('swaeter', 'sweater')).toBe(1);
    expect(editDistance('sweatre', 'sweater')).toBe(1);
    expect(editDistance('swtr', 'sweater')).toBe(3);
  });

  it('picks the closest catalog word within 1 edit (up to 5 letters) or 2 (longer)', () => {
    const candidates = [
      { word: 'tidewater', products: 9 },
      { word: 'sweater', products: 3 },
      { word: 'sweaters', products: 5 },
    ];
    expect(chooseCorrection('sewater', candidates, false)).toBe('sweater');
    expect(chooseCorrection('sewater', candidates, true)).toBe('sweater');
    expect(chooseCorrection('sweatrs', candidates, false)).toBe('sweaters');
    expect(chooseCorrection('swtr', candidates, false)).toBeNull();
    expect(
      chooseCorrection(
        'lnen',
        [
          { word: 'linen', products: 1 },
          { word: 'line', products: 4 },
        ],
        false,
      ),
    ).toBe('linen');
    expect(chooseCorrection('ab', [{ word: 'abc', products: 1 }], false)).toBeNull();
  });

  it('lets a word being typed match the start of a longer word', () => {
    expect(chooseCorrection('lnie', [{ word: 'linen', products: 1 }], true)).toBe('linen');
    expect(chooseCorrection('lnie', [{ word: 'linen', products: 1 }], false)).toBeNull();
  });
});
