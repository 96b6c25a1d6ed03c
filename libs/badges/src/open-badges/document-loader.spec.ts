import { describe, expect, it } from '@jest/globals';
import { readStandardJson } from '../../testing/open-badges-fixtures.js';
import {
  BUNDLED_CONTEXT_URLS,
  DocumentNotAvailableError,
  OB_V3_CONTEXT_URL,
  bundledContext,
  createDocumentLoader,
} from './document-loader.js';

describe('offline document loader', () => {
  it('holds exactly the bundled contexts', () => {
    expect([...BUNDLED_CONTEXT_URLS].sort()).toEqual([
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://w3id.org/security/multikey/v1',
      'https://www.w3.org/ns/credentials/v2',
      'https://www.w3.org/ns/did/v1',
    ]);
  });

  it('bundles the same OB 3.0.3 context as the 1EdTech published file', () => {
    expect(bundledContext(OB_V3_CONTEXT_URL)).toEqual(readStandardJson('openbadges-3.0', 'context-3.0.3.json'));
  });

  it('answers bundled contexts as RemoteDocuments', async () => {
    const loader = createDocumentLoader();
    const remote = await loader('https://www.w3.org/ns/credentials/v2');
    expect(remote.documentUrl).toBe('https://www.w3.org/ns/credentials/v2');
    expect(remote.contextUrl).toBeNull();
    expect(remote.document).toHaveProperty('@context');
  });

  it('refuses unknown URLs with a clear error instead of fetching them', async () => {
    const loader = createDocumentLoader();
    const attempt = loader('https://example.org/some/context.jsonld');
    await expect(attempt).rejects.toBeInstanceOf(DocumentNotAvailableError);
    await expect(attempt).rejects.toThrow(/never fetches from the network/);
    // Older or sibling context versions are deliberately not answered either.
    await expect(loader('https://purl.imsglobal.org/spec/ob/v3p0/context.json')).rejects.toThrow(/no document/);
  });

  it('serves extra documents by URL, copied at creation', async () => {
    const extra = { id: 'https://app.example/doc', value: 1 };
    const loader = createDocumentLoader({ documents: new Map([[extra.id, extra]]) });
    extra.value = 2;
    expect((await loader(extra.id)).document).toEqual({ id: 'https://app.example/doc', value: 1 });
  });

  it('resolves a fragment to the matching node of its document, with the document context', async () => {
    const controller = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: 'https://app.example/ob/v3/issuer',
      assertionMethod: [{ id: 'https://app.example/ob/v3/issuer#key-1', type: 'Multikey', controller: 'x' }],
    };
    const loader = createDocumentLoader({ documents: { [controller.id]: controller } });
    expect((await loader('https://app.example/ob/v3/issuer#key-1')).document).toEqual({
      '@context': controller['@context'],
      id: 'https://app.example/ob/v3/issuer#key-1',
      type: 'Multikey',
      controller: 'x',
    });
    await expect(loader('https://app.example/ob/v3/issuer#key-2')).rejects.toThrow(/#key-2/);
  });

  it('asks resolveDocument last, for documents that change', async () => {
    let version = 1;
    const asked: string[] = [];
    const loader = createDocumentLoader({
      resolveDocument: (url) => {
        asked.push(url);
        return url === 'https://app.example/status/1' ? { version } : undefined;
      },
    });
    expect((await loader('https://app.example/status/1')).document).toEqual({ version: 1 });
    version = 2;
    expect((await loader('https://app.example/status/1')).document).toEqual({ version: 2 });
    await expect(loader('https://app.example/other')).rejects.toBeInstanceOf(DocumentNotAvailableError);
    await loader('https://www.w3.org/ns/did/v1');
    expect(asked).not.toContain('https://www.w3.org/ns/did/v1');
  });
});
