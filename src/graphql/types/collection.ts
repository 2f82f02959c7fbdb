// Collection and the root fields that list collections.
import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import {
  collectionProductsPage,
  collectionProductsPageQuery,
  findCollection,
  findCollectionsPage,
  listPageOptions,
  productCollectionsWhere,
  type CollectionProductsOptions,
} from '../../commerce/catalog-reads.js';
import { publishedCollectionWhere } from '../../commerce/catalog.js';
import { keysetSelect, pageQuery } from '../../commerce/keyset.js';
import {
  collectionKeyset,
  collectionProductKeyset,
  type CollectionProductSortKey,
  type CollectionSortKey,
  type ProductFilter,
} from '../../commerce/product-listing.js';
import { builder } from '../builder.js';
import { idOrHandle, intId, NO_ROW } from '../ids.js';
import { registerNodeType } from '../node-loader.js';
import { PRISMA_CURSOR } from '../input-checks.js';
import { keysetCheck, listPage, plannedNodes, toConnection } from '../keyset-connection.js';
import { mergeSelections, withNodesPath } from '../selection.js';
import { SEO } from './common.js';
import { CollectionSortKeys, ProductCollectionSortKeys, ProductFilterInput } from './listing.js';
import { Image, Product, ProductConnection } from './product.js';

/** The enum value as the commerce rules name it (`CREATED` is Shopify's name for CREATED_AT). */
function collectionProductSortKey(sortKey: string | null | undefined): CollectionProductSortKey {
  return (sortKey === 'CREATED' ? 'CREATED_AT' : (sortKey ?? 'COLLECTION_DEFAULT')) as CollectionProductSortKey;
}

function collectionProductsOptions(
  args: { sortKey?: string | null; reverse?: boolean | null; filters?: readonly ProductFilter[] | null },
  now: Date,
): CollectionProductsOptions {
  return { sortKey: collectionProductSortKey(args.sortKey), reverse: args.reverse ?? false, filters: args.filters, now };
}

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
        args: {
          sortKey: t.arg({ type: ProductCollectionSortKeys, required: false, defaultValue: 'COLLECTION_DEFAULT' }),
          reverse: t.arg.boolean({ required: false, defaultValue: false }),
          filters: t.arg({ type: [ProductFilterInput], required: false }),
        },
        extensions: keysetCheck((args, page) => {
          const options = collectionProductsOptions({ sortKey: args.sortKey as string | null, reverse: args.reverse === true }, new Date());
          pageQuery(page.request, listPageOptions.collectionProducts(options.sortKey, options.reverse, page));
        }),
        // The page is nested in the collection's own query: a collection page is one statement.
        select: (args, ctx, nestedSelection) => {
          const options = collectionProductsOptions(args, ctx.now);
          // Seeded with the id: a request selecting only pageInfo would plan an empty `select`.
          const node = withNodesPath(nestedSelection)({ select: { id: true } }, ['edges', 'node']);
          const select = mergeSelections({ select: keysetSelect(collectionProductKeyset(options.sortKey)) }, { select: { product: node } });
          return { products: { ...collectionProductsPageQuery(options, listPage(args, ctx.config)), ...(select as object) } };
        },
        resolve: (collection, args, ctx) =>
          toConnection(
            collectionProductsPage(
              collection.id,
              collection.products as unknown as { product: typeof Product.$inferType }[],
              collectionProductsOptions(args, ctx.now),
              listPage(args, ctx.config),
            ),
          ),
      },
      ProductConnection,
    ),
  }),
});

export const CollectionConnection = builder.connectionObject({ type: Collection, name: 'CollectionConnection' });

builder.queryFields((t) => ({
  collections: t.connection(
    {
      type: Collection,
      description: 'Published collections.',
      args: {
        sortKey: t.arg({ type: CollectionSortKeys, required: false, defaultValue: 'ID' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false }),
      },
      extensions: keysetCheck((args, page) => {
        pageQuery(page.request, listPageOptions.collections((args.sortKey ?? 'ID') as CollectionSortKey, args.reverse === true, page));
      }),
      resolve: async (_root, args, ctx, info) => {
        const sortKey = args.sortKey ?? 'ID';
        const query = await plannedNodes(ctx, info, 'Collection', keysetSelect(collectionKeyset(sortKey)));
        const page = await findCollectionsPage<typeof Collection.$inferType>(
          ctx.prisma,
          query,
          { sortKey, reverse: args.reverse ?? false, now: ctx.now },
          listPage(args, ctx.config),
        );
        return toConnection(page);
      },
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
      extensions: { [PRISMA_CURSOR]: true },
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
