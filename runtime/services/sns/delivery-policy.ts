/**
 * The retry schedule of http/https deliveries, from a delivery policy (AWS's developer guide,
 * "Amazon SNS message delivery retries"). A subscription's DeliveryPolicy
 * (`{"healthyRetryPolicy": {...}}`) wins over its topic's (`{"http": {"defaultHealthyRetryPolicy":
 * {...}, "disableSubscriptionOverrides": false}}`) unless the topic disables overrides; a member
 * that is missing or not of its type takes AWS's default (numRetries 3, min and max delay 20 s,
 * the phase counts 0, linear).
 *
 * After the first attempt come `numRetries` retries, in four phases:
 *   1. numNoDelayRetries at once;
 *   2. numMinDelayRetries, minDelayTarget apart;
 *   3. the backoff phase: numRetries minus the three other counts, the first minDelayTarget
 *      and the last maxDelayTarget after the attempt before, in between as backoffFunction grows;
 *   4. numMaxDelayRetries, maxDelayTarget apart.
 * Counts that add up to more than numRetries are cut in that order.
 *
 * AWS shows the four backoff functions as a graph only; with t going from 0 (first backoff
 * retry) to 1 (last), the delay is min + (max - min) * f(t) with f: linear t; arithmetic the
 * increments growing by a constant step (t(n t + 1) / (n + 1) for n + 1 retries, a triangular
 * progression); geometric a constant ratio (min * (max / min)^t); exponential the increments
 * doubling ((2^(n t) - 1) / (2^n - 1)). AWS adds jitter to its delays; here they are exact, so
 * a test on a driven clock knows when each retry comes.
 */
import type { RetryPlan } from './state.js';

const FUNCTIONS = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);

/** AWS's default: what EffectiveDeliveryPolicy reports for a topic without a policy. */
export const DEFAULT_PLAN: RetryPlan = { numRetries: 3, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, minDelayTarget: 20, maxDelayTarget: 20, backoffFunction: 'linear' };

function parse(text: string | undefined): Record<string, any> | undefined {
  if (!text) return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}

/** The plan a delivery follows, from the subscription's and the topic's DeliveryPolicy attributes. */
export function retryPlan(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): RetryPlan {
  const topic = parse(topicPolicy)?.http as Record<string, any> | undefined;
  const own = topic?.disableSubscriptionOverrides === true ? undefined : parse(subscriptionPolicy)?.healthyRetryPolicy;
  const given = (own ?? topic?.defaultHealthyRetryPolicy) as Record<string, unknown> | undefined;
  const count = (name: keyof RetryPlan, fallback: number) => {
    const v = given?.[name];
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
  };
  const plan: RetryPlan = {
    numRetries: count('numRetries', DEFAULT_PLAN.numRetries),
    numNoDelayRetries: count('numNoDelayRetries', 0),
    numMinDelayRetries: count('numMinDelayRetries', 0),
    numMaxDelayRetries: count('numMaxDelayRetries', 0),
    minDelayTarget: count('minDelayTarget', DEFAULT_PLAN.minDelayTarget),
    maxDelayTarget: count('maxDelayTarget', DEFAULT_PLAN.maxDelayTarget),
    backoffFunction: 'linear',
  };
  const fn = typeof given?.backoffFunction === 'string' ? given.backoffFunction.toLowerCase() : '';
  if (FUNCTIONS.has(fn)) plan.backoffFunction = fn as RetryPlan['backoffFunction'];
  if (plan.maxDelayTarget < plan.minDelayTarget) plan.maxDelayTarget = plan.minDelayTarget;
  return plan;
}

/** The wait (ms) before retry number `retry` (1 for the first retry, up to numRetries). */
export function retryDelayMs(plan: RetryPlan, retry: number): number {
  const noDelay = Math.min(plan.numNoDelayRetries, plan.numRetries);
  const minDelay = Math.min(plan.numMinDelayRetries, plan.numRetries - noDelay);
  const maxDelay = Math.min(plan.numMaxDelayRetries, plan.numRetries - noDelay - minDelay);
  const backoff = plan.numRetries - noDelay - minDelay - maxDelay;
  const min = plan.minDelayTarget;
  const max = plan.maxDelayTarget;
  let seconds: number;
  if (retry <= noDelay) seconds = 0;
  else if (retry <= noDelay + minDelay) seconds = min;
  else if (retry <= noDelay + minDelay + backoff) seconds = min + (max - min) * growth(plan.backoffFunction, retry - noDelay - minDelay - 1, backoff - 1, min, max);
  else seconds = max;
  return Math.round(seconds * 1000);
}

/** How far (0 to 1) from min to max the `step`-th of `steps` backoff steps is. */
function growth(fn: RetryPlan['backoffFunction'], step: number, steps: number, min: number, max: number): number {
  if (steps <= 0 || max === min) return 0;
  const t = step / steps;
  switch (fn) {
    case 'linear':
      return t;
    case 'arithmetic':
      return (step * (step + 1)) / (steps * (steps + 1));
    case 'geometric':
      return min > 0 ? (min * (max / min) ** t - min) / (max - min) : t;
    case 'exponential':
      return (2 ** step - 1) / (2 ** steps - 1);
  }
}
