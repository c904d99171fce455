/**
 * Per-shape memoisation for the compiled readers and writers. Shapes can be recursive
 * (DynamoDB's AttributeValue holds lists and maps of itself), so the cache holds a
 * forwarding function while a shape is being compiled.
 */
export function compileCached<S, F extends (...args: never[]) => unknown>(cache: Map<S, F>, shape: S, build: (shape: S) => F): F {
  const cached = cache.get(shape);
  if (cached) return cached;
  const ref: { impl?: F } = {};
  cache.set(shape, ((...args: Parameters<F>) => ref.impl!(...args)) as F);
  ref.impl = build(shape);
  cache.set(shape, ref.impl);
  return ref.impl;
}
