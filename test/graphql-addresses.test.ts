// The address book and cart delivery addresses through GraphQL: validation codes,
// the default address, saved addresses on carts, and ownership.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../src/graphql/ids.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInCustomer, type SignedInCustomer } from './helpers/customer.js';

let t: TestApp;
let ada: SignedInCustomer;
let bob: SignedInCustomer;

const US = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address1: '1 Main St',
  city: 'Springfield',
  countryCode: 'US',
  provinceCode: 'IL',
  zip: '62701',
  phone: '+1 555 0100',
};
const DE = { address1: 'Unter den Linden 1', city: 'Berlin', countryCode: 'DE', zip: '10117' };

const CREATE = `mutation($a: MailingAddressInput!) { customerAddressCreate(address: $a) { customerAddress { id address1 city province provinceCode country countryCode zip formatted } userErrors { field code } } }`;

beforeAll(async () => {
  t = await createTestApp({ products: 3 });
  ada = await signedInCustomer(t);
  bob = await signedInCustomer(t);
});
afterAll(() => t?.close());

describe('address book', () => {
  it('creates addresses (the first becomes the default), updates, deletes and changes the default', async () => {
    const first = await ada.gql(CREATE, { a: US });
    expect(first.body.data.customerAddressCreate.userErrors).toEqual([]);
    const home = first.body.data.customerAddressCreate.customerAddress;
    expect(home).toMatchObject({ province: 'Illinois', provinceCode: 'IL', country: 'United States', countryCode: 'US' });
    expect(home.formatted).toEqual(['Ada Lovelace', '1 Main St', '62701 Springfield IL', 'United States']);
    const second = (await ada.gql(CREATE, { a: DE })).body.data.customerAddressCreate.customerAddress;
    let me = await ada.gql(`{ customer { defaultAddress { id } addresses(first: 10) { nodes { id } } } }`);
    expect(me.body.data.customer).toEqual({ defaultAddress: { id: home.id }, addresses: { nodes: [{ id: home.id }, { id: second.id }] } });

    const updated = await ada.gql(
      `mutation($id: ID!, $a: MailingAddressInput!) { customerAddressUpdate(id: $id, address: $a) { customerAddress { city } userErrors { code } } }`,
      {
        id: second.id,
        a: { ...DE, city: 'Hamburg', zip: '20095' },
      },
    );
    expect(updated.body.data.customerAddressUpdate).toEqual({ customerAddress: { city: 'Hamburg' }, userErrors: [] });
    const def = await ada.gql(
      `mutation($id: ID!) { customerDefaultAddressUpdate(addressId: $id) { customer { defaultAddress { city } } userErrors { code } } }`,
      { id: second.id },
    );
    expect(def.body.data.customerDefaultAddressUpdate).toEqual({ customer: { defaultAddress: { city: 'Hamburg' } }, userErrors: [] });
    const deleted = await ada.gql(
      `mutation($id: ID!) { customerAddressDelete(id: $id) { deletedCustomerAddressId userErrors { code } } }`,
      { id: second.id },
    );
    expect(deleted.body.data.customerAddressDelete).toEqual({ deletedCustomerAddressId: second.id, userErrors: [] });
    me = await ada.gql(`{ customer { defaultAddress { id } addresses(first: 10) { nodes { id } } } }`);
    expect(me.body.data.customer).toEqual({ defaultAddress: null, addresses: { nodes: [{ id: home.id }] } });
  });

  it('validates countries, provinces and postal codes with codes', async () => {
    const codes = async (a: Record<string, string>) =>
      (await ada.gql(CREATE, { a })).body.data.customerAddressCreate.userErrors.map(
        (e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`,
      );
    expect(await codes({ ...US, countryCode: 'ZZ' })).toEqual(['address.countryCode:INVALID']);
    expect(await codes({ ...US, provinceCode: 'XX' })).toEqual(['address.provinceCode:INVALID']);
    expect(await codes({ ...US, zip: '1234' })).toEqual(['address.zip:INVALID']);
    expect(await codes({ countryCode: 'US' })).toEqual([
      'address.address1:BLANK',
      'address.city:BLANK',
      'address.provinceCode:BLANK',
      'address.zip:BLANK',
    ]);
  });

  it("never shows or changes another customer's address", async () => {
    const home = (await ada.gql(CREATE, { a: US })).body.data.customerAddressCreate.customerAddress;
    const unknown = encodeGlobalId('MailingAddress', '6b1e9a64-0000-4000-8000-000000000000');
    const probe = (id: string) =>
      bob.gql(
        `mutation($id: ID!, $a: MailingAddressInput!) {
          u: customerAddressUpdate(id: $id, address: $a) { customerAddress { id } userErrors { field code message } }
          d: customerAddressDelete(id: $id) { deletedCustomerAddressId userErrors { field code message } }
          m: customerDefaultAddressUpdate(addressId: $id) { customer { id } userErrors { field code message } }
          c: cartCreate(input: { deliveryAddressId: $id }) { cart { id } userErrors { field code message } }
        }`,
        { id, a: DE },
      );
    const theirs = await probe(home.id);
    const missing = await probe(unknown);
    expect(theirs.body).toEqual(missing.body);
    expect(theirs.body.data.u.userErrors[0].code).toBe('NOT_FOUND');
    const read = await bob.gql(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, { id: home.id });
    expect(read.body.data).toEqual({ node: null, nodes: [null] });
    const still = await ada.gql(`query($id: ID!) { node(id: $id) { ... on MailingAddress { city } } }`, { id: home.id });
    expect(still.body.data.node).toEqual({ city: 'Springfield' });
  });
});

describe('cart delivery address', () => {
  it('takes a saved address or a new one; options follow the country; a mismatched option is dropped', async () => {
    const home = (await ada.gql(CREATE, { a: US })).body.data.customerAddressCreate.customerAddress;
    const cart = (
      await ada.gql(
        `mutation($id: ID!) { cartCreate(input: { deliveryAddressId: $id }) { cart { id deliveryOptions { handle } } userErrors { code } } }`,
        { id: home.id },
      )
    ).body.data.cartCreate.cart;
    expect(cart.deliveryOptions.map((o: { handle: string }) => o.handle)).toEqual(['us-standard', 'us-express']);
    await ada.gql(
      `mutation($id: ID!) { cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "us-standard") { userErrors { code } } }`,
      { id: cart.id },
    );
    const wrong = await ada.gql(
      `mutation($id: ID!) { cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "europe-express") { userErrors { code } } }`,
      { id: cart.id },
    );
    expect(wrong.body.data.cartSelectedDeliveryOptionUpdate.userErrors).toEqual([{ code: 'DELIVERY_OPTION_UNAVAILABLE' }]);
    const unknownHandle = await ada.gql(
      `mutation($id: ID!) { cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "teleport") { userErrors { code } } }`,
      { id: cart.id },
    );
    expect(unknownHandle.body.data.cartSelectedDeliveryOptionUpdate.userErrors).toEqual([{ code: 'NOT_FOUND' }]);

    const moved = await ada.gql(
      `mutation($id: ID!, $a: MailingAddressInput) { cartDeliveryAddressUpdate(cartId: $id, address: $a) { cart { deliveryAddress { countryCode } deliveryOptions { handle } selectedDeliveryOption { handle } } userErrors { code } } }`,
      { id: cart.id, a: DE },
    );
    expect(moved.body.data.cartDeliveryAddressUpdate).toEqual({
      cart: {
        deliveryAddress: { countryCode: 'DE' },
        deliveryOptions: [{ handle: 'europe-standard' }, { handle: 'europe-express' }],
        selectedDeliveryOption: null,
      },
      userErrors: [],
    });
    const far = await ada.gql(
      `mutation($id: ID!) { cartDeliveryAddressUpdate(cartId: $id, address: { address1: "1 Rd", city: "Tokyo", countryCode: "JP" }) { cart { deliveryOptions { handle } } userErrors { code } } }`,
      { id: cart.id },
    );
    expect(far.body.data.cartDeliveryAddressUpdate.cart.deliveryOptions.map((o: { handle: string }) => o.handle)).toEqual([
      'international-standard',
      'international-express',
    ]);
    const bad = await ada.gql(
      `mutation($id: ID!) { cartDeliveryAddressUpdate(cartId: $id, address: { address1: "x", city: "y", countryCode: "QQ" }) { userErrors { field code } } }`,
      { id: cart.id },
    );
    expect(bad.body.data.cartDeliveryAddressUpdate.userErrors).toEqual([{ field: ['address', 'countryCode'], code: 'INVALID' }]);
  });
});
