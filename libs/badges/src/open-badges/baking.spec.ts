import { describe, expect, it } from '@jest/globals';
import { deflateSync } from 'node:zlib';
import {
  BASE_URL,
  createTestIssuer,
  sampleCredentialInput,
  tinyPng,
} from '../../testing/open-badges-fixtures.js';
import { bakePng, bakeSvg, extractPngBadge, extractSvgBadge, readTextChunk } from './baking.js';
import { issueOpenBadgeCredential, verifyCredential } from './credential.js';
import { PngFormatError, readPngChunks, writePng } from './png.js';
import { sanitiseSvg } from './svg-sanitiser.js';
import { parseXmlDocument } from './svg-xml.js';

const ASSERTION_URL = `${BASE_URL}/ob/v2/assertions/1b2c3d4e-0000-4000-8000-000000000001`;

/** CRC-32 (ISO-HDLC, as PNG uses), written out here so the check does not trust node:zlib's crc32. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Independent structural walk: signature, and every chunk's CRC recomputed. */
function walkPng(png: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks = [];
  let offset = 8;
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length)).toBe(referenceCrc32(typeAndData));
    chunks.push({ type: Buffer.from(typeAndData.subarray(0, 4)).toString('latin1'), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
}

function badgeChunks(png: Uint8Array): string[] {
  return walkPng(png)
    .filter((c) => ['iTXt', 'tEXt', 'zTXt'].includes(c.type))
    .map((c) => `${c.type}:${Buffer.from(c.data.subarray(0, c.data.indexOf(0))).toString('latin1')}`)
    .filter((s) => /openbadge/.test(s));
}

describe('PNG baking', () => {
  it('bakes an OB 2.0 assertion URL into one uncompressed iTXt "openbadges" chunk before IEND', () => {
    const source = tinyPng({ withText: true });
    const baked = bakePng(source, { version: '2.0', assertionUrl: ASSERTION_URL });
    const chunks = walkPng(baked);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'IDAT', 'iTXt', 'IEND']);
    const itxt = chunks[3].data;
    // keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL, text
    expect(Buffer.from(itxt).toString('latin1')).toBe(`openbadges\0\0\0\0\0${ASSERTION_URL}`);
    expect(extractPngBadge(baked)).toEqual({ version: '2.0', assertionUrl: ASSERTION_URL });
    // The pixels and other chunks are untouched.
    expect(chunks[2].data).toEqual(walkPng(source)[2].data);
  });

  it('re-baking replaces the previous badge: exactly one iTXt openbadges chunk', () => {
    const once = bakePng(tinyPng(), { version: '2.0', assertionUrl: ASSERTION_URL });
    const twice = bakePng(once, { version: '2.0', assertionUrl: `${ASSERTION_URL}-2` });
    expect(badgeChunks(twice)).toEqual(['iTXt:openbadges']);
    expect(extractPngBadge(twice)).toEqual({ version: '2.0', assertionUrl: `${ASSERTION_URL}-2` });
    // A 3.0 bake on a 2.0-baked image replaces it too: one badge per image.
    const three = bakePng(twice, { version: '3.0', credential: { id: 'x' } });
    expect(badgeChunks(three)).toEqual(['iTXt:openbadgecredential']);
  });

  it('removes foreign encodings of a badge (tEXt, compressed iTXt) when baking', () => {
    const chunks = readPngChunks(tinyPng());
    const textChunk = { type: 'tEXt', data: new Uint8Array(Buffer.from(`openbadges\0${ASSERTION_URL}`, 'latin1')) };
    const compressed = new Uint8Array(
      Buffer.concat([Buffer.from('openbadgecredential\0\x01\x00\0\0', 'latin1'), deflateSync('{"old":true}')]),
    );
    const dirty = writePng([chunks[0], textChunk, { type: 'iTXt', data: compressed }, ...chunks.slice(1)]);
    expect(readTextChunk({ type: 'iTXt', data: compressed })).toEqual({
      keyword: 'openbadgecredential',
      text: '{"old":true}',
      compressed: true,
    });
    const baked = bakePng(dirty, { version: '2.0', assertionUrl: ASSERTION_URL });
    expect(badgeChunks(baked)).toEqual(['iTXt:openbadges']);
  });

  it('bakes a signed OB 3.0 credential into "openbadgecredential" and it still verifies after extraction', async () => {
    const issuer = await createTestIssuer();
    const credential = await issueOpenBadgeCredential(sampleCredentialInput(), {
      key: issuer.key,
      documentLoader: issuer.loader,
    });
    const baked = bakePng(tinyPng(), { version: '3.0', credential });
    expect(badgeChunks(baked)).toEqual(['iTXt:openbadgecredential']);
    const extracted = extractPngBadge(baked);
    expect(extracted?.version).toBe('3.0');
    const parsed = JSON.parse(extracted!.json!) as object;
    expect(parsed).toEqual(credential);
    expect((await verifyCredential(parsed, { documentLoader: issuer.loader })).verified).toBe(true);
  });

  it('keeps UTF-8 text intact', () => {
    const baked = bakePng(tinyPng(), { version: '3.0', credential: { name: 'Créatrice 🚀 “idées”' } });
    expect(JSON.parse(extractPngBadge(baked)!.json!)).toEqual({ name: 'Créatrice 🚀 “idées”' });
  });

  it('refuses input that is not a valid PNG', () => {
    const good = tinyPng();
    expect(() => bakePng(new TextEncoder().encode('<svg/>'), { version: '2.0', assertionUrl: ASSERTION_URL })).toThrow(
      PngFormatError,
    );
    const corrupt = good.slice();
    corrupt[45] ^= 0xff; // inside the IDAT data (IDAT starts at byte 33) → CRC mismatch
    expect(() => bakePng(corrupt, { version: '2.0', assertionUrl: ASSERTION_URL })).toThrow(/CRC mismatch/);
    expect(() => bakePng(good.subarray(0, good.length - 5), { version: '2.0', assertionUrl: ASSERTION_URL })).toThrow(
      PngFormatError,
    );
    const trailing = new Uint8Array([...good, 1, 2, 3]);
    expect(() => bakePng(trailing, { version: '2.0', assertionUrl: ASSERTION_URL })).toThrow(/after IEND/);
  });

  it('extracts nothing from an unbaked PNG', () => {
    expect(extractPngBadge(tinyPng({ withText: true }))).toBeUndefined();
  });
});

