import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, londonDate } from '@app/platform';
import { PeopleDirectory, mayAppearInPublic, type Region } from '@app/identity';
import { toCsv } from './csv.js';
import { REGION_LOCATIONS } from './regions.js';

const LICENSE = 'https://creativecommons.org/licenses/by/4.0/';
/** Counts from 1 to 4 could single a child out: they are published as "<5" (SPEC §2.7). */
const SUPPRESSED = '<5';

interface GrantRow {
  id: string;
  amount_pence: number;
  currency: string;
  awarded_at: Date;
  updated_at: Date;
  idea_title: string;
  idea_summary: string;
  competition_title: string;
  competition_slug: string;
  reference: string;
  regions: Region[];
}

/** The 360Giving spreadsheet column titles of the fields published (from the schema's titles). */
export const GRANT_COLUMNS = [
  'Identifier',
  'Title',
  'Description',
  'Currency',
  'Amount Awarded',
  'Award Date',
  'Recipient Ind:Identifier',
  'Recipient Ind:Name',
  'Beneficiary Location:Name',
  'Beneficiary Location:Country Code',
  'Beneficiary Location:Geographic Code',
  'Beneficiary Location:Geographic Code Type',
  'Funding Org:Identifier',
  'Funding Org:Name',
  'Grant Programme:Code',
  'Grant Programme:Title',
  'Last Modified',
];

/**
 * Open data: every published funding award as a 360Giving 1.4 package (JSON and spreadsheet CSV), and
 * participation counts. These are read models over several areas' tables, built set-based in SQL
 * (GUIDE practice 6); they publish nothing finer than a region and an age band.
 */
