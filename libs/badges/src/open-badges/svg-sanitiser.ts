import {
  escapeXmlAttribute,
  escapeXmlText,
  parseXmlDocument,
  XmlSyntaxError,
  type XmlAttribute,
  type XmlElement,
  type XmlNode,
} from './svg-xml.js';

/*
 * Badge SVG sanitiser (SPEC §2.5: no script, foreignObject, event attributes or external references).
 *
 * Approach — parse strictly, rebuild from an allowlist, never pass source text through:
 *  1. The input is parsed by the strict tokenizer in svg-xml.ts. Anything outside its narrow XML subset
 *     (undefined entities, unquoted or value-less attributes, stray "<", mismatched tags, non-ASCII names,
 *     invalid characters, over-deep nesting, more than 1 MiB) rejects the whole image rather than being
 *     "repaired", because repairs are where parser-differential bypasses live.
 *  2. The output is serialised afresh from the tree: every attribute value and text node is re-escaped,
 *     CDATA becomes escaped text, comments, processing instructions (including <?xml-stylesheet?>) and the
 *     DOCTYPE with any ENTITY declarations are dropped. Entity expansion cannot happen: the only entities
 *     accepted are XML's five predefined ones and character references.
 *  3. Elements are kept only if their (case-sensitive, unprefixed) name is on an SVG allowlist of shapes,
 *     text, paint servers, clipping/masking, filters and structure. Everything else is removed with its
 *     subtree: script, foreignObject, SMIL animation (animate/set can write href or on* attributes),
 *     iframe/embed/object, any prefixed element (svg:script, inkscape:*, rdf metadata).
 *  4. Attributes are kept only if unprefixed with an ASCII name, or one of xlink:href, xlink:title,
 *     xml:space, xml:lang; every on* attribute is dropped (any case); namespace declarations are replaced
 *     by the ones the output needs; href/xlink:href must be a "#fragment" (or, on <image>/<feImage>, a
 *     base64 data:image/png|jpeg|gif URI) — otherwise the attribute is dropped, and <use>, <image> and
 *     <feImage> pointing elsewhere are dropped entirely. Any value that mentions a script URL scheme
 *     (after removing whitespace/control characters, any case) or a url(...) that is not "#fragment" is
 *     dropped; style attributes and <style> elements go through the same conservative CSS check (no
 *     backslash escapes, @import, expression(), image-set(), bindings, script schemes, external url()).
 *  5. Text containing "javascript:" (normalised as above) is dropped too: badges never need it.
 *
 * Limits: this is not a general XML or CSS parser. It knows no namespaces beyond the prefix rules above
 * (an SVG written with a prefixed SVG namespace is rejected/emptied rather than understood), it drops
 * unusual but harmless content (metadata, editor attributes, animation, external links), and its CSS check
 * is pattern-based, so it errs towards dropping styles. It does not make an SVG cheap to render (filters
 * and huge paths can still be costly): the 256 KB input limit and serving images with
 * `Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'` and `nosniff` remain
 * necessary — the CSP is the second wall should anything slip through.
 */

export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
export const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';
export const MAX_SVG_INPUT_BYTES = 1024 * 1024;

export type SvgSanitiseResult =
  | { ok: true; svg: string; removed: string[] }
  | { ok: false; problems: string[] };

const ALLOWED_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'switch', 'a', 'style',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'image',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix',
  'feDiffuseLighting', 'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA',
  'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feImage', 'feMerge', 'feMergeNode', 'feMorphology',
  'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile', 'feTurbulence',
]);

/** Elements whose whole purpose is their reference: pointing outside the document means dropping them. */
const REFERENCING_ELEMENTS = new Set(['use', 'image', 'feImage']);
/** Elements that may embed a raster image as a data URI. */
const IMAGE_ELEMENTS = new Set(['image', 'feImage']);

const PREFIXED_ATTRIBUTES_ALLOWED = new Set(['xlink:href', 'xlink:title', 'xml:space', 'xml:lang']);
const PLAIN_ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const FRAGMENT_REF = /^#[A-Za-z_][A-Za-z0-9._:-]*$/;
const RASTER_DATA_URI = /^data:image\/(png|jpeg|gif);base64,[A-Za-z0-9+/]+={0,2}$/i;
const SCRIPT_SCHEME = /(java|vb|live)script:/;

/** Lower-cased, with whitespace, control and invisible formatting characters removed: defeats "java\tscript:". */
function normaliseForScan(value: string): string {
  return value.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g, '').toLowerCase();
}

/** Every url(...) in the value must be a local "#fragment" reference. */
function hasOnlyLocalUrls(scanned: string): boolean {
  const urls = scanned.match(/url\(([^)]*)\)?/g) ?? [];
  return urls.every((match) => {
    const inner = match.slice(4).replace(/\)$/, '').replace(/^['"]|['"]$/g, '');
    return FRAGMENT_REF.test(inner);
  });
}

