// Descriptions for what plugin-relay generates (Node, PageInfo, edges, connection
// arguments), so every part of the public schema says what it is.
export const relayDescriptions = {
  nodeTypeOptions: { description: 'An object with a globally unique ID, which `node` and `nodes` fetch.' },
  idFieldOptions: { description: 'A globally unique ID; pass it to `node` or to any `id` argument.' },
  pageInfoTypeOptions: { description: 'Where a page of a connection sits, for fetching the next or previous page.' },
  hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
  hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
  startCursorFieldOptions: { description: "The first item's cursor; pass it as `before` for the previous page." },
  endCursorFieldOptions: { description: "The last item's cursor; pass it as `after` for the next page." },
  cursorFieldOptions: { description: 'An opaque cursor for this item; pass it as `after` or `before`.' },
  nodeFieldOptions: { description: 'The item at the end of the edge.' },
  edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
  nodesOnConnection: { description: 'The items of this page (the same as `edges.node`).' },
  pageInfoFieldOptions: { description: 'Where this page sits, for fetching the next or previous page.' },
  firstArgOptions: { description: 'Return the first n items (at most the page cap).' },
  lastArgOptions: { description: 'Return the last n items (at most the page cap).' },
  afterArgOptions: { description: 'Return items after this cursor.' },
  beforeArgOptions: { description: 'Return items before this cursor.' },
  defaultConnectionTypeOptions: { description: 'A page of items, with cursors for paging.' },
  defaultEdgeTypeOptions: { description: 'One item of a page and its cursor.' },
} as const;