const ARTWORK =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100"><title>Badge</title>' +
  '<circle cx="5" cy="5" r="4" fill="#fc0"/></svg>';

describe('SVG baking', () => {
  it('adds the namespace and one <openbadges:assertion verify> right after the root start tag', () => {
    const baked = bakeSvg(ARTWORK, { version: '2.0', assertionUrl: ASSERTION_URL });
    expect(baked).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100" xmlns:openbadges="https://openbadges.org">' +
        `<openbadges:assertion verify="${ASSERTION_URL}"/>` +
        '<title>Badge</title><circle cx="5" cy="5" r="4" fill="#fc0"/></svg>',
    );
    expect(extractSvgBadge(baked)).toEqual({ version: '2.0', assertionUrl: ASSERTION_URL });
  });

  it('bakes an OB 3.0 credential as CDATA and round-trips it, even with "]]>" in the data', async () => {
    const issuer = await createTestIssuer();
    const credential = await issueOpenBadgeCredential(
      sampleCredentialInput({ evidence: [{ narrative: 'Tricky text: ]]> <script>alert(1)</script> & more' }] }),
      { key: issuer.key, documentLoader: issuer.loader },
    );
    const baked = bakeSvg(ARTWORK, { version: '3.0', credential });
    expect(baked).toContain('<openbadges:credential><![CDATA[{');
    const parsed = JSON.parse(extractSvgBadge(baked)!.json!) as object;
    expect(parsed).toEqual(credential);
    expect((await verifyCredential(parsed, { documentLoader: issuer.loader })).verified).toBe(true);
    // Still one well-formed SVG document with the badge element first.
    const { root } = parseXmlDocument(baked);
    expect(root.name).toBe('svg');
    expect(root.children[0]).toMatchObject({ kind: 'element', name: 'openbadges:credential' });
  });

  it('re-baking replaces the badge element and keeps one namespace declaration', () => {
    const once = bakeSvg(ARTWORK, { version: '2.0', assertionUrl: ASSERTION_URL });
    const twice = bakeSvg(once, { version: '3.0', credential: { id: 'urn:x' } });
    expect(twice.match(/openbadges:(assertion|credential)/g)).toEqual([
      'openbadges:credential',
      'openbadges:credential',
    ]);
    expect(twice.match(/xmlns:openbadges=/g)).toHaveLength(1);
    expect(extractSvgBadge(twice)).toEqual({ version: '3.0', json: '{"id":"urn:x"}' });
  });

  it('embeds the 2.0 assertion JSON when given, and escapes the verify URL', () => {
    const url = `${ASSERTION_URL}?a=1&b="2"`;
    const baked = bakeSvg(ARTWORK, { version: '2.0', assertionUrl: url, assertion: { id: url } });
    expect(baked).toContain('verify="https://young-ideas.example/ob/v2/assertions/1b2c3d4e-0000-4000-8000-000000000001?a=1&amp;b=&quot;2&quot;"');
    expect(extractSvgBadge(baked)).toEqual({ version: '2.0', assertionUrl: url, json: JSON.stringify({ id: url }) });
  });

  it('handles a self-closing root and the sanitiser output', () => {
    const baked = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"/>', { version: '2.0', assertionUrl: ASSERTION_URL });
    expect(baked).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org">' +
        `<openbadges:assertion verify="${ASSERTION_URL}"/></svg>`,
    );
    const clean = sanitiseSvg(`<?xml version="1.0"?>\n${ARTWORK}`);
    if (!clean.ok) throw new Error(clean.problems.join());
    expect(extractSvgBadge(bakeSvg(clean.svg, { version: '2.0', assertionUrl: ASSERTION_URL }))).toEqual({
      version: '2.0',
      assertionUrl: ASSERTION_URL,
    });
  });

  it('refuses non-SVG input', () => {
    expect(() => bakeSvg('<html><body/></html>', { version: '2.0', assertionUrl: ASSERTION_URL })).toThrow(/Not an SVG/);
    expect(() => bakeSvg('<svg>', { version: '2.0', assertionUrl: ASSERTION_URL })).toThrow(/Unclosed/);
  });
});
