/**
 * One parameter, two spellings: at the top level of the hierarchy Parameter Store treats `/x`
 * and `x` as the same parameter (one ARN, `parameter/x`; one set of tags; a second
 * PutParameter of the other spelling is ParameterAlreadyExists). AWS keeps the name without
 * the slash (DescribeParameters lists `x` for a parameter created as `/x`), while GetParameter
 * and GetParameters echo the name as the caller wrote it. Deeper names (`/a/b`) have exactly
 * one spelling: a path without its leading slash is refused before any lookup.
 */

/** The key a name is stored under: `x` for both `/x` and `x`; `/a/b` unchanged. */
export function canonicalName(name: string): string {
  return name.startsWith('/') && name.indexOf('/', 1) === -1 ? name.slice(1) : name;
}

/** The name inside a parameter ARN's resource (`parameter/a/b` → `/a/b`, `parameter/x` → `x`). */
export function nameOfArnResource(resource: string): string {
  return resource.includes('/') ? `/${resource}` : resource;
}

/** The resource of a parameter's ARN: `parameter/a/b` for `/a/b`, `parameter/x` for `x` and `/x`. */
export function arnResourceOf(name: string): string {
  return `parameter/${name.startsWith('/') ? name.slice(1) : name}`;
}
