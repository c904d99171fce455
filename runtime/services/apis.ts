/**
 * The typed API of every service that has a provider here: what the in-process client
 * (client.ts) types `call(service, operation, input)` by. A service listed here gets its
 * operation names, inputs and outputs checked at compile time; any other service is called
 * untyped (`Record<string, unknown>` in and out).
 *
 * Written by hand, one line per provider, and checked: a provider in the registry without a
 * line here does not compile (`Complete` below), so a new service adds its line when it adds
 * its registry entry (docs/adding-a-service.md).
 */
import type { CloudformationApi } from './cloudformation/api.generated.js';
import type { EcrApi } from './ecr/api.generated.js';
import type { IamApi } from './iam/api.generated.js';
import type { ResourcegroupstaggingapiApi } from './resourcegroupstaggingapi/api.generated.js';
import type { S3Api } from './s3/api.generated.js';
import type { SnsApi } from './sns/api.generated.js';
import type { SqsApi } from './sqs/api.generated.js';
import type { SsmApi } from './ssm/api.generated.js';
import type { StsApi } from './sts/api.generated.js';
import type { PROVIDERS } from './registry.js';

/** Service name (as in the registry) to its generated `<Service>Api`. */
export interface ServiceApis {
  cloudformation: CloudformationApi;
  ecr: EcrApi;
  iam: IamApi;
  resourcegroupstaggingapi: ResourcegroupstaggingapiApi;
  s3: S3Api;
  sns: SnsApi;
  sqs: SqsApi;
  ssm: SsmApi;
  sts: StsApi;
}

/** Fails to compile when a registered provider has no entry in ServiceApis. */
type AssertNever<T extends never> = T;
export type Complete = AssertNever<Exclude<keyof typeof PROVIDERS, keyof ServiceApis>>;

/** The operation names of a service: typed for a service with an API here, any string else. */
export type OperationName<S extends string> = S extends keyof ServiceApis ? keyof ServiceApis[S] & string : string;

type Handler = (context: never, input: never) => unknown;

/** An operation's input as its handler takes it. */
export type OperationInput<S extends string, O extends string> = S extends keyof ServiceApis
  ? O extends keyof ServiceApis[S]
    ? ServiceApis[S][O] extends Handler
      ? Parameters<ServiceApis[S][O]>[1]
      : never
    : never
  : Record<string, unknown>;

/** An operation's output as its handler returns it (awaited). */
export type OperationOutput<S extends string, O extends string> = S extends keyof ServiceApis
  ? O extends keyof ServiceApis[S]
    ? ServiceApis[S][O] extends Handler
      ? Awaited<ReturnType<ServiceApis[S][O]>>
      : never
    : never
  : Record<string, unknown>;
