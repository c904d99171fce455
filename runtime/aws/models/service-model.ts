/**
 * A loaded service model: operations with their resolved input/output shapes.
 *
 * Shapes are resolved lazily: a member that references a shared shape (`{shape: "S1c"}`) is
 * merged with the referenced definition the first time something asks for it, and cached.
 * Nothing on the per-request path resolves shapes: the protocol codecs compile each
 * operation into closures once (see `OperationModel.plan`) and reuse them.
 */
import { mergePatch } from './patches.js';
import type { ProtocolName, RawAlternateRoute, RawModel, RawOperation, RawShape, ServiceIndexEntry, ShapeType } from './types.js';

/** A resolved shape: type always set, member-level traits applied over the shared definition. */
export interface Shape extends RawShape {
  type: ShapeType;
  /** The model's name of the shape a member references (undefined for shapes written inline). */
  shapeName?: string;
}

export class ServiceModel {
  readonly name: string;
  readonly index: ServiceIndexEntry;
  readonly metadata: RawModel['metadata'];
  readonly protocol: ProtocolName;
  /** Each operation by name, as its own route addresses it (alternate routes hang off it). */
  readonly operations = new Map<string, OperationModel>();
  private readonly raw: RawModel;
  private readonly resolved = new WeakMap<RawShape, Shape>();

  constructor(index: ServiceIndexEntry, raw: RawModel) {
    this.name = index.name;
    this.index = index;
    this.raw = raw;
    this.metadata = raw.metadata;
    this.protocol = raw.metadata.protocol;
    for (const [name, op] of Object.entries(raw.operations)) {
      this.operations.set(name, new OperationModel(this, name, op));
    }
  }

  /** The JSON protocol version (`application/x-amz-json-1.x`). */
  get jsonVersion(): string {
    return this.metadata.jsonVersion ?? '1.0';
  }

  /**
   * The raw operation an alternate route of `op` amounts to: the operation with the route's
   * http merged over its own and, when the route rebinds members, its own input shape
   * (shared shape definition inlined) with the route's merge patch applied.
   */
  alternateOperation(name: string, op: RawOperation, route: RawAlternateRoute): RawOperation {
    const { alternateRoutes: _routes, ...rest } = op;
    const http = { ...op.http, ...route.http };
    if (!route.input) return { ...rest, http };
    const where = `${this.name}.${name} ${http.method ?? 'POST'} ${http.requestUri}`;
    if (!op.input) throw new Error(`${where}: an alternate route rebinds the members of an operation without input`);
    const { shape: ref, ...traits } = op.input;
    const base: RawShape = ref === undefined ? op.input : { ...this.raw.shapes[ref], ...traits };
    const input = structuredClone(base);
    mergePatch(input as Record<string, unknown>, route.input);
    const names = (s: RawShape) => Object.keys(s.members ?? {}).sort().join();
    if (names(input) !== names(base)) throw new Error(`${where}: an alternate route may rebind members, not add or remove them`);
    return { ...rest, http, input };
  }

  /** Resolves a member or shape: follows `shape` references and applies member-level traits. */
  resolve(raw: RawShape): Shape {
    let shape = this.resolved.get(raw);
    if (shape) return shape;
    let merged: RawShape = raw;
    if (raw.shape !== undefined) {
      const target = this.raw.shapes[raw.shape];
      if (!target) throw new Error(`${this.name}: unknown shape ${raw.shape}`);
      const base = this.resolve(target);
      const { shape: ref, ...traits } = raw;
      merged = { ...base, ...traits, shapeName: ref };
    }
    const type: ShapeType = merged.type ?? (merged.members ? 'structure' : 'string');
    shape = merged.type === type ? (merged as Shape) : { ...merged, type };
    this.resolved.set(raw, shape);
    return shape;
  }

  /** Resolved members of a structure, in model order. */
  members(shape: Shape): Array<[name: string, member: Shape]> {
    return Object.entries(shape.members ?? {}).map(([n, m]) => [n, this.resolve(m)]);
  }
}

/**
 * An operation as one route addresses it. The model's `operations` hold each operation as its
 * own route (its `http`) addresses it; an operation with alternate routes (patches.json
 * `alternateRoutes`) has one more OperationModel per route, with the same name and output and
 * that route's method, requestUri and input bindings, so the codecs parse each request by the
 * bindings of the route it came by. Providers see the name only.
 */
export class OperationModel {
  readonly service: ServiceModel;
  readonly name: string;
  readonly raw: RawOperation;
  /** The operation as its own route addresses it: `this`, unless this is an alternate route. */
  readonly primary: OperationModel;
  /** The operation as each of its alternate routes addresses it (empty on those). */
  readonly alternates: readonly OperationModel[];
  readonly method: string;
  readonly requestUri: string;
  readonly responseCode: number;
  private inputShape: Shape | null | undefined;
  private outputShape: Shape | null | undefined;
  private readonly plans = new Map<string, unknown>();

  constructor(service: ServiceModel, name: string, raw: RawOperation, primary?: OperationModel) {
    this.service = service;
    this.name = name;
    this.raw = raw;
    this.primary = primary ?? this;
    this.alternates = primary ? [] : (raw.alternateRoutes ?? []).map((route) => new OperationModel(service, name, service.alternateOperation(name, raw, route), this));
    this.method = raw.http?.method ?? 'POST';
    this.requestUri = raw.http?.requestUri ?? '/';
    this.responseCode = raw.http?.responseCode ?? 200;
  }

  get input(): Shape | undefined {
    if (this.inputShape === undefined) this.inputShape = this.raw.input ? this.service.resolve(this.raw.input) : null;
    return this.inputShape ?? undefined;
  }

  get output(): Shape | undefined {
    if (this.outputShape === undefined) this.outputShape = this.raw.output ? this.service.resolve(this.raw.output) : null;
    return this.outputShape ?? undefined;
  }

  /**
   * The input member that is the raw request body as a stream (a `payload` blob marked
   * `streaming`, e.g. S3 PutObject's Body), or undefined. Such a body is handed to the
   * provider as a stream, never read into memory by the gateway.
   */
  get streamingInput(): string | undefined {
    return this.plan('streaming-input', () => {
      const shape = this.input;
      if (!shape?.payload) return '';
      const member = this.service.resolve(shape.members![shape.payload]!);
      return member.type === 'blob' && member.streaming ? shape.payload : '';
    }) || undefined;
  }

  /**
   * A per-operation compiled artefact (a parser or serializer), built once on first use.
   * `key` names the artefact, e.g. `json.input`.
   */
  plan<T>(key: string, build: (op: OperationModel) => T): T {
    let plan = this.plans.get(key) as T | undefined;
    if (plan === undefined) {
      plan = build(this);
      this.plans.set(key, plan);
    }
    return plan;
  }
}
