/**
 * The client's address: the socket's peer, unless that peer is a configured
 * trusted proxy (TRUST_PROXY), in which case X-Forwarded-For is read from the
 * right: the first address that is not itself a trusted proxy is the client.
 * A header from anyone else is ignored, so a client cannot pick the address
 * it is throttled under.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export class ClientAddresses {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustProxy: readonly string[]) {
    this.any = trustProxy.length > 0;
    for (const entry of trustProxy) {
      const [address = '', bits] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Number(bits), type);
    }
  }

  of(req: IncomingMessage): string {
    const peer = normalize(req.socket.remoteAddress ?? '') ?? 'unknown';
    if (!this.any || !this.isTrusted(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => hop.trim());
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalize(hops[i]!);
      if (hop === null) break; // garbage: stop at the last address a trusted proxy vouched for
      client = hop;
      if (!this.isTrusted(hop)) break;
    }
    return client;
  }

  private isTrusted(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** An IP address as one spelling (IPv4-mapped IPv6 as plain IPv4), or null if it is not one. */
function normalize(value: string): string | null {
  const plain = value.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  const address = mapped ? mapped[1]! : plain.toLowerCase();
  return isIP(address) === 0 ? null : address;
}
