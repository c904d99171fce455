/**
 * The gateway's per-service slots (handlers/service-slots.ts): a slot runs the steps the
 * detected service declared with its registry entry, in order, waiting for a step only when
 * it returns a promise, and nothing for other services.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import type { HandlerChain } from '../../runtime/gateway/chain.js';
import { serviceSlots } from '../../runtime/gateway/handlers/service-slots.js';
import { GatewayResponse, type RequestContext } from '../../runtime/request-context.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';

const { config } = loadConfig({});
const chain = {} as HandlerChain;
// stand-in steps under two real service names (the registry is typed by them)
const request = (serviceName: string | undefined) => ({ serviceName }) as RequestContext;

function registry(seen: string[]): ProviderRegistry {
  const load = () => Promise.reject(new Error('not loaded in this test'));
  return {
    sqs: {
      load,
      gateway: () => ({
        afterDetection: [
          () => void seen.push('first'),
          () => new Promise<void>((resolve) => setTimeout(() => resolve(void seen.push('waited')), 5)),
          () => void seen.push('after the wait'),
        ],
        beforeDispatch: [
          () => {
            throw new Error('refused');
          },
        ],
        response: [(_ctx, res) => void (res.headers['x-own'] = 'yes')],
        payloadContentEncoding: true,
      }),
    },
    sns: { load },
  };
}

describe('per-service slots', () => {
  it("run the detected service's steps in order, asynchronous only when a step waits", async () => {
    const seen: string[] = [];
    const slots = serviceSlots(registry(seen), config);
    const pending = slots.afterDetection(chain, request('sqs'), new GatewayResponse());
    expect(seen).toEqual(['first']);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(seen).toEqual(['first', 'waited', 'after the wait']);
    expect(() => slots.beforeDispatch(chain, request('sqs'), new GatewayResponse())).toThrow('refused');
    const res = new GatewayResponse();
    slots.response(chain, request('sqs'), res);
    expect(res.headers['x-own']).toBe('yes');
  });

  it('do nothing, synchronously, for a service without steps or before detection', () => {
    const seen: string[] = [];
    const slots = serviceSlots(registry(seen), config);
    for (const name of ['sns', 'unknown', undefined]) {
      expect(slots.afterDetection(chain, request(name), new GatewayResponse())).toBeUndefined();
      expect(slots.beforeDispatch(chain, request(name), new GatewayResponse())).toBeUndefined();
      const res = new GatewayResponse();
      slots.response(chain, request(name), res);
      expect(res.headers).toEqual({});
      expect(slots.keepsContentEncoding(name)).toBe(false);
    }
    expect(seen).toEqual([]);
    expect(slots.keepsContentEncoding('sqs')).toBe(true);
  });
});
