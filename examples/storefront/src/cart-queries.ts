// The signed-in customer's documents: cart, checkout, orders.
import { graphql } from './graphql.ts';

const Money = graphql(`
  fragment Money on MoneyV2 {
    amount
    currencyCode
  }
`);

export const CartFields = graphql(
  `
    fragment CartFields on Cart {
      id
      totalQuantity
      lines(first: 100) {
        nodes {
          id
          quantity
          merchandise {
            id
            title
            product {
              title
              handle
              featuredImage {
                url
                altText
              }
            }
          }
          cost {
            totalAmount {
              ...Money
            }
          }
        }
      }
      deliveryAddress {
        formatted
      }
      deliveryOptions {
        handle
        title
        description
        estimatedCost {
          ...Money
        }
      }
      selectedDeliveryOption {
        handle
      }
      cost {
        subtotalAmount {
          ...Money
        }
        totalShippingAmount {
          ...Money
        }
        totalAmount {
          ...Money
        }
      }
    }
  `,
  [Money],
);

const Payload = graphql(
  `
    fragment CartPayload on CartCreatePayload {
      cart {
        ...CartFields
      }
      userErrors {
        message
      }
    }
  `,
  [CartFields],
);

export const ActiveCartQuery = graphql(
  `
    query ActiveCart {
      customer {
        displayName
        activeCart {
          ...CartFields
        }
      }
    }
  `,
  [CartFields],
);

export const CartCreate = graphql(
  `
    mutation CartCreate($lines: [CartLineInput!]) {
      cartCreate(input: { lines: $lines }) {
        ...CartPayload
      }
    }
  `,
  [Payload],
);

export const CartLinesAdd = graphql(
  `
    mutation CartLinesAdd($cartId: ID!, $lines: [CartLineInput!]!) {
      cartLinesAdd(cartId: $cartId, lines: $lines) {
        cart {
          ...CartFields
        }
        userErrors {
          message
        }
      }
    }
  `,
  [CartFields],
);

export const CartLinesUpdate = graphql(
  `
    mutation CartLinesUpdate($cartId: ID!, $lines: [CartLineUpdateInput!]!) {
      cartLinesUpdate(cartId: $cartId, lines: $lines) {
        cart {
          ...CartFields
        }
        userErrors {
          message
        }
      }
    }
  `,
  [CartFields],
);

export const CartAddressUpdate = graphql(
  `
    mutation CartAddress($cartId: ID!, $address: MailingAddressInput!) {
      cartDeliveryAddressUpdate(cartId: $cartId, address: $address) {
        cart {
          ...CartFields
        }
        userErrors {
          message
        }
      }
    }
  `,
  [CartFields],
);

export const CartDeliveryOptionUpdate = graphql(
  `
    mutation CartDeliveryOption($cartId: ID!, $handle: String!) {
      cartSelectedDeliveryOptionUpdate(cartId: $cartId, deliveryOptionHandle: $handle) {
        cart {
          ...CartFields
        }
        userErrors {
          message
        }
      }
    }
  `,
  [CartFields],
);

export const CheckoutComplete = graphql(
  `
    mutation Checkout($cartId: ID!, $key: String!) {
      checkoutComplete(input: { cartId: $cartId, idempotencyKey: $key }) {
        order {
          id
          number
          total {
            ...Money
          }
        }
        userErrors {
          message
        }
      }
    }
  `,
  [Money],
);

export const OrdersQuery = graphql(
  `
    query Orders {
      customer {
        displayName
        email
        orders(first: 24, sortKey: PROCESSED_AT, reverse: true) {
          nodes {
            id
            number
            processedAt
            status
            total {
              ...Money
            }
            shippingLine {
              title
            }
            lineItems(first: 10) {
              nodes {
                title
                variantTitle
                quantity
              }
            }
          }
        }
      }
    }
  `,
  [Money],
);
