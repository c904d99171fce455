/**
 * What a CloudFormation resource type is here: a small typed object per type (`AWS::SQS::Queue`)
 * that creates, updates and deletes one resource by calling the owning service's operations
 * through the in-process client, never by touching its state. The engine (the stack's
 * dependency order, rollback, events, Ref and GetAtt) is the same for every type; a type says
 * only what is particular to it, in CloudFormation's own terms (the resource schemas of the
 * CloudFormation registry: `required`, `createOnlyProperties`, attributes):
 *
 *   export const queue: ResourceType<QueueProperties> = {
 *     type: 'AWS::SQS::Queue',
 *     createOnly: ['QueueName', 'FifoQueue'],
 *     attributes: ['Arn', 'QueueName', 'QueueUrl'],
 *     async create(ctx, props) {
 *       const name = props.QueueName ?? ctx.physicalName({ max: 80, suffix: props.FifoQueue ? '.fifo' : '' });
 *       const { QueueUrl } = await ctx.call('sqs', 'CreateQueue', { QueueName: name, ... });
 *       return { physicalId: QueueUrl!, attributes: { Arn: ..., QueueName: name, QueueUrl } };
 *     },
 *     async update(ctx, current, props, previous) { ... SetQueueAttributes ...; return { ... } },
 *     async delete(ctx, current) { await ctx.call('sqs', 'DeleteQueue', { QueueUrl: current.physicalId }); },
 *   };
 *
 * Adding a type: write it in resources/<service>.ts (one file per service, its types in one
 * exported list), name the file in resources/index.ts once per service, and test it through a
 * stack (docs/adding-a-service.md, "CloudFormation resource types").
 */
import type { Logger } from '../../../logger.js';
import type { OperationInput, OperationName, OperationOutput } from '../../apis.js';

/** A property value as the engine passes it: intrinsics resolved, JSON types only. */
export type PropertyValue = string | number | boolean | null | PropertyValue[] | { [key: string]: PropertyValue };

/** What a handler works with: where the stack is, and the services to call. */
export interface ResourceContext {
  readonly accountId: string;
  readonly region: string;
  /** aws, aws-cn, aws-us-gov: for ARNs the handler writes. */
  readonly partition: string;
  readonly stackName: string;
  readonly stackId: string;
  /** The resource's logical id in the template. */
  readonly logicalId: string;
  /**
   * Calls an operation of any service as the stack's account and region (the in-process
   * client, as `cloudformation.amazonaws.com`); throws the service's ServiceError, which
   * fails the resource with that error's message as its status reason, as AWS reports it.
   */
  call<S extends string, O extends OperationName<S>>(service: S, operation: O, input: OperationInput<S, O>): Promise<OperationOutput<S, O>>;
  /**
   * The name CloudFormation gives a resource the template does not name:
   * `<stack name>-<logical id>-<12 random upper-case letters and digits>`, the first two parts
   * shortened to fit `max` (with the suffix, such as `.fifo`, kept at the end); lower case for
   * names that must be (S3 buckets).
   */
  physicalName(options?: { readonly max?: number; readonly suffix?: string; readonly lowerCase?: boolean }): string;
  readonly log: Logger;
  /**
   * The stack's own tags (CreateStack / UpdateStack `Tags`), which CloudFormation propagates to
   * the resources it makes: a type that takes tags merges them under the template's own
   * (`{ ...ctx.stackTags, ...tagsFromProperties }`). Optional: contexts built by hand may omit it.
   */
  readonly stackTags?: Readonly<Record<string, string>>;
}

/** A resource as the engine knows it once created: its physical id (what Ref answers) and its attributes (what GetAtt reads). */
export interface ResourceState {
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, PropertyValue>>;
}

/** One resource type. `P` is its properties' shape (as the template writes them, resolved). */
export interface ResourceType<P extends object = Record<string, PropertyValue>> {
  /** CloudFormation's name for it: `AWS::SQS::Queue`. */
  readonly type: string;
  /** Properties that must be given; the engine fails the resource without them, with AWS's message. */
  readonly required?: readonly (keyof P & string)[];
  /**
   * Properties whose change replaces the resource (the documentation's "Update requires:
   * Replacement"): the engine creates the new one, points dependants at it, then deletes the
   * old one. A change to any other property is an update in place.
   */
  readonly createOnly?: readonly (keyof P & string)[];
  /**
   * The property that names the resource (`QueueName`, `BucketName`), when it has one: a
   * replacement while the template keeps that name fails as AWS fails it ("CloudFormation
   * cannot update a stack when a custom-named resource requires replacing").
   */
  readonly nameProperty?: keyof P & string;
  /** The attributes Fn::GetAtt may read; another name fails the template's validation as AWS does. */
  readonly attributes?: readonly string[];
  /** Creates the resource; returns its physical id and attributes. */
  create(ctx: ResourceContext, properties: P): Promise<ResourceState>;
  /**
   * Changes the resource in place to `properties` (no createOnly property changed); returns its
   * state afterwards. Without it, every change replaces the resource.
   */
  update?(ctx: ResourceContext, current: ResourceState, properties: P, previous: P): Promise<ResourceState>;
  /** Deletes the resource; a resource already gone is not an error (the stack may be rolling back). */
  delete(ctx: ResourceContext, current: ResourceState, properties: P): Promise<void>;
}

/** A module of resources/: one service's types. */
export interface ResourceTypeModule {
  readonly resourceTypes: readonly ResourceType<any>[];
}
