// Product cards and the listing page (a collection or search results) with facets and sort.
import type { ResultOf } from '../graphql.ts';
import type { ProductCard } from '../catalog-queries.ts';
import { h, link, money } from '../ui.ts';

type Card = ResultOf<typeof ProductCard>;
export interface Facet {
  id: string;
  label: string;
  values: readonly { id: string; label: string; count: number; input: string }[];
}

export function productCard(product: Card): HTMLElement {
  return h(
    'li',
    { class: 'card' },
    link(
      `/products/${product.handle}`,
      { 'data-handle': product.handle },
      product.featuredImage
        ? h('img', { src: product.featuredImage.url, alt: product.featuredImage.altText ?? '', loading: 'lazy' })
        : null,
      h('span', { class: 'vendor' }, product.vendor),
      h('span', { class: 'title' }, product.title),
      h('span', { class: 'price' }, product.availableForSale ? money(product.priceRange.minVariantPrice) : 'Sold out'),
    ),
  );
}

export const productGrid = (products: readonly Card[]) =>
  products.length ? h('ul', { class: 'grid' }, ...products.map(productCard)) : h('p', { class: 'empty' }, 'No products match.');

/** The sidebar: one checkbox per facet value; the selection lives in the URL (`?filter=<input>`). */
export function facetSidebar(filters: readonly Facet[], selected: string[], onChange: (next: string[]) => void): HTMLElement {
  const groups = filters
    .filter((f) => f.values.length > 0 && f.label !== 'Price')
    .map((filter) =>
      h(
        'fieldset',
        { class: 'facet' },
        h('legend', {}, filter.label),
        ...filter.values.map((value) =>
          h(
            'label',
            {},
            h('input', {
              type: 'checkbox',
              name: filter.id,
              value: value.input,
              checked: selected.includes(value.input),
              onchange: (e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                onChange(on ? [...selected, value.input] : selected.filter((s) => s !== value.input));
              },
            }),
            ` ${value.label} `,
            h('span', { class: 'count' }, `(${value.count})`),
          ),
        ),
      ),
    );
  return h('aside', { class: 'facets', 'aria-label': 'Filters' }, ...groups);
}

export const SORTS = {
  relevance: { label: 'Featured', sortKey: undefined, reverse: false },
  'price-asc': { label: 'Price: low to high', sortKey: 'PRICE', reverse: false },
  'price-desc': { label: 'Price: high to low', sortKey: 'PRICE', reverse: true },
} as const;
export type SortName = keyof typeof SORTS;

export function sortSelect(current: SortName, onChange: (next: SortName) => void): HTMLElement {
  const select = h(
    'select',
    { id: 'sort', onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value as SortName) },
    ...Object.entries(SORTS).map(([name, sort]) => h('option', { value: name, selected: name === current }, sort.label)),
  );
  return h('label', { class: 'sort' }, 'Sort by ', select);
}
