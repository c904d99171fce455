/**
 * CloudFormation's state across a restart (PERSISTENCE=1, one volume, two runtimes in this
 * process, one after the other, on the stand-in template language of harness.ts): a created
 * stack reads back whole (status, outputs, resources, events, exports, change sets); a stack
 * whose deployment the restart cut short is settled to the failed status AWS would leave.
 */
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResourceType } from '../../../runtime/services/cloudformation/resources/resource-type.js';
import { resourceType } from '../../../runtime/services/cloudformation/resources/index.js';
import { clientConfig, startInProcess } from '../../support/runtime.js';
import { registry, template } from './harness.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-cfn-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));
const env = { PERSISTENCE: '1', LOCALSTACK_VOLUME_DIR: volume };

/** A type whose creation never finishes: the runtime stops in the middle of it. */
const STUCK: ResourceType = {
  type: 'AWS::SSM::Stuck',
  create: () => new Promise(() => undefined),
  delete: async () => undefined,
};

/** A type created at once whose update never finishes. */
const STUCK_ON_UPDATE: ResourceType = {
  type: 'AWS::SSM::StuckOnUpdate',
  create: async (ctx) => ({ physicalId: ctx.physicalName(), attributes: {} }),
  update: () => new Promise(() => undefined),
  delete: async () => undefined,
};

const body = template(
  { P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/persist/p', Type: 'String', Value: 'kept' } } },
  { Outputs: { Out: { Value: { Ref: 'P' }, Export: { Name: 'persist-out' } } } },
);

describe('cloudformation with PERSISTENCE=1', () => {
  it('reads a created stack back after a restart, and settles one the restart cut short', async () => {
    const first = await startInProcess(registry({ resourceType: async (type) => (type === STUCK.type ? STUCK : type === STUCK_ON_UPDATE.type ? STUCK_ON_UPDATE : resourceType(type)) }), { env });
    const endpoint1 = `http://127.0.0.1:${first.addresses[0]!.port}`;
    const cfn1 = new CloudFormationClient({ ...clientConfig(endpoint1), maxAttempts: 1 });
    const { StackId } = await cfn1.send(new CreateStackCommand({ StackName: 'kept', TemplateBody: body, Tags: [{ Key: 'k', Value: 'v' }] }));
    await waitUntilStackCreateComplete({ client: cfn1, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'kept' });
    const { Id } = await cfn1.send(new CreateChangeSetCommand({ StackName: 'kept', ChangeSetName: 'pending', TemplateBody: template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/persist/p', Type: 'String', Value: 'changed' } } }) }));
    const before = {
      stack: (await cfn1.send(new DescribeStacksCommand({ StackName: 'kept' }))).Stacks,
      resources: (await cfn1.send(new DescribeStackResourcesCommand({ StackName: 'kept' }))).StackResources,
      events: (await cfn1.send(new DescribeStackEventsCommand({ StackName: 'kept' }))).StackEvents,
      exports: (await cfn1.send(new ListExportsCommand({}))).Exports,
      changeSet: await cfn1.send(new DescribeChangeSetCommand({ ChangeSetName: Id })),
    };
    await cfn1.send(new CreateStackCommand({ StackName: 'cut-update', TemplateBody: template({ U: { Type: 'AWS::SSM::StuckOnUpdate', Properties: { V: 1 } } }) }));
    await waitUntilStackCreateComplete({ client: cfn1, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'cut-update' });
    await cfn1.send(new UpdateStackCommand({ StackName: 'cut-update', TemplateBody: template({ U: { Type: 'AWS::SSM::StuckOnUpdate', Properties: { V: 2 } } }) }));
    await cfn1.send(new CreateStackCommand({ StackName: 'cut', TemplateBody: template({ S: { Type: 'AWS::SSM::Stuck' } }) }));
    // the stuck resource has started: the stack is in progress when the runtime stops
    for (;;) {
      const events = (await cfn1.send(new DescribeStackEventsCommand({ StackName: 'cut' }))).StackEvents!;
      if (events.some((e) => e.LogicalResourceId === 'S')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.stop();

    const second = await startInProcess(registry(), { env });
    try {
      const endpoint2 = `http://127.0.0.1:${second.addresses[0]!.port}`;
      const cfn2 = new CloudFormationClient({ ...clientConfig(endpoint2), maxAttempts: 1 });
      expect((await cfn2.send(new DescribeStacksCommand({ StackName: 'kept' }))).Stacks).toEqual(before.stack);
      expect((await cfn2.send(new DescribeStackResourcesCommand({ StackName: StackId }))).StackResources).toEqual(before.resources);
      expect((await cfn2.send(new DescribeStackEventsCommand({ StackName: 'kept' }))).StackEvents).toEqual(before.events);
      expect((await cfn2.send(new ListExportsCommand({}))).Exports).toEqual(before.exports);
      const { $metadata: _m1, ...changeSetBefore } = before.changeSet;
      const { $metadata: _m2, ...changeSetAfter } = await cfn2.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
      expect(changeSetAfter).toEqual(changeSetBefore);
      const ssm = new SSMClient({ ...clientConfig(endpoint2), maxAttempts: 1 });
      expect((await ssm.send(new GetParameterCommand({ Name: '/persist/p' }))).Parameter?.Value).toBe('kept');

      const cut = (await cfn2.send(new DescribeStacksCommand({ StackName: 'cut' }))).Stacks![0]!;
      expect(cut).toMatchObject({ StackStatus: 'CREATE_FAILED', StackStatusReason: 'The deployment stopped when the runtime stopped; it did not finish.' });
      const resources = (await cfn2.send(new DescribeStackResourcesCommand({ StackName: 'cut' }))).StackResources!;
      expect(resources).toMatchObject([{ LogicalResourceId: 'S', ResourceStatus: 'CREATE_FAILED' }]);
      // an update cut short: UPDATE_ROLLBACK_FAILED, which ContinueUpdateRollback settles
      expect((await cfn2.send(new DescribeStacksCommand({ StackName: 'cut-update' }))).Stacks![0]!.StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
      await cfn2.send(new ContinueUpdateRollbackCommand({ StackName: 'cut-update' }));
      expect((await cfn2.send(new DescribeStacksCommand({ StackName: 'cut-update' }))).Stacks![0]!.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    } finally {
      await second.stop();
    }
  });
});
