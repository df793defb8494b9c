/**
 * Reading and writing object keys that clients choose (metadata keys, OTLP attribute names,
 * usage-detail names) without touching prototypes.
 *
 * Plain assignment `obj[key] = v` with the key `__proto__` replaces the object's prototype
 * instead of storing a key (the data silently vanishes, or, when an object is walked by path,
 * `Object.prototype` itself gets written). Plain reads `obj[key]` of `constructor`,
 * `__proto__` or `toString` find inherited members. These helpers treat every key as data.
 */

/** Stores `value` under `key` as an own, enumerable data property, whatever the key. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The value stored under `key` on the object itself; inherited members read as `undefined`. */
export function getOwn<T>(target: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

