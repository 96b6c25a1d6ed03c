/**
 * Iterates `source` one item ahead: while the caller works on an item, the next one is already being
 * produced — for a batch stream read on one connection and written on another (a cursor's FETCH
 * overlapping the COPY of the batch before it). Stopping early (break or throw) closes the source once
 * the item in flight has arrived; an error producing that item is then not reported twice.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  let done = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done) {
        done = true;
        return;
      }
      next = it.next();
      // Awaited on the next turn; until then a failure must not count as an unhandled rejection.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    if (!done) {
      await next.catch(() => undefined);
      await it.return?.();
    }
  }
}
