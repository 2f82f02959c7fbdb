// An in-process Vitrine for tests: a migrated test database, a small deterministic demo
// catalog, a storefront token, and a recorder of every SQL statement sent.
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, type App } from '../../src/app.js';
import { createStorefrontToken } from '../../src/auth/storefront-tokens.js';
import { seedDemoCatalog } from '../../prisma/seed/load.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  config: Config;
  token: string;
  /** POST a GraphQL document; returns status, headers and parsed body. */
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult>;
  /** Runs fn and returns the SQL statements sent meanwhile. */
  statements<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }>;
  close(): Promise<void>;
}

export interface GqlResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export const TEST_URL = 'http://vitrine.test';

/** What production requires besides NODE_ENV: mail, the signing-key encryption secret and the cursor key. */
export const PRODUCTION_SECRETS = {
  SMTP_URL: 'smtp://mail.invalid:587',
  KEY_ENCRYPTION_SECRET: 'a production-like secret of 32+ characters',
  CURSOR_SECRET: 'a production-like cursor key of 32+ characters',
};

export async function createTestApp(options: { products?: number; env?: Record<string, string> } = {}): Promise<TestApp> {
  let recorder: string[] | null = null;
  const db = await createTestDatabase({ onQuery: (sql) => recorder?.push(sql) });
  if (options.products !== 0) await seedDemoCatalog(db.prisma, { products: options.products ?? 60 });
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', ...options.env });
  const app = createApp({ config, db });
  const { token } = await createStorefrontToken(db.prisma, { name: 'test' });

  const gql: TestApp['gql'] = async (query, variables, headers = {}) => {
    const response = await app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': token, ...headers },
        body: JSON.stringify({ query, variables }),
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  return {
    app,
    db,
    config,
    token,
    gql,
    async statements(fn) {
      const sql: string[] = [];
      recorder = sql;
      try {
        return { result: await fn(), sql };
      } finally {
        recorder = null;
      }
    },
    close: () => db.close(),
  };
}
