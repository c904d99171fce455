/**
 * The x-amz-expiration header at the level of the wire: GET, HEAD, PUT and
 * CompleteMultipartUpload answers of an object a lifecycle Expiration rule matches carry
 * `expiry-date="<RFC 1123>", rule-id="<ID>"` (the GetObject / HeadObject / PutObject pages of
 * the API reference). Days count to the midnight UTC after LastModified + Days (the S3 user
 * guide: "rounding the resulting time to the next day midnight UTC"); a Date rule expires at
 * its date; disabled rules, ExpiredObjectDeleteMarker-only rules and objects no filter selects
 * get no header.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;
const B = 'lifecycle-wire';
const DAY = 86_400_000;

const RULES = `
  <LifecycleConfiguration xmlns="${S3_NS}">
    <Rule><ID>days-rule</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>
    <Rule><ID>date-rule</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>
    <Rule><ID>size-rule</ID><Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>10</Days></Expiration></Rule>
    <Rule><ID>disabled</ID><Filter><Prefix>off/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>
    <Rule><ID>markers</ID><Filter><Prefix>off/</Prefix></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>
  </LifecycleConfiguration>`;

/** The expiry S3 gives an object created at `lastModified` (an HTTP date) under a Days rule. */
function expiry(lastModified: string, days: number): string {
  const midnight = Math.floor(Date.parse(lastModified) / DAY) * DAY;
  return new Date(midnight + (days + 1) * DAY).toUTCString();
}

beforeAll(async () => {
  rt = await startRuntime();
  expect((await send(rt.endpoint, s3('PUT', `/${B}`))).status).toBe(200);
  expect((await send(rt.endpoint, s3('PUT', `/${B}?lifecycle`, RULES))).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
});

describe('x-amz-expiration', () => {
  it('a Days rule: on the PUT, GET and HEAD answers, at the midnight UTC after LastModified + Days', async () => {
    const put = await send(rt.endpoint, s3('PUT', `/${B}/logs/a.txt`, 'small'));
    expect(put.status).toBe(200);
    const head = await send(rt.endpoint, s3('HEAD', `/${B}/logs/a.txt`));
    const header = `expiry-date="${expiry(head.headers['last-modified']!, 3)}", rule-id="days-rule"`;
    expect(put.headers['x-amz-expiration']).toBe(header);
    expect(head.headers['x-amz-expiration']).toBe(header);
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/logs/a.txt`), { status: 200, headers: { 'x-amz-expiration': header, 'content-length': '5' } });
    expect(header).toMatch(/^expiry-date="\w{3}, \d\d \w{3} \d{4} 00:00:00 GMT", rule-id="days-rule"$/);
  });

  it('a Date rule names its date; of several rules the earliest expiry is named', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/tagged`, 'x', { 'x-amz-tagging': 'k=v' }), {
      status: 200,
      headers: { 'x-amz-expiration': 'expiry-date="Tue, 01 Jan 2030 00:00:00 GMT", rule-id="date-rule"' },
      empty: true,
    });
    await expectAnswer(rt.endpoint, s3('HEAD', `/${B}/tagged`), { status: 200, headers: { 'x-amz-expiration': 'expiry-date="Tue, 01 Jan 2030 00:00:00 GMT", rule-id="date-rule"' } });
    // logs/ (3 days) and the tag (2030): the 3 days come first
    const put = await send(rt.endpoint, s3('PUT', `/${B}/logs/tagged`, 'x', { 'x-amz-tagging': 'k=v' }));
    expect(put.headers['x-amz-expiration']).toMatch(/rule-id="days-rule"$/);
    // a size filter
    const big = await send(rt.endpoint, s3('PUT', `/${B}/big`, 'b'.repeat(101)));
    const head = await send(rt.endpoint, s3('HEAD', `/${B}/big`));
    expect(big.headers['x-amz-expiration']).toBe(`expiry-date="${expiry(head.headers['last-modified']!, 10)}", rule-id="size-rule"`);
  });

  it('no header where no enabled Expiration rule selects the object', async () => {
    for (const key of ['other', 'off/disabled', 'logsnot/a']) {
      await expectAnswer(rt.endpoint, s3('PUT', `/${B}/${key}`, 'x'), { status: 200, headers: { 'x-amz-expiration': null }, empty: true });
      await expectAnswer(rt.endpoint, s3('HEAD', `/${B}/${key}`), { status: 200, headers: { 'x-amz-expiration': null } });
    }
  });

  it('CompleteMultipartUpload names the expiry of the object it made', async () => {
    const created = await send(rt.endpoint, s3('POST', `/${B}/logs/multi?uploads`));
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text)![1]!;
    await send(rt.endpoint, s3('PUT', `/${B}/logs/multi?partNumber=1&uploadId=${id}`, 'part'));
    const etag = createHash('md5').update('part').digest('hex');
    const done = await send(rt.endpoint, s3('POST', `/${B}/logs/multi?uploadId=${id}`, `<CompleteMultipartUpload xmlns="${S3_NS}"><Part><PartNumber>1</PartNumber><ETag>"${etag}"</ETag></Part></CompleteMultipartUpload>`));
    expect(done.status).toBe(200);
    const head = await send(rt.endpoint, s3('HEAD', `/${B}/logs/multi`));
    expect(done.headers['x-amz-expiration']).toBe(`expiry-date="${expiry(head.headers['last-modified']!, 3)}", rule-id="days-rule"`);
  });

  it('a rule put without an ID gets one, which the header names; no configuration, no header', async () => {
    const anonymous = `<LifecycleConfiguration xmlns="${S3_NS}"><Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>`;
    expect((await send(rt.endpoint, s3('PUT', `/${B}?lifecycle`, anonymous))).status).toBe(200);
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?lifecycle`), {
      status: 200,
      headers: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' },
      xml: `<LifecycleConfiguration xmlns="${S3_NS}"><Rule><Expiration><Days>1</Days></Expiration><ID>{{/^[A-Za-z0-9_-]{20,}$/}}</ID><Filter></Filter><Status>Enabled</Status></Rule></LifecycleConfiguration>`,
    });
    const rule = await send(rt.endpoint, s3('GET', `/${B}?lifecycle`));
    const ruleId = /<ID>([^<]+)<\/ID>/.exec(rule.text)![1]!;
    const head = await send(rt.endpoint, s3('HEAD', `/${B}/other`));
    expect(head.headers['x-amz-expiration']).toBe(`expiry-date="${expiry(head.headers['last-modified']!, 1)}", rule-id="${ruleId}"`);
    await expectAnswer(rt.endpoint, s3('DELETE', `/${B}?lifecycle`), { status: 204, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/logs/a.txt`), { status: 200, headers: { 'x-amz-expiration': null } });
  });
});
