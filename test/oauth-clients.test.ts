import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import {
  ClientRegistrationError,
  createOAuthClient,
  listOAuthClients,
  matchRedirectUri,
  redirectUriProblem,
  revokeOAuthClient,
  findActiveClient,
} from '../src/auth/oauth/clients.js';
import { main } from '../src/cli/main.js';
import { oauthTestConfig, oauthTestDatabase } from './helpers/oauth.js';

describe('redirect URI matching (RFC 9700 §2.1, RFC 8252 §7.3)', () => {
  const registered = ['https://shop.example/callback', 'http://127.0.0.1/native', 'http://[::1]:8080/cb', 'com.example.app:/oauth'];

  it('matches registered URIs exactly', () => {
    for (const uri of registered) expect(matchRedirectUri(registered, uri)).toBe(true);
  });

  it('refuses trailing-slash, query, case, fragment, port and path variants', () => {
    for (const uri of [
      'https://shop.example/callback/',
      'https://shop.example/callback?x=1',
      'https://shop.example/Callback',
      'https://SHOP.example/callback',
      'https://shop.example/callback#frag',
      'https://shop.example:8443/callback',
      'https://shop.example/callback/../callback',
      'https://shop.example.evil.com/callback',
      'http://shop.example/callback',
      'https://shop.example/callbackx',
      'com.example.app:/oauth/x',
    ]) {
      expect(matchRedirectUri(registered, uri), uri).toBe(false);
    }
  });

  it('lets loopback URIs use any port, but nothing else', () => {
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/native')).toBe(true);
    expect(matchRedirectUri(registered, 'http://127.0.0.1/native')).toBe(true);
    expect(matchRedirectUri(registered, 'http://[::1]:1/cb')).toBe(true);
    expect(matchRedirectUri(registered, 'http://[::1]/cb')).toBe(true);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/other')).toBe(false);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/native/')).toBe(false);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/native?x')).toBe(false);
    expect(matchRedirectUri(registered, 'http://[::1]:51234/native')).toBe(false); // other loopback host
    expect(matchRedirectUri(registered, 'http://localhost:51234/native')).toBe(false);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:99999/native')).toBe(false);
    expect(matchRedirectUri(['https://127.0.0.1/x'], 'https://127.0.0.1:444/x')).toBe(false); // https loopback: exact
  });

  it('refuses to register unsafe redirect URIs', () => {
    expect(redirectUriProblem('https://shop.example/cb')).toBeNull();
    expect(redirectUriProblem('http://127.0.0.1/cb')).toBeNull();
    expect(redirectUriProblem('com.example.app:/cb')).toBeNull();
    for (const bad of [
      'http://shop.example/cb',
      'https://shop.example/cb#x',
      'javascript:alert(1)',
      'data:text/html,x',
      '/relative',
      'https://user:pw@shop.example/cb',
      'myapp:/cb',
      ' https://shop.example/cb',
    ]) {
      expect(redirectUriProblem(bad), bad).not.toBeNull();
    }
  });
});

let db: Database;
beforeAll(async () => {
  db = await oauthTestDatabase();
}, 120_000);
afterAll(() => db?.close());

describe('OAuth clients', () => {
  it('creates public clients with exact redirect URIs, lists and revokes them', async () => {
    const client = await createOAuthClient(db.prisma, { name: 'Web', redirectUris: ['https://shop.example/cb'] });
    expect(client.clientId).toMatch(/^vc_[A-Za-z0-9_-]{22}$/);
    expect((await listOAuthClients(db.prisma)).map((c) => c.clientId)).toContain(client.clientId);
    expect(await findActiveClient(db.prisma, client.clientId)).not.toBeNull();
    expect(await revokeOAuthClient(db.prisma, client.clientId)).toBe(true);
    expect(await findActiveClient(db.prisma, client.clientId)).toBeNull();
    await expect(createOAuthClient(db.prisma, { name: 'x', redirectUris: [] })).rejects.toThrow(ClientRegistrationError);
    await expect(createOAuthClient(db.prisma, { name: 'x', redirectUris: ['http://evil.example/cb'] })).rejects.toThrow(/loopback/);
  });
});

describe('vitrine client / keys commands', () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, config: oauthTestConfig(), database: db });
    return { code, out, err: err.join('\n') };
  };

  it('client create prints the client_id alone on stdout; client list shows it', async () => {
    const created = await run([
      'client',
      'create',
      '--name',
      'CLI app',
      '--redirect-uri',
      'https://cli.example/cb',
      '--redirect-uri',
      'http://127.0.0.1/cb',
    ]);
    expect(created.code).toBe(0);
    expect(created.out).toHaveLength(1);
    expect(created.out[0]).toMatch(/^vc_[A-Za-z0-9_-]{22}$/);
    const row = await db.prisma.oAuthClient.findUniqueOrThrow({ where: { clientId: created.out[0]! } });
    expect(row.redirectUris).toEqual(['https://cli.example/cb', 'http://127.0.0.1/cb']);
    const listed = await run(['client', 'list']);
    expect(listed.out.some((line) => line.startsWith(`${created.out[0]}\tactive`))).toBe(true);
  });

  it('client create registers post-logout redirect URIs, checked like redirect URIs', async () => {
    const created = await run([
      'client',
      'create',
      '--name',
      'SPA',
      '--redirect-uri',
      'https://spa.example/cb',
      '--post-logout-redirect-uri',
      'https://spa.example/',
      '--post-logout-redirect-uri',
      'http://127.0.0.1:5173/',
    ]);
    expect(created.code).toBe(0);
    const row = await db.prisma.oAuthClient.findUniqueOrThrow({ where: { clientId: created.out[0]! } });
    expect(row.postLogoutRedirectUris).toEqual(['https://spa.example/', 'http://127.0.0.1:5173/']);
    const unsafe = await run([
      'client',
      'create',
      '--name',
      'x',
      '--redirect-uri',
      'https://spa.example/cb',
      '--post-logout-redirect-uri',
      'javascript:alert(1)',
    ]);
    expect(unsafe.code).toBe(2);
    expect(unsafe.err).toMatch(/Post-logout redirect URI/);
  });

  it('prints usage and exits 2 for bad arguments', async () => {
    const missing = await run(['client', 'create', '--name', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/redirect-uri/);
    const unsafe = await run(['client', 'create', '--name', 'x', '--redirect-uri', 'http://evil.example/cb']);
    expect(unsafe.code).toBe(2);
    expect(unsafe.err).toMatch(/loopback/);
  });

  it('keys rotate prints the new kid and keeps the old key listed', async () => {
    const first = await run(['keys', 'rotate']);
    const second = await run(['keys', 'rotate']);
    expect(second.out[0]).not.toBe(first.out[0]);
    const listed = (await run(['keys', 'list'])).out.join('\n');
    expect(listed).toMatch(new RegExp(`${first.out[0]}\tES256\t.*retired, published until`));
    expect(listed).toMatch(new RegExp(`${second.out[0]}\tES256\t.*signing`));
  });
});
