// Limits that keep abusive documents from reaching the resolvers, and the rules about
// what errors may reveal. Each rejection carries a code and an HTTP 4xx status, so a
// response without data never answers 200 (GraphQL over HTTP).
// The cost walk stays our own: graphql-armor's cost rule does not multiply by `first` and
// answered violations with HTTP 200, and @pothos/plugin-complexity multiplies lists by a
// constant unless every list field in the type files declares its own multiplier.
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { checkArguments } from './input-checks.js';

export interface Limits {
  maxPageSize: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  defaultPageSize: number;
}

export function limitError(message: string, code: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

function valueOf(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

interface Measure {
  cost: number;
  depth: number;
}

export interface Measurement extends Measure {
  /** Page-size arguments out of range, e.g. "products.first = 500". */
  badPageSizes: string[];
}

/**
 * Cost of an operation: every object field costs 1, and a list-returning field multiplies
 * the cost of what it selects by how many items it may return (`first`/`last`, the
 * number of `ids`, or the default page size for a connection without either).
 * Fragment results are memoised, so a document cannot make this walk exponential.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  defaultPageSize: number,
  maxPageSize = Number.POSITIVE_INFINITY,
): Measurement {
  const badPageSizes: string[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation = null;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (!operationName || definition.name?.value === operationName) operation ??= definition;
    }
  }
  if (!operation) return { cost: 0, depth: 0, badPageSizes };
  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { cost: 0, depth: 0, badPageSizes };

  const memo = new Map<string, Measure>();
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, seen: Set<string>): Measure => {
    let cost = 0;
    let depth = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
        const field = fields[name];
        if (!field) continue; // validation reports unknown fields
        const type = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(type)) continue;
        const args = new Map(selection.arguments?.map((arg) => [arg.name.value, valueOf(arg.value, variables)]));
        for (const arg of ['first', 'last'] as const) {
          const size = args.get(arg);
          if (typeof size === 'number' && (size < 0 || size > maxPageSize)) badPageSizes.push(`${name}.${arg} = ${size}`);
        }
        const first = args.get('first') ?? args.get('last');
        const ids = args.get('ids');
        if (Array.isArray(ids) && ids.length > maxPageSize) badPageSizes.push(`${name}.ids has ${ids.length} items`);
        let multiplier = 1;
        if (typeof first === 'number') multiplier = Math.max(first, 0);
        else if (Array.isArray(ids)) multiplier = ids.length;
        else if (type.name.endsWith('Connection')) multiplier = defaultPageSize;
        const inner = walk(selection.selectionSet, type, seen);
        cost += 1 + multiplier * inner.cost;
        depth = Math.max(depth, 1 + inner.depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!target || !isCompositeType(target)) continue;
        const inner = walk(selection.selectionSet, target, seen);
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue; // cycles are a validation error
        const target = schema.getType(fragment.typeCondition.name.value);
        if (!target || !isCompositeType(target)) continue;
        const key = `${fragment.name.value}@${isAbstractType(parent) ? target.name : parent.name}`;
        let inner = memo.get(key);
        if (!inner) {
          inner = walk(fragment.selectionSet, target, new Set([...seen, fragment.name.value]));
          memo.set(key, inner);
        }
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      }
    }
    return { cost, depth };
  };
  return { ...walk(operation.selectionSet, root, new Set()), badPageSizes };
}

function countAliases(document: DocumentNode): number {
  let count = 0;
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.alias) count++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition.selectionSet);
  }
  return count;
}

const SUGGESTION = / ?Did you mean .+\?$/;

export function protectionsPlugin(config: Config): Plugin {
  const limits: Limits = { ...config.graphql };
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && /token limit/i.test(error.message)) {
            throw limitError(`Query is too large: at most ${limits.maxTokens} tokens are allowed.`, 'QUERY_TOO_LARGE');
          }
          throw error;
        }
      });
    },
    onValidate({ addValidationRule }) {
      if (!config.graphql.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(
          result.map((error) => {
            // Field suggestions reveal the schema; hide them when introspection is off.
            const message = config.graphql.introspection ? error.message : error.message.replace(SUGGESTION, '');
            return new GraphQLError(message, {
              nodes: error.nodes,
              source: error.source,
              positions: error.positions,
              path: error.path,
              originalError: error.originalError,
              extensions: {
                ...error.extensions,
                code: (error.extensions['code'] as string | undefined) ?? 'GRAPHQL_VALIDATION_FAILED',
              },
            });
          }),
        );
      };
    },
    onResultProcess({ result }) {
      // GraphQL over HTTP lets application/json answer 200 for parse, validation and
      // variable errors ("spec" errors in Yoga). Vitrine answers every response without
      // data with a 4xx, whatever the Accept header, so no failure passes for a success.
      const results = Array.isArray(result) ? result : [result];
      for (const r of results as { data?: unknown; errors?: readonly GraphQLError[] }[]) {
        if (!r || typeof r !== 'object' || Symbol.asyncIterator in r || r.data !== undefined || !r.errors?.length) continue;
        for (const error of r.errors) {
          // Variable coercion suggests enum values and input fields: hidden like field suggestions.
          if (!config.graphql.introspection && SUGGESTION.test(error.message)) {
            (error as { message: string }).message = error.message.replace(SUGGESTION, '');
          }
          const extensions = error.extensions as Record<string, unknown>;
          extensions['code'] ??= 'BAD_USER_INPUT'; // e.g. variables that do not coerce
          const http = (extensions['http'] ??= {}) as { status?: number; spec?: boolean };
          if (!http.status || http.status < 400) http.status = 400;
          http.spec = false;
        }
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      const aliases = countAliases(args.document);
      if (aliases > limits.maxAliases) {
        setResultAndStopExecution({ errors: [limitError(`Too many aliases: ${aliases} (at most ${limits.maxAliases}).`, 'TOO_MANY_ALIASES')] });
        return;
      }
      const inputErrors = checkArguments(args.schema, args.document, (args.variableValues ?? {}) as Record<string, unknown>, config);
      if (inputErrors.length > 0) {
        setResultAndStopExecution({ errors: inputErrors });
        return;
      }
      const measure = measureOperation(
        args.schema,
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
        limits.defaultPageSize,
        limits.maxPageSize,
      );
      if (measure.badPageSizes.length > 0) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `Page sizes must be between 0 and ${limits.maxPageSize}: ${measure.badPageSizes.join(', ')}.`,
              { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
            ),
          ],
        });
        return;
      }
      if (measure.depth > limits.maxDepth) {
        setResultAndStopExecution({ errors: [limitError(`Query is too deep: depth ${measure.depth} (at most ${limits.maxDepth}).`, 'QUERY_TOO_DEEP')] });
        return;
      }
      if (measure.cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [
            limitError(`Query is too expensive: cost ${measure.cost} (at most ${limits.maxCost}). Ask for fewer items with first/last.`, 'QUERY_TOO_COMPLEX'),
          ],
        });
      }
    },
  };
}
