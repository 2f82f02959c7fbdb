// Collection and the root fields that list collections.
import type { Prisma } from '../../generated/prisma/client.js';
import {
  collectionProductsPage,
  collectionProductsPageQuery,
  findCollection,
  findCollectionsPage,
  listPageOptions,
  type CollectionProductsOptions,
} from '../../commerce/catalog-reads.js';
import { publishedCollectionWhere, seoOf } from '../../commerce/catalog.js';
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
import { plannedQuery } from '../plan-cache.js';
import { keysetCheck, listPage, nestedPageSelect, plannedNodes, toConnection } from '../keyset-connection.js';
import { SEO } from './common.js';
import { CollectionSortKeys, ProductCollectionSortKeys, ProductFilterInput } from './listing.js';
import { COLLECTION_IMAGE, collectionImage, Image } from './image.js';
import { Product, ProductConnection, productListConnection } from './product.js';
import { withCollectionFacets } from './search.js';

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
  findUnique: registerNodeType<Prisma.CollectionWhereUniqueInput>('Collection', {
    model: 'collection',
    parseId: intId,
    noRow: NO_ROW,
    visible: (ctx) => publishedCollectionWhere(ctx.catalogNow),
  }),
  authScopes: { storefront: true },
  description: 'A group of products a merchant arranged, e.g. "Summer Essentials".',
  // Select mode: a collection loads its short columns always (its fields then read the row as
  // it is, see Product) and the rest only when a field asks for them.
  select: { id: true, handle: true, title: true },
  fields: (t) => ({
    handle: t.string({ description: 'Unique, URL-friendly name.', resolve: (c) => c.handle }),
    title: t.string({ description: 'The collection title.', resolve: (c) => c.title }),
    description: t.exposeString('description', { description: 'Plain-text description.' }),
    descriptionHtml: t.field({
      type: 'HTML',
      description: 'The description as HTML.',
      select: { descriptionHtml: true },
      resolve: (c) => c.descriptionHtml,
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the collection last changed.',
      select: { updatedAt: true },
      resolve: (c) => c.updatedAt,
    }),
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
        args: {
          sortKey: t.arg({
            type: ProductCollectionSortKeys,
            required: false,
            defaultValue: 'COLLECTION_DEFAULT',
            description: 'The order of the products.',
          }),
          reverse: t.arg.boolean({ required: false, defaultValue: false, description: 'Reverse the order.' }),
          filters: t.arg({ type: [ProductFilterInput], required: false, description: 'Only products that match these filters.' }),
        },
        extensions: keysetCheck((args, page) => {
          const options = collectionProductsOptions({ sortKey: args.sortKey as string | null, reverse: args.reverse === true }, new Date());
          pageQuery(page.request, listPageOptions.collectionProducts(options.sortKey, options.reverse, page));
        }),
        // The page is nested in the collection's own query: a collection page is one statement.
        select: (args, ctx, nestedSelection) => {
          const options = collectionProductsOptions(args, ctx.catalogNow);
          const page = collectionProductsPageQuery(options, listPage(args, ctx.config));
          return { products: nestedPageSelect(nestedSelection, collectionProductKeyset(options.sortKey), page, 'product') };
        },
        resolve: (collection, args, ctx) =>
          withCollectionFacets(
            toConnection(
              collectionProductsPage(
                collection.id,
                collection.products as unknown as { product: typeof Product.$inferType }[],
                collectionProductsOptions(args, ctx.catalogNow),
                listPage(args, ctx.config),
              ),
            ),
            collection.id,
            args.filters,
            ctx,
          ),
      },
      ProductConnection,
    ),
  }),
});

export const CollectionConnection = builder.connectionObject({
  type: Collection,
  name: 'CollectionConnection',
  description: 'A page of collections.',
});

builder.queryFields((t) => ({
  collections: t.connection(
    {
      type: Collection,
      description: 'Published collections.',
      args: {
        sortKey: t.arg({ type: CollectionSortKeys, required: false, defaultValue: 'ID', description: 'The order of the collections.' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false, description: 'Reverse the order.' }),
      },
      extensions: keysetCheck((args, page) => {
        pageQuery(page.request, listPageOptions.collections((args.sortKey ?? 'ID') as CollectionSortKey, args.reverse === true, page));
      }),
      resolve: async (_root, args, ctx, info) => {
        const sortKey = args.sortKey ?? 'ID';
        const query = await plannedNodes(ctx, info, 'Collection', keysetSelect(collectionKeyset(sortKey)), sortKey);
        const page = await findCollectionsPage<typeof Collection.$inferType>(
          ctx.prisma,
          query,
          { sortKey, reverse: args.reverse ?? false, now: ctx.catalogNow },
          listPage(args, ctx.config),
        );
        return toConnection(page);
      },
    },
    CollectionConnection,
  ),
  collection: t.field({
    type: Collection,
    nullable: true,
    description: 'A published collection by `id` or `handle` (exactly one).',
    args: {
      id: t.arg.globalID({ for: Collection, required: false, description: 'The collection ID.' }),
      handle: t.arg.string({ required: false, description: 'The collection handle.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const query = await plannedQuery(ctx, info, { typeName: 'Collection' });
      return findCollection(ctx.prisma, query, idOrHandle(args), ctx.catalogNow);
    },
  }),
}));

// A product's collections: its memberships of published collections, a page nested in the
// product's own query, each mapped to its collection.
builder.prismaObjectField(Product, 'collections', (t) =>
  t.connection(
    {
      type: Collection,
      description: 'Published collections that contain this product.',
      ...productListConnection(
        'collections',
        (membership: { collection: typeof Collection.$inferType }) => membership.collection,
        'collection',
      ),
    },
    CollectionConnection,
  ),
);
