// Who is making a GraphQL request: always a storefront (app), sometimes a customer.
import type { StorefrontPrincipal } from './storefront-tokens.js';

/** A customer signed in through Vitrine's OAuth server (from a verified access token). */
export interface CustomerPrincipal {
  customerId: string;
  clientId: string;
  scope: string[];
  /** The token family (grant) the access token belongs to. */
  sessionId: string;
  tokenId: string;
}

export interface Viewer {
  storefront: StorefrontPrincipal;
  customer: CustomerPrincipal | null;
}

/** The scope an access token needs to act as its customer (read and change the account). */
export const CUSTOMER_SCOPE = 'customer';

/**
 * The signed-in customer's id when the access token grants the customer scope, else null.
 * The one rule for "acting as a customer": the GraphQL scopes and resolvers both use it.
 */
export function viewerCustomerId(viewer: Viewer): string | null {
  const principal = viewer.customer;
  return principal && principal.scope.includes(CUSTOMER_SCOPE) ? principal.customerId : null;
}
