import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { ServiceManager, expandServices } from '../../runtime/services/manager.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';

function registry(events: string[], names: string[]): ProviderRegistry {
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        load: async () => ({
          createProvider: () => ({
            operations: {},
            start: () => void events.push(`start ${name}`),
            stop: () => void events.push(`stop ${name}`),
          }),
        }),
      },
    ]),
  );
}

describe('service manager', () => {
  it('SERVICES expands composites and adds dependencies', () => {
    expect([...expandServices(['dynamodb'])].sort()).toEqual(['dynamodb', 'dynamodbstreams', 'kinesis']);
    expect([...expandServices(['lambda'])].sort()).toEqual(['lambda', 's3', 'sts']);
    expect([...expandServices(['cognito'])].sort()).toEqual(['cognito-identity', 'cognito-idp']);
  });

  it('starts dependencies first, shares one start between concurrent requests, stops in reverse order', async () => {
    const events: string[] = [];
    const { config } = loadConfig({});
    const manager = new ServiceManager(config, registry(events, ['dynamodb', 'dynamodbstreams', 'kinesis', 'sts']));
    const [a, b] = await Promise.all([manager.get('dynamodb'), manager.get('dynamodb')]);
    expect(a).toBe(b);
    expect(events).toEqual(['start kinesis', 'start dynamodbstreams', 'start dynamodb']);
    expect(manager.states()).toEqual({ dynamodb: 'running', dynamodbstreams: 'running', kinesis: 'running', sts: 'available' });
    await manager.get('sts');
    await manager.stopAll();
    expect(events.slice(3)).toEqual(['start sts', 'stop sts', 'stop dynamodb', 'stop dynamodbstreams', 'stop kinesis']);
    expect(manager.states()).toEqual({ dynamodb: 'stopped', dynamodbstreams: 'stopped', kinesis: 'stopped', sts: 'stopped' });
  });

  it('strict loading disables what SERVICES does not name (dependencies included are enabled)', () => {
    const { config } = loadConfig({ SERVICES: 'dynamodb' });
    const manager = new ServiceManager(config, registry([], ['dynamodb', 'dynamodbstreams', 'kinesis', 'sts']));
    expect(manager.states()).toEqual({ dynamodb: 'available', dynamodbstreams: 'available', kinesis: 'available', sts: 'disabled' });
    expect(() => manager.get('sts')).toThrow(/not enabled/);
  });
});
