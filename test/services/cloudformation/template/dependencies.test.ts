/**
 * Dependencies and order: DependsOn plus every Ref / GetAtt / Sub reference to a resource, the
 * branch of Fn::If not taken adding none; each resource after what it depends on, independent
 * ones in template order; cycles and references to nothing refused with AWS's messages.
 */
import { describe, expect, it } from 'vitest';
import { failure, prepare } from './support.js';

const plan = async (body: string, parameters: Record<string, string> = {}) => {
  const prepared = await prepare(body, parameters);
  return [...prepared.resources.values()].map((resource) => [resource.logicalId, [...resource.dependsOn]]);
};

describe('dependencies', () => {
  it('DependsOn, Ref, GetAtt and Sub references, in an order that respects them', async () => {
    const body = `Resources:
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Endpoint: !GetAtt Queue.Arn
  Policy:
    Type: AWS::SQS::QueuePolicy
    DependsOn: Subscription
    Properties:
      Queues: [!Sub "\${Queue}"]
      Document: !Sub "arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:\${Topic.TopicName}"
  Topic: {Type: AWS::SNS::Topic}
  Queue: {Type: AWS::SQS::Queue}
  Parameter: {Type: AWS::SSM::Parameter, Properties: {Value: !Join ["", [!Ref Queue]]}}
`;
    expect(await plan(body)).toEqual([
      ['Topic', []],
      ['Queue', []],
      ['Subscription', ['Topic', 'Queue']],
      ['Parameter', ['Queue']],
      ['Policy', ['Subscription', 'Queue', 'Topic']],
    ]);
  });

  it('the branch of Fn::If not taken adds no dependency, and may name a resource not created', async () => {
    const body = `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  ProdBucket: {Type: AWS::S3::Bucket, Condition: IsProd}
  Other: {Type: AWS::S3::Bucket}
  R:
    Type: AWS::SQS::Queue
    Properties:
      P: !If [IsProd, !GetAtt ProdBucket.Arn, !Ref Other]
`;
    expect(await plan(body, { Env: 'dev' })).toEqual([['Other', []], ['R', ['Other']]]);
    expect(await plan(body, { Env: 'prod' })).toEqual([['ProdBucket', []], ['Other', []], ['R', ['ProdBucket']]]);
  });

  it('a DependsOn naming a resource whose condition is false', async () => {
    const body = `Conditions:
  Never: !Equals [a, b]
Resources:
  Skipped: {Type: AWS::S3::Bucket, Condition: Never}
  R: {Type: AWS::S3::Bucket, DependsOn: Skipped}
`;
    expect(await failure(() => prepare(body))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Unresolved resource dependencies [Skipped] in the Resources block of the template',
    });
  });

  it('circular dependencies name the resources in the cycle (not those only waiting on it)', async () => {
    const body = `Resources:
  A: {Type: AWS::S3::Bucket, Properties: {P: !Ref B}}
  B: {Type: AWS::S3::Bucket, Properties: {P: !GetAtt C.Arn}}
  C: {Type: AWS::S3::Bucket, DependsOn: A}
  D: {Type: AWS::S3::Bucket, Properties: {P: !Ref A}}
  E: {Type: AWS::S3::Bucket}
`;
    expect(await failure(() => prepare(body))).toEqual({ code: 'ValidationError', message: 'Circular dependency between resources: [A, B, C]' });
    const self = 'Resources:\n  A: {Type: AWS::S3::Bucket, Properties: {P: !Sub "${A.Arn}"}}\n';
    expect(await failure(() => prepare(self))).toEqual({ code: 'ValidationError', message: 'Circular dependency between resources: [A]' });
  });

  it('deletion and update-replace policies, with a Ref or Fn::If', async () => {
    const body = `Parameters:
  Keep: {Type: String, Default: Retain}
Conditions:
  Never: !Equals [a, b]
Resources:
  A: {Type: AWS::S3::Bucket}
  B: {Type: AWS::S3::Bucket, DeletionPolicy: Retain, UpdateReplacePolicy: Snapshot}
  C: {Type: AWS::S3::Bucket, DeletionPolicy: !Ref Keep, UpdateReplacePolicy: !If [Never, Retain, Delete]}
  D: {Type: AWS::S3::Bucket, DeletionPolicy: RetainExceptOnCreate, Metadata: {"aws:cdk:path": demo/D}}
`;
    const prepared = await prepare(body);
    const policies = [...prepared.resources.values()].map((r) => [r.logicalId, r.deletionPolicy, r.updateReplacePolicy, r.metadata]);
    expect(policies).toEqual([
      ['A', 'Delete', 'Delete', undefined],
      ['B', 'Retain', 'Snapshot', undefined],
      ['C', 'Retain', 'Delete', undefined],
      ['D', 'Retain', 'Delete', { 'aws:cdk:path': 'demo/D' }],
    ]);
    expect((await failure(() => prepare(body.replace('DeletionPolicy: Retain,', 'DeletionPolicy: Keep,'))))?.message).toBe(
      'Template format error: Unrecognized DeletionPolicy Keep for resource B',
    );
  });
});
