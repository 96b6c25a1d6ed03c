import { inflateSync } from 'node:zlib';
import { readPngChunks, writePng, type PngChunk } from './png.js';
import { escapeXmlAttribute, parseXmlDocument, tokenizeXml, type XmlAttribute, type XmlElement } from './svg-xml.js';

/*
 * Badge baking: embedding the badge into its image so the file itself can be verified (Open Badges 2.0
 * §Baking, Open Badges 3.0 §5.3). A baked image carries exactly one badge: any Open Badges data already in
 * the image (either version, any text chunk type) is replaced, never accumulated.
 *
 * PNG: one iTXt chunk, uncompressed, before IEND —
 *   keyword "openbadges" + text = the OB 2.0 assertion URL (hosted) or its JSON;
 *   keyword "openbadgecredential" + text = the signed OB 3.0 credential JSON.
 * SVG: `xmlns:openbadges="https://openbadges.org"` on the root and, right after the root start tag,
 *   <openbadges:assertion verify="ASSERTION_URL"/> (2.0; the assertion JSON in CDATA if given), or
 *   <openbadges:credential><![CDATA[credential JSON]]></openbadges:credential> (3.0).
 */

export const OB2_PNG_KEYWORD = 'openbadges';
export const OB3_PNG_KEYWORD = 'openbadgecredential';
export const OPEN_BADGES_XML_NAMESPACE = 'https://openbadges.org';

const KEYWORDS = new Set([OB2_PNG_KEYWORD, OB3_PNG_KEYWORD]);
const SVG_BADGE_ELEMENTS = new Set(['openbadges:assertion', 'openbadges:credential']);

export type BakePayload =
  /** OB 2.0 hosted: the assertion URL; pass `assertion` to embed its JSON as well (PNG: JSON instead). */
  | { version: '2.0'; assertionUrl: string; assertion?: object }
  /** OB 3.0: the signed credential, embedded whole. */
  | { version: '3.0'; credential: object };

export type BakedBadge =
  | { version: '2.0'; assertionUrl?: string; json?: string }
  | { version: '3.0'; json: string };

// ---------------------------------------------------------------------------------------------- PNG

function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function iTXtChunk(keyword: string, text: string): PngChunk {
  const keywordBytes = latin1(keyword);
  const textBytes = new TextEncoder().encode(text);
  // keyword NUL, compression flag 0 (uncompressed), method 0, empty language tag NUL, empty translated
  // keyword NUL, then the UTF-8 text.
  const data = new Uint8Array(keywordBytes.length + 5 + textBytes.length);
  data.set(keywordBytes, 0);
  data.set([0, 0, 0, 0, 0], keywordBytes.length);
  data.set(textBytes, keywordBytes.length + 5);
  return { type: 'iTXt', data };
}

/** Keyword and text of a tEXt, zTXt or iTXt chunk; undefined for other chunks or malformed ones. */
export function readTextChunk(chunk: PngChunk): { keyword: string; text: string; compressed: boolean } | undefined {
  const { type, data } = chunk;
  if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') return undefined;
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79) return undefined;
  const keyword = latin1Text(data.subarray(0, nul));
  try {
    if (type === 'tEXt') return { keyword, text: latin1Text(data.subarray(nul + 1)), compressed: false };
    if (type === 'zTXt') {
      return { keyword, text: inflateSync(data.subarray(nul + 2)).toString('latin1'), compressed: true };
    }
    const compressed = data[nul + 1] === 1;
    const languageEnd = data.indexOf(0, nul + 3);
    const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
    if (translatedEnd < 0) return undefined;
    const body = data.subarray(translatedEnd + 1);
    const bytes = compressed ? inflateSync(body) : body;
    return { keyword, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), compressed };
  } catch {
    return undefined;
  }
}

function isBadgeChunk(chunk: PngChunk): boolean {
  if (chunk.type !== 'tEXt' && chunk.type !== 'zTXt' && chunk.type !== 'iTXt') return false;
  // Judged on the keyword alone, so a malformed or compressed badge chunk is removed as well.
  const nul = chunk.data.indexOf(0);
  return nul > 0 && nul < 80 && KEYWORDS.has(latin1Text(chunk.data.subarray(0, nul)));
}

function payloadText(payload: BakePayload): { keyword: string; text: string } {
  if (payload.version === '3.0') return { keyword: OB3_PNG_KEYWORD, text: JSON.stringify(payload.credential) };
  return { keyword: OB2_PNG_KEYWORD, text: payload.assertion ? JSON.stringify(payload.assertion) : payload.assertionUrl };
}

