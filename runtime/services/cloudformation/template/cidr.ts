/**
 * Fn::Cidr: `count` consecutive blocks carved from the start of an address block, each with
 * `cidrBits` host bits (a /27 from `cidrBits` 5 in IPv4, a /64 from 64 in IPv6), as the
 * documentation's examples give them. Addresses are BigInts, so IPv4 and IPv6 share one
 * arithmetic; IPv6 results are written in RFC 5952's compressed form, as AWS writes them.
 */
import { templateError } from './errors.js';

interface Block {
  readonly address: bigint;
  readonly prefix: number;
  readonly bits: 32 | 128;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return all.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function parseBlock(text: string): Block | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const prefix = Number(match[2]);
  const v4 = parseIpv4(match[1]!);
  if (v4 !== undefined) return prefix <= 32 ? { address: v4, prefix, bits: 32 } : undefined;
  const v6 = parseIpv6(match[1]!);
  if (v6 !== undefined) return prefix <= 128 ? { address: v6, prefix, bits: 128 } : undefined;
  return undefined;
}

function formatIpv4(address: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 255n)).join('.');
}

/** An IPv6 address in RFC 5952 form: lower case, no leading zeros, the longest run (2+) of zero groups as `::`. */
export function formatIpv6(address: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((address >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** Fn::Cidr's value: `count` blocks of `cidrBits` host bits from the start of `ipBlock`. */
export function cidr(ipBlock: string, count: number, cidrBits: number): string[] {
  const block = parseBlock(ipBlock);
  if (block === undefined) throw templateError(`Template error: Fn::Cidr ipBlock ${ipBlock} is not a valid CIDR block`);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw templateError('Template error: Fn::Cidr count must be an integer between 1 and 256');
  const prefix = block.bits - cidrBits;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || prefix < block.prefix) {
    throw templateError(`Template error: Fn::Cidr cidrBits ${cidrBits} must be an integer between 0 and ${block.bits - block.prefix} for ${ipBlock}`);
  }
  if (BigInt(count) > 1n << BigInt(prefix - block.prefix)) {
    throw templateError(`Template error: Fn::Cidr cannot carve ${count} blocks of ${cidrBits} bits from ${ipBlock}`);
  }
  const hostBits = BigInt(block.bits - block.prefix);
  const network = (block.address >> hostBits) << hostBits;
  const size = 1n << BigInt(cidrBits);
  const format = block.bits === 32 ? formatIpv4 : formatIpv6;
  return Array.from({ length: count }, (_, i) => `${format(network + BigInt(i) * size)}/${prefix}`);
}
