/**
 * Run Command, recorded: SendCommand, ListCommands, ListCommandInvocations,
 * GetCommandInvocation, CancelCommand.
 *
 * No agent runs anything. A command is stored with one invocation per instance and one plugin
 * per step of its document. SendCommand answers as AWS does at that moment (Status `Pending`,
 * nothing completed yet); every later read reports the command finished: Status `Success`,
 * response code 0, empty output, so that the SDKs' CommandExecuted waiter and polling loops
 * finish at once (LocalStack reports `Success` too). Instance ids are not checked against EC2
 * or managed nodes (there are none here): any id the model's pattern accepts is an instance, as
 * in LocalStack; Targets name instances only through the `InstanceIds` key (tags and resource
 * groups select nothing). Parameter values are not checked against allowedValues or patterns.
 * The document must exist (InvalidDocument), and the version asked for
 * too (InvalidDocumentVersion), and Parameters must fit the ones it declares (InvalidParameters).
 */
import { uuid } from '../../aws/ids.js';
import { paginate } from '../../aws/pagination.js';
import type { OperationContext } from '../provider.js';
import type { CommandFilter, SsmApi } from './api.generated.js';
import { checkParameters, pluginsOf } from './document-content.js';
import { documentNotFound, findDocument } from './documents.js';
import { ssmError } from './errors.js';
import { own, put, type Ops, type StoredCommand } from './ops-state.js';
import { invalidNextToken } from './validation.js';

const DEFAULT_EXPIRY_SECONDS = 7200;

function invalidCommandId(): Error {
  return ssmError('InvalidCommandId', 'Invalid command id.');
}

const NOTIFICATION_NONE = { NotificationArn: '', NotificationEvents: [] as string[], NotificationType: '' };
const CLOUDWATCH_NONE = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false };

/** Status after the moment of sending (nothing runs, so everything succeeded at once). */
function statusOf(c: StoredCommand, fresh: boolean): string {
  return fresh ? 'Pending' : c.Status;
}

/** The Command structure, members in the model's order. */
function commandOf(c: StoredCommand, fresh = false): Record<string, unknown> {
  const status = statusOf(c, fresh);
  const done = status === 'Success';
  const out: Record<string, unknown> = {
    CommandId: c.CommandId,
    DocumentName: c.DocumentName,
    DocumentVersion: c.DocumentVersion ?? '',
    Comment: c.Comment ?? '',
    ExpiresAfter: new Date(c.requested + (c.TimeoutSeconds ?? DEFAULT_EXPIRY_SECONDS) * 1000),
    Parameters: structuredClone(c.Parameters),
    InstanceIds: [...c.InstanceIds],
    Targets: structuredClone(c.Targets),
    RequestedDateTime: new Date(c.requested),
    Status: status,
    StatusDetails: status,
  };
  if (c.OutputS3Region !== undefined) out.OutputS3Region = c.OutputS3Region;
  Object.assign(out, {
    OutputS3BucketName: c.OutputS3BucketName ?? '',
    OutputS3KeyPrefix: c.OutputS3KeyPrefix ?? '',
    MaxConcurrency: c.MaxConcurrency,
    MaxErrors: c.MaxErrors,
    TargetCount: c.invocations.length,
    CompletedCount: done ? c.invocations.length : 0,
    ErrorCount: 0,
    DeliveryTimedOutCount: 0,
    ServiceRole: c.ServiceRole ?? '',
    NotificationConfig: { ...NOTIFICATION_NONE, ...structuredClone(c.NotificationConfig ?? {}) },
    CloudWatchOutputConfig: { ...CLOUDWATCH_NONE, ...(c.CloudWatchOutputConfig ?? {}) },
  });
  if (c.TimeoutSeconds !== undefined) out.TimeoutSeconds = c.TimeoutSeconds;
  return out;
}

