// Collection and the root fields that list collections.
import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import type { Prisma } from '../../generated/prisma/client.js';
import {
  collectionProductsQuery,
  findCollection,
  findCollections,
  productCollectionsWhere,
} from '../../commerce/catalog-reads.js';
import { publishedCollectionWhere, seoOf } from '../../commerce/catalog.js';
import { builder } from '../builder.js';
import { idOrHandle, intId, NO_ROW } from '../ids.js';
import { registerNodeType } from '../node-loader.js';
import { withNodesPath } from '../selection.js';
import { SEO } from './common.js';
import { CollectionSortKeys, ProductCollectionSortKeys, ProductFilterInput } from './listing.js';
import { COLLECTION_IMAGE, collectionImage, Image } from './image.js';
import { Product, ProductConnection } from './product.js';

const collectionProducts = prismaConnectionHelpers(builder, 'CollectionProduct', {
  cursor: 'collectionId_productId',
  args: (t) => ({
    sortKey: t.field({ type: ProductCollectionSortKeys, required: false, defaultValue: 'COLLECTION_DEFAULT', description: 'The order of the products.' }),
    reverse: t.boolean({ required: false, defaultValue: false, description: 'Reverse the order.' }),
    filters: t.field({ type: [ProductFilterInput], required: false, description: 'Only products that match these filters.' }),
  }),
  // Seeded with the id: a request that selects nothing beneath the nodes (only pageInfo or
  // cursors) would otherwise plan an empty `select`, which Prisma rejects.
  select: (nodeSelection) => ({ product: nodeSelection({ select: { id: true } }) }),
  query: (args, ctx) => {
    const { where, orderBy } = collectionProductsQuery({
      sortKey: args.sortKey === 'CREATED' ? 'CREATED_AT' : (args.sortKey ?? 'COLLECTION_DEFAULT'),
      reverse: args.reverse ?? false,
      filters: args.filters,
      now: ctx.now,
    });
    // Prisma takes a list of orderings (for the tie-breaker); the helper's type names one.
    return { where, orderBy: orderBy as Prisma.CollectionProductOrderByWithRelationInput };
  },
  resolveNode: (membership) => membership.product,
});

export const Collection = builder.prismaNode('Collection', {
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.CollectionWhereUniqueInput>('Collection', {
    model: 'collection',
    parseId: intId,
    noRow: NO_ROW,
    visible: (ctx) => publishedCollectionWhere(ctx.now),
  }),
  authScopes: { storefront: true },
  description: 'A group of products a merchant arranged, e.g. "Summer Essentials".',
  // Select mode: a collection loads its id plus the columns of the fields a request asks for.
  select: { id: true },
  fields: (t) => ({
    handle: t.exposeString('handle', { description: 'Unique, URL-friendly name.' }),
    title: t.exposeString('title', { description: 'The collection title.' }),
    description: t.exposeString('description', { description: 'Plain-text description.' }),
    descriptionHtml: t.field({ type: 'HTML', description: 'The description as HTML.', select: { descriptionHtml: true }, resolve: (c) => c.descriptionHtml }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the collection last changed.' }),
    seo: t.field({
      type: SEO,
      description: 'Title and description for search engines.',
      select: { seoTitle: true, seoDescription: true, title: true, description: true },
      resolve: (c) => seoOf(c),
    }),
    // Not a ProductImage row: an Image built from the collection's own columns (image.ts).
    image: t.field({
      type: Image,
      nullable: true,
      description: "The collection's image, if any.",
      select: COLLECTION_IMAGE,
      resolve: (c) => collectionImage(c),
    }),
    products: t.connection(
      {
        type: Product,
        description: 'Published products of the collection, in the merchant order unless sorted otherwise.',
        args: collectionProducts.getArgs(),
        select: (args, ctx, nestedSelection) => ({ products: collectionProducts.getQuery(args, ctx, withNodesPath(nestedSelection)) }),
        resolve: (collection, args, ctx) => collectionProducts.resolve(collection.products, args, ctx),
      },
      ProductConnection,
    ),
  }),
});

export const CollectionConnection = builder.connectionObject({ type: Collection, name: 'CollectionConnection', description: 'A page of collections.' });

builder.queryFields((t) => ({
  collections: t.prismaConnection(
    {
      type: Collection,
      cursor: 'id',
      description: 'Published collections.',
      args: {
        sortKey: t.arg({ type: CollectionSortKeys, required: false, defaultValue: 'ID', description: 'The order of the collections.' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false, description: 'Reverse the order.' }),
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
      id: t.arg.globalID({ for: Collection, required: false, description: 'The collection ID.' }),
      handle: t.arg.string({ required: false, description: 'The collection handle.' }),
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
