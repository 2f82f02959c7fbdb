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
