// Delivery options: flat rates per country group, kept in the ShippingRate table (seeded
// by a migration), free from a subtotal on where the rate says so.
import type { Prisma, PrismaClient, ShippingRate } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export type Rate = Pick<
  ShippingRate,
  'id' | 'handle' | 'title' | 'countryCodes' | 'currencyCode' | 'price' | 'freeAbove' | 'minDeliveryDays' | 'maxDeliveryDays' | 'position'
>;

export function listActiveRates(prisma: Db): Promise<ShippingRate[]> {
  return prisma.shippingRate.findMany({ where: { active: true }, orderBy: [{ position: 'asc' }, { id: 'asc' }] });
}

export function listAllRates(prisma: Db): Promise<ShippingRate[]> {
  return prisma.shippingRate.findMany({ orderBy: [{ position: 'asc' }, { id: 'asc' }] });
}

/**
 * The rates that ship to a country in a currency: those naming the country, or, when
 * none does, those naming no country (the rest of the world). In position order.
 */
export function ratesForCountry<R extends Rate>(rates: readonly R[], countryCode: string, currencyCode: string): R[] {
  const priced = rates.filter((rate) => rate.currencyCode === currencyCode);
  const named = priced.filter((rate) => rate.countryCodes.includes(countryCode));
  const chosen = named.length > 0 ? named : priced.filter((rate) => rate.countryCodes.length === 0);
  return [...chosen].sort((a, b) => a.position - b.position || a.id - b.id);
}

/** What a rate costs for a cart subtotal (minor units): free from `freeAbove` on. */
export function rateCost(rate: Pick<Rate, 'price' | 'freeAbove'>, subtotal: number): number {
  return rate.freeAbove !== null && subtotal >= rate.freeAbove ? 0 : rate.price;
}
