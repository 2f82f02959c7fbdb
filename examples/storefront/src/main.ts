// The storefront: a header and one view per path, switched without reloads.
import './style.css';
import { completeSignIn, resumeSession } from './auth.ts';
import { mergeBagIntoCart } from './bag.ts';
import { errorBox, h, navigate } from './ui.ts';
import { header } from './views/header.ts';
import { homeView } from './views/home.ts';
import { listingView } from './views/listing.ts';
import { productView } from './views/product.ts';
import { bagView } from './views/cart.ts';
import { ordersView } from './views/orders.ts';

const main = h('main', {});

function route(): HTMLElement {
  const { pathname } = location;
  const params = new URLSearchParams(location.search);
  const [, section, handle] = pathname.split('/').map(decodeURIComponent);
  if (section === 'collections' && handle) return listingView('collection', handle, params);
  if (section === 'search') return listingView('search', params.get('q') ?? '', params);
  if (section === 'products' && handle) return productView(handle);
  if (section === 'bag') return bagView();
  if (section === 'orders') return ordersView(params);
  return homeView();
}

function render(): void {
  main.replaceChildren(route());
  window.scrollTo(0, 0);
}

/** /callback: finish the sign-in, move the bag into the customer's cart, go back. */
async function callback(): Promise<void> {
  main.replaceChildren(h('div', { class: 'loading', 'aria-busy': 'true' }, 'Signing you in…'));
  try {
    const back = await completeSignIn(new URLSearchParams(location.search));
    history.replaceState(null, '', back); // drops the code from the address bar
    await mergeBagIntoCart();
    navigate(back === '/' ? '/bag' : back);
  } catch (error) {
    history.replaceState(null, '', '/');
    main.replaceChildren(errorBox(error));
  }
}

resumeSession();
document.body.append(header(), main, h('footer', {}, 'A demo shop on Vitrine — nothing is charged.'));
window.addEventListener('popstate', render);
if (location.pathname === '/callback') void callback();
else render();
