import { PngFormatError, readPngChunks } from './png.js';

/*
 * Badge images arrive as data URIs (SPEC §2.5: PNG or SVG, ≤ 256 KB). This turns one into bytes and a
 * media type, or into a list of every problem found, for a 400 answer. A PNG is checked structurally
 * (signature, chunk CRCs, IHDR/IDAT/IEND) because it will be baked and served as is; an SVG is only checked
 * to be UTF-8 text with an <svg> element — the caller must still run sanitiseSvg on it before storing.
 */

export const MAX_BADGE_IMAGE_BYTES = 256 * 1024;

export type BadgeImageMediaType = 'image/png' | 'image/svg+xml';

export type ParsedImageDataUri =
  | { ok: true; mediaType: BadgeImageMediaType; bytes: Uint8Array }
  | { ok: false; problems: string[] };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Base64 grows data by 4/3 and percent-encoding by up to 3×: anything longer cannot decode to ≤ 256 KB,
// so it is refused before any work is done on it.
const MAX_URI_LENGTH = MAX_BADGE_IMAGE_BYTES * 3 + 256;

function percentDecode(text: string): Uint8Array | undefined {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of text.split(/(%[0-9a-fA-F]{2})/)) {
    if (/^%[0-9a-fA-F]{2}$/.test(part)) chunks.push(Uint8Array.of(parseInt(part.slice(1), 16)));
    else if (part.includes('%')) return undefined;
    else chunks.push(encoder.encode(part));
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export function parseImageDataUri(uri: unknown): ParsedImageDataUri {
  if (typeof uri !== 'string') return { ok: false, problems: ['The image must be a data URI string.'] };
  if (uri.length > MAX_URI_LENGTH) {
    return { ok: false, problems: [`The image is larger than ${MAX_BADGE_IMAGE_BYTES / 1024} KB.`] };
  }
  const match = /^data:([^,]*),(.*)$/is.exec(uri.trim());
  if (!match) return { ok: false, problems: ['The image must be a data: URI.'] };

  const problems: string[] = [];
  const params = match[1].split(';').map((p) => p.trim());
  const mediaType = params.shift()!.toLowerCase();
  const isBase64 = params.length > 0 && params[params.length - 1].toLowerCase() === 'base64';
  if (isBase64) params.pop();
  for (const param of params) {
    if (!/^charset=(utf-8|us-ascii)$/i.test(param)) problems.push(`Unsupported data URI parameter "${param}".`);
  }
  if (mediaType !== 'image/png' && mediaType !== 'image/svg+xml') {
    problems.push(`Unsupported image type "${mediaType || '(none)'}": use image/png or image/svg+xml.`);
    return { ok: false, problems };
  }

  let bytes: Uint8Array | undefined;
  if (isBase64) {
    // Browsers tolerate whitespace in base64 data URIs (line-wrapped pastes); nothing else is tolerated.
    const body = match[2].replace(/[\t\n\f\r ]/g, '');
    if (body.length % 4 !== 0 || !BASE64.test(body)) problems.push('The image data is not valid base64.');
    else bytes = new Uint8Array(Buffer.from(body, 'base64'));
  } else if (mediaType === 'image/png') {
    problems.push('A PNG data URI must be base64-encoded.');
  } else {
    bytes = percentDecode(match[2]);
    if (!bytes) problems.push('The image data has a malformed percent-encoding.');
  }
  if (!bytes) return { ok: false, problems };

  if (bytes.length === 0) problems.push('The image is empty.');
  if (bytes.length > MAX_BADGE_IMAGE_BYTES) {
    problems.push(`The image is ${Math.ceil(bytes.length / 1024)} KB; the limit is ${MAX_BADGE_IMAGE_BYTES / 1024} KB.`);
  }
  if (problems.length) return { ok: false, problems };

  if (mediaType === 'image/png') {
    try {
      readPngChunks(bytes);
    } catch (error) {
      const reason = error instanceof PngFormatError ? error.message : 'unreadable';
      problems.push(`The image is not a valid PNG: ${reason}`);
    }
  } else {
    let text = '';
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      problems.push('The SVG is not valid UTF-8.');
    }
    if (text && !/<svg[\s>/]/.test(text)) problems.push('The SVG has no <svg> element.');
  }
  return problems.length ? { ok: false, problems } : { ok: true, mediaType, bytes };
}
