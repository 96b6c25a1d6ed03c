/*
 * Shared test fixtures for the Open Badges core (unit specs here, and later the badges e2e tests): a test
 * issuer with key and offline loader, sample inputs, a tiny valid PNG, and the OB 3.0 JSON Schema
 * validator loaded from the shared standards folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import {
  buildControllerDocument,
  createDocumentLoader,
  createStatusList,
  generateIssuerKey,
  hashRecipient,
  issueStatusListCredential,
  recipientIdentity,
  writePng,
  type BitstringStatusList,
  type DocumentLoader,
  type IssuerSigningKey,
  type OpenBadgeCredentialInput,
} from '../src/index.js';

export const BASE_URL = 'https://young-ideas.example';
export const ISSUER_ID = `${BASE_URL}/ob/v3/issuer`;
export const STATUS_LIST_URL = `${BASE_URL}/ob/v3/status/1`;

/**
 * The standards folder is a sibling of the repository (CI clones the repo next to a copy of shared/), and
 * jest runs from the repository root.
 */
export function standardsPath(...parts: string[]): string {
  return path.resolve(process.cwd(), '../shared/standards', ...parts);
}

export function readStandardJson(...parts: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(standardsPath(...parts), 'utf8')) as Record<string, unknown>;
}

/** Validates documents against openbadges-3.0/achievementcredential.schema.json (JSON Schema 2019-09). */
export function achievementCredentialValidator(): (document: unknown) => { valid: boolean; errors: string[] } {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is
  // the plugin function.
  addFormatsModule.default(ajv);
  const validate = ajv.compile(readStandardJson('openbadges-3.0', 'achievementcredential.schema.json'));
  return (document) => {
    const valid = validate(document) as boolean;
    return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`) };
  };
}

export interface TestIssuer {
  key: IssuerSigningKey;
  list: BitstringStatusList;
  /** Loader knowing the controller document and the current signed status list. */
  loader: DocumentLoader;
  /** Re-signs the status list after a change and returns a loader that sees the new version. */
  publishStatusList(): Promise<DocumentLoader>;
}

export async function createTestIssuer(): Promise<TestIssuer> {
  const key = await generateIssuerKey(ISSUER_ID);
  const list = createStatusList();
  const controller = buildControllerDocument(key);
  const signingLoader = createDocumentLoader({ documents: { [ISSUER_ID]: controller } });
  const publish = async (): Promise<DocumentLoader> => {
    const statusList = await issueStatusListCredential({ id: STATUS_LIST_URL, list }, { key, documentLoader: signingLoader });
    return createDocumentLoader({ documents: { [ISSUER_ID]: controller, [STATUS_LIST_URL]: statusList } });
  };
  const issuer: TestIssuer = { key, list, loader: await publish(), publishStatusList: publish };
  return issuer;
}

export const LEARNER = {
  userId: '3f1c2a9e-7b4d-4e51-9c3a-2d8f6b1e0a47',
  email: 'Ada.Lovelace-Byron@example.org',
  surname: 'Lovelace-Byron',
} as const;

export function sampleCredentialInput(overrides: Partial<OpenBadgeCredentialInput> = {}): OpenBadgeCredentialInput {
  return {
    id: `${BASE_URL}/ob/v3/credentials/7d0c1b7e-7a0e-4f7c-9a55-0f1e2d3c4b5a`,
    issuer: { id: ISSUER_ID, name: 'Young Ideas', url: 'https://young-ideas.example/about' },
    validFrom: new Date('2025-03-01T10:15:30.123Z'),
    recipient: hashRecipient(recipientIdentity({ userId: LEARNER.userId, email: LEARNER.email }), 'c0ffee0123456789'),
    achievement: {
      id: `${BASE_URL}/ob/v2/badges/idea-maker`,
      name: 'Idea maker',
      description: 'Submitted a first idea to a Young Ideas competition.',
      criteria: { narrative: 'Submit your first idea to any competition.' },
      image: { id: `${BASE_URL}/ob/badges/idea-maker/image`, caption: 'Idea maker badge' },
      alignments: [{ targetName: 'Creativity', targetUrl: 'https://skills.example/creativity' }],
      tags: ['maker'],
    },
    evidence: [{ id: 'https://young-ideas.example/ideas/42', narrative: 'Submitted "Solar bins".' }],
    status: { statusListCredential: STATUS_LIST_URL, statusListIndex: 1234 },
    ...overrides,
  };
}

/** A valid 2×1 RGBA PNG (IHDR, IDAT, IEND), plus an optional tEXt chunk to prove unrelated chunks survive. */
export function tinyPng(options: { withText?: boolean } = {}): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, 2);
  view.setUint32(4, 1);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, adaptive filter, no interlace
  const scanline = Uint8Array.of(0, 255, 0, 0, 255, 0, 0, 255, 255);
  const chunks = [
    { type: 'IHDR', data: ihdr },
    ...(options.withText ? [{ type: 'tEXt', data: new Uint8Array(Buffer.from('Comment\0made for tests', 'latin1')) }] : []),
    { type: 'IDAT', data: new Uint8Array(deflateSync(scanline)) },
    { type: 'IEND', data: new Uint8Array(0) },
  ];
  return writePng(chunks);
}
