import { describe, expect, it } from 'vitest';
import { arnFor, formatArn, globalArnFor, parseArn, partitionOf, queueUrlFromArn } from '../../runtime/aws/arns.js';
import { loadConfig } from '../../runtime/config.js';
import { randomToken, randomUpperId } from '../../runtime/aws/ids.js';
import { decodePageToken, encodePageToken, paginate } from '../../runtime/aws/pagination.js';
import { findTagViolation, mergeTags, removeTagKeys, tagListOf, tagResource, untagResource, type TagMap } from '../../runtime/aws/tags.js';
import { record } from '../../runtime/state/store.js';

describe('ARNs', () => {
  it('take the partition of the region', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(arnFor({ accountId: '123456789012', region: 'cn-northwest-1' }, 'ssm', 'parameter/a')).toBe('arn:aws-cn:ssm:cn-northwest-1:123456789012:parameter/a');
    expect(globalArnFor({ accountId: '123456789012', region: 'us-gov-east-1' }, 'iam', 'root')).toBe('arn:aws-us-gov:iam::123456789012:root');
    expect(formatArn({ service: 's3', resource: 'bucket' })).toBe('arn:aws:s3:::bucket');
  });

  it('parse what AWS writes, resources with colons included, and nothing else', () => {
    expect(parseArn('arn:aws:sqs:us-east-1:000000000000:queue')).toEqual({ partition: 'aws', service: 'sqs', region: 'us-east-1', accountId: '000000000000', resource: 'queue' });
    expect(parseArn('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:1')?.resource).toBe('function:f:1');
    expect(parseArn('arn:aws:iam::aws:policy/AdministratorAccess')?.accountId).toBe('aws');
    expect(parseArn('arn:aws:s3:::b')?.accountId).toBe('');
    for (const bad of ['arn:aws:sqs:us-east-1:12:q', 'arn:other:sqs:us-east-1:000000000000:q', 'arn:aws:sqs:us-east-1:000000000000:', 'not-an-arn']) expect(parseArn(bad)).toBeUndefined();
  });
});

