/**
 * IP addresses and CIDR blocks for the `cidr` operator of event patterns (IPv4 and IPv6,
 * `UG:eb/eb-create-pattern-operators`). Addresses are compared as fixed-width hex strings, the way
 * event-ruler (the engine behind EventBridge) turns them into ranges; its CIDR rules are kept,
 * including the odd ones: the range starts at the address as written (not the masked network),
 * and a full-length mask (/32, /128) is refused.
 */

export interface IpAddress {
  family: 4 | 6;
  /** 8 (IPv4) or 32 (IPv6) lowercase hex digits. */
  hex: string;
}

export interface IpRange {
  family: 4 | 6;
  low: string;
  high: string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function ipv4Bytes(text: string): number[] | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const bytes = match.slice(1).map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      // A trailing dotted quad stands for the last two groups (::ffff:10.0.0.1).
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4Bytes(piece);
        if (!v4) return undefined;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!IPV6_GROUP.test(piece)) return undefined;
      groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function toHex(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The address, if text is an IPv4 dotted quad or an IPv6 address; otherwise undefined. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = ipv4Bytes(text);
  if (v4) return { family: 4, hex: toHex(v4) };
  const v6 = ipv6Bytes(text);
  if (v6) return { family: 6, hex: toHex(v6) };
  return undefined;
}

/** The range of a CIDR block, or the reason event-ruler gives for refusing it. */
export function parseCidr(text: string): IpRange | { error: string } {
  // Java's String.split drops trailing empty pieces: "10.0.0.0/" is one piece.
  const pieces = text.split('/');
  while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
  if (pieces.length !== 2) return { error: "Malformed CIDR, one '/' required" };
  const [addressText, maskText] = pieces as [string, string];
  if (!/^[+-]?\d+$/.test(maskText) || !Number.isSafeInteger(Number(maskText))) {
    return { error: 'Malformed CIDR, mask bits must be an integer' };
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) return { error: 'Malformed CIDR, mask bits must not be negative' };
  const v4 = ipv4Bytes(addressText);
  const bytes = v4 ?? ipv6Bytes(addressText);
  if (!bytes) return { error: `Nonstandard IP address: ${addressText}` };
  if (v4 && maskBits > 31) return { error: 'IPv4 mask bits must be < 32' };
  if (!v4 && maskBits > 127) return { error: 'IPv6 mask bits must be < 128' };
  const hostBits = bytes.length * 8 - maskBits;
  const top = bytes.map((byte, index) => {
    const bitsFromEnd = (bytes.length - 1 - index) * 8;
    const hostBitsHere = Math.max(0, Math.min(8, hostBits - bitsFromEnd));
    return byte | ((1 << hostBitsHere) - 1);
  });
  return { family: v4 ? 4 : 6, low: toHex(bytes), high: toHex(top) };
}

export function inRange(range: IpRange, address: IpAddress): boolean {
  return address.family === range.family && address.hex >= range.low && address.hex <= range.high;
}
