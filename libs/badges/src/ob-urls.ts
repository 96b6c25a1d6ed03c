/**
 * Where each public Open Badges document lives (SPEC §3), on PUBLIC_BASE_URL and outside /api/v1. The
 * OB 2.0 hosted documents share the issuer's origin, as hosted verification requires.
 */
export class ObUrls {
  constructor(readonly base: string) {}

  get issuerV2(): string {
    return `${this.base}/ob/v2/issuer`;
  }
  get revocations(): string {
    return `${this.base}/ob/v2/revocations`;
  }
  /** The OB 3.0 issuer id: the controller document of the signing key. */
  get issuerV3(): string {
    return `${this.base}/ob/v3/issuer`;
  }
  badge(slug: string): string {
    return `${this.base}/ob/v2/badges/${encodeURIComponent(slug)}`;
  }
  badgeImage(slug: string): string {
    return `${this.base}/ob/badges/${encodeURIComponent(slug)}/image`;
  }
  endorsement(id: string): string {
    return `${this.base}/ob/v2/endorsements/${id}`;
  }
  assertion(awardId: string): string {
    return `${this.base}/ob/v2/assertions/${awardId}`;
  }
  assertionImage(awardId: string): string {
    return `${this.base}/ob/v2/assertions/${awardId}/image`;
  }
  credential(awardId: string): string {
    return `${this.base}/ob/v3/credentials/${awardId}`;
  }
  credentialImage(awardId: string): string {
    return `${this.base}/ob/v3/credentials/${awardId}/image`;
  }
  statusList(listId: number): string {
    return `${this.base}/ob/v3/status/${listId}`;
  }
}