describe('queue URLs from ARNs', () => {
  it("take LocalStack's forms for each SQS_ENDPOINT_STRATEGY, with LOCALSTACK_HOST", () => {
    const url = (arn: string, env: Record<string, string> = {}) => queueUrlFromArn(arn, loadConfig({ LOCALSTACK_HOST: 'localhost.localstack.cloud:4566', ...env }).config);
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:jobs.fifo';
    expect(url(arn)).toBe('http://sqs.eu-west-1.localhost.localstack.cloud:4566/123456789012/jobs.fifo');
    expect(url(arn, { SQS_ENDPOINT_STRATEGY: 'domain' })).toBe('http://eu-west-1.queue.localhost.localstack.cloud:4566/123456789012/jobs.fifo');
    expect(url('arn:aws:sqs:us-east-1:000000000000:q', { SQS_ENDPOINT_STRATEGY: 'domain' })).toBe('http://queue.localhost.localstack.cloud:4566/000000000000/q');
    expect(url(arn, { SQS_ENDPOINT_STRATEGY: 'path' })).toBe('http://localhost.localstack.cloud:4566/queue/eu-west-1/123456789012/jobs.fifo');
    expect(url(arn, { SQS_ENDPOINT_STRATEGY: 'off', LOCALSTACK_HOST: 'emulator:4510' })).toBe('http://emulator:4510/123456789012/jobs.fifo');
    expect(url('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe('http://sqs.cn-north-1.localhost.localstack.cloud:4566/123456789012/q');
    for (const bad of ['arn:aws:sns:eu-west-1:123456789012:topic', 'arn:aws:sqs::123456789012:q', 'arn:aws:sqs:eu-west-1::q', 'arn:aws:sqs:eu-west-1:123456789012:a/b', 'queue']) expect(url(bad)).toBeUndefined();
    expect(() => loadConfig({ SQS_ENDPOINT_STRATEGY: 'dynamic' })).toThrow('SQS_ENDPOINT_STRATEGY must be standard, domain, path or off');
  });
});

describe('ids', () => {
  it('never start with - or _ and have the length asked for', () => {
    for (let i = 0; i < 2000; i++) expect(randomToken(24)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{31}$/);
    expect(randomUpperId(17)).toMatch(/^[A-Z2-7]{17}$/);
  });
});

describe('pagination tokens', () => {
  const items = Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const invalidToken = (t: string) => new Error(`bad ${t}`);

  it('walk a sorted list page by page, seeking after the last key even when items come and go', () => {
    const first = paginate(items, { scope: 'List', key: (s) => s, nextToken: undefined, max: 10, invalidToken });
    expect(first.page).toEqual(items.slice(0, 10));
    // an item before the cursor is deleted: the next page neither skips nor repeats
    const shrunk = items.filter((s) => s !== 'item-03');
    const second = paginate(shrunk, { scope: 'List', key: (s) => s, nextToken: first.nextToken, max: 10, invalidToken });
    expect(second.page).toEqual(items.slice(10, 20));
    const third = paginate(items, { scope: 'List', key: (s) => s, nextToken: second.nextToken, max: 10, invalidToken });
    expect(third.page).toEqual(items.slice(20));
    expect(third.nextToken).toBeUndefined();
  });

  it('refuse tokens of another listing, forged or garbled', () => {
    const token = encodePageToken('A', 'x');
    expect(decodePageToken('A', token)).toBe('x');
    expect(decodePageToken('B', token)).toBeUndefined();
    expect(decodePageToken('A', Buffer.from('"x"').toString('base64url'))).toBeUndefined();
    expect(decodePageToken('A', `${token}=`)).toBeUndefined();
    expect(() => paginate(items, { scope: 'B', key: (s) => s, nextToken: token, max: 10, invalidToken })).toThrow(`bad ${token}`);
    expect(decodePageToken('A', encodePageToken('A', ['K', 'key']))).toEqual(['K', 'key']);
  });
});

describe('tags', () => {
  it('report the first violation in the order AWS checks', () => {
    expect(findTagViolation(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' })))).toEqual({ rule: 'too-many', count: 51, max: 50 });
    expect(findTagViolation([{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }])).toEqual({ rule: 'duplicate-key', key: 'a' });
    expect(findTagViolation([{ Key: 'AWS:x', Value: '' }])).toEqual({ rule: 'reserved-prefix', key: 'AWS:x' });
    expect(findTagViolation([{ Key: '', Value: '' }])?.rule).toBe('key');
    expect(findTagViolation([{ Key: 'k'.repeat(129), Value: '' }])?.rule).toBe('key');
    expect(findTagViolation([{ Key: '𝒳'.repeat(128), Value: 'é'.repeat(256) }])).toBeUndefined();
    expect(findTagViolation([{ Key: 'k', Value: 'v!' }])).toEqual({ rule: 'value', key: 'k', value: 'v!' });
  });

  it('merge, remove, and keep tags by ARN without letting a key reach the prototype', () => {
    expect(mergeTags([{ Key: 'a', Value: '1' }], [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '3' }])).toEqual([{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }]);
    expect(removeTagKeys([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }], ['a'])).toEqual([{ Key: 'b', Value: '2' }]);
    const byArn = record<TagMap>();
    expect(tagResource(byArn, 'arn:x', [{ Key: '__proto__', Value: 'p' }, { Key: 'toString', Value: 't' }])).toBeUndefined();
    expect(tagListOf(byArn['arn:x'])).toEqual([{ Key: '__proto__', Value: 'p' }, { Key: 'toString', Value: 't' }]);
    expect(tagResource(byArn, 'arn:x', Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: '' })))).toEqual({ rule: 'too-many', count: 51, max: 50 });
    untagResource(byArn, 'arn:x', ['toString']);
    expect(tagListOf(byArn['arn:x'])).toEqual([{ Key: '__proto__', Value: 'p' }]);
  });
});
