/**
 * AWS managed policies (`arn:aws:iam::aws:policy/<path><name>`): the same in every account,
 * read from aws-managed-policies.generated.json (scripts/generate-aws-managed-policies.mjs)
 * on first use, so a runtime that never touches them never parses the file. Policy ids are
 * derived from the ARN, so each policy has the same id in every account and across restarts.
 * How many entities of an account attach one is that account's state (attachments.ts counts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runtimeFile } from '../../runtime-dir.js';

/** One AWS managed policy, as the generated file lists it. */
export interface AwsManagedPolicy {
  readonly PolicyName: string;
  readonly Path: string;
  readonly DefaultVersionId: string;
  readonly CreateDate: string;
  readonly UpdateDate: string;
  readonly Document: string;
  /** `arn:aws:iam::aws:policy<Path><PolicyName>` (the `aws` partition; see awsPolicyArn). */
  readonly arn: string;
  readonly id: string;
}

interface Catalog {
  readonly byArn: ReadonlyMap<string, AwsManagedPolicy>;
  readonly all: readonly AwsManagedPolicy[];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function stableId(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i]! & 31];
  return id;
}

/** The AWS managed policies, read on first use (one reader per provider: no module state). */
export interface AwsManagedCatalog {
  /** The AWS managed policy an ARN names (in any partition), or undefined. */
  get(arn: string): AwsManagedPolicy | undefined;
  /** Every AWS managed policy served. */
  all(): readonly AwsManagedPolicy[];
}

/** A reader of the AWS managed policies, loading the generated file on first use. */
export function awsManagedCatalog(): AwsManagedCatalog {
  let catalog: Catalog | undefined;
  function load(): Catalog {
    if (catalog) return catalog;
    const file = JSON.parse(readFileSync(runtimeFile('services/iam/aws-managed-policies.generated.json'), 'utf8')) as { policies: Omit<AwsManagedPolicy, 'arn' | 'id'>[] };
    const all = file.policies.map((p) => {
      const arn = `arn:aws:iam::aws:policy${p.Path}${p.PolicyName}`;
      return Object.freeze({ ...p, arn, id: stableId(arn) });
    });
    catalog = { all, byArn: new Map(all.map((p) => [p.arn, p])) };
    return catalog;
  }
  return {
    get(arn) {
      const m = /^arn:aws(?:-[a-z]+)*:iam::aws:(policy\/.*)$/.exec(arn);
      return m ? load().byArn.get(`arn:aws:iam::aws:${m[1]}`) : undefined;
    },
    all: () => load().all,
  };
}

/** An AWS managed policy's ARN in a partition (`arn:aws-cn:iam::aws:policy/...` in China). */
export function awsPolicyArn(policy: AwsManagedPolicy, partition: string): string {
  return partition === 'aws' ? policy.arn : policy.arn.replace(/^arn:aws:/, `arn:${partition}:`);
}
