// Image: a product's image (a ProductImage row) or a collection's (built from the
// collection's columns). Both have global IDs that `node`/`nodes` resolve with the
// visibility of their product or collection.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { publishedCollectionWhere, publishedProductWhere } from '../../commerce/catalog.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { imageTransformProblem, MAX_SIZE, transformImageUrl } from '../../images.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { intId, NO_ROW } from '../ids.js';
import { registerNodeType } from '../node-loader.js';
import { absoluteUrl, badUserInput } from './common.js';

/** A global ID made the way the builder makes every other (its relay `encodeGlobalID`, if set). */
function globalId(typename: string, id: number, ctx: Context): string {
  const encode = builder.options.relay?.encodeGlobalID;
  return encode ? encode(typename, id, ctx) : encodeGlobalID(typename, id);
}

/** The columns of a collection that make its image. */
export const COLLECTION_IMAGE = { imageUrl: true, imageAltText: true, imageWidth: true, imageHeight: true } as const;

interface CollectionImageColumns {
  id: number;
  imageUrl: string | null;
  imageAltText: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
}

/** A collection's image as an Image (or null when it has none); its ID names the collection. */
export function collectionImage(collection: CollectionImageColumns) {
  if (!collection.imageUrl) return null;
  return {
    id: NO_ROW,
    collectionId: collection.id,
    url: collection.imageUrl,
    altText: collection.imageAltText,
    width: collection.imageWidth,
    height: collection.imageHeight,
  };
}

const ImageContentType = builder.enumType('ImageContentType', {
  description: 'Formats an image can be served in besides its original.',
  values: {
    PNG: { description: 'PNG: lossless, every client shows it.' },
    JPG: { description: 'JPEG: lossy, without transparency.' },
    WEBP: { description: 'WebP: small, for clients that show it.' },
  } as const,
});

const ImageTransformInput = builder.inputType('ImageTransformInput', {
  description: `How to resize and encode an image, as in Shopify. The result fits within maxWidth × maxHeight, is never enlarged, keeps its aspect ratio, and is at most ${MAX_SIZE} px a side.`,
  fields: (t) => ({
    maxWidth: t.int({ required: false, description: 'The widest the image may be, in pixels.' }),
    maxHeight: t.int({ required: false, description: 'The tallest the image may be, in pixels.' }),
    scale: t.int({ required: false, defaultValue: 1, description: 'Multiplies the fitted size (1–3), for high-density screens.' }),
    preferredContentType: t.field({
      type: ImageContentType,
      required: false,
      description: 'The format to serve; the original format when left out.',
    }),
  }),
});

// Select mode with every column an Image shows in the type's own selection, and no field-level
// selections: Collection.image answers Images that are not ProductImage rows, and a field with
// a `select` would try to load such an object again by its id. productId, position and
// createdAt are never loaded.
export const Image = builder.prismaObject('ProductImage', {
  name: 'Image',
  description: 'An image of a product, variant or collection, served by the shop.',
  interfaces: [builder.nodeInterfaceRef()],
  select: { id: true, url: true, altText: true, width: true, height: true },
  fields: (t) => ({
    // A collection's image has no row of its own: its ID names the collection.
    id: t.id({
      description: 'A globally unique ID; pass it to `node` or to any `id` argument.',
      resolve: (image, _args, ctx) => {
        const collectionId = (image as { collectionId?: number }).collectionId;
        return collectionId === undefined ? globalId('Image', image.id, ctx) : globalId('CollectionImage', collectionId, ctx);
      },
    }),
    url: t.field({
      type: 'URL',
      description: 'Absolute URL of the image; with `transform`, of a resized copy in the preferred format.',
      args: { transform: t.arg({ type: ImageTransformInput, required: false, description: 'How to resize and encode the image.' }) },
      resolve: (image, { transform }, ctx) => {
        const problem = transform ? imageTransformProblem(transform) : null;
        if (problem) throw badUserInput(problem, { field: ['transform'] });
        return absoluteUrl(transform ? transformImageUrl(image.url, transform) : image.url, ctx.config.publicUrl);
      },
    }),
    altText: t.string({ nullable: true, description: 'Text describing the image, for screen readers.', resolve: (image) => image.altText }),
    width: t.int({ nullable: true, description: 'Width in pixels, when known.', resolve: (image) => image.width }),
    height: t.int({ nullable: true, description: 'Height in pixels, when known.', resolve: (image) => image.height }),
  }),
});

export const ImageConnection = builder.connectionObject({ type: Image, name: 'ImageConnection', description: 'A page of images.' });

// A product's image is visible with its product.
registerNodeType<Prisma.ProductImageWhereUniqueInput>('Image', {
  model: 'productImage',
  parseId: intId,
  noRow: NO_ROW,
  visible: (ctx) => ({ product: publishedProductWhere(ctx.catalogNow) }),
});

// A collection's image is visible with its collection.
registerNodeType<Prisma.CollectionWhereUniqueInput>('CollectionImage', {
  model: 'collection',
  parseId: intId,
  noRow: NO_ROW,
  visible: (ctx) => ({ ...publishedCollectionWhere(ctx.catalogNow), imageUrl: { not: null } }),
  as: { typename: 'Image', select: COLLECTION_IMAGE, toNode: (row: CollectionImageColumns) => collectionImage(row)! },
});
