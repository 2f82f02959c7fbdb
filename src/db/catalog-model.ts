// The catalog models the JSON reads (./json-reads.ts) compile: their relations, written out,
// and their scalar columns, read from the Prisma datamodel.
import { getDatamodel } from '../generated/pothos-types.js';

/** The models the JSON reads compile; every other model is left to Prisma Client. */
export type CatalogModel = 'Product' | 'ProductVariant' | 'ProductImage' | 'ProductOption' | 'Collection' | 'CollectionProduct';

export interface Relation {
  model: CatalogModel;
  many: boolean;
  /** The column of the parent row. */
  from: string;
  /** The column of the related row that equals it. */
  to: string;
}

const one = (model: CatalogModel, from: string, to = 'id'): Relation => ({ model, many: false, from, to });
const many = (model: CatalogModel, to: string): Relation => ({ model, many: true, from: 'id', to });

/** The relations between catalog models (those of prisma/schema.prisma that stay in the catalog). */
export const RELATIONS: Record<CatalogModel, Record<string, Relation>> = {
  Product: {
    featuredImage: one('ProductImage', 'featuredImageId'),
    images: many('ProductImage', 'productId'),
    options: many('ProductOption', 'productId'),
    variants: many('ProductVariant', 'productId'),
    collections: many('CollectionProduct', 'productId'),
  },
  ProductVariant: { product: one('Product', 'productId'), image: one('ProductImage', 'imageId') },
  ProductImage: { product: one('Product', 'productId') },
  ProductOption: { product: one('Product', 'productId') },
  Collection: { products: many('CollectionProduct', 'collectionId') },
  CollectionProduct: { collection: one('Collection', 'collectionId'), product: one('Product', 'productId') },
};

export interface Scalar {
  type: string;
  enum: boolean;
  list: boolean;
}

export const SCALARS: Record<CatalogModel, Map<string, Scalar>> = (() => {
  const { models } = getDatamodel().datamodel;
  const read = (model: CatalogModel) =>
    new Map(
      models[model]!.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => [
        f.name,
        { type: f.type, enum: f.kind === 'enum', list: f.isList },
      ]),
    );
  return {
    Product: read('Product'),
    ProductVariant: read('ProductVariant'),
    ProductImage: read('ProductImage'),
    ProductOption: read('ProductOption'),
    Collection: read('Collection'),
    CollectionProduct: read('CollectionProduct'),
  };
})();
