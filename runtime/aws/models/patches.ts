/**
 * THE place for fixes to the bundled AWS models. Each patch is applied to the raw model
 * when the service is first loaded; the files in node_modules are never edited.
 *
 * Keep every entry small and say why it exists: a patch is a statement that the published
 * model and the real service disagree.
 */
import type { RawModel } from './types.js';

type Patch = (model: RawModel) => void;

export const MODEL_PATCHES: Readonly<Partial<Record<string, Patch>>> = {
  // aws-sdk v2 ships SQS as json with awsQueryCompatible, but AWS CLI v2 and older SDKs still
  // speak query to it: list query so that protocol detection accepts both.
  sqs: (model) => {
    model.metadata.protocols = ['json', 'query'];
  },
  // CloudWatch: SDK v3 speaks JSON 1.0 (GraniteServiceVersion20100801), the CLI speaks query.
  cloudwatch: (model) => {
    model.metadata.protocols = ['query', 'json'];
    model.metadata.targetPrefix ??= 'GraniteServiceVersion20100801';
    model.metadata.jsonVersion ??= '1.0';
  },
};
