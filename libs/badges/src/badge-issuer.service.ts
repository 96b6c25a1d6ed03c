import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, SecretsService } from '@app/platform';
import { ObUrls } from './ob-urls.js';
import {
  buildControllerDocument,
  createDocumentLoader,
  generateSecretKeyMultibase,
  importIssuerKey,
  parsePreviousKeys,
  type ControllerDocument,
  type DocumentLoader,
  type IssuerSigningKey,
  type SignOptions,
} from './open-badges/index.js';

/** The name under which a generated signing key is kept outside production (SecretsService). */
export const BADGE_SIGNING_SECRET = 'badge-signing-key';

interface Signer {
  key: IssuerSigningKey;
  controller: ControllerDocument;
  documentLoader: DocumentLoader;
}

/**
 * The platform as an Open Badges issuer: its public URLs, its profile and its Ed25519 signing key —
 * BADGE_SIGNING_KEY in production (the configuration refuses to start without it), otherwise generated
 * once and kept in the database, so every API and worker process signs with the same key — published as
 * `#<BADGE_SIGNING_KEY_ID>` next to the earlier keys of BADGE_PREVIOUS_KEYS (rotation: README). Keys are
 * loaded at boot so that a malformed one stops the process at once rather than at the first award.
 */
@Injectable()
export class BadgeIssuer implements OnApplicationBootstrap {
  readonly urls: ObUrls;
  private signer?: Promise<Signer>;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {
    this.urls = new ObUrls(config.http.publicBaseUrl);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
  }

  get profile(): { name: string; url: string; email: string } {
    const { issuerName, issuerUrl, issuerEmail } = this.config.badges;
    return { name: issuerName, url: issuerUrl, email: issuerEmail };
  }

  /** Everything signing needs; the loader is offline and kept for the process (JSON-LD caches contexts). */
  async signOptions(created: Date): Promise<SignOptions> {
    const { key, documentLoader } = await this.load();
    return { key, documentLoader, created };
  }

  /** The `/ob/v3/issuer` controller document (public key only). */
  async controllerDocument(): Promise<ControllerDocument> {
    return (await this.load()).controller;
  }

  private load(): Promise<Signer> {
    if (!this.signer) {
      const created = this.createSigner();
      created.catch(() => (this.signer = undefined)); // a failed load is tried again next time
      this.signer = created;
    }
    return this.signer;
  }

  private async createSigner(): Promise<Signer> {
    const secret = await this.secrets.get(BADGE_SIGNING_SECRET, this.config.badges.signingKey, generateSecretKeyMultibase);
    const key = await importIssuerKey(this.urls.issuerV3, secret, this.config.badges.signingKeyId);
    const controller = buildControllerDocument(key, parsePreviousKeys(this.config.badges.previousKeys));
    return { key, controller, documentLoader: createDocumentLoader({ documents: { [key.issuerId]: controller } }) };
  }
}
