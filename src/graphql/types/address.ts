// Addresses: the customer's address book (`MailingAddress` nodes, Shopify's fields),
// `customer { addresses defaultAddress }`, the address mutations, and the address
// snapshots carts and orders keep. Only the signed-in customer's own rows are ever found.
import { createAddress, deleteAddress, setDefaultAddress, updateAddress, type Address, type AddressWriteResult } from '../../commerce/addresses.js';
import { countryName } from '../../commerce/countries.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { registerNodeType } from '../node-loader.js';
import { NO_UUID, ownedBy, parseUuid, requireCustomer, toUserErrors, uuidOrNone, viewerCustomerId } from '../owner.js';
import { UserError } from './common.js';
import { Customer } from './customer.js';

export const MailingAddressInput = builder.inputType('MailingAddressInput', {
  description: 'An address. `countryCode` is ISO 3166-1 alpha-2; for the US, Canada and Australia pass `provinceCode` (or the province name).',
  fields: (t) => ({
    firstName: t.string({ required: false }),
    lastName: t.string({ required: false }),
    company: t.string({ required: false }),
    address1: t.string({ required: false }),
    address2: t.string({ required: false }),
    city: t.string({ required: false }),
    province: t.string({ required: false }),
    provinceCode: t.string({ required: false }),
    zip: t.string({ required: false }),
    countryCode: t.string({ required: false }),
    phone: t.string({ required: false }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type AddressFieldsBuilder = PothosSchemaTypes.ObjectFieldBuilder<Types, Address>;

/** The MailingAddress fields, shared by saved addresses and snapshots. */
function addressFields(t: AddressFieldsBuilder) {
  return {
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    name: t.string({ nullable: true, resolve: (a) => [a.firstName, a.lastName].filter(Boolean).join(' ') || null }),
    company: t.exposeString('company', { nullable: true }),
    address1: t.exposeString('address1'),
    address2: t.exposeString('address2', { nullable: true }),
    city: t.exposeString('city'),
    province: t.exposeString('province', { nullable: true }),
    provinceCode: t.exposeString('provinceCode', { nullable: true }),
    zip: t.exposeString('zip', { nullable: true }),
    country: t.string({ resolve: (a) => countryName(a.countryCode) }),
    countryCode: t.exposeString('countryCode', { description: 'ISO 3166-1 alpha-2.' }),
    phone: t.exposeString('phone', { nullable: true }),
    formatted: t.stringList({
      description: 'The address as lines to print.',
      resolve: (a) =>
        [
          [a.firstName, a.lastName].filter(Boolean).join(' '),
          a.company,
          a.address1,
          a.address2,
          [a.zip, a.city, a.provinceCode ?? a.province].filter(Boolean).join(' '),
          countryName(a.countryCode),
        ].filter((line): line is string => Boolean(line)),
    }),
  };
}

export const MailingAddress = builder.prismaNode('CustomerAddress', {
  name: 'MailingAddress',
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.CustomerAddressWhereUniqueInput, string>('MailingAddress', {
    model: 'customerAddress',
    parseId: parseUuid,
    noRow: NO_UUID,
    visible: (ctx) => ownedBy(ctx, 'customerId'),
  }),
  authScopes: (address, ctx) => address.customerId === viewerCustomerId(ctx),
  description: "One of the signed-in customer's saved addresses.",
  fields: (t) => addressFields(t as unknown as AddressFieldsBuilder) as never,
});

export const MailingAddressConnection = builder.connectionObject({ type: MailingAddress, name: 'MailingAddressConnection' });

/** A copy of an address kept by a cart or an order: it does not change with the address book. */
export const AddressSnapshot = builder.objectRef<Address>('CartDeliveryAddress').implement({
  description: 'A delivery address as a cart or an order keeps it (a copy, not a saved address).',
  fields: (t) => addressFields(t),
});

builder.prismaObjectFields(Customer, (t) => ({
  addresses: t.relatedConnection('addresses', { cursor: 'id', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }, MailingAddressConnection),
  defaultAddress: t.relation('defaultAddress', { nullable: true }),
}));

const MailingAddressPayload = builder.objectRef<AddressWriteResult>('CustomerAddressPayload').implement({
  description: 'The result of an address mutation.',
  fields: (t) => ({
    customerAddress: t.prismaField({
      type: MailingAddress,
      nullable: true,
      resolve: (query, payload, _args, ctx) =>
        payload.addressId ? ctx.prisma.customerAddress.findFirst({ ...query, where: { id: payload.addressId, customerId: requireCustomer(ctx) } }) : null,
    }),
    userErrors: t.field({ type: [UserError], resolve: (payload) => toUserErrors(payload.userErrors) }),
  }),
});

const DeletePayload = builder.objectRef<AddressWriteResult>('CustomerAddressDeletePayload').implement({
  fields: (t) => ({
    deletedCustomerAddressId: t.globalID({ nullable: true, resolve: (p) => (p.addressId ? { type: 'MailingAddress', id: p.addressId } : null) }),
    userErrors: t.field({ type: [UserError], resolve: (payload) => toUserErrors(payload.userErrors) }),
  }),
});

const DefaultPayload = builder.objectRef<AddressWriteResult>('CustomerDefaultAddressUpdatePayload').implement({
  fields: (t) => ({
    customer: t.prismaField({
      type: Customer,
      nullable: true,
      resolve: (query, payload, _args, ctx) => (payload.addressId ? ctx.prisma.customer.findUnique({ ...query, where: { id: requireCustomer(ctx) } }) : null),
    }),
    userErrors: t.field({ type: [UserError], resolve: (payload) => toUserErrors(payload.userErrors) }),
  }),
});

builder.mutationFields((t) => ({
  customerAddressCreate: t.field({
    type: MailingAddressPayload,
    description: "Saves an address to the signed-in customer's address book (the first becomes the default).",
    args: { address: t.arg({ type: MailingAddressInput, required: true }) },
    resolve: (_root, args, ctx) => createAddress(ctx.prisma, requireCustomer(ctx), args.address),
  }),
  customerAddressUpdate: t.field({
    type: MailingAddressPayload,
    args: { id: t.arg.globalID({ for: MailingAddress, required: true }), address: t.arg({ type: MailingAddressInput, required: true }) },
    resolve: (_root, args, ctx) => updateAddress(ctx.prisma, requireCustomer(ctx), uuidOrNone(args.id.id), args.address),
  }),
  customerAddressDelete: t.field({
    type: DeletePayload,
    args: { id: t.arg.globalID({ for: MailingAddress, required: true }) },
    resolve: (_root, args, ctx) => deleteAddress(ctx.prisma, requireCustomer(ctx), uuidOrNone(args.id.id)),
  }),
  customerDefaultAddressUpdate: t.field({
    type: DefaultPayload,
    args: { addressId: t.arg.globalID({ for: MailingAddress, required: true }) },
    resolve: (_root, args, ctx) => setDefaultAddress(ctx.prisma, requireCustomer(ctx), uuidOrNone(args.addressId.id)),
  }),
}));

