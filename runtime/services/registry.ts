/**
 * THE registry of service providers: which services have one, how to load it (lazily, with
 * import() on the first request), and which services it needs running first.
 * Service names are botocore's, as in SERVICES and the health output.
 */
import type { ProviderModule } from './provider.js';

export interface ProviderRegistration {
  /** Loads the provider module; called once, on first use. */
  readonly load: () => Promise<ProviderModule>;
}

export type ProviderRegistry = Readonly<Record<string, ProviderRegistration>>;

export const PROVIDERS = {
  s3: { load: () => import('./s3/provider.js') },
  ssm: { load: () => import('./ssm/provider.js') },
  sts: { load: () => import('./sts/provider.js') },
} satisfies ProviderRegistry;

/** Services that must run before a service starts (LocalStack's dependency graph). */
export const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  dynamodb: ['dynamodbstreams'],
  dynamodbstreams: ['kinesis'],
  lambda: ['s3', 'sts'],
  firehose: ['kinesis'],
  cloudformation: ['sts'],
  es: ['opensearch'],
};

/** Names in SERVICES that stand for several services. */
export const COMPOSITE_SERVICES: Readonly<Record<string, readonly string[]>> = {
  serverless: ['cloudformation', 'cloudwatch', 'iam', 'sts', 'lambda', 'dynamodb', 'apigateway', 's3'],
  cognito: ['cognito-idp', 'cognito-identity'],
};
