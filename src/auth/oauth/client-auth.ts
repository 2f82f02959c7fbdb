// How a public client identifies itself at the token and revocation endpoints: client_id
// in the body, or HTTP Basic with the client_id and an empty secret (RFC 6749 §2.3.1).
import type { OAuthClient, PrismaClient } from '../../generated/prisma/client.js';
import { findActiveClient } from './clients.js';
import { OAuthError } from './grants.js';
import { single } from './http.js';

const unsupported = () => new OAuthError('invalid_client', 'Unsupported client authentication.', 401);

/** The client_id carried by an `Authorization: Basic` header; anything malformed is invalid_client. */
export function basicClientId(authorization: string): string {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(authorization);
  if (!match) throw unsupported();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unsupported();
  let clientId: string;
  try {
    clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    throw unsupported(); // bad percent-encoding (RFC 6749 §2.3.1 form-encodes the id)
  }
  if (decoded.slice(colon + 1) !== '') throw new OAuthError('invalid_client', 'Clients here are public: no client secret.', 401);
  return clientId;
}

export async function authenticateClient(prisma: PrismaClient, request: Request, form: URLSearchParams): Promise<OAuthClient> {
  let clientId = single(form, 'client_id');
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const basicId = basicClientId(authorization);
    if (clientId !== null && clientId !== basicId)
      throw new OAuthError('invalid_request', 'client_id differs from the Authorization header.');
    clientId = basicId;
  }
  if (!clientId) throw new OAuthError('invalid_client', 'client_id is required.', 401);
  const client = await findActiveClient(prisma, clientId);
  if (!client) throw new OAuthError('invalid_client', 'Unknown or disabled client.', 401);
  return client;
}
