// Writes schema.graphql: the printed schema, checked in so reviewers and clients see changes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/graphql/print.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, printedSchema());
process.stderr.write(`Wrote ${target}\n`);
