// Vitrine on an embedded database plus the example storefront (examples/storefront) served
// by Vite on another port, so every call crosses origins as a real deployment's would.
// Used by `npm run example` and by test/storefront-browser.test.ts.
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { createServer as createViteServer } from 'vite';
import { loadConfig } from '../src/config.js';
import { start } from '../src/server.js';
import { createOAuthClient, listOAuthClients } from '../src/auth/oauth/clients.js';
import type { PrismaClient } from '../src/generated/prisma/client.js';

const ROOT = path.resolve(import.meta.dirname, '../examples/storefront');
export const EXAMPLE_CLIENT_NAME = 'Vitrine example storefront';
// Loopback redirect URIs match on any port (RFC 8252), so one registration serves every port.
const REDIRECT_URI = 'http://127.0.0.1/callback';
const SIGNED_OUT_URI = 'http://127.0.0.1/';

export interface ExampleOptions {
  apiPort?: number;
  webPort?: number;
  pgliteDir: string;
  demoProducts?: number;
  viteCacheDir: string;
  logLevel?: 'silent' | 'warn' | 'info';
}

/** A port that is free now: the API's issuer URL must name its port before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The example's OAuth client, registered once per database. */
export async function exampleClientId(prisma: PrismaClient): Promise<string> {
  const existing = (await listOAuthClients(prisma)).find(
    (c) => c.name === EXAMPLE_CLIENT_NAME && !c.revokedAt && c.redirectUris.includes(REDIRECT_URI),
  );
  if (existing) return existing.clientId;
  const client = await createOAuthClient(prisma, {
    name: EXAMPLE_CLIENT_NAME,
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [SIGNED_OUT_URI],
  });
  return client.clientId;
}

export async function startExample(options: ExampleOptions) {
  const apiPort = options.apiPort ?? (await freePort());
  const webPort = options.webPort ?? (await freePort());
  const web = `http://127.0.0.1:${webPort}`;
  const api = await start(
    loadConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PGLITE_DIR: options.pgliteDir,
      LOG_LEVEL: options.logLevel ?? 'warn',
      CORS_ORIGINS: web, // only the storefront's origin may call the API from a browser
    }),
    { demoProducts: options.demoProducts },
  );
  try {
    if (!api.devStorefrontToken) throw new Error('the example needs the embedded database (no DATABASE_URL)');
    const clientId = await exampleClientId(api.db.prisma);
    const vite = await createViteServer({
      root: ROOT,
      configFile: false,
      cacheDir: path.resolve(options.viteCacheDir), // relative to the working directory, not Vite's root
      logLevel: options.logLevel === 'info' ? 'info' : 'warn',
      server: { host: '127.0.0.1', port: webPort, strictPort: true },
      define: { __VITRINE__: JSON.stringify({ api: api.url, storefrontToken: api.devStorefrontToken, clientId }) },
    });
    await vite.listen();
    return {
      api: api.url,
      web,
      clientId,
      close: async () => {
        await vite.close();
        await api.close();
      },
    };
  } catch (error) {
    await api.close();
    throw error;
  }
}
