import { defineConfig } from 'vitest/config';

// PGlite costs 1.5–5 s and ~200 MB per database: each test file shares one (see
// test/helpers/db.ts), files run in child processes, two at a time (CI has 2 cores).
export default defineConfig({
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
