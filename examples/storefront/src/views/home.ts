// Home: a hero and the featured collections, four products each.
import { request } from '../graphql.ts';
import { HomeQuery } from '../catalog-queries.ts';
import { h, link, load } from '../ui.ts';
import { productGrid } from './grid.ts';

export function homeView(): HTMLElement {
  const collections = h('div', { class: 'collections' });
  void load(
    collections,
    () => request(HomeQuery),
    ({ collections }) =>
      collections.nodes.map((c) =>
        h(
          'section',
          { class: 'featured' },
          h('header', {}, h('h2', {}, c.title), link(`/collections/${c.handle}`, { class: 'more' }, 'Shop all →')),
          productGrid(c.products.nodes),
        ),
      ),
  );
  return h(
    'div',
    {},
    h('section', { class: 'hero' }, h('h1', {}, 'Made to last.'), h('p', {}, 'Clothing, homeware and gear from small makers.')),
    collections,
  );
}
