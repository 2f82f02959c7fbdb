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

describe('Node ids resolved in line', () => {
  it('every node type declared with an id column answers its id synchronously, as the global ID of the row id', async () => {
    const { schema } = await import('../src/graphql/schema.js');
    const { isInterfaceType } = await import('graphql');
    const node = schema.getType('Node');
    if (!isInterfaceType(node)) throw new Error('no Node interface');
    const info = {} as Parameters<NonNullable<ReturnType<(typeof node)['getFields']>['id']['resolve']>>[3];
    const declared = schema.getPossibleTypes(node).filter((type) => type.name !== 'Image');
    expect(declared.map((type) => type.name)).toEqual(expect.arrayContaining(['Product', 'ProductVariant', 'Collection', 'Cart', 'Order']));
    for (const type of declared) {
      const resolve = type.getFields().id!.resolve!;
      // A promise here would make graphql-js complete every object of a page asynchronously.
      expect(resolve({ id: 7 }, {}, {}, info), type.name).toBe(`gid://vitrine/${type.name}/7`);
      expect(resolve({ id: '0b7f2a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }, {}, {}, info)).toBe(
        `gid://vitrine/${type.name}/0b7f2a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b`,
      );
    }
  });

  it("keeps a type's own id field: a collection's image is named by its collection", async () => {
    const { schema } = await import('../src/graphql/schema.js');
    const image = schema.getType('Image') as import('graphql').GraphQLObjectType;
    const resolve = image.getFields().id!.resolve!;
    const info = {} as Parameters<typeof resolve>[3];
    expect(resolve({ id: 3 }, {}, {}, info)).toBe('gid://vitrine/Image/3');
    expect(resolve({ id: -1, collectionId: 5 }, {}, {}, info)).toBe('gid://vitrine/CollectionImage/5');
  });
});
