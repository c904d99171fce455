/**
 * THE registry of service providers: which services have one, how to load it (lazily, with
 * import() on the first request), the service's own gateway steps (loaded at start-up, so
 * small), and which services it needs running first.
 * Service names are botocore's, as in SERVICES and the health output.
 */
import type { RuntimeConfig } from '../config.js';
import type { ProviderModule } from './provider.js';
import { s3Gateway } from './s3/gateway/index.js';
import type { ServiceGateway } from './service-gateway.js';

export interface ProviderRegistration {
  /** Loads the provider module; called once, on first use. */
  readonly load: () => Promise<ProviderModule>;
  /**
   * The service's own steps in the gateway's chain (service-gateway.ts), made once when the
   * gateway is built. Imported at start-up: keep it free of the provider's modules.
   */
  readonly gateway?: (config: RuntimeConfig) => ServiceGateway;
}

export type ProviderRegistry = Readonly<Record<string, ProviderRegistration>>;

export const PROVIDERS = {
  s3: { load: () => import('./s3/provider.js'), gateway: s3Gateway },
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
