import type { Response } from 'express';
import { documentNotFound, type BakedImage } from '@app/badges';
import { UUID } from '@app/platform';

/*
 * How the public Open Badges documents are served: from PUBLIC_BASE_URL outside /api/v1, readable from any
 * origin (verifiers and backpacks fetch them from browsers: CORS `*` with no credentials, and
 * Cross-Origin-Resource-Policy `cross-origin` in place of helmet's `same-origin`, so a badge image can be
 * shown on any page).
 */

export const OB2_TYPE = 'application/ld+json';
export const VC_TYPE = 'application/vc+ld+json';

/** SPEC §2.5: every badge image, baked or not, is served with these. */
export const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** How long a document may be cached: revocation and consent must show within a minute. */
const REVALIDATE = 'public, max-age=60';
const STATIC = 'public, max-age=3600';


/** A document id from the URL: anything that is not a UUID names no document (404, like an unknown one). */
export function documentId(value: string): string {
  if (!UUID.test(value)) throw documentNotFound();
  return value.toLowerCase();
}

/** Documents are data: nothing in them may load or run anything, should a browser render one. */
export const DOCUMENT_CSP = "default-src 'none'";

function publicHeaders(res: Response, cacheControl: string): void {
  res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Cache-Control', cacheControl);
}

/** A JSON-LD document: an object, or JSON text (or its bytes) stored exactly as it was signed. */
export function sendDocument(
  res: Response,
  contentType: string,
  body: object | string | Buffer,
  options: { status?: number; cacheControl?: string } = {},
): void {
  publicHeaders(res, options.cacheControl ?? REVALIDATE);
  // JSON is UTF-8: said explicitly, so bytes and text are answered alike.
  res.status(options.status ?? 200).setHeader('Content-Type', `${contentType}; charset=utf-8`);
  if (Buffer.isBuffer(body)) res.send(body);
  else res.send(typeof body === 'string' ? body : JSON.stringify(body));
}

export function sendImage(res: Response, image: BakedImage, options: { cacheControl?: string } = {}): void {
  publicHeaders(res, options.cacheControl ?? STATIC);
  res.setHeader('Content-Security-Policy', IMAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.status(200).type(image.mediaType).send(image.bytes);
}

export const CACHE = { revalidate: REVALIDATE, static: STATIC, none: 'no-cache' } as const;
