// Customer: the signed-in customer's own account (from a verified access token), the
// `customer` root field and `customerUpdate`. Another customer is never readable: the
// type's own scope check compares the row with the viewer, so `node(id:)` cannot route
// around the root field, and node lookups only ever find the viewer's own row.
import { customerDisplayName, findOwnCustomer, updateCustomerNames, type CustomerUserError } from '../../commerce/customers.js';
import { viewerCustomerId as signedInCustomerId } from '../../auth/viewer.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { registerNodeType } from '../node-loader.js';
import type { Context } from '../context.js';
import { skipQuery } from '../selection.js';
import { UserError, type UserErrorShape } from './common.js';

/** Matches no row of a uuid column, for lookups that must find nothing. */
const NO_CUSTOMER = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The viewer's customer id when the access token grants the customer scope (the rule is in auth/viewer.ts). */
const viewerCustomerId = (ctx: Context): string | null => signedInCustomerId(ctx.viewer);

export const Customer = builder.prismaNode('Customer', {
  id: { field: 'id' },
  nullable: true,
  // node(id:) and single-row lookups find only the viewer's own customer row.
  findUnique: registerNodeType<Prisma.CustomerWhereUniqueInput, string>('Customer', {
    model: 'customer',
    parseId: (raw) => (UUID.test(raw) ? raw.toLowerCase() : null),
    noRow: NO_CUSTOMER,
    visible: (ctx) => {
      const own = viewerCustomerId(ctx);
      return own === null ? null : { id: own };
    },
  }),
  authScopes: (customer, ctx) => viewerCustomerId(ctx) === customer.id,
  description: 'A customer account of the shop; only ever the signed-in customer.',
  // Select mode: only the columns the requested fields need, so the password hash is never loaded.
  select: { id: true },
  fields: (t) => ({
    email: t.exposeString('email', { description: "The customer's email address, lower-cased." }),
    displayName: t.string({
      description: 'The name to greet the customer with: "First Last", or the email when no name is known.',
      select: { email: true, firstName: true, lastName: true },
      resolve: (customer) => customerDisplayName(customer),
    }),
    firstName: t.exposeString('firstName', { nullable: true, description: "The customer's first name, if known." }),
    lastName: t.exposeString('lastName', { nullable: true, description: "The customer's last name, if known." }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created.' }),
  }),
});

builder.queryFields((t) => ({
  customer: t.prismaField({
    type: Customer,
    nullable: true,
    authScopes: { storefront: true },
    description: 'The signed-in customer (from `Authorization: Bearer <access token>`), or null when anonymous.',
    resolve: (query, _root, _args, ctx) => {
      const id = viewerCustomerId(ctx);
      return id === null ? skipQuery(query) : findOwnCustomer(ctx.prisma, query, id);
    },
  }),
}));

const CustomerUpdateInput = builder.inputType('CustomerUpdateInput', {
  description: 'Changes to the signed-in customer. A field left out is unchanged; null or "" clears it.',
  fields: (t) => ({
    firstName: t.string({ required: false, description: 'The new first name; null or "" clears it.' }),
    lastName: t.string({ required: false, description: 'The new last name; null or "" clears it.' }),
  }),
});

interface CustomerUpdateResult {
  customerId: string | null;
  userErrors: CustomerUserError[];
}

function toUserError(error: CustomerUserError): UserErrorShape {
  return { field: ['input', ...error.field], code: error.code === 'TOO_LONG' ? error.code : 'INVALID', message: error.message };
}

const CustomerUpdatePayload = builder.objectRef<CustomerUpdateResult>('CustomerUpdatePayload').implement({
  description: 'The result of `customerUpdate`.',
  fields: (t) => ({
    customer: t.prismaField({
      type: Customer,
      nullable: true,
      description: 'The updated customer; null when nothing changed because of user errors.',
      resolve: (query, payload, _args, ctx) =>
        payload.customerId === null ? skipQuery(query) : findOwnCustomer(ctx.prisma, query, payload.customerId),
    }),
    userErrors: t.field({
      type: [UserError],
      description: 'Why the input was refused; empty on success.',
      resolve: (payload) => payload.userErrors.map(toUserError),
    }),
  }),
});

builder.mutationFields((t) => ({
  customerUpdate: t.field({
    type: CustomerUpdatePayload,
    authScopes: { $all: { storefront: true, customer: true } },
    description: "Updates the signed-in customer's names.",
    args: { input: t.arg({ type: CustomerUpdateInput, required: true, description: 'The changes.' }) },
    resolve: async (_root, { input }, ctx): Promise<CustomerUpdateResult> => {
      const id = viewerCustomerId(ctx);
      if (id === null)
        return { customerId: null, userErrors: [{ field: ['customer'], code: 'INVALID', message: 'Sign in to update your account.' }] };
      return updateCustomerNames(ctx.prisma, id, {
        ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
        ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
      });
    },
  }),
}));
