import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, type FieldError } from '@app/platform';
import { AccountsService, displayNames } from '@app/identity';
import { CLASS_CAPACITY, ClassesService } from './classes.service.js';
import { parseRoster, personKey, type RosterRow } from './roster-csv.js';
import { SchoolsError, classFull } from './schools.errors.js';

export interface ImportedStudent {
  id: string;
  username: string;
  displayName: string;
  /** The one-time password, shown this once. */
  initialPassword: string;
}

export interface RosterImport {
  dryRun: boolean;
  /** Valid rows (all of them, or the import would have been refused). */
  rowCount: number;
  /** In the CSV's row order; empty for a dry run. */
  created: ImportedStudent[];
}

/**
 * Roster import (SPEC §2.2): a teacher of the class turns a CSV into entrant accounts in one transaction,
 * all or nothing. A file that is not right is refused whole, with every bad row and field listed.
 */
@Injectable()
export class RosterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassesService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  async import(classId: string, teacherId: string, csv: string, { dryRun = false } = {}): Promise<RosterImport> {
    await this.classes.assertTeaches(classId, teacherId);
    const rows = await this.read(classId, csv);
    if (dryRun) return { dryRun, rowCount: rows.length, created: [] };

    const teacher = await this.accounts.get(teacherId);
    if (!teacher.region) throw new SchoolsError('conflict', 'TEACHER_REGION_MISSING', 'Set your region before importing a roster: students take it.');
    const created = await this.dataSource.transaction(async (manager) => {
      await this.classes.lock(manager, classId);
      // Read again under the lock: the same file sent twice at once (a double click) must not create everyone twice.
      await this.read(classId, csv, manager);
      const accounts = await this.accounts.createRosterAccounts(manager, rows, { region: teacher.region!, actorId: teacherId });
      await this.classes.enrol(manager, classId, accounts.map((a) => a.id), 'roster');
      await this.audit.record({ action: 'class.roster_imported', actorId: teacherId, subjectType: 'class', subjectId: classId, data: { count: accounts.length } }, manager);
      return accounts;
    });
    const names = displayNames(created);
    return {
      dryRun,
      rowCount: rows.length,
      created: created.map((a, i) => ({ id: a.id, username: a.username, displayName: names[i], initialPassword: a.initialPassword })),
    };
  }

  /**
   * The roster's rows if it can be imported into the class as it is now: else 400 listing every bad row,
   * rows naming someone already in the class among them (importing twice is a mistake), or 409 if the class would overflow.
   */
  private async read(classId: string, csv: string, manager?: EntityManager): Promise<RosterRow[]> {
    const present = await this.classes.studentIds(classId, manager);
    const inClass = new Set((await this.accounts.views(present, manager)).map(personKey));
    const { rows, errors } = parseRoster(csv, this.accounts.today(), inClass);
    if (errors.length) throw rosterInvalid(errors);
    if (present.length + rows.length > CLASS_CAPACITY) throw classFull(CLASS_CAPACITY);
    return rows;
  }
}

const rosterInvalid = (errors: FieldError[]) =>
  new SchoolsError('invalid', 'ROSTER_INVALID', 'The roster was not imported: fix the rows listed and send it again.', { errors });
