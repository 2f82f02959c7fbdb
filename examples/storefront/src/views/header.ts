// The header: logo, search box with as-you-type suggestions (predictiveSearch), bag count, account.
import { request } from '../graphql.ts';
import { SuggestQuery } from '../catalog-queries.ts';
import { isSignedIn, onAuthChange, signIn, signOut } from '../auth.ts';
import { onBagChange, readBag } from '../bag.ts';
import { h, link, navigate } from '../ui.ts';

function searchBox(): HTMLElement {
  const input = h('input', { type: 'search', name: 'q', placeholder: 'Search products', 'aria-label': 'Search', autocomplete: 'off' });
  const list = h('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  let latest = 0;
  input.oninput = () => {
    const q = input.value.trim();
    const ticket = ++latest;
    if (q.length < 2) return void (list.hidden = true);
    request(SuggestQuery, { q })
      .then(({ predictiveSearch: s }) => {
        if (ticket !== latest) return; // an older answer arriving late
        const close = () => (list.hidden = true);
        const styled = (html: string) => Object.assign(h('span'), { innerHTML: html }); // <mark> from the server, which escapes the rest
        list.replaceChildren(
          ...s.queries.map((q) => h('li', { onclick: close }, link(`/search?q=${encodeURIComponent(q.text)}`, {}, styled(q.styledText)))),
          ...s.collections.map((c) => h('li', { onclick: close }, link(`/collections/${c.handle}`, {}, `Collection: ${c.title}`))),
          ...s.products.map((p) =>
            h(
              'li',
              { onclick: close },
              link(
                `/products/${p.handle}`,
                { class: 'suggestion-product' },
                p.featuredImage ? h('img', { src: p.featuredImage.url, alt: '' }) : null,
                p.title,
              ),
            ),
          ),
        );
        list.hidden = list.childElementCount === 0;
      })
      .catch(() => (list.hidden = true)); // suggestions are a nicety: the search itself still works
  };
  const form = h('form', { class: 'search', role: 'search' }, input, list);
  form.onsubmit = (e) => {
    e.preventDefault();
    list.hidden = true;
    if (input.value.trim()) navigate(`/search?q=${encodeURIComponent(input.value.trim())}`);
  };
  return form;
}

export function header(): HTMLElement {
  const count = h('span', { class: 'bag-count' }, String(readBag().reduce((n, l) => n + l.quantity, 0)));
  onBagChange((n) => (count.textContent = String(n)));
  const account = h('div', { class: 'account' });
  const renderAccount = () =>
    account.replaceChildren(
      ...(isSignedIn()
        ? [link('/orders', {}, 'Orders'), h('button', { class: 'link', id: 'sign-out', onclick: () => void signOut() }, 'Sign out')]
        : [h('button', { class: 'link', id: 'sign-in', onclick: () => void signIn() }, 'Sign in')]),
    );
  renderAccount();
  onAuthChange(renderAccount);
  return h(
    'header',
    { class: 'site-header' },
    link('/', { class: 'logo' }, 'Vitrine'),
    searchBox(),
    h('nav', {}, account, link('/bag', { class: 'bag-link', id: 'bag' }, 'Bag ', count)),
  );
}
