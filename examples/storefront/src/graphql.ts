// Typed GraphQL over fetch. Documents are written with `graphql(...)`; gql.tada types their
// results and variables from Vitrine's schema.graphql (see src/graphql-env.d.ts).
import { initGraphQLTada, type TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';
import type { introspection } from './graphql-env.d.ts';
import { API, STOREFRONT_TOKEN } from './config.ts';
import { accessToken, refreshNow, signOutHere } from './auth.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  disableMasking: true; // fragments are for reuse here, not for hiding fields
  scalars: { Decimal: string; DateTime: string; URL: string; HTML: string; JSON: string };
}>();
export type { ResultOf, VariablesOf } from 'gql.tada';

export class ApiError extends Error {}

async function send(query: string, variables: unknown, token: string | null): Promise<Response> {
  return fetch(`${API}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-storefront-access-token': STOREFRONT_TOKEN,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
}

/** Runs a document; a 401 refreshes the customer's token once and retries, then signs out. */
export async function request<R, V>(document: TadaDocumentNode<R, V>, variables?: V): Promise<R> {
  const query = print(document);
  const token = await accessToken();
  let response = await send(query, variables, token);
  if (response.status === 401 && token) {
    const fresh = await refreshNow().catch(() => null);
    response = fresh ? await send(query, variables, fresh) : response;
    if (response.status === 401) {
      signOutHere();
      throw new ApiError('Your session has ended. Please sign in again.');
    }
  }
  const body = (await response.json().catch(() => null)) as { data?: R; errors?: { message: string }[] } | null;
  if (!body || body.errors?.length || !body.data) throw new ApiError(body?.errors?.[0]?.message ?? `Request failed (${response.status})`);
  return body.data;
}

/** Throws the first user error of a mutation payload, so callers can show it. */
export function check<T extends { userErrors: readonly { message: string }[] }>(payload: T | null | undefined): T {
  if (!payload) throw new ApiError('No answer from the shop.');
  const error = payload.userErrors[0];
  if (error) throw new ApiError(error.message);
  return payload;
}
