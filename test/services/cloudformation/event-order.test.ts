/**
 * A stack's events have strictly increasing timestamps, so that an order by Timestamp alone is
 * the order they happened in: the CDK CLI sorts the newest-first pages of DescribeStackEvents
 * by Timestamp (stably) before printing them, and a deployment here makes many events in one
 * millisecond. On the stand-in template language (harness.ts), in a runtime in this process.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

describe('stack events', () => {
  it('newest first, each strictly later than the one before it', async () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 10; i++) resources[`P${i}`] = { Type: 'AWS::SSM::Parameter', Properties: { Name: `/order/p${i}`, Type: 'String', Value: 'v' } };
    await cfn.send(new CreateStackCommand({ StackName: 'order', TemplateBody: template(resources) }));
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'order' }))).StackEvents!;
    expect(events[0]).toMatchObject({ LogicalResourceId: 'order', ResourceStatus: 'CREATE_COMPLETE' });
    expect(events.at(-1)).toMatchObject({ LogicalResourceId: 'order', ResourceStatus: 'CREATE_IN_PROGRESS' });
    const times = events.map((e) => e.Timestamp!.getTime());
    for (let i = 1; i < times.length; i++) expect(times[i - 1]!).toBeGreaterThan(times[i]!);
    // sorted by Timestamp as the CDK sorts them: each resource's IN_PROGRESS before its COMPLETE
    const sorted = [...events].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    for (let i = 0; i < 10; i++) {
      const mine = sorted.filter((e) => e.LogicalResourceId === `P${i}`).map((e) => e.ResourceStatus);
      expect(mine.at(-1)).toBe('CREATE_COMPLETE');
      expect(mine.slice(0, -1).every((s) => s === 'CREATE_IN_PROGRESS')).toBe(true);
    }
  });
});
