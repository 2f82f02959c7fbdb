// Trusted documents, on Yoga's persisted-operations plugin. A request may name its document
// by hash (Apollo's automatic persisted queries: `extensions.persistedQuery.sha256Hash`,
// version 1), which keeps GET URLs short enough for a CDN to cache. Three modes
// (PERSISTED_DOCUMENTS):
// - `automatic` (default): any document runs; a request that sends a document together with
//   its hash registers it, and later requests may send the hash alone. The store is an LRU
//   bounded in entries and bytes, and only takes a document whose SHA-256 is the hash sent
//   and that then ran (parsed, validated, passed the limits), so junk cannot fill it.
// - `required`: only the documents of the manifest (an allow-list, see persisted-manifest.ts)
//   run; a free-form document gets 403 PERSISTED_QUERY_REQUIRED, an unknown hash 404
//   PERSISTED_QUERY_NOT_IN_LIST. Nothing is registered.
// - `off`: hashes are not understood (PERSISTED_QUERY_NOT_SUPPORTED, so APQ clients fall back).
import type { ExecutionResult } from 'graphql';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { LRUCache } from 'lru-cache';
import type { PersistedDocumentsConfig } from '../config.js';
import { sha256 } from '../hash.js';

/** The hash that names a document: SHA-256 of its exact text, lowercase hex (as APQ clients compute it). */
export function documentHash(document: string): string {
  return sha256(document);
}

export interface PersistedQueryStore {
  get(hash: string): string | undefined;
  /** Keeps `document` under `hash` when the hash is the document's; false otherwise (or too large). */
  register(hash: string, document: string): boolean;
  readonly size: number;
  readonly bytes: number;
}

/** An in-process LRU of registered documents, bounded in count and in bytes. */
export function createPersistedQueryStore(limits: { maxEntries: number; maxBytes: number }): PersistedQueryStore {
  const entries = new LRUCache<string, string>({
    max: limits.maxEntries,
    maxSize: limits.maxBytes,
    sizeCalculation: (document, hash) => Buffer.byteLength(document) + hash.length,
  });
  return {
    get: (hash) => entries.get(hash),
    register(hash, document) {
      if (documentHash(document) !== hash) return false;
      entries.set(hash, document);
      return entries.has(hash); // an entry larger than the whole store is not kept
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return entries.calculatedSize;
    },
  };
}

function failure(message: string, code: string, status: number) {
  return { message, extensions: { code, http: { status } } };
}

function refusal(message: string, code: string, status: number) {
  return createGraphQLError(message, { extensions: { code, http: { status } } });
}

/** The APQ extension of a request: null when absent; an error when malformed. */
function persistedQueryOf(params: GraphQLParams): { hash: string } | null {
  const extension = (params.extensions as Record<string, unknown> | undefined)?.['persistedQuery'];
  if (extension == null) return null;
  const { version, sha256Hash } = extension as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string') {
    throw refusal(
      'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<SHA-256 of the document, hex>" }.',
      'BAD_USER_INPUT',
      400,
    );
  }
  return { hash: sha256Hash };
}

export interface PersistedDocumentsOptions {
  mode: PersistedDocumentsConfig['mode'];
  /** The APQ store (automatic mode). */
  store: PersistedQueryStore;
  /** hash -> document, the allow-list (required mode). */
  manifest: ReadonlyMap<string, string> | null;
}

/** Place before the response cache: it must see the document a hash stands for. */
export function usePersistedDocuments(options: PersistedDocumentsOptions): Plugin {
  const { mode, store, manifest } = options;
  if (mode === 'required' && !manifest) throw new Error('PERSISTED_DOCUMENTS=required needs a manifest');
  const pending = new WeakMap<Request, { hash: string; document: string }>();
  return {
    onPluginInit({ addPlugin }) {
      if (mode === 'off') return;
      addPlugin(
        usePersistedOperations({
          allowArbitraryOperations: mode === 'automatic',
          getPersistedOperation: (hash) => (mode === 'required' ? manifest!.get(hash) : store.get(hash)) ?? null,
          customErrors: {
            notFound:
              mode === 'required'
                ? failure('This persisted document is not in the allow-list.', 'PERSISTED_QUERY_NOT_IN_LIST', 404)
                : // The message and code APQ clients look for before sending the document itself.
                  failure('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 404),
            persistedQueryOnly: failure(
              'Only persisted documents are accepted: send the sha256Hash of an allow-listed document in extensions.persistedQuery.',
              'PERSISTED_QUERY_REQUIRED',
              403,
            ),
            keyNotFound: failure(
              mode === 'required'
                ? 'Send the sha256Hash of an allow-listed document in extensions.persistedQuery.'
                : 'Send a query, or the sha256Hash of a persisted document in extensions.persistedQuery.',
              'BAD_USER_INPUT',
              400,
            ),
          },
        }),
      );
    },
    onParams({ params, request }) {
      const persisted = persistedQueryOf(params);
      if (!persisted) return;
      if (mode === 'off') {
        // A document sent in full runs as usual; a hash alone cannot be looked up.
        if (!params.query) throw refusal('PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_SUPPORTED', 400);
        return;
      }
      if (!params.query || mode !== 'automatic') return; // a lookup (or a refusal), by the plugin added above
      if (documentHash(params.query) !== persisted.hash) {
        throw refusal('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent.', 'PERSISTED_QUERY_HASH_MISMATCH', 400);
      }
      pending.set(request, { hash: persisted.hash, document: params.query });
    },
    onResultProcess({ request, result }) {
      const registration = pending.get(request);
      if (!registration) return;
      pending.delete(request);
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      // Only a document that ran: one refused by parsing, validation or the limits has no data.
      if ((result as ExecutionResult).data != null) store.register(registration.hash, registration.document);
    },
  };
}
