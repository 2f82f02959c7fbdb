// The bag page: the anonymous bag (sign in to check out), or the customer's cart with
// quantities, delivery address, delivery option, totals and "Place order".
import { check, request, type ResultOf } from '../graphql.ts';
import { ActiveCartQuery, CartAddressUpdate, CartDeliveryOptionUpdate, CartFields, CartLinesUpdate } from '../cart-queries.ts';
import { isSignedIn, signIn } from '../auth.ts';
import { notifyBag, readBag } from '../bag.ts';
import { busy, h, link, load, money } from '../ui.ts';
import { checkoutButton } from './checkout.ts';

type Cart = ResultOf<typeof CartFields>;

function anonymousBag(): HTMLElement {
  const lines = readBag();
  if (!lines.length) return h('p', { class: 'empty' }, 'Your bag is empty. ', link('/', {}, 'Keep shopping'));
  return h(
    'div',
    {},
    h('ul', { class: 'lines' }, ...lines.map((l) => h('li', { class: 'line' }, h('span', {}, l.title), h('span', {}, `× ${l.quantity}`)))),
    h('button', { class: 'primary', id: 'sign-in-to-checkout', onclick: () => void signIn() }, 'Sign in to check out'),
  );
}

function addressForm(cart: Cart, show: (cart: Cart) => void): HTMLElement {
  const field = (name: string, label: string, value = '') =>
    h('label', {}, label, h('input', { name, value, required: name !== 'address2' }));
  const errors = h('div', {});
  const save = h('button', { class: 'secondary', type: 'submit' }, 'Save address');
  const form = h(
    'form',
    { class: 'address', 'aria-label': 'Delivery address' },
    h('div', { class: 'row' }, field('firstName', 'First name'), field('lastName', 'Last name')),
    field('address1', 'Address'),
    h('div', { class: 'row' }, field('city', 'City'), field('provinceCode', 'State', ''), field('zip', 'ZIP')),
    field('countryCode', 'Country code', 'US'),
    save,
    errors,
  );
  form.onsubmit = (e) => {
    e.preventDefault();
    const address = Object.fromEntries(new FormData(form)) as Record<string, string>;
    void busy(
      save,
      async () => show(check((await request(CartAddressUpdate, { cartId: cart.id, address })).cartDeliveryAddressUpdate).cart!),
      errors,
    );
  };
  return form;
}

function cartView(cart: Cart, show: (cart: Cart) => void): HTMLElement {
  const errors = h('div', {});
  const setQuantity = (id: string, quantity: number, input: HTMLInputElement) =>
    void busy(
      input,
      async () => {
        show(check((await request(CartLinesUpdate, { cartId: cart.id, lines: [{ id, quantity }] })).cartLinesUpdate).cart!);
      },
      errors,
    );
  const lines = cart.lines.nodes.map((line) => {
    const input = h('input', {
      type: 'number',
      min: '0',
      max: '100',
      value: String(line.quantity),
      'aria-label': `Quantity of ${line.merchandise.product.title}`,
    });
    input.onchange = () => setQuantity(line.id, Number(input.value), input);
    const image = line.merchandise.product.featuredImage;
    return h(
      'li',
      { class: 'line' },
      image ? h('img', { src: image.url, alt: image.altText ?? '' }) : null,
      h(
        'div',
        {},
        link(`/products/${line.merchandise.product.handle}`, {}, line.merchandise.product.title),
        h('p', { class: 'muted' }, line.merchandise.title),
      ),
      input,
      h('span', { class: 'price' }, money(line.cost.totalAmount)),
    );
  });
  const options = cart.deliveryOptions.map((o) =>
    h(
      'label',
      { class: 'delivery-option' },
      h('input', {
        type: 'radio',
        name: 'delivery',
        value: o.handle,
        checked: cart.selectedDeliveryOption?.handle === o.handle,
        onchange: (e: Event) =>
          void busy(
            e.target as HTMLInputElement,
            async () => {
              show(
                check((await request(CartDeliveryOptionUpdate, { cartId: cart.id, handle: o.handle })).cartSelectedDeliveryOptionUpdate)
                  .cart!,
              );
            },
            errors,
          ),
      }),
      ` ${o.title} — ${money(o.estimatedCost)} `,
      h('span', { class: 'muted' }, o.description),
    ),
  );
  const address = cart.deliveryAddress
    ? h(
        'div',
        { class: 'saved-address' },
        h('p', {}, ...cart.deliveryAddress.formatted.flatMap((l) => [l, h('br')])),
        h('button', { class: 'link', onclick: () => address.replaceWith(addressForm(cart, show)) }, 'Change'),
      )
    : addressForm(cart, show);
  return h(
    'div',
    { class: 'cart' },
    h('ul', { class: 'lines' }, ...lines),
    errors,
    h('section', {}, h('h2', {}, 'Delivery address'), address),
    cart.deliveryAddress ? h('section', {}, h('h2', {}, 'Delivery'), h('fieldset', { class: 'delivery' }, ...options)) : null,
    h(
      'dl',
      { class: 'totals' },
      h('dt', {}, 'Subtotal'),
      h('dd', {}, money(cart.cost.subtotalAmount)),
      h('dt', {}, 'Delivery'),
      h('dd', {}, cart.cost.totalShippingAmount ? money(cart.cost.totalShippingAmount) : 'Choose an option'),
      h('dt', {}, 'Total'),
      h('dd', { id: 'total' }, money(cart.cost.totalAmount)),
    ),
    checkoutButton(cart.id),
  );
}

export function bagView(): HTMLElement {
  const root = h('section', { class: 'bag' });
  const body = h('div', {});
  root.append(h('h1', {}, 'Your bag'), body);
  if (!isSignedIn()) {
    body.append(anonymousBag());
    return root;
  }
  const show = (cart: Cart) => {
    notifyBag(cart.totalQuantity);
    body.replaceChildren(cart.lines.nodes.length ? cartView(cart, show) : h('p', { class: 'empty' }, 'Your bag is empty.'));
  };
  void load(
    body,
    () => request(ActiveCartQuery),
    ({ customer }) => {
      const cart = customer?.activeCart;
      notifyBag(cart?.totalQuantity ?? 0);
      return cart?.lines.nodes.length
        ? cartView(cart, show)
        : h('p', { class: 'empty' }, 'Your bag is empty. ', link('/', {}, 'Keep shopping'));
    },
  );
  return root;
}
