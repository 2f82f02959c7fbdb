/** The storefront listing of issue 2, item 7: the query whose statement count is proven. */
export const LISTING_QUERY = /* GraphQL */ `
  query Listing($first: Int!) {
    products(first: $first) {
      nodes {
        id
        handle
        title
        featuredImage {
          url
        }
        priceRange {
          minVariantPrice {
            amount
            currencyCode
          }
        }
        variants(first: 10) {
          nodes {
            id
            title
            availableForSale
            price {
              amount
            }
            selectedOptions {
              name
              value
            }
          }
        }
        collections(first: 3) {
          nodes {
            handle
          }
        }
      }
    }
  }
`;
