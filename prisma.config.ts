// Prisma CLI configuration. Prisma's native schema engine would be downloaded from a
// CDN; we point the CLI at prisma/schema-engine.mjs, a stand-in that runs the same
// engine compiled to WebAssembly (see prisma/README.md).
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';
import { databaseFromEnv } from './src/config.ts';

const engine = fileURLToPath(new URL('./prisma/schema-engine.mjs', import.meta.url));
try {
  chmodSync(engine, 0o755); // a checkout or an unpacked tarball may have lost the bit
} catch {
  // read-only tree: the bit is either there already or the CLI says so
}
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= engine;

const db = databaseFromEnv();

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: db.kind === 'postgres' ? db.url : `pglite://${db.dataDir ?? 'memory'}`,
  },
});
