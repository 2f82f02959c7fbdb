// Argument values a client can fix, checked before anything executes, so the answer is a
// 400 with `extensions.code: BAD_USER_INPUT` rather than a half-run request: malformed
// global IDs and IDs of the wrong type, NUL bytes in strings, page sizes out of range,
// `first` together with `last`, and cursors that are malformed, tampered with or made for
// another list or sort order.
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { PaginationInputError } from '../commerce/keyset.js';
import type { Config } from '../config.js';
import { invalidGlobalIdError, parseGlobalId, wrongTypeGlobalIdError } from './ids.js';
import { KEYSET_CHECK, listPage, type KeysetCheck } from './keyset-connection.js';

/** Extension marking an ID argument that takes a global ID of any type (`node`, `nodes`). */
export const ANY_GLOBAL_ID = 'vitrineAnyGlobalId';

/**
 * Extension marking a connection with plugin-prisma's own cursors over a UUID primary key (a
 * customer's addresses, carts and orders, a cart's or an order's lines). A cursor must name a
 * UUID: any other value would reach PostgreSQL as an invalid id and fail the whole request.
 */
export const PRISMA_UUID_CURSOR = 'vitrinePrismaUuidCursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MAX_ERRORS = 10;

function isPrismaUuidCursor(cursor: unknown): boolean {
  try {
    const value = parsePrismaCursor(cursor);
    return typeof value === 'string' && UUID.test(value);
  } catch {
    return false;
  }
}

function userError(message: string, node: ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes: [node], extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** Which types an ID argument accepts: null = not a global ID, [] = any type. */
function globalIdTypes(extensions: Record<string, unknown> | null | undefined): string[] | null {
  if (!extensions) return null;
  if (extensions[ANY_GLOBAL_ID]) return [];
  if (!extensions['isRelayGlobalID']) return null;
  const forTypes = extensions['relayGlobalIDFor'] as { typename: string }[] | null | undefined;
  return forTypes ? forTypes.map((type) => type.typename) : [];
}

/** Problems in one input value, walked along its input type. */
function inputProblems(
  value: unknown,
  type: GraphQLInputType,
  extensions: Record<string, unknown> | null | undefined,
  name: string,
): string[] {
  if (value === null || value === undefined) return [];
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => inputProblems(item, nullable.ofType, extensions, name));
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object') return []; // coercion reports it
    const fields = nullable.getFields();
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
      fields[key] ? inputProblems(inner, fields[key].type, fields[key].extensions, `${name}.${key}`) : [],
    );
  }
  if (!isScalarType(nullable) || typeof value !== 'string') return [];
  if (value.includes('\u0000')) return [`\`${name}\` contains a NUL byte, which no text here may contain.`];
  const types = globalIdTypes(extensions);
  if (types === null) return [];
  const decoded = parseGlobalId(value);
  if (!decoded) return [invalidGlobalIdError(value, types).message];
  if (types.length > 0 && !types.includes(decoded.typename)) return [wrongTypeGlobalIdError(value, types).message];
  return [];
}

/** Variables with the defaults their definitions declare. */
function effectiveVariables(document: DocumentNode, variables: Record<string, unknown>): Record<string, unknown> {
  const values = { ...variables };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const name = variable.variable.name.value;
      if (values[name] === undefined && variable.defaultValue) values[name] = valueFromASTUntyped(variable.defaultValue);
    }
  }
  return values;
}

/** Page-size arguments out of range, e.g. "products.first = 500". */
function pageSizeProblems(name: string, args: Record<string, unknown>, maxPageSize: number): string[] {
  const problems: string[] = [];
  for (const arg of ['first', 'last'] as const) {
    const size = args[arg];
    if (typeof size === 'number' && (size < 0 || size > maxPageSize)) problems.push(`${name}.${arg} = ${size}`);
  }
  const ids = args['ids'];
  if (Array.isArray(ids) && ids.length > maxPageSize) problems.push(`${name}.ids has ${ids.length} items`);
  return problems;
}

export function checkArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown>,
  config: Config,
): GraphQLError[] {
  const variables = effectiveVariables(document, rawVariables);
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || errors.length >= MAX_ERRORS) return;
        const args: Record<string, unknown> = {};
        for (const arg of field.args) {
          const given = node.arguments?.find((a) => a.name.value === arg.name);
          const value = given ? valueFromASTUntyped(given.value, variables) : arg.defaultValue;
          args[arg.name] = value;
          for (const problem of inputProblems(value, arg.type, arg.extensions, arg.name)) errors.push(userError(problem, given ?? node));
        }
        const badSizes = pageSizeProblems(node.name.value, args, config.graphql.maxPageSize);
        if (badSizes.length > 0) {
          errors.push(userError(`Page sizes must be between 0 and ${config.graphql.maxPageSize}: ${badSizes.join(', ')}.`, node));
          return;
        }
        const check = field.extensions?.[KEYSET_CHECK] as KeysetCheck | undefined;
        if (check) {
          try {
            check(args, listPage(args, config));
          } catch (error) {
            // Anything else (an enum value that does not exist) is left to coercion.
            if (error instanceof PaginationInputError) errors.push(userError(error.message, node));
          }
        } else if (args['first'] != null && args['last'] != null && field.args.some((arg) => arg.name === 'last')) {
          errors.push(userError('Pass either `first` or `last`, not both.', node));
        }
        if (field.extensions?.[PRISMA_UUID_CURSOR]) {
          for (const name of ['after', 'before']) {
            if (args[name] != null && !isPrismaUuidCursor(args[name])) {
              errors.push(userError(`Invalid cursor in \`${name}\`: pass a cursor from this list's pageInfo or edges.`, node));
            }
          }
        }
      },
    }),
  );
  return errors.slice(0, MAX_ERRORS);
}
