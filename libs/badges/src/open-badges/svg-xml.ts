/*
 * A small, strict XML tokenizer for badge SVGs, shared by the sanitiser and the SVG baker. No XML parser
 * package is available, and a permissive hand-written parser is exactly where sanitiser bypasses come
 * from, so this one is deliberately narrower than XML: anything it does not fully understand is an error
 * and the caller rejects the image.
 *
 * What it accepts: elements and attributes with ASCII names (prefixes allowed), quoted attribute values
 * without "<", text, CDATA sections, comments, processing instructions, one DOCTYPE (internal subset
 * skipped over, never interpreted), the five predefined entities and numeric character references to XML
 * characters. What it rejects: any other entity reference (so DTD-declared entities cannot expand into
 * markup after the DTD is dropped), bare "&", attributes without a value or without whitespace before
 * them, duplicate attributes, "]]>" in text, characters outside XML's Char production, other "<!"
 * declarations. Well-formedness of nesting is checked by the callers (they build a tree).
 */

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlAttribute {
  name: string;
  /** Decoded value (entities resolved, literal tab/newline normalised to spaces as XML does). */
  value: string;
}

export type XmlToken =
  | { kind: 'text'; value: string; start: number; end: number }
  | { kind: 'cdata'; value: string; start: number; end: number }
  | { kind: 'comment'; start: number; end: number }
  | { kind: 'pi'; target: string; start: number; end: number }
  | { kind: 'doctype'; start: number; end: number }
  | { kind: 'start'; name: string; attributes: XmlAttribute[]; selfClosing: boolean; start: number; end: number }
  | { kind: 'end'; name: string; start: number; end: number };

const NAME = /[A-Za-z_][A-Za-z0-9._:-]*/y;
const WHITESPACE = /[ \t\r\n]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function assertXmlChars(text: string, offset: number): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    else if (code >= 0xd800 && code <= 0xdfff) throw new XmlSyntaxError('Unpaired surrogate', offset + i);
    if (!isXmlChar(code)) throw new XmlSyntaxError(`Character U+${code.toString(16)} is not allowed in XML`, offset + i);
  }
}

/** Resolves the predefined entities and character references; anything else is an error. */
export function decodeXmlEntities(raw: string, offset: number): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    const semi = raw.indexOf(';', amp);
    if (semi < 0 || semi - amp > 12) throw new XmlSyntaxError('Bare "&" or unterminated reference', offset + amp);
    const ref = raw.slice(amp + 1, semi);
    let char: string;
    if (/^#[0-9]{1,7}$/.test(ref) || /^#x[0-9a-fA-F]{1,6}$/.test(ref)) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(code)) throw new XmlSyntaxError(`Character reference &${ref}; is not an XML character`, offset + amp);
      char = String.fromCodePoint(code);
    } else if (Object.hasOwn(PREDEFINED, ref)) {
      char = PREDEFINED[ref];
    } else {
      throw new XmlSyntaxError(`Undefined entity &${ref};`, offset + amp);
    }
    out += char;
    i = semi + 1;
  }
  return out;
}

export function tokenizeXml(source: string): XmlToken[] {
  assertXmlChars(source, 0);
  const tokens: XmlToken[] = [];
  let i = 0;

  const readName = (at: number): string | undefined => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    return match ? match[0] : undefined;
  };
  const skipWhitespace = (at: number): number => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(source);
    return WHITESPACE.lastIndex;
  };

  while (i < source.length) {
    const start = i;
    if (source[i] !== '<') {
      const next = source.indexOf('<', i);
      const end = next < 0 ? source.length : next;
      const raw = source.slice(i, end);
      if (raw.includes(']]>')) throw new XmlSyntaxError('"]]>" is not allowed in text', i + raw.indexOf(']]>'));
      tokens.push({ kind: 'text', value: decodeXmlEntities(raw, i), start, end });
      i = end;
      continue;
    }

    if (source.startsWith('<!--', i)) {
      const close = source.indexOf('-->', i + 4);
      if (close < 0) throw new XmlSyntaxError('Unterminated comment', i);
      i = close + 3;
      tokens.push({ kind: 'comment', start, end: i });
      continue;
    }

    if (source.startsWith('<![CDATA[', i)) {
      const close = source.indexOf(']]>', i + 9);
      if (close < 0) throw new XmlSyntaxError('Unterminated CDATA section', i);
      tokens.push({ kind: 'cdata', value: source.slice(i + 9, close), start, end: close + 3 });
      i = close + 3;
      continue;
    }

    if (/^<!DOCTYPE/i.test(source.slice(i, i + 9))) {
      i = skipDoctype(source, i);
      tokens.push({ kind: 'doctype', start, end: i });
      continue;
    }

    if (source.startsWith('<!', i)) throw new XmlSyntaxError('Unsupported markup declaration', i);

    if (source.startsWith('<?', i)) {
      const close = source.indexOf('?>', i + 2);
      if (close < 0) throw new XmlSyntaxError('Unterminated processing instruction', i);
      tokens.push({ kind: 'pi', target: readName(i + 2) ?? '', start, end: close + 2 });
      i = close + 2;
      continue;
    }

    if (source.startsWith('</', i)) {
      const name = readName(i + 2);
      if (!name) throw new XmlSyntaxError('Malformed end tag', i);
      const after = skipWhitespace(i + 2 + name.length);
      if (source[after] !== '>') throw new XmlSyntaxError(`Malformed end tag </${name}`, i);
      i = after + 1;
      tokens.push({ kind: 'end', name, start, end: i });
      continue;
    }

    const name = readName(i + 1);
    if (!name) throw new XmlSyntaxError('"<" that does not start a tag', i);
    let j = i + 1 + name.length;
    const attributes: XmlAttribute[] = [];
    const seen = new Set<string>();
    let selfClosing = false;
    for (;;) {
      const afterSpace = skipWhitespace(j);
      if (source.startsWith('/>', afterSpace)) {
        selfClosing = true;
        j = afterSpace + 2;
        break;
      }
      if (source[afterSpace] === '>') {
        j = afterSpace + 1;
        break;
      }
      if (afterSpace === j) throw new XmlSyntaxError(`Expected whitespace, ">" or "/>" in <${name}>`, j);
      const attrName = readName(afterSpace);
      if (!attrName) throw new XmlSyntaxError(`Malformed attribute in <${name}>`, afterSpace);
      let k = skipWhitespace(afterSpace + attrName.length);
      if (source[k] !== '=') throw new XmlSyntaxError(`Attribute ${attrName} has no value`, k);
      k = skipWhitespace(k + 1);
      const quote = source[k];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`Unquoted value for ${attrName}`, k);
      const close = source.indexOf(quote, k + 1);
      if (close < 0) throw new XmlSyntaxError(`Unterminated value for ${attrName}`, k);
      const raw = source.slice(k + 1, close);
      if (raw.includes('<')) throw new XmlSyntaxError(`"<" in the value of ${attrName}`, k);
      if (seen.has(attrName)) throw new XmlSyntaxError(`Duplicate attribute ${attrName}`, afterSpace);
      seen.add(attrName);
      // Attribute-value normalisation: literal tab/CR/LF become spaces; character references survive.
      attributes.push({ name: attrName, value: decodeXmlEntities(raw.replace(/[\t\r\n]/g, ' '), k + 1) });
      j = close + 1;
    }
    tokens.push({ kind: 'start', name, attributes, selfClosing, start, end: j });
    i = j;
  }
  return tokens;
}

