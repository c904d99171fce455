/**
 * The checks S3 does on bucket configuration documents, at the level of the wire: logging
 * targets (CrossLocationLoggingProhibitted, InvalidTargetBucketForLogging), lifecycle filters,
 * replication rules, inventory configurations, public access block, object lock, tagging
 * bodies with an empty Value. Expectations: the API reference and the answers recorded from
 * AWS (LocalStack's snapshot suite): codes, messages, extra members and status codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;
const B = 'validation-wire';
const error = (code: string, message: string, fields = '') => `<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId></Error>`;
const MALFORMED = error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
const versioning = (status: string) => `<VersioningConfiguration xmlns="${S3_NS}"><Status>${status}</Status></VersioningConfiguration>`;

async function bucket(name: string, region = 'us-east-1', headers: Record<string, string> = {}): Promise<void> {
  const body = region === 'us-east-1' ? undefined : `<CreateBucketConfiguration xmlns="${S3_NS}"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
  const r = await send(rt.endpoint, s3('PUT', `/${name}`, body, headers, region));
  expect(r.status, r.text).toBe(200);
}

beforeAll(async () => {
  rt = await startRuntime();
  await bucket(B);
});
afterAll(async () => {
  await rt?.stop();
});

describe('bucket logging', () => {
  const logging = (target: string, prefix = '<TargetPrefix>log/</TargetPrefix>') =>
    `<BucketLoggingStatus xmlns="${S3_NS}"><LoggingEnabled><TargetBucket>${target}</TargetBucket>${prefix}</LoggingEnabled></BucketLoggingStatus>`;

  it('a target in another region is CrossLocationLoggingProhibitted (403), naming the locations as S3 does', async () => {
    await bucket('logs-west', 'us-west-2');
    await bucket('source-east2', 'us-east-2');
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?logging`, logging('logs-west')), {
      status: 403,
      xml: error('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', '<TargetBucketLocation>us-west-2</TargetBucketLocation>'),
    });
    await expectAnswer(rt.endpoint, s3('PUT', '/source-east2?logging', logging('logs-west'), {}, 'us-east-2'), {
      status: 403,
      xml: error('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', '<SourceBucketLocation>us-east-2</SourceBucketLocation><TargetBucketLocation>us-west-2</TargetBucketLocation>'),
    });
  });

  it('a target that does not exist is InvalidTargetBucketForLogging; one that does is stored, with an empty prefix when none is given', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?logging`, logging('no-such-log-target')), {
      status: 400,
      xml: error('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', '<TargetBucket>no-such-log-target</TargetBucket>'),
    });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?logging`), { status: 200, xml: `<BucketLoggingStatus xmlns="${S3_NS}"/>` });
    await bucket('logs-east');
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?logging`, logging('logs-east', '<TargetPrefix/>')), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?logging`), {
      status: 200,
      xml: `<BucketLoggingStatus xmlns="${S3_NS}"><LoggingEnabled><TargetBucket>logs-east</TargetBucket><TargetPrefix></TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
    });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?logging`, logging('logs-east')), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?logging`), { status: 200, xml: logging('logs-east') });
  });
});

describe('lifecycle rules', () => {
  const lifecycle = (rule: string) => `<LifecycleConfiguration xmlns="${S3_NS}"><Rule>${rule}</Rule></LifecycleConfiguration>`;
  const put = (rule: string) => s3('PUT', `/${B}?lifecycle`, lifecycle(rule));

  it('a rule names exactly one Filter predicate (or the legacy Prefix), else MalformedXML; the rest as S3 words it', async () => {
    const cases: Array<[string, string]> = [
      ['<ID>no-filter</ID><Status>Enabled</Status><Expiration><Days>7</Days></Expiration>', MALFORMED],
      ['<ID>both</ID><Filter><Prefix>a</Prefix></Filter><Prefix>a</Prefix><Status>Enabled</Status><Expiration><Days>7</Days></Expiration>', MALFORMED],
      ['<ID>and-prefix</ID><Filter><And><Prefix>test</Prefix></And><Prefix></Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration>', MALFORMED],
      ['<ID>size-prefix</ID><Filter><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan><Prefix></Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration>', MALFORMED],
      ['<ID>tag-prefix</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag><Prefix>p</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration>', MALFORMED],
      ['<ID>nve</ID><Filter/><Status>Enabled</Status><Expiration><Days>7</Days></Expiration><NoncurrentVersionExpiration/>', MALFORMED],
      ['<ID>marker-days</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>', MALFORMED],
      ['<ID>status</ID><Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration>', MALFORMED],
      [
        '<ID>dup</ID><Filter><And><Tag><Key>t</Key><Value>1</Value></Tag><Tag><Key>t</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>',
        error('InvalidRequest', 'Duplicate Tag Keys are not allowed.'),
      ],
      ['<ID>no-action</ID><Filter/><Status>Enabled</Status>', error('InvalidRequest', 'At least one action needs to be specified in a rule')],
      [
        '<ID>date</ID><Filter/><Status>Enabled</Status><Expiration><Date>2023-01-01T02:02:00Z</Date></Expiration>',
        error('InvalidArgument', "'Date' must be at midnight GMT", '<ArgumentName>Date</ArgumentName><ArgumentValue>{{*}}</ArgumentValue>'),
      ],
      [
        '<ID>days</ID><Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>',
        error('InvalidArgument', "'Days' in Expiration action must be a positive integer", '<ArgumentName>Days</ArgumentName><ArgumentValue>0</ArgumentValue>'),
      ],
    ];
    for (const [rule, expected] of cases) await expectAnswer(rt.endpoint, put(rule), { status: 400, xml: expected });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?lifecycle`), {
      status: 404,
      xml: error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', `<BucketName>${B}</BucketName>`),
    });
  });

  it('each single predicate, an And of several, an empty Filter and the legacy Prefix are taken', async () => {
    const rules = [
      '<Filter><Prefix>logs/</Prefix></Filter>',
      '<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>',
      '<Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter>',
      '<Filter><ObjectSizeLessThan>100</ObjectSizeLessThan></Filter>',
      '<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value></Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan></And></Filter>',
      '<Filter></Filter>',
      '<Prefix>old/</Prefix>',
    ];
    for (const filter of rules) {
      const rule = `<Expiration><Days>3</Days></Expiration><ID>r</ID>${filter}<Status>Enabled</Status>`;
      await expectAnswer(rt.endpoint, put(rule), { status: 200, headers: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' }, empty: true });
    }
    await expectAnswer(rt.endpoint, s3('DELETE', `/${B}?lifecycle`), { status: 204, empty: true });
  });
});

describe('replication rules', () => {
  const role = 'arn:aws:iam::000000000000:role/replication';
  // members in the order of the API reference's ReplicationRule: ..., Status, Destination, DeleteMarkerReplication
  const config = (destination: string, rule = '<ID>r1</ID><Priority>1</Priority><Filter><Prefix>Tax</Prefix></Filter><Status>Enabled</Status>') =>
    `<ReplicationConfiguration xmlns="${S3_NS}"><Role>${role}</Role><Rule>${rule}<Destination><Bucket>${destination}</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule></ReplicationConfiguration>`;

  it('the source needs versioning, the destination must be a versioned bucket named by ARN, the Role is required', async () => {
    await bucket('repl-source');
    await bucket('repl-dest');
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', config('arn:aws:s3:::repl-dest')), {
      status: 400,
      xml: error('InvalidRequest', "Versioning must be 'Enabled' on the bucket to apply a replication configuration"),
    });
    await send(rt.endpoint, s3('PUT', '/repl-source?versioning', versioning('Enabled')));
    const unversioned = error('InvalidRequest', 'Destination bucket must have versioning enabled.');
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', config('arn:aws:s3:::repl-dest')), { status: 400, xml: unversioned });
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', config('arn:aws:s3:::does-not-exist')), { status: 400, xml: unversioned });
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', config('repl-dest')), {
      status: 400,
      xml: error('InvalidArgument', 'Invalid bucket ARN.', '<ArgumentName>Bucket</ArgumentName><ArgumentValue>repl-dest</ArgumentValue>'),
    });
    const noRole = `<ReplicationConfiguration xmlns="${S3_NS}"><Rule><Status>Enabled</Status><Prefix></Prefix><Destination><Bucket>arn:aws:s3:::repl-dest</Bucket></Destination></Rule></ReplicationConfiguration>`;
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', noRole), { status: 400, xml: MALFORMED });
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', `<ReplicationConfiguration xmlns="${S3_NS}"><Role>${role}</Role></ReplicationConfiguration>`), { status: 400, xml: MALFORMED });
    await expectAnswer(rt.endpoint, s3('GET', '/repl-source?replication'), {
      status: 404,
      xml: error('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', '<BucketName>repl-source</BucketName>'),
    });
  });

  it('a valid configuration is stored as given, a rule without an ID gets one', async () => {
    await send(rt.endpoint, s3('PUT', '/repl-dest?versioning', versioning('Enabled')));
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', config('arn:aws:s3:::repl-dest')), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', '/repl-source?replication'), { status: 200, xml: config('arn:aws:s3:::repl-dest') });
    const anonymous = '<Priority>1</Priority><Filter><Prefix>Tax</Prefix></Filter><Status>Enabled</Status>';
    await expectAnswer(rt.endpoint, s3('PUT', '/repl-source?replication', config('arn:aws:s3:::repl-dest', anonymous)), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', '/repl-source?replication'), { status: 200, xml: config('arn:aws:s3:::repl-dest', `<ID>{{/^[A-Za-z0-9_-]{20,}$/}}</ID>${anonymous}`) });
  });
});

describe('inventory configurations', () => {
  const inventory = (id: string, { bucket = 'arn:aws:s3:::inventory-dest', format = 'CSV', frequency = 'Daily', versions = 'All', fields = '<Field>Size</Field>' } = {}) => `
    <InventoryConfiguration xmlns="${S3_NS}">
      <Destination><S3BucketDestination><Bucket>${bucket}</Bucket><Format>${format}</Format></S3BucketDestination></Destination>
      <IsEnabled>true</IsEnabled><Id>${id}</Id><IncludedObjectVersions>${versions}</IncludedObjectVersions>
      <OptionalFields>${fields}</OptionalFields><Schedule><Frequency>${frequency}</Frequency></Schedule>
    </InventoryConfiguration>`;
  const put = (id: string, doc: string) => s3('PUT', `/${B}?inventory&id=${id}`, doc);

  it('refuses a document that does not fit, then an Id that is not the document\'s, then a destination that is no bucket ARN', async () => {
    const cases: Array<[string, string, string]> = [
      ['inv', inventory('other'), error('IdMismatch', 'Document ID does not match the specified configuration ID.')],
      ['inv', inventory('inv', { bucket: 'inventory-dest' }), error('InvalidS3DestinationBucket', 'Invalid bucket ARN.')],
      ['inv', inventory('inv', { format: 'JSON' }), MALFORMED],
      ['inv', inventory('inv', { frequency: 'Hourly' }), MALFORMED],
      ['inv', inventory('inv', { versions: 'Some' }), MALFORMED],
      ['inv', inventory('inv', { fields: '<Field>Colour</Field>' }), MALFORMED],
      // the form first: a wrong Id in a malformed document is MalformedXML
      ['inv', inventory('other', { format: 'JSON' }), MALFORMED],
    ];
    for (const [id, doc, expected] of cases) await expectAnswer(rt.endpoint, put(id, doc), { status: 400, xml: expected });
    await expectAnswer(rt.endpoint, put('inv', inventory('inv')), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?inventory&id=inv`), { status: 200, xml: inventory('inv') });
  });
});

describe('public access block, object lock, tagging', () => {
  it('a public access block must set at least one of its four settings', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?publicAccessBlock`, `<PublicAccessBlockConfiguration xmlns="${S3_NS}"/>`), {
      status: 400,
      xml: error('InvalidRequest', 'Must specify at least one configuration.'),
    });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?publicAccessBlock`, `<PublicAccessBlockConfiguration xmlns="${S3_NS}"><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>`), {
      status: 400,
      xml: MALFORMED,
    });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?publicAccessBlock`, `<PublicAccessBlockConfiguration xmlns="${S3_NS}"><BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>`), {
      status: 200,
      empty: true,
    });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?publicAccessBlock`), {
      status: 200,
      xml: `<PublicAccessBlockConfiguration xmlns="${S3_NS}"><BlockPublicAcls>false</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
    });
  });

  it('object lock needs versioning Enabled (InvalidBucketState 409), and a well-formed rule', async () => {
    await bucket('lock-later');
    const lock = (rule = '') => `<ObjectLockConfiguration xmlns="${S3_NS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`;
    const state = error('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    await expectAnswer(rt.endpoint, s3('PUT', '/lock-later?object-lock', lock()), { status: 409, xml: state });
    await send(rt.endpoint, s3('PUT', '/lock-later?versioning', versioning('Suspended')));
    await expectAnswer(rt.endpoint, s3('PUT', '/lock-later?object-lock', lock()), { status: 409, xml: state });
    await expectAnswer(rt.endpoint, s3('GET', '/lock-later?object-lock'), {
      status: 404,
      xml: error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', '<BucketName>lock-later</BucketName>'),
    });
    await send(rt.endpoint, s3('PUT', '/lock-later?versioning', versioning('Enabled')));
    const bad = [
      `<ObjectLockConfiguration xmlns="${S3_NS}"/>`,
      lock('<Rule/>'),
      lock('<Rule><DefaultRetention/></Rule>'),
      lock('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode></DefaultRetention></Rule>'),
      lock('<Rule><DefaultRetention><Mode>SOFT</Mode><Days>1</Days></DefaultRetention></Rule>'),
      lock('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule>'),
    ];
    for (const doc of bad) await expectAnswer(rt.endpoint, s3('PUT', '/lock-later?object-lock', doc), { status: 400, xml: MALFORMED });
    await expectAnswer(rt.endpoint, s3('PUT', '/lock-later?object-lock', lock()), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', '/lock-later?object-lock'), { status: 200, xml: lock() });
  });

  it('retention and legal hold on a bucket without object lock: InvalidRequest', async () => {
    await send(rt.endpoint, s3('PUT', `/${B}/unlocked`, 'x'));
    const missing = { status: 400, xml: error('InvalidRequest', 'Bucket is missing Object Lock Configuration') };
    const retention = `<Retention xmlns="${S3_NS}"><Mode>GOVERNANCE</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>`;
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/unlocked?retention`, retention), missing);
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/unlocked?retention`), missing);
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/unlocked?legal-hold`, `<LegalHold xmlns="${S3_NS}"><Status>ON</Status></LegalHold>`), missing);
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/unlocked?legal-hold`), missing);
  });

  it('tagging bodies with an empty Value are taken, on buckets and objects', async () => {
    const tagging = `<Tagging xmlns="${S3_NS}"><TagSet><Tag><Key>empty</Key><Value></Value></Tag><Tag><Key>full</Key><Value>v</Value></Tag></TagSet></Tagging>`;
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?tagging`, tagging), { status: 204, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?tagging`), { status: 200, xml: tagging });
    await send(rt.endpoint, s3('PUT', `/${B}/tagged`, 'x'));
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/tagged?tagging`, tagging.replace('<Value></Value>', '<Value/>')), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/tagged?tagging`), { status: 200, xml: tagging });
  });
});
