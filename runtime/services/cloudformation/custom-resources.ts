/**
 * Custom resources (`AWS::CloudFormation::CustomResource`, `Custom::*`), backed by an SNS topic
 * as their ServiceToken (a Lambda function's ARN is called the same way once Lambda exists):
 * each create, update and delete publishes CloudFormation's request document to the topic and
 * waits for the handler's answer at the request's ResponseURL, which this provider serves as a
 * developer endpoint (AWS hands out a pre-signed S3 URL instead; handlers only PUT to it):
 *
 *   PUT /_aws/cloudformation/custom-resource-responses/<token>
 *       {"Status":"SUCCESS"|"FAILED","Reason","PhysicalResourceId","Data":{...},...}
 *
 * SUCCESS gives the resource its physical id and its attributes (Fn::GetAtt reads Data);
 * FAILED fails it with AWS's "Received response status [FAILED] from custom resource" reason.
 * An answer that never comes fails the resource after ServiceTimeout seconds (3600, as AWS).
 * The waiting requests are derived data of running deployments (a restart settles those).
 */
import { randomToken, uuid } from '../../aws/ids.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import type { Scheduler } from '../../scheduler.js';
import { ServiceError } from '../../aws/errors.js';
import type { DeveloperAnswer } from '../provider.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resources/resource-type.js';
import { ResourceFailure } from './apply.js';

/** The developer endpoint's path under /_aws/cloudformation. */
export const RESPONSES_PATH = '/custom-resource-responses/';

/** A handler's answer. */
interface CustomResponse {
  readonly Status?: string;
  readonly Reason?: string;
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, PropertyValue>;
}

/** The requests waiting for their answer, by token. */
export class CustomResponses {
  private readonly pending = new Map<string, (response: CustomResponse) => void>();

  constructor(private readonly scheduler: Scheduler) {}

  /** Waits for the answer to `token`; a timeout answers FAILED with AWS's reason. */
  wait(token: string, requestId: string, timeoutMs: number): Promise<CustomResponse> {
    return new Promise((resolve) => {
      const timer = this.scheduler.after(timeoutMs, () => {
        this.pending.delete(token);
        resolve({ Status: 'FAILED', Reason: `CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${requestId}].` });
      });
      this.pending.set(token, (response) => {
        timer.cancel();
        this.pending.delete(token);
        resolve(response);
      });
    });
  }

  /** Delivers an answer; false when nothing waits for that token. */
  answer(token: string, response: CustomResponse): boolean {
    const waiting = this.pending.get(token);
    if (!waiting) return false;
    waiting(response);
    return true;
  }
}

/** The developer endpoint handlers PUT their answers to. */
export function customResponseEndpoint(responses: CustomResponses) {
  return (ctx: RequestContext, res: GatewayResponse, path: string): DeveloperAnswer => {
    if (!path.startsWith(RESPONSES_PATH)) return undefined;
    const token = decodeURIComponent(path.slice(RESPONSES_PATH.length));
    let response: CustomResponse;
    try {
      response = JSON.parse(ctx.body.toString('utf8') || '{}') as CustomResponse;
    } catch {
      res.json(400, { error: 'the body is not a JSON document' });
      return 'answered';
    }
    if (!responses.answer(token, response)) {
      res.json(404, { error: 'no custom resource request waits for this response' });
      return 'answered';
    }
    res.send(200, undefined, '');
    return 'answered';
  };
}

/** Properties as CloudFormation sends them to a custom resource: scalars as strings. */
function asSent(value: PropertyValue): PropertyValue {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(asSent);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asSent(v)]));
  return String(value);
}

/** How custom resource types reach the provider: the waiting requests and the URL answers go to. */
export interface CustomResourceDeps {
  readonly responses: CustomResponses;
  /** The ResponseURL of a token. */
  readonly responseUrl: (token: string) => string;
}

async function request(deps: CustomResourceDeps, ctx: ResourceContext, type: string, kind: 'Create' | 'Update' | 'Delete', properties: Record<string, PropertyValue>, extra: Record<string, PropertyValue>): Promise<CustomResponse> {
  const serviceToken = properties['ServiceToken'];
  if (typeof serviceToken !== 'string') throw new ServiceError('ValidationError', 'ServiceToken is required for a custom resource');
  const token = randomToken(24);
  const requestId = uuid();
  const document = {
    RequestType: kind,
    ServiceToken: serviceToken,
    ResponseURL: deps.responseUrl(token),
    StackId: ctx.stackId,
    RequestId: requestId,
    LogicalResourceId: ctx.logicalId,
    ResourceType: type,
    ...extra,
    ResourceProperties: asSent(properties),
  };
  const seconds = Number(properties['ServiceTimeout'] ?? 3600);
  const answer = deps.responses.wait(token, requestId, (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000);
  if (serviceToken.startsWith('arn:aws:lambda:') || serviceToken.includes(':lambda:')) {
    await ctx.call('lambda', 'Invoke', { FunctionName: serviceToken, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(document)) });
  } else {
    await ctx.call('sns', 'Publish', { TopicArn: serviceToken, Message: JSON.stringify(document) });
  }
  const response = await answer;
  if (response.Status !== 'SUCCESS') {
    throw new ResourceFailure(`Received response status [${response.Status ?? 'FAILED'}] from custom resource. Message returned: ${response.Reason ?? 'See the details in CloudWatch Log Stream'} (RequestId: ${requestId})`);
  }
  return response;
}

function stateOf(ctx: ResourceContext, response: CustomResponse, fallback?: string): ResourceState {
  return { physicalId: response.PhysicalResourceId ?? fallback ?? `${ctx.stackName}-${ctx.logicalId}`, attributes: { ...(response.Data ?? {}) } };
}

/** The resource type of a custom resource named `type`. */
export function customResourceType(type: string, deps: CustomResourceDeps): ResourceType {
  return {
    type,
    required: ['ServiceToken'],
    async create(ctx, properties) {
      return stateOf(ctx, await request(deps, ctx, type, 'Create', properties, {}));
    },
    async update(ctx, current, properties, previous) {
      const response = await request(deps, ctx, type, 'Update', properties, { PhysicalResourceId: current.physicalId, OldResourceProperties: asSent(previous) });
      return stateOf(ctx, response, current.physicalId);
    },
    async delete(ctx, current, properties) {
      await request(deps, ctx, type, 'Delete', properties, { PhysicalResourceId: current.physicalId });
    },
  };
}
