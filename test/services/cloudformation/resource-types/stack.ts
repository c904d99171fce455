/**
 * What the resource types' stack tests share: a stack created, updated and deleted through
 * @aws-sdk/client-cloudformation against a real runtime process (dist/runtime/main.js with the
 * real template language), waiting until it settles; a stack that fails reports its events'
 * reasons in the thrown error, so a test shows why.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Output,
  type Stack,
} from '@aws-sdk/client-cloudformation';

/** The stack once no operation runs on it any more. */
export async function settled(cfn: CloudFormationClient, name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The failure reasons of a stack's events, newest first. */
export async function failureReasons(cfn: CloudFormationClient, name: string): Promise<string[]> {
  const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents ?? [];
  return events.filter((e) => e.ResourceStatus?.endsWith('_FAILED')).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
}

/** The stack's outputs by key. */
export function outputs(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((o: Output) => [o.OutputKey!, o.OutputValue!]));
}

async function expectStatus(cfn: CloudFormationClient, name: string, status: string): Promise<Stack> {
  const stack = await settled(cfn, name);
  if (stack.StackStatus !== status) throw new Error(`${name}: ${stack.StackStatus} (${stack.StackStatusReason ?? ''})\n${(await failureReasons(cfn, name)).join('\n')}`);
  return stack;
}

/** Creates the stack and waits for CREATE_COMPLETE; returns its outputs. */
export async function createStack(cfn: CloudFormationClient, name: string, template: object, parameters: Record<string, string> = {}): Promise<Record<string, string>> {
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  );
  return outputs(await expectStatus(cfn, name, 'CREATE_COMPLETE'));
}

/** Updates the stack and waits for UPDATE_COMPLETE; returns its outputs. */
export async function updateStack(cfn: CloudFormationClient, name: string, template: object): Promise<Record<string, string>> {
  await cfn.send(new UpdateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }));
  return outputs(await expectStatus(cfn, name, 'UPDATE_COMPLETE'));
}

/** Deletes the stack and waits for DELETE_COMPLETE. */
export async function deleteStack(cfn: CloudFormationClient, name: string): Promise<void> {
  const { StackId } = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
  await cfn.send(new DeleteStackCommand({ StackName: name }));
  await expectStatus(cfn, StackId!, 'DELETE_COMPLETE');
}

/** Creates a stack that must fail; returns the stack once settled and its failure reasons. */
export async function failingStack(cfn: CloudFormationClient, name: string, template: object): Promise<{ stack: Stack; reasons: string[] }> {
  await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_NAMED_IAM'] }));
  const stack = await settled(cfn, name);
  return { stack, reasons: await failureReasons(cfn, name) };
}
