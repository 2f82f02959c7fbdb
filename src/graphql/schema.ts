// Assembles the schema: each import registers one type family on the builder.
import { isInterfaceType, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import { encodeGlobalId } from './ids.js';
import './types/common.js';
import './types/listing.js';
import './types/product.js';
import './types/product-page.js';
import './types/collection.js';
import './types/search.js';
import './types/node.js';
import './types/customer.js';
import './types/shop.js';
import './types/address.js';
import './types/cart.js';
import './types/cart-mutations.js';
import './types/order.js';

builder.queryType({ description: 'The storefront API.' });
builder.mutationType({ description: 'Changes made by the signed-in customer.' });

type IdResolver = (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;

/**
 * Every Node's `id`, resolved in line. plugin-relay wraps the id a node type declares
 * (`id: { field: 'id' }` of a `prismaNode`) in an `async` resolver, so each product and variant
 * of a page answered a promise for its `id`, and graphql-js then completed every object of the
 * page through promise chains (a fifth of a listing's execution). This calls the declared id
 * resolver itself and encodes its answer as the builder does (`encodeGlobalID` in ./builder.ts);
 * only a declared resolver that is itself asynchronous still goes the plugin's way. A type that
 * writes its own `id` field (Image) keeps it.
 */
export function resolveNodeIdsInline(built: GraphQLSchema): GraphQLSchema {
  const node = built.getType('Node');
  if (!isInterfaceType(node)) throw new Error('The schema has no Node interface.');
  for (const type of built.getPossibleTypes(node)) {
    const declared = (builder.configStore.getTypeConfig(type.name).pothosOptions as { id?: { resolve?: IdResolver } }).id?.resolve;
    const field = type.getFields().id;
    if (!declared || !field?.resolve) continue;
    const viaPlugin = field.resolve;
    const typename = type.name;
    field.resolve = (parent, args, context, info) => {
      const id = declared(parent, args, context, info);
      if (typeof id === 'number' || typeof id === 'string') return encodeGlobalId(typename, id);
      if (id !== null && typeof id === 'object' && 'then' in id) return viaPlugin(parent, args, context, info);
      throw new Error(`${typename} row without an id.`);
    };
  }
  return built;
}

export const schema = resolveNodeIdsInline(builder.toSchema({ sortSchema: false }));
