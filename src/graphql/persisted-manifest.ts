// The allow-list of PERSISTED_DOCUMENTS=required: a JSON manifest of SHA-256 hash ->
// document. Two shapes are read: a plain object `{ "<hash>": "<document>" }` (what GraphQL
// Codegen's client preset writes as persisted-documents.json, and what
// `npm run persisted:manifest` writes) and Apollo's persisted query manifest
// (`{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body" }] }`).
// It is checked once, at start-up: every hash must be its document's SHA-256 and every
// document must be valid against the schema, so a broken manifest stops the server instead
// of failing shoppers one request at a time.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, print, validate, type GraphQLSchema } from 'graphql';
import { documentHash } from './persisted-documents.js';

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const HASH = /^[0-9a-f]{64}$/;

function entriesOf(json: unknown): [string, unknown][] {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ManifestError('The manifest must be a JSON object.');
  const object = json as Record<string, unknown>;
  if (object['format'] === 'apollo-persisted-query-manifest') {
    if (object['version'] !== 1 || !Array.isArray(object['operations']))
      throw new ManifestError('An Apollo persisted query manifest must have version 1 and an operations array.');
    return (object['operations'] as { id?: unknown; body?: unknown }[]).map((operation) => [String(operation?.id), operation?.body]);
  }
  return Object.entries(object);
}

/** hash -> document, after checking every entry against its hash and the schema. */
export function parseManifest(json: unknown, schema: GraphQLSchema): Map<string, string> {
  const manifest = new Map<string, string>();
  const problems: string[] = [];
  for (const [hash, document] of entriesOf(json)) {
    if (typeof document !== 'string') {
      problems.push(`${hash}: the document is not a string`);
      continue;
    }
    if (!HASH.test(hash) || documentHash(document) !== hash) {
      problems.push(`${hash}: not the SHA-256 (lowercase hex) of its document`);
      continue;
    }
    try {
      const errors = validate(schema, parse(document));
      if (errors.length > 0) problems.push(`${hash}: ${errors[0]!.message}`);
    } catch (error) {
      problems.push(`${hash}: ${(error as Error).message}`);
    }
    manifest.set(hash, document);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('\n  ');
    throw new ManifestError(
      `The persisted documents manifest has ${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}:\n  ${shown}`,
    );
  }
  return manifest;
}

export function loadManifest(file: string, schema: GraphQLSchema): Map<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`Cannot read the persisted documents manifest ${file}: ${(error as Error).message}`);
  }
  return parseManifest(json, schema);
}

/**
 * Manifest entries from GraphQL documents (one document per file: an operation and the
 * fragments it uses). Each is stored printed (graphql-js `print`), the text a client hashes
 * when it prints the same document; an invalid document is refused with its file name.
 */
export function manifestEntries(
  files: { name: string; text: string }[],
  schema: GraphQLSchema,
): { name: string; hash: string; document: string }[] {
  return files.map((file) => {
    let document: string;
    try {
      document = print(parse(file.text));
    } catch (error) {
      throw new ManifestError(`${file.name}: ${(error as Error).message}`);
    }
    const errors = validate(schema, parse(document));
    if (errors.length > 0) throw new ManifestError(`${file.name}: ${errors[0]!.message}`);
    return { name: file.name, hash: documentHash(document), document };
  });
}

/** The .graphql and .gql files under a folder, sorted by path. */
export function readDocumentsFolder(folder: string): { name: string; text: string }[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(graphql|gql)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({ name: path.relative(folder, file), text: readFileSync(file, 'utf8') }));
}
