/**
 * A lifecycle policy's JSON checked as ECR checks it before storing it (nothing is ever expired
 * here: there are no images). ECR validates the document against a JSON schema and answers
 * InvalidParameterException `Invalid parameter at 'LifecyclePolicyText' failed to satisfy
 * constraint: 'Lifecycle policy validation failure: <the schema's words>'`: missing and
 * unknown properties, enums (tagStatus, countType, countUnit, action type), countNumber's
 * minimum, then ECR's own rules (tagged rules name their tags, a countUnit only with
 * sinceImagePushed, distinct priorities, an `any` rule last).
 */
import { invalidParameter } from './errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RULE = { required: ['rulePriority', 'selection', 'action'], allowed: ['rulePriority', 'description', 'selection', 'action'] };
const SELECTION = { required: ['tagStatus', 'countType', 'countNumber'], allowed: ['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber', 'storageClass'] };
const ACTION = { required: ['type'], allowed: ['type', 'targetStorageClass'] };

function failure(detail: string): Error {
  return invalidParameter('LifecyclePolicyText', `Lifecycle policy validation failure: ${detail}`);
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkProperties(value: Json | undefined, schema: { required: string[]; allowed: string[] }): { [key: string]: Json } {
  if (!isObject(value)) throw failure(`instance type (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}) does not match any allowed primitive type (allowed: ["object"])`);
  const missing = schema.required.filter((k) => !(k in value)).sort();
  if (missing.length) throw failure(`object has missing required properties (${JSON.stringify(missing)})`);
  const extra = Object.keys(value).filter((k) => !schema.allowed.includes(k)).sort();
  if (extra.length) throw failure(`object instance has properties which are not allowed by the schema: (${JSON.stringify(extra)})`);
  return value;
}

function checkEnum(value: Json | undefined, allowed: readonly string[]): string {
  const text = typeof value === 'string' ? value.toLowerCase() : undefined;
  const match = allowed.find((a) => a.toLowerCase() === text);
  if (match === undefined) throw failure(`instance value (${JSON.stringify(value)}) not found in enum (possible values: ${JSON.stringify(allowed)})`);
  return match;
}

/** Checks a lifecycle policy's text; throws ECR's InvalidParameterException with its reason. */
export function checkLifecyclePolicy(text: string): void {
  let document: Json;
  try {
    document = JSON.parse(text) as Json;
  } catch {
    throw failure('Could not map policyString into LifecyclePolicy.');
  }
  if (!isObject(document)) throw failure('Could not map policyString into LifecyclePolicy.');
  if (!('rules' in document)) throw failure('object has missing required properties (["rules"])');
  const rules = document['rules'];
  if (!Array.isArray(rules)) throw failure('instance type (object) does not match any allowed primitive type (allowed: ["array"])');
  if (rules.length === 0) throw failure('array is too short: must have at least 1 elements but instance has 0 elements');
  const priorities = new Set<number>();
  let anyPriority: number | undefined;
  let highest = 0;
  for (const item of rules) {
    const rule = checkProperties(item, RULE);
    const priority = rule['rulePriority'];
    if (typeof priority !== 'number' || !Number.isInteger(priority)) throw failure(`instance type (${typeof priority}) does not match any allowed primitive type (allowed: ["integer"])`);
    if (priority < 1) throw failure(`numeric instance is lower than the required minimum (minimum: 1, found: ${priority})`);
    if (priorities.has(priority)) throw failure(`The rulePriority ${priority} is duplicated in the lifecycle policy. Rule priorities must be unique.`);
    priorities.add(priority);
    highest = Math.max(highest, priority);
    const action = checkProperties(rule['action'], ACTION);
    checkEnum(action['type'], ['expire', 'transition']);
    const selection = checkProperties(rule['selection'], SELECTION);
    const tagStatus = checkEnum(selection['tagStatus'], ['tagged', 'untagged', 'any']);
    const countType = checkEnum(selection['countType'], ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned']);
    if (selection['countUnit'] !== undefined) checkEnum(selection['countUnit'], ['days']);
    const count = selection['countNumber'];
    if (typeof count !== 'number' || !Number.isInteger(count)) throw failure(`instance type (${typeof count}) does not match any allowed primitive type (allowed: ["integer"])`);
    if (count < 1) throw failure(`numeric instance is lower than the required minimum (minimum: 1, found: ${count})`);
    if (countType === 'imageCountMoreThan' && selection['countUnit'] !== undefined) throw failure('countUnit is not allowed when countType is imageCountMoreThan');
    if (countType !== 'imageCountMoreThan' && selection['countUnit'] === undefined) throw failure(`countUnit is required when countType is ${countType}`);
    const prefixes = selection['tagPrefixList'];
    const patterns = selection['tagPatternList'];
    if (tagStatus === 'tagged' && !(Array.isArray(prefixes) && prefixes.length) && !(Array.isArray(patterns) && patterns.length)) {
      throw failure('Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.');
    }
    if (tagStatus !== 'tagged' && (prefixes !== undefined || patterns !== undefined)) {
      throw failure(`tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED.`);
    }
    if (tagStatus === 'any') anyPriority = priority;
  }
  if (anyPriority !== undefined && anyPriority !== highest) throw failure('Rule for tagStatus=ANY must have the lowest priority per storage class');
}