/** Bakes into a PNG (throws PngFormatError if the input is not a valid PNG). */
export function bakePng(png: Uint8Array, payload: BakePayload): Uint8Array {
  const chunks = readPngChunks(png).filter((chunk) => !isBadgeChunk(chunk));
  const { keyword, text } = payloadText(payload);
  chunks.splice(chunks.length - 1, 0, iTXtChunk(keyword, text));
  return writePng(chunks);
}

/** The badge baked into a PNG, or undefined. With several (a badly baked file) the first wins. */
export function extractPngBadge(png: Uint8Array): BakedBadge | undefined {
  for (const chunk of readPngChunks(png)) {
    const text = readTextChunk(chunk);
    if (!text || !KEYWORDS.has(text.keyword)) continue;
    if (text.keyword === OB3_PNG_KEYWORD) return { version: '3.0', json: text.text };
    return text.text.trimStart().startsWith('{')
      ? { version: '2.0', json: text.text }
      : { version: '2.0', assertionUrl: text.text.trim() };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- SVG

/** CDATA cannot contain "]]>": split it across two sections. */
function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function rootStartTag(attributes: XmlAttribute[], name: string, selfClosing: boolean): string {
  const rest = attributes
    .filter((a) => a.name !== 'xmlns:openbadges')
    .map((a) => ` ${a.name}="${escapeXmlAttribute(a.value)}"`)
    .join('');
  return `<${name}${rest} xmlns:openbadges="${OPEN_BADGES_XML_NAMESPACE}"${selfClosing ? '/' : ''}>`;
}

function findBadgeElements(element: XmlElement, found: XmlElement[]): XmlElement[] {
  for (const child of element.children) {
    if (child.kind !== 'element') continue;
    if (SVG_BADGE_ELEMENTS.has(child.name)) found.push(child);
    else findBadgeElements(child, found);
  }
  return found;
}

/**
 * Bakes into an SVG (expected to be sanitised already; throws XmlSyntaxError / TypeError otherwise).
 * The document is edited in place textually — only the root start tag is rewritten and any previous badge
 * element cut out — so the artwork is byte-for-byte what it was.
 */
export function bakeSvg(svg: string, payload: BakePayload): string {
  let { root } = parseXmlDocument(svg);
  if (root.name !== 'svg') throw new TypeError('Not an SVG document.');

  // Cut out previous badge elements (last first, so earlier offsets stay valid), then re-parse.
  const previous = findBadgeElements(root, []).sort((a, b) => b.start - a.start);
  for (const element of previous) svg = svg.slice(0, element.start) + svg.slice(element.end);
  if (previous.length) ({ root } = parseXmlDocument(svg));

  const element =
    payload.version === '3.0'
      ? `<openbadges:credential>${cdata(JSON.stringify(payload.credential))}</openbadges:credential>`
      : payload.assertion
        ? `<openbadges:assertion verify="${escapeXmlAttribute(payload.assertionUrl)}">` +
          `${cdata(JSON.stringify(payload.assertion))}</openbadges:assertion>`
        : `<openbadges:assertion verify="${escapeXmlAttribute(payload.assertionUrl)}"/>`;

  const before = svg.slice(0, root.start);
  const after = svg.slice(root.startTagEnd);
  if (root.selfClosing) {
    return `${before}${rootStartTag(root.attributes, root.name, false)}${element}</${root.name}>${after}`;
  }
  return `${before}${rootStartTag(root.attributes, root.name, false)}${element}${after}`;
}

/** The badge baked into an SVG, or undefined. */
export function extractSvgBadge(svg: string): BakedBadge | undefined {
  const tokens = tokenizeXml(svg);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'start' || !SVG_BADGE_ELEMENTS.has(token.name)) continue;
    let json = '';
    if (!token.selfClosing) {
      for (let j = i + 1; j < tokens.length; j++) {
        const inner = tokens[j];
        if (inner.kind === 'end' && inner.name === token.name) break;
        if (inner.kind === 'cdata' || inner.kind === 'text') json += inner.value;
      }
    }
    json = json.trim();
    if (token.name === 'openbadges:credential') return { version: '3.0', json };
    const verify = token.attributes.find((a) => a.name === 'verify')?.value;
    return { version: '2.0', ...(verify ? { assertionUrl: verify } : {}), ...(json ? { json } : {}) };
  }
  return undefined;
}
