import { BlockList, isIP } from 'node:net';

// Addresses a school's webhook must never reach: the collector's own host and the networks behind
// it (a webhook URL is typed in by a DSL, so it must not become a way to probe internal services).
const internal = new BlockList();
internal.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"; 0.0.0.0 reaches the local host
internal.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
internal.addSubnet('10.0.0.0', 8, 'ipv4'); // private
internal.addSubnet('172.16.0.0', 12, 'ipv4'); // private
internal.addSubnet('192.168.0.0', 16, 'ipv4'); // private
internal.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT, private in practice
internal.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local (cloud metadata services live here)
internal.addAddress('::', 'ipv6'); // unspecified
internal.addAddress('::1', 'ipv6'); // loopback
internal.addSubnet('fc00::', 7, 'ipv6'); // unique-local
internal.addSubnet('fe80::', 10, 'ipv6'); // link-local

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * True for loopback, private, link-local and unique-local addresses, IPv4 or IPv6, including IPv4
 * addresses written as IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`). Anything that is not an IP
 * address counts as internal, so a surprise never slips through.
 */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family !== 6) return true;
  const g = ipv6Groups(address);
  const zeros = g.slice(0, 5).every((n) => n === 0);
  if (zeros && (g[5] === 0xffff || g[5] === 0) && !(g[5] === 0 && g[6] === 0)) {
    // IPv4-mapped (::ffff:a.b.c.d) or the deprecated IPv4-compatible form (::a.b.c.d).
    const v4 = [(g[6] ?? 0) >> 8, (g[6] ?? 0) & 255, (g[7] ?? 0) >> 8, (g[7] ?? 0) & 255].join('.');
    return internal.check(v4, 'ipv4');
  }
  return internal.check(address.split('%')[0] ?? address, 'ipv6');
}
