/**
 * The record framing of journals and snapshots: whole records come back exactly, and a file
 * cut anywhere inside a record (kill -9 mid-write) or damaged gives back the records before
 * it and says how many bytes it did not take.
 */
import { describe, expect, it } from 'vitest';
import { frame, frameBuffer, unframe } from '../../runtime/state/persistence/framing.js';

const PAYLOADS = ['{"kind":"journal"}', '[["parameters",["a"],1,{"v":"ünïcødé ✓"}]]', '[]', JSON.stringify({ text: 'line\nfeed and \u2028 separators' })];

describe('record framing', () => {
  it('gives back every payload of a file of whole records, in order', () => {
    const data = Buffer.concat(PAYLOADS.map(frameBuffer));
    expect(unframe(data)).toEqual({ records: PAYLOADS, validBytes: data.length, droppedBytes: 0 });
  });

  it('is one line per record, with the byte length and a CRC-32 in front', () => {
    // CRC-32's published check value: crc32("123456789") = cbf43926
    expect(frame('123456789')).toBe('9 cbf43926 123456789\n');
    expect(frame('"é"').startsWith('4 ')).toBe(true); // bytes, not characters
    expect(frame(PAYLOADS[3]!).split('\n')).toHaveLength(2);
  });

  it('drops a record cut short at any byte, keeping the whole ones before it', () => {
    const whole = Buffer.concat(PAYLOADS.slice(0, 2).map(frameBuffer));
    const last = frameBuffer(PAYLOADS[2]!.padEnd(40, ' '));
    for (let cut = 1; cut < last.length; cut++) {
      const data = Buffer.concat([whole, last.subarray(0, cut)]);
      const read = unframe(data);
      expect(read.records, `cut at ${cut}`).toEqual(PAYLOADS.slice(0, 2));
      expect(read.validBytes).toBe(whole.length);
      expect(read.droppedBytes).toBe(cut);
      expect(read.problem).toBeTruthy();
    }
  });

  it('stops at a damaged record (a flipped byte fails the checksum)', () => {
    const data = Buffer.concat(PAYLOADS.map(frameBuffer));
    const second = frameBuffer(PAYLOADS[0]!).length;
    data[second + 20] ^= 0x01;
    const read = unframe(data);
    expect(read.records).toEqual(PAYLOADS.slice(0, 1));
    expect(read.problem).toBe('checksum mismatch');
    expect(read.droppedBytes).toBe(data.length - second);
  });

  it('stops at garbage: a bad length, a missing line feed, a bad checksum field', () => {
    for (const junk of ['abc 00000000 {}\n', '2 00000000 {}X', '2 zzzzzzzz {}\n', '99999999999 00000000 {}\n']) {
      const read = unframe(Buffer.concat([frameBuffer('{}'), Buffer.from(junk)]));
      expect(read.records, junk).toEqual(['{}']);
      expect(read.droppedBytes).toBe(Buffer.byteLength(junk));
    }
  });
});
