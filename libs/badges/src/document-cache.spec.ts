import { describe, expect, it } from '@jest/globals';
import { DocumentCache } from './document-cache.js';

describe('the public document cache', () => {
  it('keeps a document for its TTL, with a strong ETag of its bytes', () => {
    let now = 0;
    const cache = new DocumentCache(10, 1000, () => now);
    const entry = cache.set('a', '{"x":1}');
    expect(entry.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(cache.set('b', '{"x":1}').etag).toBe(entry.etag);
    expect(cache.set('c', '{"x":2}').etag).not.toBe(entry.etag);
    now = 999;
    expect(cache.get('a')?.body.toString()).toBe('{"x":1}');
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const cache = new DocumentCache(2, 60_000);
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('a', '1'); // refreshed: now the newest
    cache.set('c', '3');
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map((e) => e?.body.toString())).toEqual(['1', undefined, '3']);
    expect(cache.size).toBe(2);
  });
});
