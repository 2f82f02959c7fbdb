// Orders: reading the customer's own orders, their sort orders, and the operator's
// listing. An order is a snapshot: its lines never follow later catalog changes.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { UUID } from './cart-store.js';

export type OrderSortKey = 'PROCESSED_AT' | 'TOTAL_PRICE' | 'ID';

/** A total order for each sort key, with the id as the tiebreaker (stable keyset cursors). */
export function orderSort(sortKey: OrderSortKey, reverse: boolean): Prisma.OrderOrderByWithRelationInput[] {
  const direction = reverse ? 'desc' : 'asc';
  switch (sortKey) {
    case 'PROCESSED_AT':
      return [{ processedAt: direction }, { id: direction }];
    case 'TOTAL_PRICE':
      return [{ total: direction }, { id: direction }];
    default:
      return [{ id: direction }];
  }
}

/** "#1001": how shoppers and support staff name an order. */
export function orderName(number: number): string {
  return `#${number}`;
}

/** One of the customer's own orders, or null (another customer's looks missing). */
export function findOwnOrder<Q extends Omit<Prisma.OrderFindFirstArgs, 'where'>>(
  prisma: PrismaClient,
  query: Q,
  customerId: string,
  orderId: string,
) {
  return prisma.order.findFirst({
    ...query,
    where: { id: UUID.test(orderId) ? orderId : '00000000-0000-0000-0000-000000000000', customerId },
  });
}

/** Newest orders first, optionally of one customer (by email), for the operator CLI. */
export function listOrders(prisma: PrismaClient, options: { customerEmail?: string; limit?: number } = {}) {
  return prisma.order.findMany({
    where: options.customerEmail ? { customer: { email: options.customerEmail.trim().toLowerCase() } } : {},
    orderBy: [{ processedAt: 'desc' }, { id: 'desc' }],
    take: options.limit ?? 100,
    select: {
      number: true,
      processedAt: true,
      email: true,
      status: true,
      financialStatus: true,
      fulfillmentStatus: true,
      currencyCode: true,
      total: true,
      _count: { select: { lines: true } },
    },
  });
}
