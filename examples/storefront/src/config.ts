// Where Vitrine is and who we are. In a real shop these come from your build's environment.
export const API = __VITRINE__.api;
export const STOREFRONT_TOKEN = __VITRINE__.storefrontToken;
export const CLIENT_ID = __VITRINE__.clientId;
export const REDIRECT_URI = `${location.origin}/callback`;
export const SIGNED_OUT_URI = `${location.origin}/`;
