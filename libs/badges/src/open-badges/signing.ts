import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import type { DocumentLoader, JsonObject } from './document-loader.js';
import type { IssuerSigningKey } from './keys.js';

/*
 * Data Integrity signing shared by the badge credentials and the status list credentials: a
 * `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite (RDF Dataset Canonicalization, SHA-256,
 * Ed25519), through @digitalbazaar/vc so the VC data model checks run on issue as well.
 */

export const CRYPTOSUITE_NAME = 'eddsa-rdfc-2022';

export interface DataIntegrityProofDocument {
  type: 'DataIntegrityProof';
  created?: string;
  verificationMethod: string;
  cryptosuite: typeof CRYPTOSUITE_NAME;
  proofPurpose: 'assertionMethod';
  proofValue: string;
}

export interface SignOptions {
  key: IssuerSigningKey;
  documentLoader: DocumentLoader;
  /** `proof.created`; defaults to now. Pass the clock's time so tests can pin it. */
  created?: Date;
}

/**
 * Signs a copy of `document` (the input is not modified) and returns it with `proof` as a one-element
 * array: OB 3.0 serialises every 0..* property as an array, and `proof` is one. The libraries write a
 * single proof as a bare object, so it is wrapped here; they read either form when verifying.
 */
export async function signDocument<T extends object>(
  document: T,
  options: SignOptions,
): Promise<T & { proof: DataIntegrityProofDocument[] }> {
  const { key, documentLoader } = options;
  // A new suite per signature: the suite caches the hash of the last document it canonicalised, which is
  // keyed by object identity and therefore safe, but a shared instance would also share `date`.
  const suite = new DataIntegrityProof({
    signer: key.keyPair.signer(),
    cryptosuite: eddsaRdfc2022,
    date: withoutMilliseconds(options.created ?? new Date()),
  });
  // jsonld-signatures appends the proof to the object it is given, so give it a private deep copy.
  const unsigned = structuredClone(document) as JsonObject;
  delete unsigned.proof;
  const signed = await vc.issue({ credential: unsigned, suite, documentLoader });
  const proof = signed.proof;
  signed.proof = Array.isArray(proof) ? proof : [proof];
  return signed as T & { proof: DataIntegrityProofDocument[] };
}

/** A verifier-side suite: no signer, accepts only eddsa-rdfc-2022 DataIntegrityProofs. */
export function verificationSuite(): DataIntegrityProof {
  return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
}

/** Canonical N-Quads of a document as the cryptosuite sees it (benchmark baseline, diagnostics). */
export async function canonicalise(document: object, documentLoader: DocumentLoader): Promise<string> {
  return eddsaRdfc2022.canonize(document, { documentLoader, safe: true, base: null });
}

/** XSD dateTimeStamp in UTC without fractional seconds, e.g. 2025-01-31T09:30:00Z. */
export function xsdDateTime(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a valid date-time: "${String(value)}".`);
  return withoutMilliseconds(date).toISOString().replace(/\.000Z$/, 'Z');
}

function withoutMilliseconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
