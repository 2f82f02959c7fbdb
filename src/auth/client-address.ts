// Who is asking, for throttling: the socket's address, or an `X-Forwarded-For` entry when
// (and only as far as) TRUST_PROXY says the hops in front of us are ours.
/** Request header carrying the resolved client address from the server to the routes. */
export const CLIENT_IP_HEADER = 'x-vitrine-client-ip';

/**
 * The client's address. `trustedHops` is how many proxies in front of us append to
 * X-Forwarded-For (0: none, use the socket). With n trusted hops the client is the n-th
 * address from the right, counting the socket as the first; when the header has fewer
 * entries than that, the left-most one is the best we know.
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | null, trustedHops: number): string {
  const socket = socketAddress?.trim() || 'unknown';
  if (trustedHops <= 0 || !forwardedFor) return socket;
  const chain = [
    ...forwardedFor
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
    socket,
  ];
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}

/**
 * The throttling key for a client address: IPv4 as is (also when IPv4-mapped), IPv6 by
 * its /64 prefix, since one subscriber usually holds a whole /64.
 */
export function clientAddressKey(raw: string): string {
  const ip = raw.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip || 'unknown';
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The throttling key of a request whose address the server put in CLIENT_IP_HEADER. */
export function requestAddressKey(request: Request): string {
  return clientAddressKey(request.headers.get(CLIENT_IP_HEADER) ?? '');
}
