/**
 * The one parser of S3 host names (runtime/aws/s3-hosts.ts) that detection, the virtual-host
 * rewrite, website hosting and bucket CORS share.
 */
import { describe, expect, it } from 'vitest';
import { hostName, localhostBucket, pathAddress, S3Hosts, s3ServiceOfHost, websiteBucket } from '../../runtime/aws/s3-hosts.js';

const hosts = new S3Hosts('localhost.localstack.cloud:4566');

describe('S3 host names', () => {
  it('are compared without port, case-insensitively; IPv6 literals keep their brackets', () => {
    expect(hostName('My.Bucket.S3.localhost.localstack.cloud:4566')).toBe('my.bucket.s3.localhost.localstack.cloud');
    expect(hostName('[::1]:4566')).toBe('[::1]');
    expect(hostName(undefined)).toBe('');
  });

  it('name the bucket of a virtual host, dots and regions included', () => {
    const cases: Array<[string, string | undefined]> = [
      ['bucket.s3.localhost.localstack.cloud:4566', 'bucket'],
      ['my.bucket.s3.localhost.localstack.cloud', 'my.bucket'],
      ['bucket.s3.eu-west-1.localhost.localstack.cloud', 'bucket'],
      ['bucket.s3.us-gov-west-1.amazonaws.com', 'bucket'],
      ['bucket.s3-us-west-2.amazonaws.com', 'bucket'],
      ['bucket.localhost:4566', 'bucket'],
      ['bucket.s3.localhost', 'bucket'],
      ['s3.localhost.localstack.cloud', undefined],
      ['s3.amazonaws.com', undefined],
      ['s3.localhost', undefined],
      ['localhost:4566', undefined],
      ['127.0.0.1:4566', undefined],
      ['bucket.s3.elsewhere.example.com', undefined],
      // website endpoints are never the REST API's virtual hosts
      ['site.s3-website.localhost', undefined],
      ['site.s3-website.us-east-1.localhost.localstack.cloud', undefined],
    ];
    for (const [host, bucket] of cases) expect([host, hosts.virtualBucket(host)]).toEqual([host, bucket]);
    expect(new S3Hosts('my-cloud.internal').virtualBucket('bucket.s3.my-cloud.internal')).toBe('bucket');
  });

  it('name the bucket of a website endpoint', () => {
    expect(websiteBucket('site.s3-website.localhost.localstack.cloud')).toBe('site');
    expect(websiteBucket('my.site.s3-website-eu-west-1.amazonaws.com')).toBe('my.site');
    expect(websiteBucket('bucket.s3.localhost.localstack.cloud')).toBeUndefined();
  });

  it('tell detection which hosts are S3 by themselves; <bucket>.localhost only once no endpoint prefix matched', () => {
    expect(s3ServiceOfHost('bucket.s3.localhost.localstack.cloud')).toBe('s3');
    expect(s3ServiceOfHost('s3.localhost.localstack.cloud')).toBe('s3');
    expect(s3ServiceOfHost('site.s3-website-us-east-1.amazonaws.com')).toBe('s3');
    expect(s3ServiceOfHost('sqs.localhost.localstack.cloud')).toBeUndefined();
    expect(s3ServiceOfHost('bucket.localhost')).toBeUndefined();
    expect(localhostBucket('bucket.localhost')).toBe('bucket');
    expect(localhostBucket('s3.localhost')).toBeUndefined();
    expect(localhostBucket('site.s3-website.localhost')).toBeUndefined();
  });

  it('give the bucket and key a request addresses, before and after the rewrite to path style', () => {
    expect(hosts.address('bucket.s3.localhost.localstack.cloud', '/')).toEqual({ bucket: 'bucket', key: '', style: 'virtual' });
    expect(hosts.address('bucket.localhost', '/a%20b/c')).toEqual({ bucket: 'bucket', key: 'a b/c', style: 'virtual' });
    expect(hosts.address('localhost:4566', '/bucket/k')).toEqual({ bucket: 'bucket', key: 'k', style: 'path' });
    expect(hosts.address('localhost:4566', '/')).toBeUndefined();
    expect(hosts.address('site.s3-website.localhost', '/index.html')).toEqual({ bucket: 'site', key: 'index.html', style: 'website' });
    // once rewritten, a virtual host's bucket is the path's first segment
    expect(hosts.rewrittenAddress('bucket.s3.localhost.localstack.cloud', '/bucket')).toEqual({ bucket: 'bucket', key: '', style: 'path' });
    expect(hosts.rewrittenAddress('bucket.s3.localhost.localstack.cloud', '/bucket/k')).toEqual({ bucket: 'bucket', key: 'k', style: 'path' });
    expect(hosts.rewrittenAddress('site.s3-website.localhost', '/k')).toEqual({ bucket: 'site', key: 'k', style: 'website' });
    expect(pathAddress('/%zz/k')).toEqual({ bucket: '%zz', key: 'k' });
  });
});
