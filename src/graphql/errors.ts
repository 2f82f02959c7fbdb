// What a client may learn from an error. GraphQL's own errors (syntax, validation,
// variable coercion) and errors we raise with a code are shown as they are; known domain
// errors become coded user errors; anything else is masked and logged with its detail.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { PaginationInputError } from '../commerce/keyset.js';
import { ListingInputError } from '../commerce/product-listing.js';
import type { Logger } from '../logger.js';

export function clientError(error: unknown, message: string, logger: Logger): Error {
  const graphqlError = error instanceof GraphQLError ? error : null;
  const original = graphqlError ? graphqlError.originalError : error;
  // Pothos validates arguments at run time (a malformed plugin-prisma cursor, connection
  // arguments); its errors are GraphQLErrors without a code.
  if (original instanceof PothosValidationError || error instanceof PothosValidationError) {
    const target = graphqlError ?? (error as PothosValidationError);
    Object.assign(target.extensions, { code: 'BAD_USER_INPUT' });
    return target;
  }
  if (graphqlError && (!original || original instanceof GraphQLError)) return graphqlError;
  const located = { nodes: graphqlError?.nodes, path: graphqlError?.path };
  // A user error keeps its error object, coded in place: Yoga logs every error that its
  // masking replaces, and input a client can fix is not a server problem worth a log line.
  const userError = (extensions: Record<string, unknown>): GraphQLError => {
    if (!graphqlError) return new GraphQLError((original as Error).message, { extensions });
    Object.assign(graphqlError.extensions, extensions);
    return graphqlError;
  };
  if (original instanceof ListingInputError || original instanceof PaginationInputError) {
    return userError({ code: 'BAD_USER_INPUT', field: original.field });
  }
  logger.error('unexpected error', { error: original, path: graphqlError?.path?.join('.') });
  return new GraphQLError(message, { ...located, extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true } });
}
