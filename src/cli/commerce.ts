// `vitrine orders …` and `vitrine shipping …`: what the shop sold and how it ships.
import { formatAmount } from '../commerce/money.js';
import { listOrders, orderName } from '../commerce/orders.js';
import { listAllRates } from '../commerce/shipping.js';
import { UsageError, type Commands } from './command.js';

export const commerceCommands: Commands = {
  'orders list': {
    usage: 'vitrine orders list [--customer EMAIL] [--limit N]',
    options: { customer: { type: 'string' }, limit: { type: 'string' } },
    async run({ values, db, io }) {
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be an integer from 1 to 10000');
      if (values.customer !== undefined && (typeof values.customer !== 'string' || !values.customer.includes('@')))
        throw new UsageError('--customer takes an email address');
      const orders = await listOrders((await db()).prisma, { customerEmail: values.customer, limit });
      if (orders.length === 0) io.err('No orders.');
      for (const o of orders) {
        io.out(
          [
            orderName(o.number),
            o.processedAt.toISOString(),
            o.email,
            o.status,
            o.financialStatus,
            o.fulfillmentStatus,
            `${formatAmount(o.total, o.currencyCode)} ${o.currencyCode}`,
            `${o._count.lines} line${o._count.lines === 1 ? '' : 's'}`,
          ].join('\t'),
        );
      }
    },
  },
  'shipping list': {
    usage: 'vitrine shipping list',
    async run({ db, io }) {
      for (const r of await listAllRates((await db()).prisma)) {
        io.out(
          [
            r.handle,
            r.title,
            r.countryCodes.length ? r.countryCodes.join(',') : '(rest of world)',
            `${formatAmount(r.price, r.currencyCode)} ${r.currencyCode}`,
            r.freeAbove === null ? 'never free' : `free from ${formatAmount(r.freeAbove, r.currencyCode)}`,
            `${r.minDeliveryDays}-${r.maxDeliveryDays} days`,
            r.active ? 'active' : 'inactive',
          ].join('\t'),
        );
      }
    },
  },
};
