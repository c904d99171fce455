/**
 * Every service the bundled models describe loads, and every operation of it is reachable:
 * REST operations route back to themselves from a path built from their own template, and
 * the JSON and XML codecs compile for every input and output shape.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allServiceNames, loadServiceModel, modelsDir, readModelText } from '../../runtime/aws/models/loader.js';
import { compileJsonReader, compileJsonWriter } from '../../runtime/aws/protocols/json.js';
import { matchRoute } from '../../runtime/aws/protocols/rest.js';
import { compileXmlWriter } from '../../runtime/aws/protocols/xml-writer.js';
import { ServiceModel } from '../../runtime/aws/models/service-model.js';
import type { RawAlternateRoute, RawModel } from '../../runtime/aws/models/types.js';

const names = allServiceNames();

/** A concrete request path and query for an operation's requestUri template. */
function sampleRequest(requestUri: string): { path: string; query: URLSearchParams } {
  const [pathPart = '/', queryPart = ''] = requestUri.split('?');
  const path = pathPart.replace(/\{([^}]+)\}/g, (_m, label: string) => (label.endsWith('+') ? 'a/b%20c' : 'label-1'));
  const query = new URLSearchParams();
  for (const kv of queryPart.split('&').filter(Boolean)) {
    const [k, v = ''] = kv.split('=');
    query.set(k!, v);
  }
  return { path, query };
}

describe('the bundled models', () => {
  it('describe hundreds of services, each with a unique name', () => {
    expect(names.length).toBeGreaterThan(380);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['s3', 'sqs', 'sns', 'dynamodb', 'dynamodbstreams', 'lambda', 'sts', 'ssm', 'cloudwatch', 'logs', 'events', 'stepfunctions', 'ses', 'sesv2', 'apigatewayv2', 'elbv2', 'cognito-idp']) {
      expect(names).toContain(name);
    }
  });

  it('all load, and every REST operation routes back to an operation with its own template', () => {
    let routed = 0;
    const ambiguous: string[] = [];
    const alternates: string[] = [];
    for (const name of names) {
      const model = loadServiceModel(name);
      expect(model.operations.size, name).toBeGreaterThan(0);
      // alternate routes (patches.json), of any protocol: only REST ones route by them
      for (const op of model.operations.values()) for (const alt of op.alternates) alternates.push(`${name}.${op.name} ${alt.method} ${alt.requestUri}`);
      if (model.protocol !== 'rest-json' && model.protocol !== 'rest-xml') continue;
      // each alternate route routes too: to the model of that very route, not only to the same
      // operation name, so its request is parsed by that route's bindings
      for (const op of [...model.operations.values()].flatMap((o) => [o, ...o.alternates])) {
        const { path, query } = sampleRequest(op.requestUri);
        // with the operation's required header and query members, as a client sends them
        const headers: Record<string, string> = {};
        for (const member of op.input?.required ?? []) {
          const m = model.resolve(op.input!.members![member]!);
          if (m.location === 'header') headers[(m.locationName ?? member).toLowerCase()] = 'x';
          if (m.location === 'querystring' && m.type !== 'map') query.set(m.locationName ?? member, 'x');
        }
        const match = matchRoute(model, op.method, path, query, headers);
        expect(match, `${name}.${op.name} ${op.method} ${op.requestUri}`).toBeDefined();
        if (match!.op !== op) ambiguous.push(`${name}.${op.name} -> ${match!.op.name}`);
        routed++;
      }
    }
    expect(routed).toBeGreaterThan(5000);
    expect(alternates.sort()).toEqual([
      'sesv2.ListConfigurationSets GET /v2/email/configuration-sets',
      'sesv2.ListEmailIdentities GET /v2/email/identities',
      'sesv2.PutEmailIdentityDkimSigningAttributes PUT /v1/email/identities/{EmailIdentity}/dkim/signing',
    ]);
    // requests that are the very same on the wire: the current operation answers
    expect(ambiguous.sort()).toEqual([
      's3.GetBucketLifecycle -> GetBucketLifecycleConfiguration',
      's3.GetBucketNotification -> GetBucketNotificationConfiguration',
      's3.ListDirectoryBuckets -> ListBuckets',
      's3.PutBucketLifecycle -> PutBucketLifecycleConfiguration',
      's3.PutBucketNotification -> PutBucketNotificationConfiguration',
    ]);
  });

  it('an alternate route rebinds the members of the input (a shared shape too), leaving the own route as it is', () => {
    const entry = { name: 'demo', protocol: 'rest-json', apiVersion: '2020-01-01', endpointPrefix: 'demo', signingName: 'demo' } as const;
    const raw = (route: RawAlternateRoute): RawModel => ({
      metadata: { apiVersion: '2020-01-01', protocol: 'rest-json', endpointPrefix: 'demo' },
      shapes: { In: { type: 'structure', members: { Id: { location: 'querystring', locationName: 'id' }, Note: {} } } },
      operations: { GetThing: { http: { method: 'GET', requestUri: '/things' }, input: { shape: 'In' }, alternateRoutes: [route] } },
    });
    const model = new ServiceModel(entry, raw({ http: { method: 'POST', requestUri: '/things/get' }, input: { members: { Id: { location: null, locationName: null } } } }));
    const op = model.operations.get('GetThing')!;
    const alt = op.alternates[0]!;
    expect([alt.name, alt.primary, alt.method, alt.requestUri, alt.alternates]).toEqual(['GetThing', op, 'POST', '/things/get', []]);
    expect(model.resolve(op.input!.members!.Id!).location).toBe('querystring');
    expect(model.resolve(alt.input!.members!.Id!).location).toBeUndefined();
    expect(matchRoute(model, 'GET', '/things', new URLSearchParams('id=1'))?.op).toBe(op);
    expect(matchRoute(model, 'POST', '/things/get', new URLSearchParams())?.op).toBe(alt);
    // one input for every route: a route may not add or remove members
    expect(() => new ServiceModel(entry, raw({ http: { requestUri: '/x' }, input: { members: { Extra: {} } } }))).toThrow(/rebind members, not add or remove them/);
    expect(() => new ServiceModel(entry, raw({ http: { requestUri: '/x' }, input: { members: { Note: null } } }))).toThrow(/rebind members, not add or remove them/);
  });

  it('the JSON and XML codecs compile for every input and output shape', () => {
    for (const name of names) {
      const model = loadServiceModel(name);
      for (const op of [...model.operations.values()].flatMap((o) => [o, ...o.alternates])) {
        if (op.input) expect(() => compileJsonReader(model, op.input!), `${name}.${op.name}`).not.toThrow();
        if (op.output) {
          expect(() => compileJsonWriter(model, op.output!), `${name}.${op.name}`).not.toThrow();
          expect(() => compileXmlWriter(model, op.output!, { ec2: model.protocol === 'ec2', timestampFormat: 'iso8601' }), `${name}.${op.name}`).not.toThrow();
        }
      }
    }
  });
});

