/**
 * The wire helper itself: it passes the answer as AWS documents it, and fails on a member too
 * many, one missing, one out of order, a wrong status or header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from './runtime.js';
import { expectAnswer, expectWire, query, s3, S3_NS, xmlTree, type WireAnswer } from './wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

/** A made-up answer in STS's form, so that these checks of the helper do not hang on STS's own. */
const IDENTITY = `
  <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
    <GetCallerIdentityResult>
      <Arn>arn:aws:iam::000000000000:root</Arn>
      <UserId>000000000000</UserId>
      <Account>000000000000</Account>
    </GetCallerIdentityResult>
    <ResponseMetadata>
      <RequestId>{{uuid}}</RequestId>
    </ResponseMetadata>
  </GetCallerIdentityResponse>`;
const ANSWER: WireAnswer = (() => {
  const text = IDENTITY.replace('{{uuid}}', '0b6a2e58-4a5c-4b8e-9d0f-6f4c5a1e2d3b').replace(/>\s+</g, '><').trim();
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': '0b6a2e58-4a5c-4b8e-9d0f-6f4c5a1e2d3b' }, body: Buffer.from(text), text };
})();

describe('expectAnswer', () => {
  it('passes a whole document with placeholders, and the headers named', async () => {
    expectWire(ANSWER, { status: 200, headers: { 'content-type': /^text\/xml/, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ }, xml: IDENTITY });
    const sts = await expectAnswer(rt.endpoint, query('sts', 'GetCallerIdentity', '2011-06-15'), { status: 200, headers: { 'content-type': /^text\/xml/ } });
    expect(xmlTree(sts.text)[0]).toHaveProperty('GetCallerIdentityResponse');
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-helper'), { status: 200, headers: { location: '/wire-helper' }, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-helper?versioning'), { status: 200, xml: `<VersioningConfiguration xmlns="${S3_NS}"/>` });
  });

  it('fails on a member too many, one missing, one out of order, a wrong value, status or header', () => {
    const answer = ANSWER;
    const without = (name: string) => IDENTITY.replace(new RegExp(`<${name}>[^<]*</${name}>`), '');
    const cases = [
      without('UserId'), // the answer has a member the expectation lacks
      IDENTITY.replace('<Account>', '<Extra>x</Extra><Account>'), // the expectation has one the answer lacks
      IDENTITY.replace(/(<UserId>.*<\/UserId>)\s*(<Account>.*<\/Account>)/, '$2$1'), // order
      IDENTITY.replace('000000000000</UserId>', '000000000001</UserId>'),
      IDENTITY.replace('{{uuid}}', '{{iso}}'),
    ];
    for (const xml of cases) expect(() => expectWire(answer, { status: 200, xml })).toThrow();
    expect(() => expectWire(answer, { status: 400, xml: IDENTITY })).toThrow();
    expect(() => expectWire(answer, { status: 200, headers: { 'x-amzn-requestid': null } })).toThrow();
    expect(() => expectWire(answer, { status: 200, headers: { 'content-type': 'application/json' } })).toThrow();
  });

  it('reads text exactly, whitespace and entities included', () => {
    expect(xmlTree('<A x="1"><B> two  words </B><C/><D>&lt;&amp;&quot;</D></A>')).toStrictEqual([
      { A: [{ B: ' two  words ' }, { C: '' }, { D: '<&"' }], '@x': '1' },
    ]);
  });
});
