// `npm run example`: the demo catalog on an embedded database in .data/example, the API on
// http://127.0.0.1:4000 and the storefront on http://127.0.0.1:5173. Ctrl-C stops both.
import { startExample } from './example-server.js';

const example = await startExample({
  apiPort: 4000,
  webPort: 5173,
  pgliteDir: '.data/example/pglite',
  viteCacheDir: '.data/example/vite',
  logLevel: 'info',
});
process.stdout.write(`\nStorefront: ${example.web}/  (API: ${example.api}/graphql, OAuth client ${example.clientId})\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void example.close().then(() => process.exit(0)));