describe('model files', () => {
  it('are the generated botocore models, brotli-compressed, each as MANIFEST.json describes it', () => {
    const manifest = JSON.parse(readFileSync(join(modelsDir(), 'MANIFEST.json'), 'utf8')) as {
      source: { package: string; version: string };
      services: Record<string, { apiVersion: string; protocols: string[]; operations: number; sha256: string }>;
    };
    expect(manifest.source.package).toBe('botocore');
    const files = readdirSync(modelsDir()).filter((f) => f.endsWith('.json.br'));
    expect(files.map((f) => f.slice(0, -'.json.br'.length)).sort()).toEqual(Object.keys(manifest.services).sort());
    expect(Object.keys(manifest.services).sort()).toEqual([...names].sort());
    for (const [name, entry] of Object.entries(manifest.services)) {
      const text = readModelText(name);
      expect(createHash('sha256').update(text).digest('hex'), name).toBe(entry.sha256);
      const raw = JSON.parse(text) as { metadata: { apiVersion: string }; operations: Record<string, object>; shapes: Record<string, object> };
      expect([raw.metadata.apiVersion, Object.keys(raw.operations).length], name).toEqual([entry.apiVersion, entry.operations]);
      // what the runtime never reads is left out (a member may still be named `documentation`)
      expect([...Object.values(raw.operations), ...Object.values(raw.shapes)].some((x) => 'documentation' in x), name).toBe(false);
    }
    expect(() => readModelText('no-such-service')).toThrow(/ENOENT/);
  });
});
