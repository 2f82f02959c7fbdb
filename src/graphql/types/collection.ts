// Collection and the root fields that list collections.
import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import type { Prisma } from '../../generated/prisma/client.js';
import {
  collectionProductsQuery,
  findCollection,
  findCollections,
  productCollectionsWhere,
} from '../../commerce/catalog-reads.js';
import { publishedCollectionWhere } from '../../commerce/catalog.js';
import type { CollectionProductSortKey } from '../../commerce/product-listing.js';
import { builder } from '../builder.js';
import { idOrHandle, intId, NO_ROW } from '../ids.js';
import { registerNodeType } from '../node-loader.js';
import { withNodesPath } from '../selection.js';
import { SEO } from './common.js';
import { CollectionSortKeys, ProductCollectionSortKeys, ProductFilterInput } from './listing.js';
import { Image, Product, ProductConnection } from './product.js';
import { withCollectionFacets } from './search.js';

const collectionProducts = prismaConnectionHelpers(builder, 'CollectionProduct', {
  cursor: 'collectionId_productId',
  args: (t) => ({
    sortKey: t.field({ type: ProductCollectionSortKeys, required: false, defaultValue: 'COLLECTION_DEFAULT' }),
    reverse: t.boolean({ required: false, defaultValue: false }),
    filters: t.field({ type: [ProductFilterInput], required: false }),
  }),
  // Seeded with the id: a request that selects nothing beneath the nodes (only pageInfo or
  // cursors) would otherwise plan an empty `select`, which Prisma rejects.
  select: (nodeSelection) => ({ product: nodeSelection({ select: { id: true } }) }),
  query: (args, ctx) => {
    const { where, orderBy } = collectionProductsQuery({
      sortKey: (args.sortKey === 'CREATED' ? 'CREATED_AT' : (args.sortKey ?? 'COLLECTION_DEFAULT')) as CollectionProductSortKey,
      reverse: args.reverse ?? false,
      filters: args.filters,
      now: ctx.now,
    });
    // Prisma takes a list of orderings (for the tie-breaker); the helper's type names one.
    return { where, orderBy: orderBy as Prisma.CollectionProductOrderByWithRelationInput };
  },
  resolveNode: (membership) => membership.product,
  maxSize: 250,
});

export const Collection = builder.prismaNode('Collection', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: intId(id) ?? NO_ROW, ...publishedCollectionWhere(ctx.now) }),
  authScopes: { storefront: true },
  description: 'A group of products a merchant arranged, e.g. "Summer Essentials".',
  // Select mode: a collection loads its id plus the columns of the fields a request asks for.
  select: { id: true },
  fields: (t) => ({
    handle: t.exposeString('handle'),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    descriptionHtml: t.field({ type: 'HTML', select: { descriptionHtml: true }, resolve: (c) => c.descriptionHtml }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    seo: t.field({
      type: SEO,
      select: { seoTitle: true, seoDescription: true, title: true, description: true },
      resolve: (c) => ({ title: c.seoTitle ?? c.title, description: c.seoDescription ?? (c.description.slice(0, 320) || null) }),
    }),
    // Not a ProductImage row: an Image built from the collection's own columns (id 0 answers
    // a null id). Image's fields read only what its type-level selection loads (product.ts).
    image: t.field({
      type: Image,
      nullable: true,
      select: { imageUrl: true, imageAltText: true, imageWidth: true, imageHeight: true },
      resolve: (c) =>
        c.imageUrl
          ? {
              id: 0,
              url: c.imageUrl,
              altText: c.imageAltText,
              width: c.imageWidth,
              height: c.imageHeight,
            }
          : null,
    }),
    products: t.connection(
      {
        type: Product,
        args: collectionProducts.getArgs(),
        select: (args, ctx, nestedSelection) => ({ products: collectionProducts.getQuery(args, ctx, withNodesPath(nestedSelection)) }),
        resolve: (collection, args, ctx) =>
          withCollectionFacets(collectionProducts.resolve(collection.products, args, ctx), collection.id, args.filters, ctx),
      },
      ProductConnection,
    ),
  }),
});

export const CollectionConnection = builder.connectionObject({ type: Collection, name: 'CollectionConnection' });

builder.queryFields((t) => ({
  collections: t.prismaConnection(
    {
      type: Collection,
      cursor: 'id',
      maxSize: 250,
      description: 'Published collections.',
      args: {
        sortKey: t.arg({ type: CollectionSortKeys, required: false, defaultValue: 'ID' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false }),
      },
      resolve: (query, _root, args, ctx) =>
        findCollections(ctx.prisma, query, { sortKey: args.sortKey ?? 'ID', reverse: args.reverse ?? false, now: ctx.now }),
    },
    CollectionConnection,
  ),
  collection: t.prismaField({
    type: Collection,
    nullable: true,
    description: 'A published collection by `id` or `handle` (exactly one).',
    args: {
      id: t.arg.globalID({ for: Collection, required: false }),
      handle: t.arg.string({ required: false }),
    },
    resolve: (query, _root, args, ctx) => {
      return findCollection(ctx.prisma, query, idOrHandle(args), ctx.now);
    },
  }),
}));

// A product's collections: membership rows paginated, each mapped to its collection.
const productCollections = prismaConnectionHelpers(builder, 'CollectionProduct', {
  cursor: 'collectionId_productId',
  select: (nodeSelection) => ({ collection: nodeSelection({ select: { id: true } }) }),
  query: (_args, ctx) => ({ where: productCollectionsWhere(ctx.now), orderBy: { collectionId: 'asc' as const } }),
  resolveNode: (membership) => membership.collection,
  maxSize: 250,
});

builder.prismaObjectField(Product, 'collections', (t) =>
  t.connection(
    {
      type: Collection,
      description: 'Published collections that contain this product.',
      select: (args, ctx, nestedSelection) => ({ collections: productCollections.getQuery(args, ctx, withNodesPath(nestedSelection)) }),
      resolve: (product, args, ctx) => productCollections.resolve(product.collections, args, ctx),
    },
    CollectionConnection,
  ),
);

registerNodeType('Collection', {
  model: 'collection',
  parseId: intId,
  where: (ids, ctx) => ({ id: { in: ids }, ...publishedCollectionWhere(ctx.now) }),
});
