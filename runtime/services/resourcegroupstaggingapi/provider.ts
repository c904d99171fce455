/**
 * AWS Resource Groups Tagging API (`resourcegroupstaggingapi`): the tags of every service's
 * resources in one place. It keeps no state of its own: each service that has tagged
 * resources offers them (Provider.taggedResources, runtime/services/provider.ts), and this
 * provider reaches them through the runtime (`context.client.taggedResources(service)`),
 * never by importing a service. Listing asks the services that run (or that may have saved
 * state to load) and does not start the others: they have no resources. Tagging starts the
 * service the ARN names, which answers for its resource with its own rules; a resource that
 * does not exist, or that breaks those rules, is reported in FailedResourcesMap, as AWS does.
 *
 * GetResources returns the resources that carry tags now, sorted by ARN; TagFilters (a key,
 * with any of its values when some are given; filters combine with AND), ResourceTypeFilters
 * (`s3`, `s3:bucket`, `ssm:parameter`), ResourceARNList, and pages of ResourcesPerPage (1-100,
 * 100 by default) with a PaginationToken that is empty on the last page, as AWS answers.
 *
 * LIMITATIONS: resources that had tags once and have none now are not listed (AWS lists them);
 * tag policies are not evaluated (with IncludeComplianceDetails every resource is compliant);
 * TagsPerPage is checked but not applied; the resource types are those of the services that
 * implement Provider.taggedResources (S3 buckets, SSM parameters); the error messages this
 * API words itself (the limits, an unsupported ARN) are not recorded from AWS.
 */
import { ServiceError } from '../../aws/errors.js';
import { parseArn } from '../../aws/arns.js';
import { paginate } from '../../aws/pagination.js';
import { tagListOf } from '../../aws/tags.js';
import type { OperationContext, Provider, ProviderContext, TaggedResource } from '../provider.js';
import type { FailureInfo, ResourcegroupstaggingapiApi, ResourceTagMapping } from './api.generated.js';
import { resourcegroupstaggingapiError as taggingError } from './errors.js';

const SELF = 'resourcegroupstaggingapi';
const MAX_TAG_KEYS_PER_PAGE = 500;

interface Found extends TaggedResource {
  service: string;
}

function invalidToken(): Error {
  // moto's wording for a token it did not issue (AWS's is not recorded)
  return taggingError('PaginationTokenExpiredException', 'Token does not exist');
}

function byArn(a: { arn: string }, b: { arn: string }): number {
  return a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function createProvider(context: ProviderContext): Provider {
  const { client } = context;

  /** Every tagged resource of the caller's account and region, sorted by ARN. */
  async function resources(ctx: OperationContext): Promise<Found[]> {
    const out: Found[] = [];
    for (const service of client.services()) {
      if (service === SELF) continue;
      const tagged = await client.taggedResources(service, 'if-state');
      if (!tagged) continue;
      for (const r of await tagged.list(ctx.accountId, ctx.region)) out.push({ ...r, service });
    }
    return out.sort(byArn);
  }

  /** Runs `change` on each resource, collecting the failures as AWS reports them. */
  async function eachResource(arns: readonly string[], change: (tagged: NonNullable<Awaited<ReturnType<typeof client.taggedResources>>>, arn: string) => void | Promise<void>) {
    const failed: Record<string, FailureInfo> = {};
    for (const arn of arns) {
      const service = parseArn(arn)?.service;
      const tagged = service && service !== SELF && client.status(service) !== undefined ? await client.taggedResources(service, 'always') : undefined;
      if (!tagged) {
        failed[arn] = { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: `Resource ${arn} is not a resource whose tags this API manages here` };
        continue;
      }
      try {
        await change(tagged, arn);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        failed[arn] = { StatusCode: error.status, ErrorCode: error.status >= 500 ? 'InternalServiceException' : 'InvalidParameterException', ErrorMessage: error.message };
      }
    }
    return { FailedResourcesMap: failed };
  }

  const operations = {
    async GetResources(ctx, input) {
      const paged = input.PaginationToken !== undefined || input.ResourcesPerPage !== undefined || input.TagsPerPage !== undefined;
      if (input.ResourceARNList !== undefined && paged) {
        throw taggingError('InvalidParameterException', 'ResourceARNList cannot be specified together with PaginationToken, ResourcesPerPage or TagsPerPage.');
      }
      const perPage = input.ResourcesPerPage ?? 100;
      if (perPage < 1 || perPage > 100) throw taggingError('InvalidParameterException', 'ResourcesPerPage must be between 1 and 100');
      if (input.TagsPerPage !== undefined && (input.TagsPerPage < 100 || input.TagsPerPage > 500)) {
        throw taggingError('InvalidParameterException', 'TagsPerPage must be between 100 and 500');
      }
      const wanted = input.ResourceARNList ? new Set(input.ResourceARNList) : undefined;
      const types = input.ResourceTypeFilters ?? [];
      const filters = input.TagFilters ?? [];
      const matches = (r: Found) =>
        (!wanted || wanted.has(r.arn)) &&
        (types.length === 0 || types.some((t) => t === r.service || t === `${r.service}:${r.type}`)) &&
        filters.every((f) => f.Key !== undefined && Object.hasOwn(r.tags, f.Key) && (!f.Values?.length || f.Values.includes(r.tags[f.Key]!)));
      const all = (await resources(ctx)).filter(matches);
      const shown = input.IncludeComplianceDetails && input.ExcludeCompliantResources ? [] : all;
      const scope = `GetResources\0${JSON.stringify([types, filters, perPage])}`;
      const { page, nextToken } = paginate(shown, { scope, key: (r) => r.arn, nextToken: input.PaginationToken, max: wanted ? Math.max(shown.length, 1) : perPage, invalidToken });
      const mappings: ResourceTagMapping[] = page.map((r) => ({
        ResourceARN: r.arn,
        Tags: tagListOf(r.tags),
        ...(input.IncludeComplianceDetails ? { ComplianceDetails: { NoncompliantKeys: [], KeysWithNoncompliantValues: [], ComplianceStatus: true } } : {}),
      }));
      return { PaginationToken: nextToken ?? '', ResourceTagMappingList: mappings };
    },

    async GetTagKeys(ctx, input) {
      const keys = sortedUnique((await resources(ctx)).flatMap((r) => Object.keys(r.tags)));
      const { page, nextToken } = paginate(keys, { scope: 'GetTagKeys', key: (k) => k, nextToken: input.PaginationToken, max: MAX_TAG_KEYS_PER_PAGE, invalidToken });
      return { PaginationToken: nextToken ?? '', TagKeys: page };
    },

    async GetTagValues(ctx, input) {
      const key = input.Key;
      const values = sortedUnique((await resources(ctx)).flatMap((r) => (Object.hasOwn(r.tags, key) ? [r.tags[key]!] : [])));
      const { page, nextToken } = paginate(values, { scope: `GetTagValues\0${key}`, key: (v) => v, nextToken: input.PaginationToken, max: MAX_TAG_KEYS_PER_PAGE, invalidToken });
      return { PaginationToken: nextToken ?? '', TagValues: page };
    },

    TagResources(ctx, input) {
      return eachResource(input.ResourceARNList, (tagged, arn) => tagged.tag(ctx, arn, input.Tags));
    },

    UntagResources(ctx, input) {
      return eachResource(input.ResourceARNList, (tagged, arn) => tagged.untag(ctx, arn, input.TagKeys));
    },
  } satisfies Partial<ResourcegroupstaggingapiApi>;
  return { operations };
}
