// Builds the allow-list of PERSISTED_DOCUMENTS=required from a folder of .graphql documents:
//   npm run persisted:manifest -- <folder> [--out persisted-documents.json]
// One document per file (an operation and the fragments it uses); each is validated against
// the schema and stored printed, under the SHA-256 of that text. Prints the hashes and names.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { schema } from '../src/graphql/schema.js';
import { ManifestError, manifestEntries, readDocumentsFolder } from '../src/graphql/persisted-manifest.js';

const USAGE = 'usage: npm run persisted:manifest -- <folder of .graphql files> [--out persisted-documents.json]\n';

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { out: { type: 'string', default: 'persisted-documents.json' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [folder, ...rest] = parsed.positionals;
  if (!folder || rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const files = readDocumentsFolder(folder);
    if (files.length === 0) throw new ManifestError(`no .graphql or .gql files under ${folder}`);
    const entries = manifestEntries(files, schema);
    const manifest = Object.fromEntries(entries.map((entry) => [entry.hash, entry.document]));
    writeFileSync(parsed.values.out, JSON.stringify(manifest, null, 2) + '\n');
    for (const entry of entries) process.stdout.write(`${entry.hash}  ${entry.name}\n`);
    process.stderr.write(`Wrote ${Object.keys(manifest).length} documents to ${parsed.values.out}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
