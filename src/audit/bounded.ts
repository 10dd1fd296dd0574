/**
 * Every wait of the audit is bounded: a page whose main thread is stuck (an endless loop) never
 * answers `page.evaluate`, which has no timeout of its own.
 */

/** The promise's value, or `fallback` once `ms` have passed (or if it rejects). */
export function bounded<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

/** The promise's value, or a rejection with `message` once `ms` have passed. */
export function boundedOrFail<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