function isSafeCss(css: string): boolean {
  // CSS escapes (\6a, \75 rl) can spell anything; badge styles do not need them.
  if (css.includes('\\')) return false;
  const scanned = normaliseForScan(css.replace(/\/\*[\s\S]*?\*\//g, ''));
  if (/@import|expression\(|image-set\(|-moz-binding|behavior:|<|@namespace/.test(scanned)) return false;
  if (SCRIPT_SCHEME.test(scanned)) return false;
  return hasOnlyLocalUrls(scanned);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

class Sanitiser {
  readonly removed = new Set<string>();
  usesXlink = false;

  element(node: XmlElement, isRoot: boolean): string {
    if (!ALLOWED_ELEMENTS.has(node.name)) {
      this.removed.add(`element <${node.name}>`);
      return '';
    }
    const kept: XmlAttribute[] = [];
    for (const attribute of node.attributes) {
      const verdict = this.attribute(node.name, attribute, isRoot);
      if (verdict === 'drop-element') {
        this.removed.add(`element <${node.name}> with an external reference`);
        return '';
      }
      if (verdict === 'keep') kept.push(attribute);
    }

    let content = '';
    if (node.name === 'style') {
      const css = node.children.map((child) => (child.kind === 'text' ? child.value : '\u0000')).join('');
      if (css.includes('\u0000') || !isSafeCss(css)) {
        this.removed.add('unsafe <style>');
        return '';
      }
      content = escapeXmlText(css);
    } else {
      content = node.children.map((child) => this.node(child)).join('');
    }

    const attributes = kept.map((a) => ` ${a.name}="${escapeXmlAttribute(a.value)}"`).join('');
    if (isRoot) {
      // The namespace declarations are ours: SVG as the default namespace, xlink only when used.
      const namespaces = ` xmlns="${SVG_NAMESPACE}"` + (this.usesXlink ? ` xmlns:xlink="${XLINK_NAMESPACE}"` : '');
      return `<svg${namespaces}${attributes}>${content}</svg>`;
    }
    return content ? `<${node.name}${attributes}>${content}</${node.name}>` : `<${node.name}${attributes}/>`;
  }

  node(node: XmlNode): string {
    if (node.kind === 'element') return this.element(node, false);
    if (SCRIPT_SCHEME.test(normaliseForScan(node.value))) {
      this.removed.add('text with a script URL');
      return '';
    }
    return escapeXmlText(node.value);
  }

  attribute(element: string, attribute: XmlAttribute, isRoot: boolean): 'keep' | 'drop' | 'drop-element' {
    const { name, value } = attribute;
    // Namespace declarations: the root's are rewritten by element(); elsewhere they could only re-bind.
    if (name === 'xmlns' || name.startsWith('xmlns:')) return 'drop';
    if (/^on/i.test(localName(name))) {
      this.removed.add(`attribute ${name}`);
      return 'drop';
    }
    if (name.includes(':') ? !PREFIXED_ATTRIBUTES_ALLOWED.has(name) : !PLAIN_ATTRIBUTE.test(name)) {
      this.removed.add(`attribute ${name}`);
      return 'drop';
    }
    const scanned = normaliseForScan(value);
    if (localName(name) === 'href') {
      const target = value.trim();
      const local = FRAGMENT_REF.test(target);
      const raster = IMAGE_ELEMENTS.has(element) && RASTER_DATA_URI.test(target.replace(/\s+/g, ''));
      if (!local && !raster) {
        if (REFERENCING_ELEMENTS.has(element)) return 'drop-element';
        this.removed.add(`external ${name}`);
        return 'drop';
      }
      if (raster) attribute.value = target.replace(/\s+/g, '');
      if (name.startsWith('xlink:')) this.usesXlink = true;
      return 'keep';
    }
    if (name === 'xlink:title') this.usesXlink = true;
    if (SCRIPT_SCHEME.test(scanned) || (name === 'style' ? !isSafeCss(value) : !hasOnlyLocalUrls(scanned))) {
      this.removed.add(`attribute ${name}`);
      return 'drop';
    }
    if (/^(src|xml:base|srcdoc|formaction|action)$/i.test(name)) {
      this.removed.add(`attribute ${name}`);
      return 'drop';
    }
    return 'keep';
  }
}

/**
 * Sanitises an SVG given as text or UTF-8 bytes. Returns the rebuilt SVG (standalone, UTF-8, no XML
 * declaration) and a list of what was removed (element/attribute names only, for logs), or the problems
 * that made it reject the input.
 */
export function sanitiseSvg(input: string | Uint8Array): SvgSanitiseResult {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return { ok: false, problems: ['The SVG is not valid UTF-8.'] };
    }
  }
  if (text.length > MAX_SVG_INPUT_BYTES) return { ok: false, problems: ['The SVG is larger than 1 MiB.'] };
  text = text.replace(/^\ufeff/, '');

  let root: XmlElement;
  try {
    ({ root } = parseXmlDocument(text, { maxDepth: 64 }));
  } catch (error) {
    const reason = error instanceof XmlSyntaxError ? error.message : 'unreadable';
    return { ok: false, problems: [`The image is not a well-formed SVG this sanitiser accepts: ${reason}.`] };
  }
  if (root.name !== 'svg') return { ok: false, problems: [`The root element is <${root.name}>, not <svg>.`] };
  const declared = root.attributes.find((a) => a.name === 'xmlns');
  if (declared && declared.value !== SVG_NAMESPACE) {
    return { ok: false, problems: ['The root element is not in the SVG namespace.'] };
  }

  const sanitiser = new Sanitiser();
  // Children first, so the root knows whether any xlink attribute survived when it writes its namespaces.
  const svg = sanitiser.element(root, true);
  return { ok: true, svg, removed: [...sanitiser.removed] };
}
