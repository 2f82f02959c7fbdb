import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// PGlite costs 1.5–5 s and ~200 MB per database: each test file shares one (see
// test/helpers/db.ts), files run in child processes, two at a time (CI has 2 cores).
export default defineConfig({
  // graphql 16 has no "exports" map: Node (and so every dependency) loads its CommonJS
  // entry, while Vite would pick index.mjs for our sources. Two copies of graphql break
  // schema checks ("from another module or realm"); use the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/db.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
