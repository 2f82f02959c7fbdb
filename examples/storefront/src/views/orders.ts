// Order history, with a confirmation banner right after checkout.
import { request } from '../graphql.ts';
import { OrdersQuery } from '../cart-queries.ts';
import { isSignedIn, signIn } from '../auth.ts';
import { h, load, money } from '../ui.ts';

export function ordersView(params: URLSearchParams): HTMLElement {
  const root = h('section', { class: 'orders' }, h('h1', {}, 'Your orders'));
  const placed = params.get('placed');
  if (placed) root.append(h('p', { class: 'confirmation', role: 'status' }, `Thank you! Order ${placed} is confirmed.`));
  if (!isSignedIn()) {
    root.append(h('button', { class: 'primary', onclick: () => void signIn() }, 'Sign in to see your orders'));
    return root;
  }
  const list = h('div', {});
  root.append(list);
  void load(
    list,
    () => request(OrdersQuery),
    ({ customer }) => {
      const orders = customer?.orders.nodes ?? [];
      if (!orders.length) return h('p', { class: 'empty' }, 'No orders yet.');
      return h(
        'ul',
        { class: 'order-list' },
        ...orders.map((o) =>
          h(
            'li',
            { class: 'order', 'data-number': o.number },
            h(
              'header',
              {},
              h('strong', {}, `Order ${o.number}`),
              h('span', {}, new Date(o.processedAt).toLocaleDateString()),
              h('span', {}, money(o.total)),
            ),
            h('p', { class: 'muted' }, `${o.status.replace(/_/g, ' ').toLowerCase()} · ${o.shippingLine.title}`),
            h('ul', {}, ...o.lineItems.nodes.map((l) => h('li', {}, `${l.quantity} × ${l.title} (${l.variantTitle})`))),
          ),
        ),
      );
    },
  );
  return root;
}
