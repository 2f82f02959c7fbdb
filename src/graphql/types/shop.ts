// The `shop` root field: the shop's name, primary domain and payment settings (config).
import { shopInfo, type ShopInfo } from '../../commerce/shop.js';
import { builder } from '../builder.js';
import { CurrencyCode } from './common.js';

const Domain = builder.objectRef<ShopInfo['primaryDomain']>('Domain').implement({
  description: 'A domain the shop is served from.',
  fields: (t) => ({
    url: t.field({ type: 'URL', description: 'The URL of the domain, e.g. "https://shop.example.com".', resolve: (d) => d.url }),
    host: t.exposeString('host', { description: 'The host name (and port, if any), e.g. "shop.example.com".' }),
    sslEnabled: t.exposeBoolean('sslEnabled', { description: 'Whether the domain is served over https.' }),
  }),
});

const PaymentSettings = builder.objectRef<Pick<ShopInfo, 'currencyCode'>>('PaymentSettings').implement({
  description: 'How the shop takes payment.',
  fields: (t) => ({
    currencyCode: t.field({ type: CurrencyCode, description: 'The currency the shop prices in.', resolve: (s) => s.currencyCode }),
  }),
});

const Shop = builder.objectRef<ShopInfo>('Shop').implement({
  description: 'The shop: its name, domain and payment settings.',
  fields: (t) => ({
    name: t.exposeString('name', { description: "The shop's name." }),
    primaryDomain: t.field({ type: Domain, description: 'The domain the shop is served from.', resolve: (s) => s.primaryDomain }),
    paymentSettings: t.field({ type: PaymentSettings, description: 'How the shop takes payment.', resolve: (s) => s }),
  }),
});

builder.queryFields((t) => ({
  shop: t.field({
    type: Shop,
    authScopes: { storefront: true },
    description: 'The shop this storefront belongs to.',
    resolve: (_root, _args, ctx) => shopInfo(ctx.config),
  }),
}));