@Injectable()
export class OpenDataService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly people: PeopleDirectory,
  ) {}

  async grantsPackage(): Promise<Record<string, unknown>> {
    const rows = await this.grantRows();
    const { prefix, funderId, funderName } = this.config.g360;
    return {
      version: '1.4',
      title: `${funderName} grants`,
      description: 'Funding awarded to the winning ideas of Young Ideas competitions. Recipients are individuals, published anonymously.',
      issued: this.clock.now().toISOString(),
      license: LICENSE,
      publisher: { name: funderName, identifier: funderId },
      grants: rows.map((r) => ({
        id: `${prefix}-${r.id}`,
        title: `${r.competition_title}: ${r.idea_title}`,
        description: r.idea_summary || r.idea_title,
        currency: r.currency,
        amountAwarded: r.amount_pence / 100,
        awardDate: londonDate(r.awarded_at), // calendar dates are London's (SPEC)
        recipientIndividual: { id: r.reference, name: 'Individual Recipient' },
        beneficiaryLocation: r.regions.map((region) => location(region)),
        fundingOrganization: [{ id: funderId, name: funderName }],
        grantProgramme: [{ code: r.competition_slug, title: r.competition_title }],
        dateModified: r.updated_at.toISOString(),
      })),
    };
  }

  async grantsCsv(): Promise<string> {
    const pkg = (await this.grantsPackage()) as { grants: Grant[] };
    const rows = pkg.grants.flatMap((g) =>
      (g.beneficiaryLocation.length ? g.beneficiaryLocation : [undefined]).map((l) => [
        g.id,
        g.title,
        g.description,
        g.currency,
        g.amountAwarded,
        g.awardDate,
        g.recipientIndividual.id,
        g.recipientIndividual.name,
        l?.name,
        l?.countryCode,
        l?.geoCode,
        l?.geoCodeType,
        g.fundingOrganization[0].id,
        g.fundingOrganization[0].name,
        g.grantProgramme[0].code,
        g.grantProgramme[0].title,
        g.dateModified,
      ]),
    );
    return toCsv(GRANT_COLUMNS, rows);
  }

  /**
   * Entrants, submitted ideas and badges awarded, by competition × region × age band × category.
   * Age bands are as on the competition's eligibility date. Counts of 1–4 are shown as "<5", and no
   * total is published, so no suppressed cell can be worked out from the others.
   */
  async participationCsv(): Promise<string> {
    const rows: { competition: string; region: string | null; age_band: string; category: string | null; entrants: number; ideas: number; badges: number }[] =
      await this.dataSource.query(`
        WITH entrant AS (
          SELECT c.slug AS competition, u.region, i.category, i.id AS idea_id, u.id AS user_id,
                 CASE WHEN u.date_of_birth IS NULL THEN 'unknown'
                      WHEN u.date_of_birth > (coalesce(c.eligibility_closes_at, c.closes_at) AT TIME ZONE 'Europe/London')::date - interval '13 years' THEN 'U13'
                      WHEN u.date_of_birth > (coalesce(c.eligibility_closes_at, c.closes_at) AT TIME ZONE 'Europe/London')::date - interval '18 years' THEN '13-17'
                      ELSE '18+' END AS age_band
            FROM idea i
            JOIN competition c ON c.id = i.competition_id AND c.published_at IS NOT NULL
            JOIN idea_member m ON m.idea_id = i.id AND m.accepted
            JOIN users u ON u.id = m.user_id
           WHERE i.status = 'submitted' AND NOT i.hidden
        )
        SELECT e.competition, e.region, e.age_band, e.category,
               count(DISTINCT e.user_id)::int AS entrants,
               count(DISTINCT e.idea_id)::int AS ideas,
               (SELECT count(*)::int FROM badge_award b
                 WHERE b.revoked_at IS NULL AND b.source->>'ideaId' IS NOT NULL
                   AND (b.source->>'ideaId')::uuid = ANY(array_agg(e.idea_id)) AND b.recipient_id = ANY(array_agg(e.user_id))) AS badges
          FROM entrant e
         GROUP BY e.competition, e.region, e.age_band, e.category
         ORDER BY e.competition, e.region, e.age_band, e.category`);
    const cell = (n: number) => (n >= 1 && n <= 4 ? SUPPRESSED : n);
    return toCsv(
      ['competition', 'region', 'ageBand', 'category', 'entrants', 'submittedIdeas', 'badgesAwarded'],
      rows.map((r) => [r.competition, r.region ? REGION_LOCATIONS[r.region as Region].name : 'Unknown', r.age_band, r.category, cell(r.entrants), cell(r.ideas), cell(r.badges)]),
    );
  }

  /**
   * Published awards of visible ideas (a hidden idea leaves public lists, SPEC §2.3) with a stable random recipient
   * reference (allocated on first publication), located by the regions of the members who may appear in public (SPEC §2.1).
   * Title, summary and team are the entry as judged in the final (the snapshot), never the idea's live draft.
   */
  private async grantRows(): Promise<GrantRow[]> {
    const prefix = this.config.g360.prefix;
    const missing: { id: string }[] = await this.dataSource.query(
      `SELECT a.id FROM funding_award a LEFT JOIN open_data_recipient r ON r.award_id = a.id WHERE r.award_id IS NULL`,
    );
    if (missing.length) {
      await this.dataSource.query(
        `INSERT INTO open_data_recipient (award_id, reference) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`,
        [missing.map((m) => m.id), missing.map(() => `${prefix}-IND-${randomBytes(8).toString('hex')}`)],
      );
    }
    const rows: (Omit<GrantRow, 'regions'> & { member_ids: string[] })[] = await this.dataSource.query(
      `SELECT a.id, a.amount_pence, a.currency, a.awarded_at, a.updated_at, s.content->>'title' AS idea_title, s.content->>'summary' AS idea_summary,
              c.title AS competition_title, c.slug AS competition_slug, r.reference, s.member_ids
         FROM funding_award a
         JOIN idea i ON i.id = a.idea_id
         JOIN competition c ON c.id = a.competition_id
         JOIN open_data_recipient r ON r.award_id = a.id
         JOIN LATERAL (
           SELECT v.content, v.member_ids FROM judging_round f
             JOIN round_entry e ON e.round_id = f.id AND e.idea_id = a.idea_id
             JOIN idea_version v ON v.id = e.version_id
            WHERE f.competition_id = a.competition_id AND f.kind = 'final'
         ) s ON true
        WHERE a.status <> 'withdrawn' AND NOT i.hidden
        ORDER BY a.awarded_at, a.id`,
    );
    // Who may appear in public is decided in code (age as of today, consent): one look-up for every member.
    const people = await this.people.facts(rows.flatMap((r) => r.member_ids));
    return rows.map(({ member_ids, ...row }) => {
      const regions = member_ids.map((id) => people.get(id)).flatMap((p) => (p?.region && mayAppearInPublic(p) ? [p.region] : []));
      return { ...row, regions: [...new Set(regions)].sort() };
    });
  }
}

interface Grant {
  id: string;
  title: string;
  description: string;
  currency: string;
  amountAwarded: number;
  awardDate: string;
  recipientIndividual: { id: string; name: string };
  beneficiaryLocation: { name: string; countryCode: string; geoCode?: string; geoCodeType?: string }[];
  fundingOrganization: { id: string; name: string }[];
  grantProgramme: { code: string; title: string }[];
  dateModified: string;
}

function location(region: Region) {
  const l = REGION_LOCATIONS[region];
  return { name: l.name, countryCode: 'GB', ...(l.geoCode ? { geoCode: l.geoCode, geoCodeType: 'RGN/GOR' } : {}) };
}

