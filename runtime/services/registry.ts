/**
 * THE registry of service providers: which services have one, how to load it (lazily, with
 * import() on the first request), the service's own gateway steps (loaded at start-up, so
 * small), which services it needs running first, and how the gateway validates its input.
 * Service names are botocore's, as in SERVICES and the health output: the generated
 * `ServiceName` union, so a misspelt name does not compile.
 */
import type { RuntimeConfig } from '../config.js';
import type { ServiceName } from '../aws/models/service-index.generated.js';
import type { ValidationOptions } from '../aws/validation.js';
import type { ProviderModule } from './provider.js';
import { s3Gateway } from './s3/gateway/index.js';
import type { ServiceGateway } from './service-gateway.js';

export interface ProviderRegistration {
  /** Loads the provider module; called once, on first use. */
  readonly load: () => Promise<ProviderModule>;
  /**
   * How input is checked against the model's constraints before the handler runs (see
   * runtime/aws/validation.ts): by default every constraint, answered as AWS's front end
   * answers for the protocol (ValidationException, or ValidationError for query). `false`:
   * not at all, for a service whose front end answers constraint violations its own way (S3),
   * or a test double that wants to see whatever arrives.
   */
  readonly validation?: ValidationOptions | false;
  /**
   * The service's own steps in the gateway's chain (service-gateway.ts), made once when the
   * gateway is built. Imported at start-up: keep it free of the provider's modules.
   */
  readonly gateway?: (config: RuntimeConfig) => ServiceGateway;
}

export type ProviderRegistry = Readonly<Partial<Record<ServiceName, ProviderRegistration>>>;

export const PROVIDERS = {
  cloudformation: { load: () => import('./cloudformation/provider.js') },
  ecr: { load: () => import('./ecr/provider.js') },
  iam: { load: () => import('./iam/provider.js') },
  resourcegroupstaggingapi: { load: () => import('./resourcegroupstaggingapi/provider.js') },
  // S3 checks its input itself, with its own codes (InvalidArgument, InvalidBucketName, ...)
  s3: { load: () => import('./s3/provider.js'), validation: false, gateway: s3Gateway },
  sns: { load: () => import('./sns/provider.js') },
  // SQS answers unknown attribute names itself (InvalidAttributeName) and takes system attribute names in ReceiveMessage's AttributeNames
  sqs: { load: () => import('./sqs/provider.js'), validation: { enums: false } },
  ssm: { load: () => import('./ssm/provider.js') },
  sts: { load: () => import('./sts/provider.js') },
} satisfies ProviderRegistry;

/** Services that must run before a service starts (LocalStack's dependency graph). */
export const SERVICE_DEPENDENCIES: Readonly<Partial<Record<ServiceName, readonly ServiceName[]>>> = {
  dynamodb: ['dynamodbstreams'],
  dynamodbstreams: ['kinesis'],
  lambda: ['s3', 'sts'],
  firehose: ['kinesis'],
  cloudformation: ['sts'],
  es: ['opensearch'],
};

/** Names in SERVICES that stand for several services. */
export const COMPOSITE_SERVICES: Readonly<Record<string, readonly ServiceName[]>> = {
  serverless: ['cloudformation', 'cloudwatch', 'iam', 'sts', 'lambda', 'dynamodb', 'apigateway', 's3'],
  cognito: ['cognito-idp', 'cognito-identity'],
};
