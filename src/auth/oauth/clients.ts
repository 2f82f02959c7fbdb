// OAuth clients: public clients only (SPAs, mobile and desktop apps), registered by an
// operator with `vitrine client create`. A client authenticates by its client_id alone,
// so everything rests on its exact redirect URIs.
import { randomBytes } from 'node:crypto';
import type { OAuthClient, PrismaClient } from '../../generated/prisma/client.js';

export class ClientRegistrationError extends Error {
  override name = 'ClientRegistrationError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);
/** Generated ids look like vc_<22 chars>; lookups accept any short printable id. */
const CLIENT_ID_SHAPE = /^[\x21-\x7e]{1,200}$/;

export function isClientIdShape(value: string): boolean {
  return CLIENT_ID_SHAPE.test(value);
}

/**
 * Why a redirect URI cannot be registered, or null. Allowed: https URLs; http only on
 * loopback (127.0.0.1, [::1], localhost) for development and native apps (RFC 8252 §7.3);
 * private-use schemes with a dot (com.example.app:/callback, RFC 8252 §7.1).
 * Never a fragment (RFC 6749 §3.1.2) or user info.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri !== uri.trim() || uri.length > 2000 || /[\s<>"'`\\]/.test(uri)) return 'contains spaces or unsafe characters';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (uri.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain user information';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname ? null : 'needs a host';
  if (scheme === 'http') {
    return LOOPBACK_HOSTS.has(url.hostname) || url.hostname === 'localhost'
      ? null
      : 'http is allowed only for loopback addresses; use https';
  }
  if (['javascript', 'data', 'file', 'blob', 'about', 'vbscript', 'ftp', 'ws', 'wss'].includes(scheme))
    return `scheme "${scheme}" is not allowed`;
  if (!scheme.includes('.')) return 'a private-use scheme must be a reverse domain name (com.example.app:/callback)';
  return null;
}

/**
 * Whether `requested` is one of `registered`. Exact string comparison (no case folding,
 * trailing-slash, query or fragment tolerance), except that a registered loopback
 * `http://127.0.0.1/...` or `http://[::1]/...` URI matches the same URI on any port,
 * as native apps listen on an ephemeral port (RFC 8252 §7.3).
 */
export function matchRedirectUri(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/;
  const asked = loopback.exec(requested);
  if (!asked) return false;
  const [, host, port, rest] = asked;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535 || port.startsWith('0'))) return false;
  return registered.some((uri) => {
    const match = loopback.exec(uri);
    return match !== null && match[1] === host && (match[3] ?? '') === (rest ?? '');
  });
}

export async function createOAuthClient(
  prisma: PrismaClient,
  input: { name: string; redirectUris: string[]; postLogoutRedirectUris?: string[] },
): Promise<OAuthClient> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new ClientRegistrationError('A client name of 1 to 100 characters is required');
  if (input.redirectUris.length === 0) throw new ClientRegistrationError('At least one --redirect-uri is required');
  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new ClientRegistrationError(`Redirect URI "${uri}" ${problem}`);
  }
  const postLogout = input.postLogoutRedirectUris ?? [];
  for (const uri of postLogout) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new ClientRegistrationError(`Post-logout redirect URI "${uri}" ${problem}`);
  }
  const clientId = 'vc_' + randomBytes(16).toString('base64url');
  return prisma.oAuthClient.create({
    data: { clientId, name, redirectUris: [...new Set(input.redirectUris)], postLogoutRedirectUris: [...new Set(postLogout)] },
  });
}

export function listOAuthClients(prisma: PrismaClient): Promise<OAuthClient[]> {
  return prisma.oAuthClient.findMany({ orderBy: { createdAt: 'asc' } });
}

/** Revokes a client: its authorize requests fail and its grants end. False when nothing matched. */
export async function revokeOAuthClient(prisma: PrismaClient, clientId: string): Promise<boolean> {
  const client = await prisma.oAuthClient.findFirst({ where: { clientId, revokedAt: null } });
  if (!client) return false;
  const now = new Date();
  await prisma.$transaction([
    prisma.oAuthClient.update({ where: { id: client.id }, data: { revokedAt: now } }),
    prisma.tokenFamily.updateMany({
      where: { clientId: client.id, revokedAt: null },
      data: { revokedAt: now, revokedReason: 'client_revoked' },
    }),
  ]);
  return true;
}

/** An active client by its public client_id, or null. */
export async function findActiveClient(prisma: PrismaClient, clientId: string): Promise<OAuthClient | null> {
  if (!isClientIdShape(clientId)) return null;
  const client = await prisma.oAuthClient.findUnique({ where: { clientId } });
  return client && !client.revokedAt ? client : null;
}
