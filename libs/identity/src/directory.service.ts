import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock, afterCursor, londonDate, toPage, type Page } from '@app/platform';
import { ageBand, displayNames, effectiveConsent, mayAppearInPublic, type AgeBand, type ConsentStatus, type Region, type Role } from './people.js';
import { User } from './user.entity.js';

export const FORMER_ENTRANT = 'Former entrant';

/** Display names for one list from facts already loaded (disambiguated within the list). */
export function namesOf(ids: string[], facts: Map<string, PersonFacts>): string[] {
  const names = displayNames(ids.map((id) => facts.get(id) ?? { firstName: '', lastName: '' }));
  // An erased account is shown as "Former entrant" wherever it left a public trace (SPEC §2.1).
  return ids.map((id, i) => (!facts.get(id) || facts.get(id)!.erased ? FORMER_ENTRANT : names[i]));
}

/** What other areas may know about a person to apply their rules (never passwords or tokens). */
export interface PersonFacts {
  id: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  dateOfBirth: string | null;
  ageBand: AgeBand;
  region: Region | null;
  consentStatus: ConsentStatus;
  email: string | null;
  /** Verified email, or no email but created from a roster or with parental consent (SPEC §2.3). */
  emailVerified: boolean;
  /**
   * Where notifications may be emailed: the address once verified, else none (in-app only). A mistyped
   * address must not receive a child's news (results, badges, invitations) before its owner proves it.
   */
  mailbox: string | null;
  profileVisibility: 'private' | 'public';
  erased: boolean;
}

/** Read-only look-ups of people for the other areas. */
@Injectable()
export class PeopleDirectory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Pass the caller's transaction manager when inside one (a second connection could deadlock the pool). */
  async facts(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, PersonFacts>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const today = londonDate(this.clock.now());
    const users = await manager.getRepository(User).findBy({ id: In(unique) });
    return new Map(
      users.map((u) => {
        const consentStatus = effectiveConsent(u.consentStatus, u.dateOfBirth, today);
        // A parent's grant vouched for an account without email, and still does once the child is 13.
        const emailVerified = u.email ? Boolean(u.emailVerifiedAt) : u.origin === 'roster' || u.consentStatus === 'granted';
        return [
          u.id,
          {
            id: u.id,
            firstName: u.firstName,
            lastName: u.lastName,
            roles: u.roles,
            dateOfBirth: u.dateOfBirth,
            ageBand: ageBand(u.dateOfBirth, today),
            region: u.region,
            consentStatus,
            email: u.email,
            emailVerified,
            mailbox: u.emailVerifiedAt ? u.email : null,
            profileVisibility: u.profileVisibility,
            erased: Boolean(u.erasedAt),
          },
        ];
      }),
    );
  }

  async fact(id: string, manager?: EntityManager): Promise<PersonFacts | undefined> {
    return (await this.facts([id], manager)).get(id);
  }

  /** Display names for one list, disambiguated within it, in the order of `ids`. */
  async displayNames(ids: string[], manager?: EntityManager): Promise<string[]> {
    return namesOf(ids, await this.facts(ids, manager));
  }

  /**
   * Display names for a public listing: people who may not appear in public (`mayAppearInPublic`) are left
   * out, and the others disambiguated among themselves, so nothing in the list hints at who was left out.
   */
  async publicDisplayNames(ids: string[], manager?: EntityManager): Promise<string[]> {
    const facts = await this.facts(ids, manager);
    return namesOf(ids.filter((id) => !facts.has(id) || mayAppearInPublic(facts.get(id)!)), facts);
  }

  /**
   * People matching a search (organisers finding award recipients and judges): names, username or
   * email containing `q`, optionally with a role; newest accounts first.
   */
  async search(filter: { q?: string; role?: Role; limit: number; cursor?: string }): Promise<Page<PersonFacts & { username: string }>> {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u').where('u.erasedAt IS NULL');
    if (filter.q) {
      const like = `%${filter.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(`(lower(u.first_name || ' ' || u.last_name) LIKE :like OR u.username LIKE :like OR u.email LIKE :like)`, { like });
    }
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    afterCursor(qb, 'u', 'createdAt', filter.cursor);
    const rows = await qb.orderBy('u.createdAt', 'DESC').addOrderBy('u.id', 'DESC').limit(filter.limit + 1).getMany();
    const page = toPage(rows, filter.limit, (r) => r.createdAt, (r) => r);
    const facts = await this.facts(page.items.map((u) => u.id));
    return { items: page.items.map((u) => ({ ...facts.get(u.id)!, username: u.username })), nextCursor: page.nextCursor };
  }

  /** Active accounts holding `role`, by id (e.g. every judge, for a judging round's default panel). */
  async idsWithRole(role: Role): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM users WHERE $1 = ANY(roles) AND erased_at IS NULL ORDER BY id`,
      [role],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Which of `ids` are active accounts holding `role` (a set, for checking a list a client sent).
   */
  async withRole(ids: string[], role: Role, manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND $2 = ANY(roles) AND erased_at IS NULL`,
      [ids, role],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Age bands on a date (YYYY-MM-DD), aligned with `ids`, in one query however many there are (bulk
   * work such as a judging round's entries); null for an unknown id. No date of birth counts as adult.
   */
  async ageBandsOn(ids: string[], on: string, manager: EntityManager = this.dataSource.manager): Promise<(AgeBand | null)[]> {
    if (!ids.length) return [];
    // The distinct ids, looked up through the primary key; aligned with `ids` in JS.
    const rows: { id: string; date_of_birth: string | null }[] = await manager.query(
      `SELECT id, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth FROM users WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    const dateOfBirth = new Map(rows.map((r) => [r.id, r.date_of_birth]));
    return ids.map((id) => (dateOfBirth.has(id) ? ageBand(dateOfBirth.get(id)!, on) : null));
  }

  /**
   * How to reach people (email, first name for the greeting), for notifications sent in bulk; erased
   * accounts are left out, and an address not yet verified is none (as `PersonFacts.mailbox`). Lighter
   * than `facts`: one narrow query, no entities.
   */
  async contacts(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, { email: string | null; firstName: string }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; email: string | null; first_name: string }[] = await manager.query(
      `SELECT id, CASE WHEN email_verified_at IS NOT NULL THEN email END AS email, first_name FROM users WHERE id = ANY($1::uuid[]) AND erased_at IS NULL`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { email: r.email, firstName: r.first_name }]));
  }

  /** An active account by exact username or email, for invitations. */
  async findId(by: { username?: string; email?: string }, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const where = by.email ? { email: by.email.trim().toLowerCase() } : { username: (by.username ?? '').trim().toLowerCase() };
    const user = await manager.getRepository(User).findOne({ where, select: { id: true, erasedAt: true } });
    return user && !user.erasedAt ? user.id : null;
  }
}
