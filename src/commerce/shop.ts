// The shop itself, as the storefront `shop` field describes it: its name, the domain it
// is served from and the currency it prices in. All of it comes from configuration.
import type { Config } from '../config.js';
import type { CurrencyCode } from './money.js';

export interface ShopInfo {
  name: string;
  primaryDomain: { url: string; host: string; sslEnabled: boolean };
  currencyCode: CurrencyCode;
}

export function shopInfo(config: Pick<Config, 'publicUrl' | 'shop'>): ShopInfo {
  const url = new URL(config.publicUrl);
  return {
    name: config.shop.name,
    primaryDomain: { url: url.origin, host: url.host, sslEnabled: url.protocol === 'https:' },
    currencyCode: config.shop.currencyCode,
  };
}
