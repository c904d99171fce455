/**
 * Queue URLs: written as LocalStack writes them (SQS_ENDPOINT_STRATEGY, through
 * runtime/aws/arns.ts `queueUrlFromArn`), and read back in every form clients pass:
 *   http://sqs.<region>.<host>/<account>/<name>          standard (and sqs.<region>.amazonaws.com)
 *   http://<region>.queue.<host>/<account>/<name>        domain; `queue.<host>` (legacy, us-east-1)
 *   http://<host>/queue/<region>/<account>/<name>        path
 *   http://<host>/<account>/<name>                       off, and http://localhost:4566/...
 * A URL that names no region is the caller's region.
 */
import { queueUrlFromArn } from '../../aws/arns.js';
import type { RuntimeConfig } from '../../config.js';
import type { OperationContext } from '../provider.js';
import { sqsError } from './errors.js';

/** Where a queue URL points. */
export interface QueueAddress {
  accountId: string;
  region: string;
  name: string;
}

/** The URL of a queue, as this runtime writes it. */
export function queueUrl(arn: string, config: RuntimeConfig): string {
  return queueUrlFromArn(arn, config)!;
}

const REGION_IN_HOST = [/^sqs\.([a-z0-9-]+)\./, /^([a-z]{2}(?:-[a-z]+)+-\d+)\.queue\./];

/** Reads a queue URL in any of the forms above; InvalidAddress when it is none of them. */
export function parseQueueUrl(ctx: OperationContext, url: string): QueueAddress {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const segments = parsed ? parsed.pathname.split('/').filter((s) => s !== '') : [];
  if (!parsed || segments.length < 2) throw sqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  let region = ctx.region;
  const host = parsed.hostname.toLowerCase();
  for (const pattern of REGION_IN_HOST) {
    const m = pattern.exec(host);
    if (m) region = m[1]!;
  }
  if (segments.length === 4 && segments[0] === 'queue') region = segments[1]!;
  const [accountId, name] = segments.slice(-2) as [string, string];
  if (!/^\d{12}$/.test(accountId)) throw sqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  return { accountId, region, name: decodeURIComponent(name) };
}
