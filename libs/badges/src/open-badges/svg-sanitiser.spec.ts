import { describe, expect, it } from '@jest/globals';
import { sanitiseSvg } from './svg-sanitiser.js';

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"';
const svg = (body: string, rootAttributes = ''): string => `<svg ${NS} ${XLINK}${rootAttributes}>${body}</svg>`;

/** What must never survive, whatever the input. */
function assertClean(output: string): void {
  expect(output).not.toMatch(/<\s*[a-z:]*script/i);
  expect(output).not.toMatch(/foreignObject/i);
  expect(output).not.toMatch(/\son[a-z]*\s*=/i);
  expect(output.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()).not.toMatch(/(java|vb)script:/);
  expect(output).not.toMatch(/evil\.example/i);
  expect(output).not.toMatch(/<!DOCTYPE|<!ENTITY|<\?|<!\[CDATA\[|<!--/i);
  expect(output).not.toMatch(/data:image\/svg|data:text/i);
  expect(output).not.toMatch(/<(iframe|embed|object|set|animate|animateTransform|handler|listener)\b/i);
  expect(output).not.toMatch(/@import|expression\(|xml:base/i);
  // The output is itself accepted unchanged: sanitising is idempotent.
  const again = sanitiseSvg(output);
  expect(again.ok && again.svg).toBe(output);
}

// [label, input, expected outcome] — 'reject' when the input must be refused outright, 'strip' when it
// must be accepted with the attack removed (either way assertClean holds for whatever is returned).
const BATTERY: Array<[string, string, 'reject' | 'strip']> = [
  ['script element', svg('<script>alert(1)</script><rect width="1" height="1"/>'), 'strip'],
  ['mixed-case script', svg('<ScRiPt>alert(1)</ScRiPt>'), 'strip'],
  ['script with CDATA body', svg('<script><![CDATA[alert(1)]]></script>'), 'strip'],
  ['prefixed svg:script', svg('<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>'), 'strip'],
  ['xhtml script via default namespace rebinding', svg('<g xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></g>'), 'strip'],
  ['script nested deep', svg('<g><g><g><defs><script>alert(1)</script></defs></g></g></g>'), 'strip'],
  ['onload on root', `<svg ${NS} onload="alert(1)"><rect/></svg>`, 'strip'],
  ['mixed-case event attribute', svg('<rect ONCLICK="alert(1)" onMouseOver="alert(2)"/>'), 'strip'],
  ['event attribute with whitespace around =', svg('<rect onclick = "alert(1)"/>'), 'strip'],
  ['event attribute with newline around =', svg('<rect\nonfocus\n=\n"alert(1)"/>'), 'strip'],
  ['namespaced event attribute', svg('<rect xlink:onclick="alert(1)"/>'), 'strip'],
  ['whitespace splitting an attribute name', svg('<rect on click="alert(1)"/>'), 'reject'],
  ['HTML-style slash attribute', `<svg/onload=alert(1)>`, 'reject'],
  ['unquoted attribute', svg('<rect onclick=alert(1)/>'), 'reject'],
  ['entity in attribute name', svg('<rect &#111;nclick="alert(1)"/>'), 'reject'],
  ['duplicate attribute', svg('<a href="#a" href="javascript:alert(1)"/>'), 'reject'],
  ['foreignObject with HTML', svg('<foreignObject><iframe src="javascript:alert(1)"/></foreignObject>'), 'strip'],
  ['mixed-case foreignobject', svg('<foreignobject><div>hi</div></foreignobject>'), 'strip'],
  ['iframe / embed / object', svg('<iframe src="https://evil.example"/><embed src="x"/><object data="x"/>'), 'strip'],
  ['javascript: href', svg('<a href="javascript:alert(1)"><rect/></a>'), 'strip'],
  ['javascript: xlink:href with entities', svg('<a xlink:href="&#106;avascript&#58;alert(1)"><rect/></a>'), 'strip'],
  ['javascript: with tab and newline char refs', svg('<a href="java&#x09;scr&#10;ipt:alert(1)"><rect/></a>'), 'strip'],
  ['javascript: with leading spaces and case', svg('<a href="  JaVaScRiPt:alert(1)"><rect/></a>'), 'strip'],
  ['javascript: via named entity', svg('<a href="javascript&colon;alert(1)"/>'), 'reject'],
  ['NUL character reference', svg('<a href="java&#0;script:alert(1)"/>'), 'reject'],
  ['vbscript: in any attribute', svg('<rect fill="vbscript:msgbox(1)"/>'), 'strip'],
  ['external use', svg('<use href="https://evil.example/sprite.svg#icon"/>'), 'strip'],
  ['external use via xlink', svg('<use xlink:href="//evil.example/sprite.svg#icon"/>'), 'strip'],
  ['use of an svg data URI', svg('<use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#x"/>'), 'strip'],
  ['external image', svg('<image href="https://evil.example/track.png" width="1" height="1"/>'), 'strip'],
  ['svg data URI image', svg('<image href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>'), 'strip'],
  ['html data URI link', svg('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><rect/></a>'), 'strip'],
  ['external feImage', svg('<filter id="f"><feImage href="https://evil.example/x.png"/></filter>'), 'strip'],
  ['external paint server url()', svg('<rect fill="url(https://evil.example/p.svg#g)"/>'), 'strip'],
  ['external url() in a filter attribute', svg('<g filter="url( \'//evil.example/f.svg#f\' )"/>'), 'strip'],
  ['external url() in a style attribute', svg('<rect style="fill:url(https://evil.example/a#b)"/>'), 'strip'],
  ['CSS escape hiding url()', svg('<rect style="background:u\\72l(https://evil.example)"/>'), 'strip'],
  ['style element @import', svg('<style>@import url(https://evil.example/x.css);</style>'), 'strip'],
  ['style element javascript url in CDATA', svg('<style><![CDATA[rect{background:url(javascript:alert(1))}]]></style>'), 'strip'],
  ['style element expression()', svg('<style>rect{width:expression(alert(1))}</style>'), 'strip'],
  ['style element image-set', svg('<style>rect{background:image-set("https://evil.example/x.png" 1x)}</style>'), 'strip'],
  ['SMIL set of an event attribute', svg('<rect><set attributeName="onmouseover" to="alert(1)"/></rect>'), 'strip'],
  ['SMIL animate of href', svg('<a href="#x"><animate attributeName="href" values="javascript:alert(1)"/></a>'), 'strip'],
  ['handler / listener (SVG Tiny)', svg('<handler type="text/javascript">alert(1)</handler><listener event="click"/>'), 'strip'],
  ['xml:base rewriting relative references', svg('<g xml:base="https://evil.example/"><use href="#a"/></g>'), 'strip'],
  ['processing instruction stylesheet', `<?xml-stylesheet type="text/xsl" href="https://evil.example/x.xsl"?>${svg('<rect/>')}`, 'strip'],
  ['DOCTYPE with an internal ENTITY expanding to script', `<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>${svg('<g>&x;</g>')}`, 'reject'],
  ['DOCTYPE with an unused ENTITY', `<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>"> <!-- ] > -->]>${svg('<rect/>')}`, 'strip'],
  ['external entity (XXE)', `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${svg('<text>&xxe;</text>')}`, 'reject'],
  ['billion laughs', `<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>${svg('<text>&b;</text>')}`, 'reject'],
  ['CDATA section hiding markup', svg('<text><![CDATA[<script>alert(1)</script>]]></text>'), 'strip'],
  ['comment hiding markup', svg('<!--<script>alert(1)</script>--><rect/>'), 'strip'],
  ['tag split across a nested tag', svg('<scr<script>ipt>alert(1)</script>'), 'reject'],
  ['mismatched end tag', svg('<g><script></g></script>'), 'reject'],
  ['unclosed element', `<svg ${NS}><g>`, 'reject'],
  ['stray < in attribute', svg('<rect title="<script>"/>'), 'reject'],
  ['javascript: as text', svg('<text>javascript:alert(1)</text>'), 'strip'],
  ['xlink namespace rebound to another namespace', svg('<a xmlns:xlink="https://evil.example/ns" xlink:href="javascript:alert(1)"/>'), 'strip'],
  ['second root element', `${svg('<rect/>')}<script>alert(1)</script>`, 'reject'],
  ['text after the root', `${svg('<rect/>')}alert(1)`, 'reject'],
];

describe('SVG sanitiser — attack battery', () => {
  it.each(BATTERY)('%s', (_label, input, expected) => {
    const result = sanitiseSvg(input);
    if (expected === 'reject') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
      return;
    }
    expect(result.ok).toBe(true);
    if (result.ok) {
      assertClean(result.svg);
      expect(result.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    }
  });
});

describe('SVG sanitiser — what it keeps', () => {
  it('keeps ordinary artwork, local references, gradients, safe CSS and raster data images', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const input =
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- made in an editor -->\n` +
      `<svg ${NS} ${XLINK} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 100 100" inkscape:version="1.3">` +
      '<title>Idea maker &amp; friends</title>' +
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#fc0"/></linearGradient>' +
      '<symbol id="star"><path d="M0 0L10 10Z"/></symbol></defs>' +
      '<style>.a > path { fill: url(#g); stroke: #000 }</style>' +
      '<g class="a" transform="translate(5 5)" style="opacity:0.9"><use href="#star"/><use xlink:href="#star"/></g>' +
      `<image href="${png}" width="10" height="10"/>` +
      '<a href="#star"><text x="1" y="2" xml:space="preserve">Young &lt;Ideas&gt;</text></a>' +
      '<circle cx="50" cy="50" r="40" fill="url(#g)" clip-path="url(\'#g\')"/>' +
      '</svg>';
    const result = sanitiseSvg(input);
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.svg).toBe(
      `<svg ${NS} ${XLINK} viewBox="0 0 100 100">` +
        '<title>Idea maker &amp; friends</title>' +
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fc0"/></linearGradient>' +
        '<symbol id="star"><path d="M0 0L10 10Z"/></symbol></defs>' +
        '<style>.a &gt; path { fill: url(#g); stroke: #000 }</style>' +
        '<g class="a" transform="translate(5 5)" style="opacity:0.9"><use href="#star"/><use xlink:href="#star"/></g>' +
        `<image href="${png}" width="10" height="10"/>` +
        '<a href="#star"><text x="1" y="2" xml:space="preserve">Young &lt;Ideas&gt;</text></a>' +
        `<circle cx="50" cy="50" r="40" fill="url(#g)" clip-path="url('#g')"/>` +
        '</svg>',
    );
    expect(result.removed).toEqual(['attribute inkscape:version']);
  });

  it('adds the SVG namespace when it is missing and accepts UTF-8 bytes', () => {
    const result = sanitiseSvg(new TextEncoder().encode('\ufeff<svg width="1"><text>é</text></svg>'));
    expect(result).toEqual({ ok: true, svg: `<svg ${NS} width="1"><text>é</text></svg>`, removed: [] });
  });

  it('reports what it removed', () => {
    const result = sanitiseSvg(svg('<script>x</script><rect onclick="x" fill="url(https://evil.example/#a)"/>'));
    expect(result.ok && result.removed.sort()).toEqual(['attribute fill', 'attribute onclick', 'element <script>']);
  });
});

describe('SVG sanitiser — rejects what is not SVG', () => {
  it.each([
    ['empty', ''],
    ['plain text', 'hello'],
    ['HTML', '<html><body><svg></svg></body></html>'],
    ['SVG root in another namespace', '<svg xmlns="http://www.w3.org/1999/xhtml"><rect/></svg>'],
    ['prefixed SVG root', '<s:svg xmlns:s="http://www.w3.org/2000/svg"/>'],
    ['PNG bytes', '\u0089PNG\r\n\u001a\n'],
  ])('%s', (_label, input) => {
    expect(sanitiseSvg(input).ok).toBe(false);
  });

  it('rejects invalid UTF-8 and over-deep nesting', () => {
    expect(sanitiseSvg(Uint8Array.of(0x3c, 0x73, 0x76, 0x67, 0xff, 0x3e))).toEqual({
      ok: false,
      problems: ['The SVG is not valid UTF-8.'],
    });
    const deep = svg('<g>'.repeat(100) + '</g>'.repeat(100));
    expect(sanitiseSvg(deep).ok).toBe(false);
  });
});
