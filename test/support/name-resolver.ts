import type { lookup as dnsLookup } from 'node:dns';

/**
 * A name resolver for the tests: these names, these addresses (read at each lookup, so a test can
 * re-point a name); an address resolves to itself; any other name does not resolve.
 */
export const nameResolver = (names: Record<string, string[]>): typeof dnsLookup =>
  ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const found = names[hostname] ?? (/^[\d.]+$|:/.test(hostname) ? [hostname] : undefined);
    if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    const addresses = found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as typeof dnsLookup;
