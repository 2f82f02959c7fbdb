import { describe, expect, it } from 'vitest';
import {
  PaginationInputError,
  decodeCursor,
  encodeCursor,
  keysetOrderBy,
  keysetSelect,
  keysetWhere,
  pageOf,
  pageQuery,
  type Keyset,
  type PageOptions,
} from '../src/commerce/keyset.js';
import {
  collectionKeyset,
  collectionProductKeyset,
  collectionProductOrderBy,
  productKeyset,
  productOrderBy,
} from '../src/commerce/product-listing.js';

import { DEVELOPMENT_CURSOR_SECRET, loadConfig } from '../src/config.js';
import { PRODUCTION_SECRETS } from './helpers/app.js';

const SECRET = 'test-secret';
const BY_TITLE: Keyset = productKeyset('TITLE');
const scope = { list: 'products', sortKey: 'TITLE' };

describe('keyset cursors', () => {
  it('round-trip the sort values and the id', () => {
    const cursor = encodeCursor(SECRET, scope, ['Mug', 42]);
    expect(decodeCursor(SECRET, scope, BY_TITLE, cursor)).toEqual(['Mug', 42]);
    const created = new Date('2026-11-29T10:11:12.345Z');
    const byDate = productKeyset('CREATED_AT');
    const dateScope = { list: 'products', sortKey: 'CREATED_AT' };
    expect(decodeCursor(SECRET, dateScope, byDate, encodeCursor(SECRET, dateScope, [created, 7]))).toEqual([created, 7]);
  });

  it('refuse tampered, malformed and foreign cursors with a PaginationInputError', () => {
    const cursor = encodeCursor(SECRET, scope, ['Mug', 42]);
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify([1, 'products', 'TITLE', null, 'Mug', 43])).toString('base64url');
    for (const bad of [
      `${forged}.${mac}`, // values changed, MAC kept
      `${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      payload,
      '',
      'R1BDOk46MTI=', // a cursor of the old offset-style format
      `${payload}.${mac}`.repeat(30),
      encodeCursor('another-secret', scope, ['Mug', 42]),
      encodeCursor(SECRET, scope, ['Mug']), // too few values
      encodeCursor(SECRET, scope, [42, 'Mug']), // wrong kinds
      encodeCursor(SECRET, scope, ['Mug', 2 ** 40]), // id out of range
      encodeCursor(SECRET, scope, ['M\u0000g', 42]),
    ]) {
      expect(() => decodeCursor(SECRET, scope, BY_TITLE, bad), bad).toThrow(/Invalid cursor/);
    }
    for (const other of [
      { list: 'collections', sortKey: 'TITLE' },
      { list: 'products', sortKey: 'PRICE' },
    ]) {
      expect(() => decodeCursor(SECRET, scope, BY_TITLE, encodeCursor(SECRET, other, ['Mug', 42]))).toThrow(/another list or sort order/);
    }
    expect(() => decodeCursor(SECRET, scope, BY_TITLE, 'x', 'before')).toThrow(PaginationInputError);
    const ofCollection = (owner: number) => ({ list: 'collection.products', sortKey: 'TITLE', owner });
    const keyset = collectionProductKeyset('TITLE');
    const cursor12 = encodeCursor(SECRET, ofCollection(12), ['Mug', 42]);
    expect(decodeCursor(SECRET, ofCollection(12), keyset, cursor12)).toEqual(['Mug', 42]);
    expect(decodeCursor(SECRET, { list: 'collection.products', sortKey: 'TITLE' }, keyset, cursor12)).toEqual(['Mug', 42]);
    expect(() => decodeCursor(SECRET, ofCollection(13), keyset, cursor12)).toThrow(/another list/);
  });
});

describe('keyset conditions', () => {
  it('spell (title, id) > (x, y) as Prisma where clauses, flipped for desc and before', () => {
    expect(keysetWhere(BY_TITLE, ['Mug', 42], 'asc', 'after')).toEqual({
      OR: [{ title: { gt: 'Mug' } }, { AND: [{ title: 'Mug' }, { id: { gt: 42 } }] }],
    });
    expect(keysetWhere(BY_TITLE, ['Mug', 42], 'desc', 'after')).toEqual({
      OR: [{ title: { lt: 'Mug' } }, { AND: [{ title: 'Mug' }, { id: { lt: 42 } }] }],
    });
    expect(keysetWhere(BY_TITLE, ['Mug', 42], 'asc', 'before')).toEqual({
      OR: [{ title: { lt: 'Mug' } }, { AND: [{ title: 'Mug' }, { id: { lt: 42 } }] }],
    });
    expect(keysetWhere(productKeyset('ID'), [42], 'desc', 'before')).toEqual({ id: { gt: 42 } });
  });

  it('reach through relations for a collection ordered by its products', () => {
    const keyset = collectionProductKeyset('PRICE');
    expect(keysetWhere(keyset, [500, 3], 'asc', 'after')).toEqual({
      OR: [{ product: { minPrice: { gt: 500 } } }, { AND: [{ product: { minPrice: 500 } }, { productId: { gt: 3 } }] }],
    });
    expect(keysetSelect(keyset)).toEqual({ product: { select: { minPrice: true } }, productId: true });
    expect(keysetSelect(collectionKeyset('UPDATED_AT'))).toEqual({ updatedAt: true, id: true });
  });

  it('orders by the same columns the conditions compare, id last', () => {
    expect(keysetOrderBy(BY_TITLE, 'desc')).toEqual([{ title: 'desc' }, { id: 'desc' }]);
    for (const key of ['TITLE', 'PRICE', 'CREATED_AT', 'ID'] as const) {
      expect(productOrderBy(key, false).length).toBe(productKeyset(key).length);
      expect(collectionProductOrderBy(key, true).at(-1)).toEqual({ productId: 'desc' });
    }
  });
});

describe('pages', () => {
  const options: PageOptions = {
    secret: SECRET,
    scope: { list: 'products', sortKey: 'ID' },
    keyset: productKeyset('ID'),
    reverse: false,
    defaultSize: 20,
    maxSize: 250,
  };
  const rows = (ids: number[]) => ids.map((id) => ({ id }));

  it('asks for one row more than the page, in reverse for last/before', () => {
    expect(pageQuery({ first: 3 }, options)).toMatchObject({ take: 4, size: 3, backward: false, where: [], orderBy: [{ id: 'asc' }] });
    expect(pageQuery({}, options)).toMatchObject({ take: 21, size: 20 });
    const before = encodeCursor(SECRET, options.scope, [10]);
    expect(pageQuery({ last: 2, before }, options)).toMatchObject({
      take: 3,
      backward: true,
      where: [{ id: { lt: 10 } }],
      orderBy: [{ id: 'desc' }],
    });
    expect(pageQuery({ last: 2 }, { ...options, reverse: true }).orderBy).toEqual([{ id: 'asc' }]);
  });

  it('refuses first with last, and sizes out of range', () => {
    expect(() => pageQuery({ first: 1, last: 1 }, options)).toThrow(/either `first` or `last`/);
    expect(() => pageQuery({ first: 251 }, options)).toThrow(PaginationInputError);
    expect(() => pageQuery({ last: -1 }, options)).toThrow(PaginationInputError);
  });

  it('trims the extra row and tells whether more exist on either side', () => {
    const forward = pageQuery({ first: 2 }, options);
    const page = pageOf(rows([1, 2, 3]), { first: 2 }, forward, options, (r) => r.id);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2]);
    expect(page).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(decodeCursor(SECRET, options.scope, options.keyset, page.edges[1]!.cursor)).toEqual([2]);

    const after = page.edges[1]!.cursor;
    const last = pageOf(rows([3]), { first: 2, after }, pageQuery({ first: 2, after }, options), options, (r) => r.id);
    expect(last).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const backward = pageQuery({ last: 2 }, options);
    const tail = pageOf(rows([9, 8, 7]), { last: 2 }, backward, options, (r) => r.id);
    expect(tail.edges.map((e) => e.node)).toEqual([8, 9]);
    expect(tail).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('makes a cursor only when it is read, once', () => {
    // Rows without their sort column: nothing fails until a cursor is asked for.
    const page = pageOf([{ name: 'a' }, { name: 'b' }], { first: 2 }, pageQuery({ first: 2 }, options), options, (r) => r.name);
    expect(page.edges.map((e) => e.node)).toEqual(['a', 'b']);
    expect(() => page.edges[0]!.cursor).toThrow(/lacks sort column id/);

    const made = pageOf(rows([4, 5]), { first: 2 }, pageQuery({ first: 2 }, options), options, (r) => r.id);
    const cursor = made.edges[0]!.cursor;
    expect(made.edges[0]!.cursor).toBe(cursor);
    expect(cursor).toBe(encodeCursor(SECRET, options.scope, [4]));
  });
});

describe('the cursor key (CURSOR_SECRET)', () => {
  const production = { NODE_ENV: 'production', ...PRODUCTION_SECRETS };

  it('is required in production, and a long one', () => {
    const { CURSOR_SECRET: _omitted, ...withoutKey } = production;
    expect(() => loadConfig(withoutKey)).toThrow(/CURSOR_SECRET is required/);
    expect(() => loadConfig({ ...production, CURSOR_SECRET: 'short' })).toThrow(/at least 32/);
    expect(loadConfig(production).graphql.cursorSecret).toBe(PRODUCTION_SECRETS.CURSOR_SECRET);
  });

  it('falls back to a built-in key only outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).graphql.cursorSecret).toBe(DEVELOPMENT_CURSOR_SECRET);
  });

  it('makes cursors of one key worthless under another', () => {
    const cursor = encodeCursor(PRODUCTION_SECRETS.CURSOR_SECRET, scope, ['Aster Mug', 7]);
    expect(decodeCursor(PRODUCTION_SECRETS.CURSOR_SECRET, scope, BY_TITLE, cursor)).toEqual(['Aster Mug', 7]);
    expect(() => decodeCursor(DEVELOPMENT_CURSOR_SECRET, scope, BY_TITLE, cursor)).toThrow(PaginationInputError);
  });
});
