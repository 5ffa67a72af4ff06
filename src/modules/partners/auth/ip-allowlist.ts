import { BlockList, isIP } from 'node:net';

/**
 * A partner's IP allowlist (single IPs and CIDRs, v4 and v6), compiled once into a BlockList.
 * Empty list = every address allowed.
 */
export class IpAllowlist {
  private constructor(private readonly list: BlockList | null) {}

  static compile(entries: string[]): IpAllowlist {
    if (!entries.length) return new IpAllowlist(null);
    const list = new BlockList();
    for (const entry of entries) {
      const [address, bits] = entry.trim().split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    return new IpAllowlist(list);
  }

  /** True when `entry` is a valid IP or CIDR (used to validate what operators submit). */
  static isValidEntry(entry: string): boolean {
    const [address, bits, extra] = entry.trim().split('/');
    if (extra !== undefined) return false;
    const version = isIP(address);
    if (!version) return false;
    if (bits === undefined) return true;
    if (!/^\d{1,3}$/.test(bits)) return false;
    return Number(bits) <= (version === 4 ? 32 : 128);
  }

  allows(ip: string): boolean {
    if (!this.list) return true;
    // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; match those against IPv4 entries too.
    const mapped = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : null;
    if (mapped && this.list.check(mapped, 'ipv4')) return true;
    const version = isIP(ip);
    if (!version) return false;
    return this.list.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  }
}
