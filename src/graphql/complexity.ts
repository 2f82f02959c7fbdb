// Query cost, depth and breadth, computed by @pothos/plugin-complexity from the field
// costs declared here. Every field that selects an object costs 1 and a scalar costs 0; a
// list-returning field multiplies the cost of what it selects by how many items it may
// return (`first`/`last`, the number of `ids`, or the default page size for a connection
// without either), so 250 products with 250 variants each are priced as 62,500 variants.
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  Kind,
  getNamedType,
  getVariableValues,
  isCompositeType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { PAGE_SIZES } from '../config.js';

export interface Complexity {
  /** The summed field costs, multiplied through lists. */
  complexity: number;
  /** Selection levels, scalar leaves included: `{ a { b } }` has depth 2. */
  depth: number;
  /** Field selections in the document, each fragment spread counted again. */
  breadth: number;
}

/** Cost of one field: the `fieldComplexity` of the builder's complexity options. */
export function fieldComplexity(args: Record<string, unknown>, _ctx: object, field: GraphQLField<unknown, never>) {
  const type = getNamedType(field.type);
  const size = args['first'] ?? args['last'];
  const ids = args['ids'];
  let multiplier = 1;
  if (typeof size === 'number') multiplier = Math.max(size, 0);
  else if (Array.isArray(ids)) multiplier = ids.length;
  else if (type.name.endsWith('Connection')) multiplier = PAGE_SIZES.default;
  return { field: isCompositeType(type) ? 1 : 0, multiplier };
}

/**
 * Complexity of the operation a request executes, from the costs declared on the schema.
 * Null when there is no such operation or its variables do not coerce: execution then
 * refuses the request itself. Throws a GraphQLError for an argument it cannot read.
 * Fragment results are memoised by the plugin, so a fragment bomb stays cheap to measure.
 */
export function measureComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  ctx: object = {},
): Complexity | null {
  // The plugin measures the first operation; keep only the one that runs.
  const operations = document.definitions.filter(
    (def): def is OperationDefinitionNode =>
      def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName),
  );
  const operation = operations[0];
  // No such operation, or variables that do not coerce: execution refuses the request.
  if (!operation || getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return null;
  const selected = {
    ...document,
    definitions: document.definitions.filter((def) => def.kind !== Kind.OPERATION_DEFINITION || def === operation),
  };
  return complexityFromQuery(selected, { schema, ctx, variables });
}
