// search, predictiveSearch and the facets (`filters`) of product lists. Thin: the rules are
// in src/commerce/search.ts, predictive-search.ts and product-facets.ts.
import type { Prisma } from '../../generated/prisma/client.js';
import { predictiveSearch } from '../../commerce/predictive-search.js';
import { inCollectionSql, productFacets, type Facet, type FacetValue } from '../../commerce/product-facets.js';
import type { ProductFilter } from '../../commerce/product-listing.js';
import { findPublishedCollections, findPublishedProducts } from '../../commerce/search-reads.js';
import { planSearch, searchCount, searchMatchSql, searchPage, type SearchPlan } from '../../commerce/search.js';
import { builder } from '../builder.js';
import { plannedNodes } from '../keyset-connection.js';
import type { Context } from '../context.js';
import { ProductFilterInput } from './listing.js';
import { Product, ProductConnection } from './product.js';

builder.scalarType('JSON', {
  description: 'A JSON value. `FilterValue.input` is a string of JSON, as in Shopify.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

const FilterType = builder.enumType('FilterType', {
  description: 'How the values of a facet are picked.',
  values: {
    LIST: { description: 'Pick any of the values (they OR together).' },
    PRICE_RANGE: { description: 'A min/max range; the value shows the range of the current list.' },
    BOOLEAN: { description: 'True or false.' },
  } as const,
});

const FilterValue = builder.objectRef<FacetValue>('FilterValue').implement({
  description: 'One value of a facet and how many products of the current list have it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A stable identifier of the value, e.g. "filter.v.availability.1".' }),
    label: t.exposeString('label', { description: 'The value to show, e.g. "In stock" or "Navy".' }),
    count: t.exposeInt('count', { description: 'How many products of the list have this value, given the other filters.' }),
    input: t.field({
      type: 'JSON',
      description: 'The `ProductFilter` selecting this value, as a JSON string: parse it and pass it in `filters`/`productFilters`.',
      resolve: (value) => JSON.stringify(value.input),
    }),
  }),
});

const Filter = builder.objectRef<Facet>('Filter').implement({
  description: 'A facet of a product list (availability, price, type, vendor, tag, a variant option) with its values.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A stable identifier of the facet, e.g. "filter.v.availability".' }),
    label: t.exposeString('label', { description: 'The facet name to show, e.g. "Availability" or "Color".' }),
    type: t.field({ type: FilterType, description: 'How its values are picked.', resolve: (facet) => facet.type }),
    values: t.field({ type: [FilterValue], description: 'The values with their counts.', resolve: (facet) => facet.values }),
  }),
});

/** Where the facets of a list come from; attached to the connection objects that have them. */
interface FacetSource {
  facets: () => Promise<Facet[]>;
}
const FACETS = Symbol('facets');
type WithFacets = { [FACETS]?: FacetSource };

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}

/** Attaches facet counting to a collection's product connection (see collection.ts). */
export function withCollectionFacets<T extends object>(
  connection: T,
  collectionId: number,
  filters: readonly ProductFilter[] | null | undefined,
  ctx: Context,
): T {
  const source: FacetSource = {
    facets: memo(() =>
      productFacets(ctx.prisma, {
        match: inCollectionSql(collectionId),
        filters: filters ?? [],
        now: ctx.catalogNow,
        maxValues: ctx.config.search.maxFacetValues,
      }),
    ),
  };
  return Object.assign(connection, { [FACETS]: source });
}

builder.objectField(ProductConnection, 'filters', (t) =>
  t.field({
    type: [Filter],
    description: "Facets of a collection's products with counts for the current filters (empty on the root `products` list).",
    resolve: (connection) => (connection as WithFacets)[FACETS]?.facets() ?? [],
  }),
);

const SearchSortKeys = builder.enumType('SearchSortKeys', {
  description: 'How `search` results can be ordered.',
  values: {
    RELEVANCE: { description: 'Best matches first: title matches over tags, vendor and type, over descriptions.' },
    PRICE: { description: 'Lowest variant price first.' },
  } as const,
});

interface SearchShape {
  edges: { cursor: string; node: typeof Product.$inferType }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  plan: SearchPlan;
  totalCount: () => Promise<number>;
  facets: () => Promise<Facet[]>;
}

const SearchResultItemConnection = builder.connectionObject(
  {
    type: Product,
    name: 'SearchResultItemConnection',
    description: 'Products matching a search, best first unless sorted otherwise.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many products match, over all pages.',
        resolve: (c) => (c as unknown as SearchShape).totalCount(),
      }),
      filters: t.field({
        type: [Filter],
        description: 'Facets of the results with counts, for a filter sidebar.',
        resolve: (c) => (c as unknown as SearchShape).facets(),
      }),
      productFilters: t.field({
        type: [Filter],
        description: "The same as `filters` (Shopify's name).",
        resolve: (c) => (c as unknown as SearchShape).facets(),
      }),
      correctedQuery: t.string({
        nullable: true,
        description: 'The words actually searched for when some were misspelled, e.g. "sweater" for "sewater"; null otherwise.',
        resolve: (c) => {
          const { plan } = c as unknown as SearchShape;
          return plan.corrections.length ? plan.words.join(' ') : null;
        },
      }),
    }),
  },
  { name: 'SearchResultItemEdge' },
);