/** A plugin of an invocation; its OutputS3Region defaults to the command's region, as AWS shows it. */
function pluginOf(c: StoredCommand, name: string, region: string): Record<string, unknown> {
  return {
    Name: name,
    Status: c.Status,
    StatusDetails: c.Status,
    ResponseCode: 0,
    ResponseStartDateTime: new Date(c.requested),
    ResponseFinishDateTime: new Date(c.requested),
    Output: '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    OutputS3Region: c.OutputS3Region ?? region,
    OutputS3BucketName: c.OutputS3BucketName ?? '',
    OutputS3KeyPrefix: c.OutputS3KeyPrefix ?? '',
  };
}

/** The instances a command reaches: its InstanceIds and the `InstanceIds` key of its Targets. */
function instancesOf(instanceIds: readonly string[] | undefined, targets: readonly { Key?: string; Values?: string[] }[] | undefined): string[] {
  const ids = [...(instanceIds ?? [])];
  for (const t of targets ?? []) if (t.Key === 'InstanceIds') ids.push(...(t.Values ?? []));
  return [...new Set(ids)];
}

function matchesFilters(c: StoredCommand, filters: readonly CommandFilter[] | undefined): boolean {
  return (filters ?? []).every(({ key, value }) => {
    if (key === 'InvokedAfter') return c.requested >= Date.parse(value);
    if (key === 'InvokedBefore') return c.requested <= Date.parse(value);
    if (key === 'Status') return c.Status === value;
    if (key === 'DocumentName') return c.DocumentName === value;
    return value === 'Complete';
  });
}

