import { decodeGlobalId as decodeGlobalID, encodeGlobalId as encodeGlobalID } from '../src/graphql/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 40 });
});
afterAll(() => t?.close());

const published = { status: 'ACTIVE' as const, publishedAt: { lte: new Date() } };
const hidden = { OR: [{ status: { not: 'ACTIVE' as const } }, { publishedAt: null }, { publishedAt: { gt: new Date() } }] };

const NODE_FIELDS = /* GraphQL */ `
  __typename
  ... on Image { id url altText }
  ... on ProductOption { id name optionValues { name } }
`;

describe('Image and ProductOption are nodes', () => {
  it('have global IDs that node and nodes resolve to the same objects', async () => {
    const product = await t.db.prisma.product.findFirstOrThrow({ where: { ...published, images: { some: {} }, options: { some: {} } } });
    const page = await t.gql(
      `query($h: String!) { product(handle: $h) { images(first: 2) { nodes { id url altText } } options { id name optionValues { name } } } }`,
      { h: product.handle },
    );
    expect(page.body.errors).toBeUndefined();
    const image = page.body.data.product.images.nodes[0];
    const option = page.body.data.product.options[0];
    expect(decodeGlobalID(image.id).typename).toBe('Image');
    expect(decodeGlobalID(option.id).typename).toBe('ProductOption');
    const res = await t.gql(
      `query($i: ID!, $o: ID!) { a: node(id: $i) { ${NODE_FIELDS} } b: node(id: $o) { ${NODE_FIELDS} } c: nodes(ids: [$o, $i]) { ${NODE_FIELDS} } }`,
      { i: image.id, o: option.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.a).toEqual({ __typename: 'Image', ...image });
    expect(res.body.data.b).toEqual({ __typename: 'ProductOption', ...option });
    expect(res.body.data.c).toEqual([res.body.data.b, res.body.data.a]);
  });

  it('are invisible with their unpublished product', async () => {
    const product = await t.db.prisma.product.findFirstOrThrow({
      where: { ...hidden, images: { some: {} }, options: { some: {} } },
      include: { images: true, options: true },
    });
    const imageId = encodeGlobalID('Image', product.images[0]!.id);
    const optionId = encodeGlobalID('ProductOption', product.options[0]!.id);
    expect(decodeGlobalID(imageId)).toEqual({ typename: 'Image', id: String(product.images[0]!.id) });
    const res = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`, { ids: [imageId, optionId] });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.nodes).toEqual([null, null]);
  });

  it("gives a collection's image an ID that resolves with the collection's visibility", async () => {
    const collection = await t.db.prisma.collection.findFirstOrThrow({
      where: { publishedAt: { lte: new Date() }, imageUrl: { not: null } },
    });
    const res = await t.gql(`query($h: String!) { collection(handle: $h) { image { id url altText width height } } }`, {
      h: collection.handle,
    });
    expect(res.body.errors).toBeUndefined();
    const image = res.body.data.collection.image;
    expect(decodeGlobalID(image.id)).toEqual({ typename: 'CollectionImage', id: String(collection.id) });
    const node = await t.gql(`query($id: ID!) { node(id: $id) { __typename ... on Image { id url altText width height } } }`, {
      id: image.id,
    });
    expect(node.body.data.node).toEqual({ __typename: 'Image', ...image });
    await t.db.prisma.collection.update({ where: { id: collection.id }, data: { publishedAt: null } });
    try {
      const gone = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: image.id });
      expect(gone.body).toEqual({ data: { node: null } });
    } finally {
      await t.db.prisma.collection.update({ where: { id: collection.id }, data: { publishedAt: collection.publishedAt } });
    }
  });
});

describe('Image.url(transform)', () => {
  it('links to a PNG or WebP copy that fits the bounds, served by the API itself', async () => {
    const product = await t.db.prisma.product.findFirstOrThrow({ where: { ...published, featuredImageId: { not: null } } });
    const res = await t.gql(
      `query($h: String!) { product(handle: $h) { featuredImage { width height original: url png: url(transform: { maxWidth: 120, maxHeight: 120, preferredContentType: PNG }) webp: url(transform: { maxWidth: 64, scale: 2, preferredContentType: WEBP }) } } }`,
      { h: product.handle },
    );
    expect(res.body.errors).toBeUndefined();
    const image = res.body.data.product.featuredImage;
    expect(image.original).toMatch(/\.svg(\?|$)/);
    const png = await t.app.fetch(new Request(image.png));
    expect(image.png.startsWith(`${TEST_URL}/images/`)).toBe(true);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    expect(Math.max(w, h)).toBe(120);
    expect(Math.abs(w / h - image.width / image.height)).toBeLessThan(0.02);
    const webp = await t.app.fetch(new Request(image.webp));
    expect(webp.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await webp.arrayBuffer()).toString('latin1', 8, 12)).toBe('WEBP');
    expect(new URL(image.webp).searchParams.get('w')).toBe('128');
  });

  it('refuses an impossible transform with a coded error', async () => {
    const product = await t.db.prisma.product.findFirstOrThrow({ where: { ...published, featuredImageId: { not: null } } });
    const res = await t.gql(`query($h: String!) { product(handle: $h) { featuredImage { url(transform: { maxWidth: 0 }) } } }`, {
      h: product.handle,
    });
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/maxWidth/);
  });
});
