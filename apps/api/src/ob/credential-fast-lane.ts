import type { Application, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { BadgePublication } from '@app/badges';
import { problem } from '../common/problem.js';
import { DOCUMENT_CSP, VC_TYPE } from './ob-response.js';

/*
 * The hot path of public verification: GET /ob/v3/credentials/:id, fetched by every verifier, backpack and
 * baked image reader, many times per credential. A credential is immutable once signed (a revocation
 * goes into the status list), so once the Nest route has served one (and cached it: BadgePublication),
 * this lane answers later requests for it from memory, in front of Express and the Nest pipeline (it sits
 * on the HTTP server's request event). It answers the same bytes with the same headers as the route
 * (helmet's included, captured from the application's own helmet instance), honours If-None-Match, and
 * applies the per-IP limit of unauthenticated requests, with the client address resolved by Express's own
 * `trust proxy` rules — counted in this process rather than in Redis, which is what makes it fast. Access
 * logging is skipped for these answers. Anything else, including every miss, goes to the application
 * untouched.
 */

const CREDENTIAL_PATH = /^\/ob\/v3\/credentials\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const WINDOW_MS = 60_000;
/** Above this many tracked addresses, expired windows are swept (bounded memory under a flood). */
const SWEEP_AT = 50_000;

/** A fixed one-minute window per address, like the application's RateLimitGuard, in memory. */
export class LocalRateLimit {
  private readonly windows = new Map<string, { resetAt: number; hits: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  hit(key: string): { allowed: boolean; remaining: number; resetSeconds: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= SWEEP_AT) for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
      window = { resetAt: now + WINDOW_MS, hits: 0 };
      this.windows.set(key, window);
    }
    window.hits++;
    return {
      allowed: window.hits <= this.limit,
      remaining: Math.max(0, this.limit - window.hits),
      resetSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }
}

/** The headers a middleware sets on every response, read once from a fake response. */
export function capturedHeaders(middleware: RequestHandler): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  };
  let called = false;
  middleware({ method: 'GET', headers: {}, url: '/' } as Request, res as unknown as Response, () => (called = true));
  if (!called) throw new Error('the security middleware did not pass the request on synchronously');
  return [...headers];
}

export type FastLane = (req: IncomingMessage, res: ServerResponse, clientIp: () => string) => boolean;

/** Answers a cached credential and returns true, or returns false without touching the request. */
export function credentialFastLane(
  publication: Pick<BadgePublication, 'cachedCredential'>,
  options: { security: RequestHandler; rateLimitPerMinute: number; cacheControl: string },
): FastLane {
  // Ours override helmet's where both set one (as the route's setHeader calls do after helmet's).
  const fixed = new Map<string, [string, string]>();
  for (const [name, value] of [
    ...capturedHeaders(options.security),
    ['Content-Security-Policy', DOCUMENT_CSP],
    ['Access-Control-Allow-Origin', '*'],
    ['Cross-Origin-Resource-Policy', 'cross-origin'],
    ['Cache-Control', options.cacheControl],
    ['RateLimit-Limit', String(options.rateLimitPerMinute)],
  ] as Array<[string, string]>)
    fixed.set(name.toLowerCase(), [name, value]);
  const limiter = new LocalRateLimit(options.rateLimitPerMinute);
  // Written with one writeHead of a flat [name, value, …] list: no per-header bookkeeping.
  const fixedFlat = [...fixed.values()].flat();

  return (req, res, clientIp) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const match = CREDENTIAL_PATH.exec(req.url ?? '');
    if (!match) return false;
    const cached = publication.cachedCredential(match[1].toLowerCase());
    if (!cached) return false;

    const limit = limiter.hit(clientIp());
    const headers = [...fixedFlat, 'RateLimit-Remaining', String(limit.remaining), 'RateLimit-Reset', String(limit.resetSeconds)];
    if (!limit.allowed) {
      const body = JSON.stringify(problem(429, 'RATE_LIMITED', 'Too many requests. Slow down and try again shortly.'));
      headers[headers.indexOf('Cache-Control') + 1] = 'no-store';
      headers.push('Retry-After', String(limit.resetSeconds), 'Content-Type', 'application/problem+json', 'Content-Length', String(Buffer.byteLength(body)));
      res.writeHead(429, headers);
      res.end(body);
      return true;
    }
    headers.push('ETag', cached.etag);
    if (req.headers['if-none-match'] === cached.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    headers.push('Content-Type', `${VC_TYPE}; charset=utf-8`, 'Content-Length', String(cached.body.length));
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : cached.body);
    return true;
  };
}

/**
 * Puts the lane in front of the server's request listeners (the Express application). The client address
 * is Express's `req.ip` — the request given Express's request prototype, as Express itself does first —
 * so TRUST_PROXY applies exactly as it does to the application's own rate limit.
 */
export function installFastLane(server: Server, express: Application, lane: FastLane): void {
  // Express keeps its request prototype (bound to the app, for `trust proxy`) as `app.request`.
  const prototype = (express as Application & { request: object }).request;
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const clientIp = () => {
      Object.setPrototypeOf(req, prototype);
      return (req as Request).ip ?? 'unknown';
    };
    if (lane(req, res, clientIp)) return;
    for (const listener of listeners) listener.call(server, req, res);
  });
}
