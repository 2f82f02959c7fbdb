// What a client may learn from an error. GraphQL's own errors (syntax, validation,
// variable coercion) and errors we raise with a code are shown as they are; known domain
// errors become coded user errors; anything else is masked and logged with its detail.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { ListingInputError } from '../commerce/product-listing.js';
import type { Logger } from '../logger.js';

export function clientError(error: unknown, message: string, logger: Logger): Error {
  const graphqlError = error instanceof GraphQLError ? error : null;
  const original = graphqlError ? graphqlError.originalError : error;
  if (graphqlError && (!original || original instanceof GraphQLError)) return graphqlError;
  const located = { nodes: graphqlError?.nodes, path: graphqlError?.path };
  if (original instanceof ListingInputError) {
    return new GraphQLError(original.message, { ...located, extensions: { code: 'BAD_USER_INPUT', field: original.field } });
  }
  if (original instanceof PothosValidationError && /global ID|Invalid/i.test(original.message)) {
    return new GraphQLError(original.message, { ...located, extensions: { code: 'BAD_USER_INPUT' } });
  }
  logger.error('unexpected error', { error: original, path: graphqlError?.path?.join('.') });
  return new GraphQLError(message, { ...located, extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true } });
}
