import { createHash } from 'node:crypto';

export interface CachedDocument {
  body: Buffer;
  /** A strong ETag of the body. */
  etag: string;
}

/**
 * A small in-process cache of public documents by id: bounded in entries, each kept for `ttlMs` of real
 * (monotonic) time. Only documents that may be served are cached, never "not found" answers, so a
 * credential published after consent appears at once, and a withdrawn consent hides one within the TTL —
 * no later than the `max-age` the documents are served with lets any other cache keep them.
 */
export class DocumentCache {
  private readonly entries = new Map<string, CachedDocument & { expires: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(id: string): CachedDocument | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  set(id: string, body: string | Buffer): CachedDocument {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const entry = { body: bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`, expires: this.now() + this.ttlMs };
    this.entries.delete(id);
    this.entries.set(id, entry);
    // Oldest first: a Map iterates in insertion order, and a refreshed entry was re-inserted.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
