// "Place order": one idempotency key per purchase attempt, kept in sessionStorage so a retry
// (a timeout, a reload) reuses it and cannot order twice.
import { check, request } from '../graphql.ts';
import { CheckoutComplete } from '../cart-queries.ts';
import { notifyBag } from '../bag.ts';
import { busy, h, navigate } from '../ui.ts';

const keyFor = (cartId: string) => {
  const name = `vitrine.checkout.${cartId}`;
  const key = sessionStorage.getItem(name) ?? crypto.randomUUID();
  sessionStorage.setItem(name, key);
  return { key, done: () => sessionStorage.removeItem(name) };
};

export function checkoutButton(cartId: string): HTMLElement {
  const errors = h('div', {});
  const button = h('button', { class: 'primary', id: 'place-order' }, 'Place order');
  button.onclick = () =>
    void busy(
      button,
      async () => {
        const attempt = keyFor(cartId);
        const { order } = check((await request(CheckoutComplete, { cartId, key: attempt.key })).checkoutComplete);
        attempt.done();
        notifyBag(0);
        if (order) navigate(`/orders?placed=${encodeURIComponent(order.number)}`);
      },
      errors,
    );
  return h('div', { class: 'checkout' }, button, errors);
}
