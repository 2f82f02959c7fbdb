// Addresses: the customer's address book (`MailingAddress` nodes, Shopify's fields),
// `customer { addresses defaultAddress }`, the address mutations, and the address
// snapshots carts and orders keep. Only the signed-in customer's own rows are ever found.
import {
  createAddress,
  deleteAddress,
  setDefaultAddress,
  updateAddress,
  type Address,
  type AddressWriteResult,
} from '../../commerce/addresses.js';
import { countryName } from '../../commerce/countries.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { registerNodeType } from '../node-loader.js';
import { NO_UUID, ownedBy, parseUuid, requireCustomer, toUserErrors, uuidOrNone, viewerCustomerId } from '../owner.js';
import { UserError } from './common.js';
import { Customer } from './customer.js';
import { PRISMA_UUID_CURSOR } from '../input-checks.js';

export const MailingAddressInput = builder.inputType('MailingAddressInput', {
  description:
    'An address. `countryCode` is ISO 3166-1 alpha-2; for the US, Canada and Australia pass `provinceCode` (or the province name).',
  fields: (t) => ({
    firstName: t.string({ required: false, description: 'The first name of the recipient.' }),
    lastName: t.string({ required: false, description: 'The last name of the recipient.' }),
    company: t.string({ required: false, description: 'The company name, if any.' }),
    address1: t.string({ required: false, description: 'The street address (required).' }),
    address2: t.string({ required: false, description: 'The second address line: apartment, suite, unit.' }),
    city: t.string({ required: false, description: 'The city or town (required).' }),
    province: t.string({
      required: false,
      description: 'The state or province name; used to find the code when `provinceCode` is left out.',
    }),
    provinceCode: t.string({
      required: false,
      description: 'The state or province code, e.g. "CA"; required for the US, Canada and Australia.',
    }),
    zip: t.string({ required: false, description: "The postal code, checked against the country's format where one is known." }),
    countryCode: t.string({ required: false, description: 'The country as an ISO 3166-1 alpha-2 code, e.g. "US" (required).' }),
    phone: t.string({ required: false, description: 'A phone number for the carrier.' }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type AddressFieldsBuilder = PothosSchemaTypes.ObjectFieldBuilder<Types, Address>;

/** The MailingAddress fields, shared by saved addresses and snapshots. */
function addressFields(t: AddressFieldsBuilder) {
  return {
    firstName: t.exposeString('firstName', { nullable: true, description: 'The first name of the recipient.' }),
    lastName: t.exposeString('lastName', { nullable: true, description: 'The last name of the recipient.' }),
    name: t.string({
      nullable: true,
      description: 'First and last name together; null when both are empty.',
      resolve: (a) => [a.firstName, a.lastName].filter(Boolean).join(' ') || null,
    }),
    company: t.exposeString('company', { nullable: true, description: 'The company name, if any.' }),
    address1: t.exposeString('address1', { description: 'The street address.' }),
    address2: t.exposeString('address2', { nullable: true, description: 'The second address line: apartment, suite, unit.' }),
    city: t.exposeString('city', { description: 'The city or town.' }),
    province: t.exposeString('province', { nullable: true, description: 'The state or province name.' }),
    provinceCode: t.exposeString('provinceCode', { nullable: true, description: 'The state or province code, e.g. "CA".' }),
    zip: t.exposeString('zip', { nullable: true, description: 'The postal code.' }),
    country: t.string({ description: 'The country name in English, e.g. "Germany".', resolve: (a) => countryName(a.countryCode) }),
    countryCode: t.exposeString('countryCode', { description: 'ISO 3166-1 alpha-2.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'A phone number for the carrier.' }),
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
  addresses: t.relatedConnection(
    'addresses',
    {
      cursor: 'id',
      description: "The customer's saved addresses, oldest first.",
      extensions: { [PRISMA_UUID_CURSOR]: true },
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
    MailingAddressConnection,
  ),
  defaultAddress: t.relation('defaultAddress', {
    nullable: true,
    description: 'The default address; null when none is set (the first saved address becomes it; deleting it leaves none).',
  }),
}));

const MailingAddressPayload = builder.objectRef<AddressWriteResult>('CustomerAddressPayload').implement({
  description: 'The result of an address mutation.',
  fields: (t) => ({
    customerAddress: t.prismaField({
      type: MailingAddress,
      nullable: true,
      description: 'The saved address; null when there are user errors.',
      resolve: (query, payload, _args, ctx) =>
        payload.addressId
          ? ctx.prisma.customerAddress.findFirst({ ...query, where: { id: payload.addressId, customerId: requireCustomer(ctx) } })
          : null,
    }),
    userErrors: t.field({
      type: [UserError],
      description:
        'What was wrong with the input: a blank, too long or invalid field (`field` names it), or NOT_FOUND for an unknown address ID.',
      resolve: (payload) => toUserErrors(payload.userErrors),
    }),
  }),
});

const DeletePayload = builder.objectRef<AddressWriteResult>('CustomerAddressDeletePayload').implement({
  description: 'The result of `customerAddressDelete`.',
  fields: (t) => ({
    deletedCustomerAddressId: t.globalID({
      nullable: true,
      description: 'The ID of the deleted address; null when nothing was deleted.',
      resolve: (p) => (p.addressId ? { type: 'MailingAddress', id: p.addressId } : null),
    }),
    userErrors: t.field({
      type: [UserError],
      description: 'NOT_FOUND when the ID is not one of your addresses.',
      resolve: (payload) => toUserErrors(payload.userErrors),
    }),
  }),
});

const DefaultPayload = builder.objectRef<AddressWriteResult>('CustomerDefaultAddressUpdatePayload').implement({
  description: 'The result of `customerDefaultAddressUpdate`.',
  fields: (t) => ({
    customer: t.prismaField({
      type: Customer,
      nullable: true,
      description: 'The customer with the new default address; null when there are user errors.',
      resolve: (query, payload, _args, ctx) =>
        payload.addressId ? ctx.prisma.customer.findUnique({ ...query, where: { id: requireCustomer(ctx) } }) : null,
    }),
    userErrors: t.field({
      type: [UserError],
      description: 'NOT_FOUND when the ID is not one of your addresses.',
      resolve: (payload) => toUserErrors(payload.userErrors),
    }),
  }),
});

builder.mutationFields((t) => ({
  customerAddressCreate: t.field({
    type: MailingAddressPayload,
    description: "Saves an address to the signed-in customer's address book (the first becomes the default).",
    args: { address: t.arg({ type: MailingAddressInput, required: true, description: 'The address to save.' }) },
    resolve: (_root, args, ctx) => createAddress(ctx.prisma, requireCustomer(ctx), args.address),
  }),
  customerAddressUpdate: t.field({
    type: MailingAddressPayload,
    description:
      "Replaces one of the signed-in customer's saved addresses with a new one; user errors for invalid fields or an unknown ID (NOT_FOUND).",
    args: {
      id: t.arg.globalID({ for: MailingAddress, required: true, description: 'The saved address to change.' }),
      address: t.arg({ type: MailingAddressInput, required: true, description: 'The new address; it replaces every field.' }),
    },
    resolve: (_root, args, ctx) => updateAddress(ctx.prisma, requireCustomer(ctx), uuidOrNone(args.id.id), args.address),
  }),
  customerAddressDelete: t.field({
    type: DeletePayload,
    description:
      "Deletes one of the signed-in customer's saved addresses; NOT_FOUND for an unknown ID. Carts and orders keep their own copies.",
    args: { id: t.arg.globalID({ for: MailingAddress, required: true, description: 'The saved address to delete.' }) },
    resolve: (_root, args, ctx) => deleteAddress(ctx.prisma, requireCustomer(ctx), uuidOrNone(args.id.id)),
  }),
  customerDefaultAddressUpdate: t.field({
    type: DefaultPayload,
    description: "Makes one of the signed-in customer's saved addresses the default; NOT_FOUND for an unknown ID.",
    args: { addressId: t.arg.globalID({ for: MailingAddress, required: true, description: 'The saved address to make the default.' }) },
    resolve: (_root, args, ctx) => setDefaultAddress(ctx.prisma, requireCustomer(ctx), uuidOrNone(args.addressId.id)),
  }),
}));
