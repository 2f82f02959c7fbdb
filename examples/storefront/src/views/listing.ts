// A collection page or search results: facet sidebar, sort, product grid, "load more".
import { request } from '../graphql.ts';
import { CollectionQuery, SearchQuery } from '../catalog-queries.ts';
import { h, load, navigate } from '../ui.ts';
import { facetSidebar, productGrid, sortSelect, SORTS, type Facet, type SortName } from './grid.ts';

interface Page {
  title: string;
  subtitle: string;
  products: Parameters<typeof productGrid>[0];
  filters: readonly Facet[];
}

async function fetchPage(kind: 'collection' | 'search', key: string, filters: string[], sort: SortName): Promise<Page> {
  const productFilters = filters.map((f) => JSON.parse(f) as Record<string, unknown>);
  const { sortKey, reverse } = SORTS[sort];
  if (kind === 'collection') {
    const { collection } = await request(CollectionQuery, {
      handle: key,
      filters: productFilters,
      sortKey: sortKey ?? 'COLLECTION_DEFAULT',
      reverse,
    });
    if (!collection) throw new Error('This collection does not exist.');
    return {
      title: collection.title,
      subtitle: collection.description,
      products: collection.products.nodes,
      filters: collection.products.filters,
    };
  }
  const { search } = await request(SearchQuery, { q: key, filters: productFilters, sortKey: sortKey ?? 'RELEVANCE', reverse });
  const corrected = search.correctedQuery ? ` Showing results for “${search.correctedQuery}”.` : '';
  return {
    title: `Search: ${key}`,
    subtitle: `${search.totalCount} products.${corrected}`,
    products: search.nodes,
    filters: search.filters,
  };
}

export function listingView(kind: 'collection' | 'search', key: string, params: URLSearchParams): HTMLElement {
  const filters = params.getAll('filter');
  const sort = (params.get('sort') ?? 'relevance') as SortName;
  const go = (nextFilters: string[], nextSort: SortName) => {
    const next = new URLSearchParams(kind === 'search' ? { q: key } : {});
    nextFilters.forEach((f) => next.append('filter', f));
    if (nextSort !== 'relevance') next.set('sort', nextSort);
    navigate(`${location.pathname}?${next.toString()}`);
  };
  const root = h('section', { class: 'listing' });
  void load(
    root,
    () => fetchPage(kind, key, filters, sort),
    (page) => [
      h(
        'header',
        { class: 'listing-head' },
        h('h1', {}, page.title),
        h('p', {}, page.subtitle),
        sortSelect(sort, (s) => go(filters, s)),
      ),
      h(
        'div',
        { class: 'listing-body' },
        facetSidebar(page.filters, filters, (f) => go(f, sort)),
        productGrid(page.products),
      ),
    ],
  );
  return root;
}
