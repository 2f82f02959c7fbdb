// A collection page or search results: facet sidebar, sort, product grid, "Show more".
import { request } from '../graphql.ts';
import { CollectionQuery, SearchQuery } from '../catalog-queries.ts';
import { busy, h, load, navigate } from '../ui.ts';
import { facetSidebar, productCard, productGrid, sortSelect, SORTS, type Facet, type SortName } from './grid.ts';

interface Page {
  title: string;
  subtitle: string;
  products: Parameters<typeof productGrid>[0];
  filters: readonly Facet[];
  /** The cursor of the next page, if there is one. */
  next: string | null;
}

type Query = { kind: 'collection' | 'search'; key: string; filters: string[]; sort: SortName };

async function fetchPage({ kind, key, filters, sort }: Query, after?: string): Promise<Page> {
  const productFilters = filters.map((f) => JSON.parse(f) as Record<string, unknown>);
  const { sortKey, reverse } = SORTS[sort];
  if (kind === 'collection') {
    const { collection } = await request(CollectionQuery, {
      handle: key,
      filters: productFilters,
      sortKey: sortKey ?? 'COLLECTION_DEFAULT',
      reverse,
      after,
    });
    if (!collection) throw new Error('This collection does not exist.');
    const { nodes, filters: facets, pageInfo } = collection.products;
    return {
      title: collection.title,
      subtitle: collection.description,
      products: nodes,
      filters: facets,
      next: pageInfo.hasNextPage ? pageInfo.endCursor : null,
    };
  }
  const { search } = await request(SearchQuery, { q: key, filters: productFilters, sortKey: sortKey ?? 'RELEVANCE', reverse, after });
  const corrected = search.correctedQuery ? ` Showing results for “${search.correctedQuery}”.` : '';
  return {
    title: `Search: ${key}`,
    subtitle: `${search.totalCount} products.${corrected}`,
    products: search.nodes,
    filters: search.filters,
    next: search.pageInfo.hasNextPage ? search.pageInfo.endCursor : null,
  };
}

/** "Show more": appends the next page's cards to the grid. */
function showMore(query: Query, grid: HTMLElement, cursor: string | null): HTMLElement | null {
  if (!cursor) return null;
  const errors = h('div', {});
  const button = h('button', { class: 'secondary' }, 'Show more');
  button.onclick = () =>
    void busy(
      button,
      async () => {
        const page = await fetchPage(query, cursor);
        grid.append(...page.products.map(productCard));
        wrapper.replaceWith(showMore(query, grid, page.next) ?? '');
      },
      errors,
    );
  const wrapper = h('div', { class: 'show-more' }, button, errors);
  return wrapper;
}

export function listingView(kind: 'collection' | 'search', key: string, params: URLSearchParams): HTMLElement {
  const query: Query = { kind, key, filters: params.getAll('filter'), sort: (params.get('sort') ?? 'relevance') as SortName };
  const go = (nextFilters: string[], nextSort: SortName) => {
    const next = new URLSearchParams(kind === 'search' ? { q: key } : {});
    nextFilters.forEach((f) => next.append('filter', f));
    if (nextSort !== 'relevance') next.set('sort', nextSort);
    navigate(`${location.pathname}?${next.toString()}`);
  };
  const root = h('section', { class: 'listing' });
  void load(
    root,
    () => fetchPage(query),
    (page) => {
      const grid = productGrid(page.products);
      return [
        h(
          'header',
          { class: 'listing-head' },
          h('h1', {}, page.title),
          h('p', {}, page.subtitle),
          sortSelect(query.sort, (s) => go(query.filters, s)),
        ),
        h(
          'div',
          { class: 'listing-body' },
          facetSidebar(page.filters, query.filters, (f) => go(f, query.sort)),
          h('div', {}, grid, showMore(query, grid, page.next)),
        ),
      ];
    },
  );
  return root;
}
