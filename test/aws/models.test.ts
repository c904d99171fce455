/**
 * Every service the bundled models describe loads, and every operation of it is reachable:
 * REST operations route back to themselves from a path built from their own template, and
 * the JSON and XML codecs compile for every input and output shape.
 */
import { describe, expect, it } from 'vitest';
import { allServiceNames, loadServiceModel } from '../../runtime/aws/models/loader.js';
import { compileJsonReader, compileJsonWriter } from '../../runtime/aws/protocols/json.js';
import { matchRoute } from '../../runtime/aws/protocols/rest.js';
import { compileXmlWriter } from '../../runtime/aws/protocols/xml-writer.js';

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
    for (const name of names) {
      const model = loadServiceModel(name);
      expect(model.operations.size, name).toBeGreaterThan(0);
      if (model.protocol !== 'rest-json' && model.protocol !== 'rest-xml') continue;
      for (const op of model.operations.values()) {
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
    // requests that are the very same on the wire: the current operation answers
    expect(ambiguous.sort()).toEqual([
      's3.GetBucketLifecycle -> GetBucketLifecycleConfiguration',
      's3.GetBucketNotification -> GetBucketNotificationConfiguration',
      's3.ListDirectoryBuckets -> ListBuckets',
      's3.PutBucketLifecycle -> PutBucketLifecycleConfiguration',
      's3.PutBucketNotification -> PutBucketNotificationConfiguration',
    ]);
  });

  it('the JSON and XML codecs compile for every input and output shape', () => {
    for (const name of names) {
      const model = loadServiceModel(name);
      for (const op of model.operations.values()) {
        if (op.input) expect(() => compileJsonReader(model, op.input!), `${name}.${op.name}`).not.toThrow();
        if (op.output) {
          expect(() => compileJsonWriter(model, op.output!), `${name}.${op.name}`).not.toThrow();
          expect(() => compileXmlWriter(model, op.output!, { ec2: model.protocol === 'ec2', timestampFormat: 'iso8601' }), `${name}.${op.name}`).not.toThrow();
        }
      }
    }
  });
});
