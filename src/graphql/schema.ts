// Assembles the schema: each import registers one type family on the builder.
import { builder } from './builder.js';
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

export const schema = builder.toSchema({ sortSchema: false });
