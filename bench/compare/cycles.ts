/**
 * Cycle scenarios: the load generator's form for work whose next request needs the previous
 * answer (an SQS delete needs the receipt handle its receive got back; an SNS fan-out is done
 * when the message is in the last queue). A scenario prepares one worker per connection before
 * the clock starts (its own queue, its own topic), and each worker then runs its cycle, an
 * async function, over and over for the measurement's duration.
 *
 * Requests go through the same undici pool as the static scenarios' (run.ts), signed by the
 * same signer (signing.ts). What a cycle sends unchanged every time is signed once when its
 * worker is prepared, like the static scenarios' requests; only what depends on an answer (a
 * receipt handle) is signed in the cycle. The static scenarios keep their own loop in run.ts.
 *
 * A row reports either every request (`per: 'request'`, each with its own latency, as the
 * static rows do) or every cycle (`per: 'cycle'`: cycles/s, and the whole cycle's latency,
 * e.g. from Publish to the message received from the last queue).
 */
import { Pool, request } from 'undici';
import { sign, type SignedRequest } from './signing.js';

/** One measurement's figures (static and cycle scenarios alike). */
export interface Load {
  /** Requests (or, for a cycle scenario with per 'cycle', cycles) answered per second. */
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Cycle scenarios: cycles completed, and how many of them failed. */
  cycles?: number;
  failedCycles?: number;
}

/** A non-2xx answer. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, text: string) {
    super(`HTTP ${status}: ${text.slice(0, 200)}`);
  }
}

/** A transport error, already counted. */
class Counted extends Error {}

/** How a worker talks to the target. */
export interface Caller {
  /** The bare baseline: its answers are fixed, so a cycle takes them as they come. */
  readonly bare: boolean;
  readonly host: string;
  /** Sends a signed request; answers its body, throws HttpStatusError unless 2xx. */
  send(r: SignedRequest): Promise<string>;
  /** Signs a request for `service`, then sends it. */
  call(service: string, r: SignedRequest): Promise<string>;
}

/** A prepared worker: one connection's cycle. */
export type Cycle = (caller: Caller) => Promise<void>;

export interface CycleScenario {
  readonly kind: 'cycle';
  readonly name: string;
  readonly services: readonly string[];
  /** What a row counts: every request, or every whole cycle (with the cycle's latency). */
  readonly per: 'request' | 'cycle';
  /** The row's unit in the table (default "req/s (p50/p99)"). */
  readonly unit?: string;
  /** Prepares worker `index` (before the clock; once per index and target) with an unmeasured caller. */
  worker(caller: Caller, index: number): Promise<Cycle>;
}

/** A caller outside any measurement (setup), one request at a time. */
export function setupCaller(host: string, bare: boolean): Caller {
  const send = async (r: SignedRequest) => {
    const res = await request(`http://${host}${r.path}`, { method: r.method as 'POST', headers: r.headers, body: r.body });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new HttpStatusError(res.statusCode, `${r.headers['x-amz-target'] ?? String(r.body ?? '').slice(0, 60)}: ${text}`);
    return text;
  };
  return { bare, host, send, call: async (service, r) => send(await sign(service, host, r)) };
}

/** The workers a run has prepared so far, by scenario, kept across its connection counts. */
export type PreparedWorkers = Map<string, Cycle[]>;

/** Prepares the workers `connections` needs that are not prepared yet. */
export async function prepareWorkers(scenario: CycleScenario, host: string, bare: boolean, connections: number, prepared: PreparedWorkers): Promise<Cycle[]> {
  const cycles = prepared.get(scenario.name) ?? [];
  prepared.set(scenario.name, cycles);
  const caller = setupCaller(host, bare);
  while (cycles.length < connections) cycles.push(await scenario.worker(caller, cycles.length));
  return cycles.slice(0, connections);
}

const percentile = (sorted: number[], q: number) => (sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)) : 0);

/** Runs each worker's cycle on a pool of as many connections for `seconds`. */
export async function loadCycles(scenario: CycleScenario, host: string, bare: boolean, cycles: readonly Cycle[], seconds: number): Promise<Load> {
  const pool = new Pool(`http://${host}`, { connections: cycles.length, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const requestLatencies: number[] = [];
  const cycleLatencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let failedCycles = 0;
  const send = async (r: SignedRequest) => {
    const t = performance.now();
    let res;
    let text;
    try {
      res = await pool.request({ method: r.method as 'POST', path: r.path, headers: r.headers, body: r.body });
      text = await res.body.text();
    } catch (e) {
      errors++;
      throw new Counted((e as Error).message);
    }
    requestLatencies.push(performance.now() - t);
    if (res.statusCode >= 300) {
      non2xx++;
      throw new HttpStatusError(res.statusCode, text);
    }
    return text;
  };
  const caller: Caller = { bare, host, send, call: async (service, r) => send(await sign(service, host, r)) };
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    cycles.map(async (cycle) => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await cycle(caller);
          cycleLatencies.push(performance.now() - t);
        } catch (e) {
          failedCycles++;
          // a failure that is not a request's (no message where one was due) is an error too
          if (!(e instanceof HttpStatusError) && !(e instanceof Counted)) errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  const latencies = scenario.per === 'cycle' ? cycleLatencies : requestLatencies;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    requests: requestLatencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    non2xx,
    cycles: cycleLatencies.length,
    failedCycles,
  };
}