const PredictiveSearchType = builder.enumType('PredictiveSearchType', {
  description: 'A kind of `predictiveSearch` suggestion.',
  values: {
    PRODUCT: { description: 'Products.' },
    COLLECTION: { description: 'Collections.' },
    QUERY: { description: 'Completed queries.' },
  } as const,
});

const SearchQuerySuggestion = builder.objectRef<{ text: string; styledText: string }>('SearchQuerySuggestion').implement({
  description: 'A complete query to offer while the shopper types.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The completed query, as plain text.' }),
    styledText: t.exposeString('styledText', { description: 'HTML: the completion wrapped in <mark>.' }),
  }),
});

const PredictiveSearchResult = builder
  .objectRef<{ productIds: number[]; collectionIds: number[]; queries: { text: string; styledText: string }[] }>('PredictiveSearchResult')
  .implement({
    description: 'Suggestions for a partial query.',
    fields: (t) => ({
      products: t.prismaField({
        type: ['Product'],
        description: 'Published products matching the partial query, best first.',
        resolve: (query, result, _args, ctx) => findPublishedProducts(ctx.prisma, query, result.productIds, ctx.catalogNow),
      }),
      collections: t.prismaField({
        type: ['Collection'],
        description: 'Published collections matching the partial query, best first.',
        resolve: (query, result, _args, ctx) => findPublishedCollections(ctx.prisma, query, result.collectionIds, ctx.catalogNow),
      }),
      queries: t.field({
        type: [SearchQuerySuggestion],
        description: 'Whole queries completing what was typed.',
        resolve: (result) => result.queries,
      }),
    }),
  });

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: Product,
      description:
        'Full-text product search: English stemming, accents ignored, the last word matched as a prefix, misspellings corrected. A blank query is an error, never the whole catalog.',
      args: {
        query: t.arg.string({ required: true, description: 'The words to search for; must not be blank.' }),
        sortKey: t.arg({ type: SearchSortKeys, required: false, defaultValue: 'RELEVANCE', description: 'What to order the results by.' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false, description: 'Reverse the order.' }),
        productFilters: t.arg({
          type: [ProductFilterInput],
          required: false,
          description: 'Narrow the results, e.g. with a `FilterValue.input`.',
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        const planned = await planSearch(
          ctx.prisma,
          { query: args.query, filters: args.productFilters, now: ctx.catalogNow },
          ctx.config.search,
        );
        const { plan, page } = await searchPage(ctx.prisma, planned, {
          first: args.first,
          after: args.after,
          last: args.last,
          before: args.before,
          sortKey: args.sortKey ?? 'RELEVANCE',
          reverse: args.reverse ?? false,
          defaultPageSize: ctx.config.graphql.defaultPageSize,
          maxPageSize: ctx.config.graphql.maxPageSize,
        });
        const query = (await plannedNodes(ctx, info, 'Product')) as Prisma.ProductFindManyArgs;
        const rows = await findPublishedProducts(
          ctx.prisma,
          query,
          page.edges.map((edge) => edge.id),
          ctx.catalogNow,
        );
        const byId = new Map(rows.map((row) => [row.id, row]));
        const shape: SearchShape = {
          edges: page.edges.flatMap((edge) => {
            const node = byId.get(edge.id);
            return node ? [{ cursor: edge.cursor, node }] : [];
          }),
          pageInfo: page.pageInfo,
          plan,
          totalCount: memo(async () => page.totalCount ?? searchCount(ctx.prisma, plan)),
          facets: memo(() =>
            productFacets(ctx.prisma, {
              match: searchMatchSql(plan),
              filters: plan.filters,
              now: ctx.catalogNow,
              maxValues: ctx.config.search.maxFacetValues,
            }),
          ),
        };
        return shape;
      },
    },
    SearchResultItemConnection,
  ),
  predictiveSearch: t.field({
    type: PredictiveSearchResult,
    description: 'As-you-type suggestions: top products, collections and completed queries for a partial query.',
    args: {
      query: t.arg.string({ required: true, description: 'What the shopper has typed so far.' }),
      limit: t.arg.int({ required: false, description: 'Results per type, 1–10 (default 10).' }),
      types: t.arg({
        type: [PredictiveSearchType],
        required: false,
        description: 'The kinds of suggestions to return; all kinds when left out.',
      }),
    },
    resolve: (_root, args, ctx) =>
      predictiveSearch(ctx.prisma, { query: args.query, limit: args.limit, types: args.types, now: ctx.catalogNow }, ctx.config.search),
  }),
}));
