import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { decodeGlobalId, encodeGlobalId, parseGlobalId } from '../src/graphql/ids.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 12 });
});
afterAll(() => t?.close());

describe('global ID form', () => {
  it('reads and writes gid://vitrine/Type/id and refuses anything else', () => {
    expect(encodeGlobalId('Product', 291)).toBe('gid://vitrine/Product/291');
    expect(parseGlobalId('gid://vitrine/ProductVariant/12')).toEqual({ typename: 'ProductVariant', id: '12' });
    expect(parseGlobalId('gid://vitrine/Customer/0b7f2a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b')?.id).toBe('0b7f2a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    for (const bad of [
      'UHJvZHVjdDox',
      'gid://shopify/Product/1',
      'gid://vitrine/Product/',
      'gid://vitrine/product/1',
      'gid://vitrine/Product/1/2',
      `gid://vitrine/Product/${'9'.repeat(300)}`,
      'gid://vitrine/Product/1\u0000',
    ]) {
      expect(parseGlobalId(bad), bad).toBeNull();
      expect(() => decodeGlobalId(bad)).toThrow(/Invalid global ID/);
    }
  });

  it('outputs readable IDs that node, nodes and product(id:) accept', async () => {
    const list = await t.gql(
      '{ products(first: 2) { nodes { id variants(first: 1) { nodes { id } } } } collections(first: 1) { nodes { id } } }',
    );
    const [product] = list.body.data.products.nodes;
    expect(product.id).toMatch(/^gid:\/\/vitrine\/Product\/\d+$/);
    expect(product.variants.nodes[0].id).toMatch(/^gid:\/\/vitrine\/ProductVariant\/\d+$/);
    const collectionId = list.body.data.collections.nodes[0].id;
    expect(collectionId).toMatch(/^gid:\/\/vitrine\/Collection\/\d+$/);
    const res = await t.gql(
      `query($p: ID!, $v: ID!, $c: ID!) {
        product(id: $p) { id }
        collection(id: $c) { id }
        node(id: $v) { id ... on ProductVariant { product { id } } }
        nodes(ids: [$p, $c]) { id }
      }`,
      { p: product.id, v: product.variants.nodes[0].id, c: collectionId },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      product: { id: product.id },
      collection: { id: collectionId },
      node: { id: product.variants.nodes[0].id, product: { id: product.id } },
      nodes: [{ id: product.id }, { id: collectionId }],
    });
  });
});
