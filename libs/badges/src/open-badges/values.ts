/** Throws a TypeError unless `value` is an absolute http(s) URL (https only when `httpsOnly`). */
export function assertHttpUrl(value: string, what: string, httpsOnly = false): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} must be an absolute URL.`);
  }
  if (httpsOnly ? url.protocol !== 'https:' : url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${what} must be an ${httpsOnly ? 'https' : 'http(s)'} URL.`);
  }
}

/**
 * A copy without the keys whose value is undefined. Optional inputs are spread into documents; an
 * explicit `undefined` would vanish from the served JSON but could still reach JSON-LD processing while
 * signing, so it is removed up front and what is signed is exactly what is served.
 */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
