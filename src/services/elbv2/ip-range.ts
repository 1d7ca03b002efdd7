/**
 * IPv4/IPv6 addresses and CIDR blocks, for `source-ip` rule conditions and for checking `ip`
 * targets. Node reports IPv4 clients on dual-stack sockets as `::ffff:a.b.c.d`; those match
 * IPv4 blocks, as the client's IPv4 address would on AWS.
 */
import { isIPv4, isIPv6 } from 'node:net';

interface Parsed {
  version: 4 | 6;
  value: bigint;
}

function parseIPv4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIPv6(text: string): bigint {
  let hex = text;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) is the last two 16-bit words.
  const lastColon = hex.lastIndexOf(':');
  const tail = hex.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = Number(parseIPv4(tail));
    hex = `${hex.slice(0, lastColon + 1)}${((v4 >>> 16) & 0xffff).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [left = '', right] = hex.split('::');
  const words = (part: string) => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const leftWords = words(left);
  const rightWords = right === undefined ? [] : words(right);
  const fill = new Array<number>(8 - leftWords.length - rightWords.length).fill(0);
  return [...leftWords, ...fill, ...rightWords].reduce((acc, word) => (acc << 16n) | BigInt(word), 0n);
}

export function parseIp(text: string): Parsed | undefined {
  if (isIPv4(text)) return { version: 4, value: parseIPv4(text) };
  if (isIPv6(text)) {
    const value = parseIPv6(text);
    // IPv4-mapped (::ffff:0:0/96) is the IPv4 address it carries.
    if (value >> 32n === 0xffffn) return { version: 4, value: value & 0xffffffffn };
    return { version: 6, value };
  }
  return undefined;
}

export interface Cidr {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

/** `10.0.0.0/8`, `2001:db8::/32`; undefined when text is not a CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = address.version === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  return { version: address.version, network: address.value >> BigInt(bits - prefix), prefix };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const address = parseIp(ip);
  if (!address || address.version !== cidr.version) return false;
  const bits = address.version === 4 ? 32 : 128;
  return address.value >> BigInt(bits - cidr.prefix) === cidr.network;
}

/**
 * Where an `ip` target may be: RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 6598 (100.64/10)
 * as on AWS, plus loopback (127/8), where drydock's targets really listen.
 */
const TARGET_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8'].map((text) =>
  parseCidr(text)!,
);

export function isAllowedTargetIp(ip: string): boolean {
  return TARGET_RANGES.some((cidr) => cidrContains(cidr, ip));
}