/** Skips `<!DOCTYPE … [internal subset] >` without interpreting it; returns the offset after it. */
function skipDoctype(source: string, from: number): number {
  let i = from + 9;
  let inSubset = false;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '"' || ch === "'") {
      const close = source.indexOf(ch, i + 1);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (inSubset && source.startsWith('<!--', i)) {
      const close = source.indexOf('-->', i + 4);
      if (close < 0) break;
      i = close + 3;
      continue;
    }
    if (ch === '[' && !inSubset) inSubset = true;
    else if (ch === ']' && inSubset) inSubset = false;
    else if (ch === '>' && !inSubset) return i + 1;
    i++;
  }
  throw new XmlSyntaxError('Unterminated DOCTYPE', from);
}

export function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes for a double-quoted attribute; tab/CR/LF as references so they survive normalisation. */
export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Source offsets of the start tag, and of the end of the element (after its end tag). */
  start: number;
  startTagEnd: number;
  end: number;
  selfClosing: boolean;
}
export type XmlNode = XmlElement | { kind: 'text'; value: string; cdata: boolean };

export interface XmlDocument {
  root: XmlElement;
  /** Whether the prolog or epilogue carried a DOCTYPE / processing instructions (dropped by the tree). */
  hadDoctype: boolean;
  hadProcessingInstructions: boolean;
}

/**
 * Builds the element tree and checks well-formedness: properly nested tags, exactly one root element,
 * nothing but whitespace, comments and PIs around it. Comments and PIs are dropped from the tree.
 */
export function parseXmlDocument(source: string, options: { maxDepth?: number } = {}): XmlDocument {
  const maxDepth = options.maxDepth ?? 128;
  const tokens = tokenizeXml(source);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let hadDoctype = false;
  let hadProcessingInstructions = false;

  for (const token of tokens) {
    const parent = stack[stack.length - 1];
    switch (token.kind) {
      case 'comment':
        break;
      case 'pi':
        hadProcessingInstructions = true;
        break;
      case 'doctype':
        if (root || hadDoctype) throw new XmlSyntaxError('DOCTYPE in the wrong place', token.start);
        hadDoctype = true;
        break;
      case 'text':
      case 'cdata':
        if (parent) parent.children.push({ kind: 'text', value: token.value, cdata: token.kind === 'cdata' });
        else if (token.kind === 'cdata' || token.value.trim()) {
          throw new XmlSyntaxError('Content outside the root element', token.start);
        }
        break;
      case 'start': {
        const element: XmlElement = {
          kind: 'element',
          name: token.name,
          attributes: token.attributes,
          children: [],
          start: token.start,
          startTagEnd: token.end,
          end: token.end,
          selfClosing: token.selfClosing,
        };
        if (parent) parent.children.push(element);
        else if (root) throw new XmlSyntaxError('More than one root element', token.start);
        else root = element;
        if (!token.selfClosing) {
          if (stack.length >= maxDepth) throw new XmlSyntaxError(`Elements nested deeper than ${maxDepth}`, token.start);
          stack.push(element);
        }
        break;
      }
      case 'end': {
        const open = stack.pop();
        if (!open || open.name !== token.name) {
          throw new XmlSyntaxError(`End tag </${token.name}> does not match <${open?.name ?? ''}>`, token.start);
        }
        open.end = token.end;
        break;
      }
    }
  }
  if (stack.length) throw new XmlSyntaxError(`Unclosed element <${stack[stack.length - 1].name}>`, source.length);
  if (!root) throw new XmlSyntaxError('No root element', 0);
  return { root, hadDoctype, hadProcessingInstructions };
}
