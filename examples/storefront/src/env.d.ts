/** Filled in by the dev server (scripts/example.ts) from the running Vitrine. */
declare const __VITRINE__: {
  /** Vitrine's PUBLIC_URL: the API origin and the OAuth issuer. */
  api: string;
  /** A public storefront token (`vst_…`). */
  storefrontToken: string;
  /** The OAuth client registered for this storefront. */
  clientId: string;
};
