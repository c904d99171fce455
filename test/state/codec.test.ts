import { describe, expect, it } from 'vitest';
import { cloneState, parseState, StateCodecError, stringifyState } from '../../runtime/state/codec.js';
import { record } from '../../runtime/state/store.js';

describe('state codec', () => {
  it('round-trips records keyed by __proto__, constructor and toString as data', () => {
    const params = record<{ value: string }>();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '$np', '$t', '$$x']) params[name] = { value: name };
    const back = parseState(stringifyState({ params })) as { params: Record<string, { value: string }> };
    expect(Object.getPrototypeOf(back.params)).toBe(null);
    expect(Object.keys(back.params)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '$np', '$t', '$$x']);
    for (const name of Object.keys(params)) expect(back.params[name]).toEqual({ value: name });
    // a key that is missing stays missing: nothing is inherited
    expect(back.params.valueOf).toBeUndefined();
  });

  it('keeps a plain object with an own __proto__ member as a member', () => {
    const plain = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const back = cloneState(plain) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((back as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('round-trips dates, binary, special numbers, bigints and holes', () => {
    const value = {
      when: new Date('2026-12-05T06:00:00.123Z'),
      invalid: new Date(Number.NaN),
      body: Buffer.from([0, 1, 2, 255]),
      bytes: new Uint8Array([9, 8, 7]).subarray(1),
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1.5],
      big: 12345678901234567890n,
      list: [undefined, null, 'x'],
      nested: [{ deeper: [new Date(0)] }],
    };
    const back = cloneState(value);
    expect(back.when).toBeInstanceOf(Date);
    expect(back.when.toISOString()).toBe('2026-12-05T06:00:00.123Z');
    expect(Number.isNaN(back.invalid.getTime())).toBe(true);
    expect(Buffer.isBuffer(back.body) && [...back.body]).toEqual([0, 1, 2, 255]);
    expect([...back.bytes]).toEqual([8, 7]);
    expect(back.numbers.map((n) => (Object.is(n, -0) ? '-0' : String(n)))).toEqual(['NaN', 'Infinity', '-Infinity', '-0', '0', '1.5']);
    expect(back.big).toBe(12345678901234567890n);
    expect(back.list).toEqual([undefined, null, 'x']);
    expect(back.list.length).toBe(3);
    expect(back.nested[0]!.deeper[0]!.getTime()).toBe(0);
  });

  it('refuses what would not come back the same', () => {
    expect(() => stringifyState({ a: new Map() })).toThrow(StateCodecError);
    expect(() => stringifyState({ a: { b: () => 1 } })).toThrow(/a\.b holds a function/);
    class Thing {}
    expect(() => stringifyState([new Thing()])).toThrow(/Thing/);
  });

  it('refuses markers it does not know', () => {
    expect(() => parseState('{"$x": 1}')).toThrow(StateCodecError);
    expect(() => parseState('{"$t": "weird"}')).toThrow(/unknown tag/);
  });
});