/** The Run Command operations' slice of the operation table. */
export function commandOperations(ops: Ops) {
  function commandOf_(ctx: OperationContext, id: string): StoredCommand {
    const c = own(ops.state(ctx).commands, id);
    if (!c) throw invalidCommandId();
    return c;
  }

  /** Commands newest first, narrowed by CommandId / InstanceId / Filters. */
  function listed(ctx: OperationContext, input: { CommandId?: string; InstanceId?: string; Filters?: CommandFilter[] }): StoredCommand[] {
    const all = input.CommandId !== undefined ? [commandOf_(ctx, input.CommandId)] : Object.values(ops.state(ctx).commands);
    return all
      .filter((c) => (input.InstanceId === undefined || c.InstanceIds.includes(input.InstanceId)) && matchesFilters(c, input.Filters))
      .sort((a, b) => b.seq - a.seq);
  }

  return {
    SendCommand(ctx, input) {
      const document = findDocument(ops, ctx, input.DocumentName);
      if (!document) throw documentNotFound();
      const requested = input.DocumentVersion;
      const number = requested === undefined || requested === '$DEFAULT' ? String(document.default) : requested === '$LATEST' ? String(document.latest) : requested;
      if (!own(document.versions, number)) throw ssmError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
      checkParameters(document, number, input.Parameters);
      const plugins = pluginsOf(document, number);
      const state = ops.state(ctx);
      state.commandSeq += 1;
      const command: StoredCommand = {
        CommandId: uuid(),
        seq: state.commandSeq,
        DocumentName: input.DocumentName,
        Parameters: structuredClone(input.Parameters ?? {}),
        InstanceIds: instancesOf(input.InstanceIds, undefined),
        Targets: structuredClone(input.Targets ?? []),
        requested: Date.now(),
        MaxConcurrency: input.MaxConcurrency ?? '50',
        MaxErrors: input.MaxErrors ?? '0',
        Status: 'Success',
        invocations: instancesOf(input.InstanceIds, input.Targets).map((InstanceId) => ({ InstanceId, plugins })),
      };
      for (const m of ['DocumentVersion', 'Comment', 'TimeoutSeconds', 'OutputS3Region', 'OutputS3BucketName', 'OutputS3KeyPrefix'] as const) {
        if (input[m] !== undefined) (command as unknown as Record<string, unknown>)[m] = input[m];
      }
      if (input.ServiceRoleArn !== undefined) command.ServiceRole = input.ServiceRoleArn;
      if (input.NotificationConfig !== undefined) command.NotificationConfig = structuredClone(input.NotificationConfig);
      if (input.CloudWatchOutputConfig !== undefined) command.CloudWatchOutputConfig = { ...input.CloudWatchOutputConfig };
      put(state.commands, command.CommandId, command);
      ops.changed(ctx, 'commands', command.CommandId);
      ops.changed(ctx, 'commandSeq');
      return { Command: commandOf(command, true) };
    },

    ListCommands(ctx, input) {
      const commands = listed(ctx, input);
      const { page, nextToken } = paginate(commands, { scope: `ListCommands:${JSON.stringify([input.CommandId, input.InstanceId, input.Filters])}`, key: (c) => -c.seq, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      return { Commands: page.map((c) => commandOf(c)), NextToken: nextToken };
    },

    ListCommandInvocations(ctx, input) {
      const rows: Array<{ c: StoredCommand; instance: string; plugins: string[]; key: string }> = [];
      for (const c of listed(ctx, input)) {
        for (const inv of c.invocations) {
          if (input.InstanceId === undefined || inv.InstanceId === input.InstanceId) rows.push({ c, instance: inv.InstanceId, plugins: inv.plugins, key: `${String(1e12 - c.seq).padStart(13, '0')}:${inv.InstanceId}` });
        }
      }
      const { page, nextToken } = paginate(rows, { scope: `ListCommandInvocations:${JSON.stringify([input.CommandId, input.InstanceId, input.Filters, input.Details])}`, key: (r) => r.key, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      return {
        CommandInvocations: page.map(({ c, instance, plugins }) => {
          const out: Record<string, unknown> = {
            CommandId: c.CommandId,
            InstanceId: instance,
            InstanceName: '',
            Comment: c.Comment ?? '',
            DocumentName: c.DocumentName,
            DocumentVersion: c.DocumentVersion ?? '',
            RequestedDateTime: new Date(c.requested),
            Status: c.Status,
            StatusDetails: c.Status,
            TraceOutput: '',
            StandardOutputUrl: '',
            StandardErrorUrl: '',
          };
          out.CommandPlugins = input.Details === true ? plugins.map((p) => pluginOf(c, p, ctx.region)) : [];
          Object.assign(out, {
            ServiceRole: c.ServiceRole ?? '',
            NotificationConfig: { ...NOTIFICATION_NONE, ...structuredClone(c.NotificationConfig ?? {}) },
            CloudWatchOutputConfig: { ...CLOUDWATCH_NONE, ...(c.CloudWatchOutputConfig ?? {}) },
          });
          return out;
        }),
        NextToken: nextToken,
      };
    },

    GetCommandInvocation(ctx, input) {
      const c = commandOf_(ctx, input.CommandId);
      const inv = c.invocations.find((i) => i.InstanceId === input.InstanceId);
      if (!inv) {
        throw ssmError('InvocationDoesNotExist', "The command id and instance id you specified didn't match any invocations. Verify the command id and the instance id and try again.");
      }
      if (input.PluginName !== undefined && !inv.plugins.includes(input.PluginName)) {
        throw ssmError('InvalidPluginName', 'The plugin name isn\'t valid.');
      }
      const at = new Date(c.requested).toISOString();
      return {
        CommandId: c.CommandId,
        InstanceId: inv.InstanceId,
        Comment: c.Comment ?? '',
        DocumentName: c.DocumentName,
        DocumentVersion: c.DocumentVersion ?? '',
        PluginName: input.PluginName ?? inv.plugins[0] ?? '',
        ResponseCode: 0,
        ExecutionStartDateTime: at,
        ExecutionElapsedTime: 'PT0S',
        ExecutionEndDateTime: at,
        Status: c.Status,
        StatusDetails: c.Status,
        StandardOutputContent: '',
        StandardOutputUrl: '',
        StandardErrorContent: '',
        StandardErrorUrl: '',
        CloudWatchOutputConfig: { ...CLOUDWATCH_NONE, ...(c.CloudWatchOutputConfig ?? {}) },
      };
    },

    CancelCommand(ctx, input) {
      const c = commandOf_(ctx, input.CommandId);
      for (const id of input.InstanceIds ?? []) {
        if (!c.InstanceIds.includes(id) && !c.invocations.some((i) => i.InstanceId === id)) throw ssmError('InvalidInstanceId', `Instance ${id} is not part of command ${c.CommandId}.`);
      }
      // every command finished when it was sent: cancelling a finished command changes nothing
      return {};
    },
  } satisfies Partial<SsmApi>;
}
