/** Longer "addresses" are cut: behind a proxy the value comes from a header. */
const MAX_ADDRESS_LENGTH = 64;

/**
 * The address per-client limits key on. With no trusted proxy it is the socket's peer:
 * X-Forwarded-For is a header any client can write. Behind `trustedProxies` proxies, each
 * appending the address it received the request from, it is the entry that many places
 * from the right of `X-Forwarded-For, peer`; with fewer entries, the leftmost one.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string {
  const chain: string[] = [];
  if (trustedProxies > 0 && forwardedFor !== undefined) {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    for (const entry of header.split(',')) if (entry.trim() !== '') chain.push(entry.trim());
  }
  chain.push(peer ?? 'unknown');
  const address = chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
  // The same client over IPv4 and IPv4-mapped IPv6 is one client.
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').slice(0, MAX_ADDRESS_LENGTH);
}
