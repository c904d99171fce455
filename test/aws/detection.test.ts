import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseCredentialScope } from '../../runtime/aws/credentials.js';
import { detectService } from '../../runtime/aws/detection.js';
import { RequestContext } from '../../runtime/request-context.js';

interface Req {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
}

function detect({ method = 'POST', url = '/', headers = {}, body }: Req): string | undefined {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ctx = new RequestContext({ method, url, headers: lower } as unknown as IncomingMessage);
  if (body !== undefined) ctx.body = Buffer.from(body);
  ctx.signingName = parseCredentialScope(ctx.headers, () => ctx.query, ctx.rawQuery)?.service;
  return detectService(ctx);
}

const sig = (service: string, region = 'us-east-1') =>
  `AWS4-HMAC-SHA256 Credential=test/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('rule 1: signing name', () => {
  it('a unique signing name decides', () => {
    expect(detect({ headers: { Authorization: sig('sts') } })).toBe('sts');
    expect(detect({ headers: { Authorization: sig('monitoring') } })).toBe('cloudwatch');
    expect(detect({ headers: { Authorization: sig('ssm') } })).toBe('ssm');
  });

  it('presigned URLs carry it in X-Amz-Credential', () => {
    expect(detect({ method: 'GET', url: '/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fs3%2Faws4_request' })).toBe('s3');
  });

  it('dynamodb and dynamodbstreams are split by X-Amz-Target', () => {
    expect(detect({ headers: { Authorization: sig('dynamodb'), 'X-Amz-Target': 'DynamoDB_20120810.GetItem' } })).toBe('dynamodb');
    expect(detect({ headers: { Authorization: sig('dynamodb'), 'X-Amz-Target': 'DynamoDBStreams_20120810.GetRecords' } })).toBe('dynamodbstreams');
  });

  it('apigateway and apigatewayv2 are split by /v2', () => {
    expect(detect({ method: 'GET', url: '/restapis', headers: { Authorization: sig('apigateway') } })).toBe('apigateway');
    expect(detect({ method: 'GET', url: '/v2/apis', headers: { Authorization: sig('apigateway') } })).toBe('apigatewayv2');
  });

  it('ses and sesv2 are split by /v2', () => {
    expect(detect({ headers: { Authorization: sig('ses'), ...FORM }, body: 'Action=SendEmail&Version=2010-12-01' })).toBe('ses');
    expect(detect({ method: 'POST', url: '/v2/email/outbound-emails', headers: { Authorization: sig('ses') } })).toBe('sesv2');
  });

  it('s3 and s3control are split by /v20180820', () => {
    expect(detect({ method: 'GET', url: '/bucket/key', headers: { Authorization: sig('s3') } })).toBe('s3');
    expect(detect({ method: 'GET', url: '/v20180820/configuration/publicAccessBlock', headers: { Authorization: sig('s3') } })).toBe('s3control');
  });

  it('es and opensearch are split by the path version', () => {
    expect(detect({ method: 'GET', url: '/2015-01-01/es/domain', headers: { Authorization: sig('es') } })).toBe('es');
    expect(detect({ method: 'GET', url: '/2021-01-01/opensearch/domain', headers: { Authorization: sig('es') } })).toBe('opensearch');
  });

  it('execute-api /@connections is the API Gateway management API', () => {
    expect(detect({ method: 'POST', url: '/@connections/abc', headers: { Authorization: sig('execute-api') } })).toBe('apigatewaymanagementapi');
  });

  it('elb and elbv2 are split by Version; rds, docdb and neptune route to rds', () => {
    const auth = { Authorization: sig('elasticloadbalancing'), ...FORM };
    expect(detect({ headers: auth, body: 'Action=DescribeLoadBalancers&Version=2012-06-01' })).toBe('elb');
    expect(detect({ headers: auth, body: 'Action=DescribeLoadBalancers&Version=2015-12-01' })).toBe('elbv2');
    expect(detect({ headers: { Authorization: sig('rds'), ...FORM }, body: 'Action=DescribeDBClusters&Version=2014-10-31' })).toBe('rds');
  });
});

describe('rule 2: X-Amz-Target and rpc-v2-cbor paths', () => {
  it('the target prefix names the service', () => {
    expect(detect({ headers: { 'X-Amz-Target': 'AmazonSSM.GetParameter' } })).toBe('ssm');
    expect(detect({ headers: { 'X-Amz-Target': 'AmazonSQS.SendMessage' } })).toBe('sqs');
    expect(detect({ headers: { 'X-Amz-Target': 'Logs_20140328.PutLogEvents' } })).toBe('logs');
  });

  it('services sharing a prefix are told apart by the operation', () => {
    expect(detect({ headers: { 'X-Amz-Target': 'Timestream_20181101.WriteRecords' } })).toBe('timestream-write');
    expect(detect({ headers: { 'X-Amz-Target': 'Timestream_20181101.Query' } })).toBe('timestream-query');
    expect(detect({ headers: { 'X-Amz-Target': 'AWSEvents.PutEvents' } })).toBe('events');
  });

  it('target prefixes with dots keep them', () => {
    expect(detect({ headers: { 'X-Amz-Target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails' } })).toBe('cloudtrail');
  });

  it('the rpc-v2-cbor path names the service', () => {
    expect(detect({ url: '/service/GraniteServiceVersion20100801/operation/GetMetricData', headers: { 'Smithy-Protocol': 'rpc-v2-cbor' } })).toBe('cloudwatch');
  });
});

describe('rule 3: path rules', () => {
  it('SQS queue URLs', () => {
    expect(detect({ url: '/000000000000/my-queue', headers: FORM, body: 'Action=SendMessage&MessageBody=x' })).toBe('sqs');
  });

  it('Lambda function paths', () => {
    expect(detect({ method: 'GET', url: '/2015-03-31/functions/' })).toBe('lambda');
  });
});

describe('rule 4: host', () => {
  it('<endpointPrefix>. names the service', () => {
    expect(detect({ headers: { Host: 'sqs.us-east-1.localhost.localstack.cloud:4566' }, url: '/' })).toBe('sqs');
    expect(detect({ headers: { Host: 'streams.dynamodb.us-east-1.localhost.localstack.cloud:4566' } })).toBe('dynamodbstreams');
  });

  it('lambda URLs, execute-api, S3 websites and virtual-host buckets', () => {
    expect(detect({ headers: { Host: 'abc.lambda-url.us-east-1.localhost.localstack.cloud:4566' } })).toBe('lambda');
    expect(detect({ headers: { Host: 'abc.execute-api.localhost.localstack.cloud:4566' } })).toBe('apigateway');
    expect(detect({ method: 'GET', url: '/', headers: { Host: 'site.s3-website.localhost.localstack.cloud:4566' } })).toBe('s3');
    expect(detect({ method: 'GET', url: '/', headers: { Host: 'bucket.s3.localhost.localstack.cloud:4566' } })).toBe('s3');
  });

  it('endpoint host prefixes (hostPrefix) in front of the gateway host do not mislead', () => {
    // Logs StartLiveTail is sent to `streaming-<endpoint host>`, S3 Control to `<account>.<endpoint host>`
    const logs = { Authorization: sig('logs'), 'X-Amz-Target': 'Logs_20140328.StartLiveTail', Host: 'streaming-localhost.localstack.cloud:4566' };
    expect(detect({ headers: logs })).toBe('logs');
    const control = { Authorization: sig('s3'), Host: '111122223333.localhost.localstack.cloud:4566', 'x-amz-account-id': '111122223333' };
    expect(detect({ method: 'GET', url: '/v20180820/configuration/publicAccessBlock', headers: control })).toBe('s3control');
  });

  it('plain localhost names nothing', () => {
    expect(detect({ method: 'POST', url: '/', headers: { Host: 'localhost:4566' } })).toBeUndefined();
  });
});

describe('rule 5: query Action', () => {
  it('in the form body', () => {
    expect(detect({ headers: FORM, body: 'Action=GetCallerIdentity&Version=2011-06-15' })).toBe('sts');
    expect(detect({ headers: FORM, body: 'Action=DescribeVpcs&Version=2016-11-15' })).toBe('ec2');
  });

  it('in the query string', () => {
    expect(detect({ method: 'GET', url: '/?Action=ListUsers&Version=2010-05-08' })).toBe('iam');
  });

  it('Version tells services with the same action apart', () => {
    expect(detect({ headers: FORM, body: 'Action=DescribeLoadBalancers&Version=2015-12-01' })).toBe('elbv2');
    expect(detect({ headers: FORM, body: 'Action=DescribeLoadBalancers&Version=2012-06-01' })).toBe('elb');
  });
});

describe('rule 6: S3 fallbacks', () => {
  it('GET/HEAD on an object path, PUT /bucket', () => {
    expect(detect({ method: 'GET', url: '/bucket/key.txt' })).toBe('s3');
    expect(detect({ method: 'HEAD', url: '/bucket' })).toBe('s3');
    expect(detect({ method: 'PUT', url: '/bucket' })).toBe('s3');
  });

  it('POST ?delete, SigV2, presigned SigV2, aws-cli user agent', () => {
    expect(detect({ method: 'POST', url: '/bucket?delete' })).toBe('s3');
    expect(detect({ method: 'GET', url: '/', headers: { Authorization: 'AWS test:c2lnbmF0dXJl' } })).toBe('s3');
    expect(detect({ method: 'GET', url: '/b/k?AWSAccessKeyId=test&Signature=x&Expires=1' })).toBe('s3');
    expect(detect({ method: 'GET', url: '/', headers: { 'User-Agent': 'aws-cli/2.9.19 Python/3.11' } })).toBe('s3');
  });

  it('a bare POST / with nothing to go by is not guessed', () => {
    expect(detect({ method: 'POST', url: '/' })).toBeUndefined();
  });
});

describe('order of the rules', () => {
  it('the signing name wins over the host and the Action', () => {
    expect(detect({ headers: { Authorization: sig('sts'), Host: 'sqs.localhost.localstack.cloud', ...FORM }, body: 'Action=ListQueues' })).toBe('sts');
  });

  it('the target wins over the host', () => {
    expect(detect({ headers: { 'X-Amz-Target': 'AmazonSSM.GetParameter', Host: 'sqs.localhost.localstack.cloud' } })).toBe('ssm');
  });
});
