// The catalog's documents. Each is checked against schema.graphql by `npm run example:check`.
import { graphql } from './graphql.ts';

export const ProductCard = graphql(`
  fragment ProductCard on Product {
    id
    handle
    title
    vendor
    availableForSale
    featuredImage {
      url
      altText
    }
    priceRange {
      minVariantPrice {
        amount
        currencyCode
      }
    }
  }
`);

const FilterList = graphql(`
  fragment FilterList on Filter {
    id
    label
    type
    values {
      id
      label
      count
      input
    }
  }
`);

export const HomeQuery = graphql(
  `
    query Home {
      collections(first: 4) {
        nodes {
          handle
          title
          description
          image {
            url
            altText
          }
          products(first: 4) {
            nodes {
              ...ProductCard
            }
          }
        }
      }
    }
  `,
  [ProductCard],
);

export const CollectionQuery = graphql(
  `
    query Collection($handle: String!, $filters: [ProductFilter!], $sortKey: ProductCollectionSortKeys, $reverse: Boolean, $after: String) {
      collection(handle: $handle) {
        title
        description
        products(first: 24, after: $after, filters: $filters, sortKey: $sortKey, reverse: $reverse) {
          nodes {
            ...ProductCard
          }
          pageInfo {
            hasNextPage
            endCursor
          }
          filters {
            ...FilterList
          }
        }
      }
    }
  `,
  [ProductCard, FilterList],
);

export const SearchQuery = graphql(
  `
    query Search($q: String!, $filters: [ProductFilter!], $sortKey: SearchSortKeys, $reverse: Boolean, $after: String) {
      search(query: $q, first: 24, after: $after, sortKey: $sortKey, reverse: $reverse, productFilters: $filters) {
        totalCount
        correctedQuery
        nodes {
          ...ProductCard
        }
        pageInfo {
          hasNextPage
          endCursor
        }
        filters {
          ...FilterList
        }
      }
    }
  `,
  [ProductCard, FilterList],
);

export const SuggestQuery = graphql(`
  query Suggest($q: String!) {
    predictiveSearch(query: $q, limit: 5) {
      queries {
        text
        styledText
      }
      products {
        handle
        title
        featuredImage {
          url
        }
      }
      collections {
        handle
        title
      }
    }
  }
`);

export const ProductQuery = graphql(`
  query Product($handle: String!) {
    product(handle: $handle) {
      id
      title
      vendor
      descriptionHtml
      options {
        name
        optionValues {
          name
        }
      }
      images(first: 8) {
        nodes {
          url
          altText
        }
      }
      variants(first: 100) {
        nodes {
          availableForSale
          selectedOptions {
            name
            value
          }
        }
      }
    }
  }
`);

export const VariantQuery = graphql(`
  query Variant($handle: String!, $selected: [SelectedOptionInput!]!) {
    product(handle: $handle) {
      variantBySelectedOptions(selectedOptions: $selected) {
        id
        title
        availableForSale
        quantityAvailable
        price {
          amount
          currencyCode
        }
        compareAtPrice {
          amount
        }
        image {
          url
          altText
        }
      }
    }
  }
`);
