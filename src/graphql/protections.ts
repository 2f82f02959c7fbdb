// Limits that keep abusive documents from reaching the resolvers, and the rules about
// what errors may reveal. Each rejection carries a code and an HTTP 4xx status, so a
// response without data never answers 200 (GraphQL over HTTP).
// Cost, depth and breadth come from @pothos/plugin-complexity (./complexity.ts), checked
// here before execution; aliases and tokens, which it does not count, are checked here.
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  type DocumentNode,
  type ExecutionArgs,
  type ParseOptions,
  type SelectionSetNode,
  type Source,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { measureComplexity } from './complexity.js';
import { checkArguments } from './input-checks.js';

function limitError(message: string, code: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
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

/**
 * The documents and variables that passed every check below, so a storefront sending the
 * same query again (the usual case) is not measured again. Keyed by the parsed document
 * (Yoga's parse cache hands back the same object for the same text, and a document it
 * evicts is forgotten here too), then by operation name and variables; bounded per document.
 * Only passes are kept: a refusal is measured again and answered with fresh errors. One
 * store per plugin, since the limits are the plugin's configuration.
 */
type Passes = WeakMap<DocumentNode, Set<string>>;
const PASSES_PER_DOCUMENT = 256;
const MAX_KEY_LENGTH = 4096;

function passKey(operationName: string | null | undefined, variables: Record<string, unknown>): string | null {
  const key = `${operationName ?? ''}\n${JSON.stringify(variables)}`;
  return key.length <= MAX_KEY_LENGTH ? key : null;
}

function rememberPass(passed: Passes, document: DocumentNode, key: string): void {
  let keys = passed.get(document);
  if (!keys) passed.set(document, (keys = new Set()));
  if (keys.size >= PASSES_PER_DOCUMENT) keys.delete(keys.values().next().value!);
  keys.add(key);
}

const SUGGESTION = / ?Did you mean .+\?$/;

export function protectionsPlugin(config: Config): Plugin {
  const limits = config.graphql;
  const passed: Passes = new WeakMap();
  return {
    onParse({ setParseFn }) {
      setParseFn((source: string | Source, options?: ParseOptions) => {
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
          (result as readonly GraphQLError[]).map((error) => {
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
                code: error.extensions['code'] ?? 'GRAPHQL_VALIDATION_FAILED',
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
    onExecute({ args: untyped, setResultAndStopExecution }) {
      // envelop types the execution arguments loosely; these are graphql-js's.
      const args = untyped as ExecutionArgs;
      const key = passKey(args.operationName, args.variableValues ?? {});
      if (key !== null && passed.get(args.document)?.has(key)) return;
      const aliases = countAliases(args.document);
      if (aliases > limits.maxAliases) {
        setResultAndStopExecution({
          errors: [limitError(`Too many aliases: ${aliases} (at most ${limits.maxAliases}).`, 'TOO_MANY_ALIASES')],
        });
        return;
      }
      const inputErrors = checkArguments(args.schema, args.document, args.variableValues ?? {}, config);
      if (inputErrors.length > 0) {
        setResultAndStopExecution({ errors: inputErrors });
        return;
      }
      let measure;
      try {
        measure = measureComplexity(args.schema, args.document, args.operationName, args.variableValues ?? {}, args.contextValue as object);
      } catch (error) {
        // An argument the cost rule cannot read is refused, never waved through unmeasured.
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [limitError(error.message, 'BAD_USER_INPUT')] });
        return;
      }
      if (!measure) return; // variables that do not coerce: execution refuses them
      if (measure.depth > limits.maxDepth) {
        setResultAndStopExecution({
          errors: [limitError(`Query is too deep: depth ${measure.depth} (at most ${limits.maxDepth}).`, 'QUERY_TOO_DEEP')],
        });
        return;
      }
      if (measure.complexity > limits.maxCost) {
        setResultAndStopExecution({
          errors: [
            limitError(
              `Query is too expensive: cost ${measure.complexity} (at most ${limits.maxCost}). Ask for fewer items with first/last.`,
              'QUERY_TOO_COMPLEX',
            ),
          ],
        });
        return;
      }
      if (measure.breadth > limits.maxBreadth) {
        setResultAndStopExecution({
          errors: [limitError(`Query selects too many fields: ${measure.breadth} (at most ${limits.maxBreadth}).`, 'QUERY_TOO_BROAD')],
        });
        return;
      }
      if (key !== null) rememberPass(passed, args.document, key);
    },
  };
}
