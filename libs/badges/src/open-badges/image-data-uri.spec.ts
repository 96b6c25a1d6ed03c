import { describe, expect, it } from '@jest/globals';
import { tinyPng } from '../../testing/open-badges-fixtures.js';
import { MAX_BADGE_IMAGE_BYTES, parseImageDataUri } from './image-data-uri.js';

const png = tinyPng();
const pngUri = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
const svgText = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>';

describe('parseImageDataUri', () => {
  it('decodes a base64 PNG', () => {
    const result = parseImageDataUri(pngUri);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.mediaType).toBe('image/png');
      expect(Buffer.from(result.bytes).equals(Buffer.from(png))).toBe(true);
    }
  });

  it('decodes SVG as base64, percent-encoded or plain, with a charset, case-insensitively', () => {
    for (const uri of [
      `data:image/svg+xml;base64,${Buffer.from(svgText).toString('base64')}`,
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`,
      `DATA:Image/SVG+XML;CHARSET=UTF-8;BASE64,${Buffer.from(svgText).toString('base64')}`,
      `data:image/svg+xml,${svgText}`,
    ]) {
      const result = parseImageDataUri(uri);
      expect(result).toEqual({ ok: true, mediaType: 'image/svg+xml', bytes: expect.any(Uint8Array) });
      if (result.ok) expect(new TextDecoder().decode(result.bytes)).toBe(svgText);
    }
  });

  it('tolerates line-wrapped base64', () => {
    const wrapped = pngUri.slice(0, 40) + '\n' + pngUri.slice(40);
    expect(parseImageDataUri(wrapped).ok).toBe(true);
  });

  it.each([
    ['not a string', 42, /data URI string/],
    ['not a data URI', 'https://example.org/badge.png', /must be a data: URI/],
    ['unsupported type', 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', /Unsupported image type "image\/gif"/],
    ['no media type', 'data:;base64,AAAA', /Unsupported image type "\(none\)"/],
    ['HTML disguised', 'data:text/html,<script>alert(1)</script>', /Unsupported image type "text\/html"/],
    ['unknown parameter', `data:image/png;name=x.png;base64,${Buffer.from(png).toString('base64')}`, /parameter "name=x.png"/],
    ['bad base64', 'data:image/png;base64,iVBO$$w0K', /not valid base64/],
    ['PNG not base64', 'data:image/png,abc', /must be base64-encoded/],
    ['PNG that is not a PNG', `data:image/png;base64,${Buffer.from(svgText).toString('base64')}`, /not a valid PNG/],
    ['corrupt PNG', `data:image/png;base64,${Buffer.from(png.slice(0, -6)).toString('base64')}`, /not a valid PNG/],
    ['SVG that is not SVG', `data:image/svg+xml,${encodeURIComponent('<html></html>')}`, /no <svg> element/],
    ['SVG that is not UTF-8', 'data:image/svg+xml,%3Csvg%3E%FF%3C/svg%3E', /not valid UTF-8/],
    ['malformed percent-encoding', 'data:image/svg+xml,%3Csvg%ZZ', /malformed percent-encoding/],
    ['empty', 'data:image/svg+xml,', /empty/],
  ])('rejects %s', (_label, input, problem) => {
    const result = parseImageDataUri(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join(' ')).toMatch(problem);
  });

  it('enforces the 256 KB limit on the decoded image', () => {
    expect(MAX_BADGE_IMAGE_BYTES).toBe(262144);
    const body = '<svg xmlns="http://www.w3.org/2000/svg">' + ' '.repeat(MAX_BADGE_IMAGE_BYTES) + '</svg>';
    const result = parseImageDataUri(`data:image/svg+xml;base64,${Buffer.from(body).toString('base64')}`);
    expect(result).toEqual({ ok: false, problems: ['The image is 257 KB; the limit is 256 KB.'] });
    const exact = '<svg>' + ' '.repeat(MAX_BADGE_IMAGE_BYTES - 11) + '</svg>';
    expect(parseImageDataUri(`data:image/svg+xml;base64,${Buffer.from(exact).toString('base64')}`).ok).toBe(true);
    // Absurdly long inputs are refused before decoding.
    expect(parseImageDataUri(`data:image/svg+xml,${'a'.repeat(MAX_BADGE_IMAGE_BYTES * 4)}`)).toEqual({
      ok: false,
      problems: ['The image is larger than 256 KB.'],
    });
  });
});
