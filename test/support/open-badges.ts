/*
 * Helpers for the badge e2e specs: fetching the public Open Badges documents from the app under test by
 * their absolute URLs (on PUBLIC_BASE_URL), and a verifier's offline document loader holding only the
 * bundled JSON-LD contexts and documents fetched from the app.
 */
import type { Response } from 'supertest';
import { createDocumentLoader, type DocumentLoader } from '@app/badges';
import type { TestApp } from './test-app.js';
import { tinyPng } from '../../libs/badges/testing/open-badges-fixtures.js';

export { achievementCredentialValidator, tinyPng } from '../../libs/badges/testing/open-badges-fixtures.js';

export const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';

/** The path of an absolute URL the app published, checking it is on the app's public base URL. */
export function pathOf(t: TestApp, url: string): string {
  const base = new URL(t.config.http.publicBaseUrl);
  const target = new URL(url);
  if (target.origin !== base.origin) throw new Error(`${url} is not on ${base.origin}`);
  return target.pathname + target.search;
}

/** Reads any body as bytes (images, JSON-LD with its own media type). */
function asBytes(res: NodeJS.ReadableStream & { setEncoding?: unknown }, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

export interface Fetched {
  status: number;
  type: string;
  headers: Record<string, string>;
  bytes: Buffer;
  text: string;
  json: any;
}

/** GET an absolute URL the app published (no credentials: public documents). */
export async function fetchPublic(t: TestApp, url: string): Promise<Fetched> {
  const res: Response = await t.http().get(pathOf(t, url)).buffer(true).parse(asBytes as never);
  const bytes = res.body as Buffer;
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: String(res.headers['content-type'] ?? ''), headers: res.headers as Record<string, string>, bytes, text, json };
}

/**
 * What an independent verifier would build: the bundled contexts plus the credential's controller
 * document and status list, fetched from the app (never from elsewhere).
 */
export async function verifierLoader(t: TestApp, credential: { issuer: { id: string }; credentialStatus?: { statusListCredential: string } }): Promise<DocumentLoader> {
  const documents: Record<string, object> = {};
  const controller = await fetchPublic(t, credential.issuer.id);
  if (controller.status !== 200) throw new Error(`controller document: ${controller.status}`);
  documents[credential.issuer.id] = controller.json;
  if (credential.credentialStatus) {
    const list = await fetchPublic(t, credential.credentialStatus.statusListCredential);
    if (list.status !== 200) throw new Error(`status list: ${list.status}`);
    documents[credential.credentialStatus.statusListCredential] = list.json;
  }
  return createDocumentLoader({ documents });
}

export const dataUri = (mediaType: string, bytes: Uint8Array | string) => `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;

export const pngDataUri = () => dataUri('image/png', tinyPng());

/** A new badge (PNG unless `image` is given) created by the organiser; returns the badge shape. */
export async function aBadge(t: TestApp, organiser: { auth: Record<string, string> }, overrides: Record<string, unknown> = {}) {
  const slug = `badge-${Math.random().toString(36).slice(2, 10)}`;
  const res = await t.http()
    .post('/api/v1/badges')
    .set(organiser.auth)
    .send({
      slug,
      name: 'Pitch perfect',
      description: 'Pitched an idea to a panel in under three minutes.',
      criteria: 'Pitch your idea to a panel of at least two people in under three minutes.',
      category: 'entrepreneur',
      points: 40,
      image: pngDataUri(),
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`badge creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; imageUrl: string; openBadgesUrl: string; points: number; [k: string]: any };
}
