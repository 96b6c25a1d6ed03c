import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppLogger, PlatformModule } from '@app/platform';
import { testConfig } from '../../../test/support/test-env.js';
import { CLASS_CAPACITY, ClassesService } from './classes.service.js';
import { SchoolsModule } from './schools.module.js';

let app: INestApplicationContext;
let db: DataSource;
let classes: ClassesService;

/** A verified school membership and a class, written directly: this spec is about the class rules. */
async function aClassOf(teacherId = randomUUID()) {
  const [{ id: schoolId }] = await db.query(
    `INSERT INTO school (urn, name, postcode, status) VALUES (lpad((floor(random() * 900000) + 100000)::text, 6, '0'), 'Test School', 'SW1A 1AA', 'verified') RETURNING id`,
  );
  await db.query(`INSERT INTO school_membership (school_id, user_id, status) VALUES ($1, $2, 'verified')`, [schoolId, teacherId]);
  const cls = await classes.create(teacherId, { schoolId, name: 'Test class' });
  return { ...cls, teacherId };
}

beforeAll(async () => {
  const config = await testConfig();
  const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot(config), SchoolsModule] }).compile();
  moduleRef.useLogger(moduleRef.get(AppLogger)); // the configured (silent) level, as the apps run
  app = await moduleRef.init();
  db = app.get<DataSource>(getDataSourceToken());
  classes = app.get(ClassesService);
});
afterAll(async () => {
  await app?.close();
});

describe('join codes', () => {
  it('retry on a clash with an existing class’s code', async () => {
    const first = await aClassOf();
    const fresh = 'BCDFGHJK';
    const sequence = [first.joinCode, first.joinCode, fresh];
    classes.joinCodes = () => sequence.shift()!;
    try {
      const second = await aClassOf();
      expect(second.joinCode).toBe(fresh);
      expect(sequence).toEqual([]);
      const rotated = ['BCDFGHJK', 'LMNPQRST'];
      classes.joinCodes = () => rotated.shift()!;
      expect(await classes.rotateJoinCode(first.id, first.teacherId)).toBe('LMNPQRST');
    } finally {
      classes.joinCodes = (await import('./join-codes.js')).newJoinCode;
    }
  });

  it('are refused by the database when they break the alphabet', async () => {
    const cls = await aClassOf();
    await expect(db.query(`UPDATE school_class SET join_code = 'AAAAAAAA' WHERE id = $1`, [cls.id])).rejects.toThrow(/school_class_join_code_check/);
  });
});

describe('the class cap under concurrency', () => {
  it('lets exactly one of several simultaneous joiners take the last place', async () => {
    const cls = await aClassOf();
    await db.query(
      `INSERT INTO class_student (class_id, student_id, via) SELECT $1, gen_random_uuid(), 'roster' FROM generate_series(1, $2)`,
      [cls.id, CLASS_CAPACITY - 1],
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => classes.join(randomUUID(), cls.joinCode)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.map((o) => (o.reason as { code: string }).code)).toEqual(Array(5).fill('CLASS_FULL'));
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM class_student WHERE class_id = $1`, [cls.id]);
    expect(n).toBe(CLASS_CAPACITY);
  });
});

describe('who teaches a class', () => {
  it('needs a verified membership of the class’s school, not just a class_teacher row', async () => {
    const cls = await aClassOf();
    expect(await classes.access(cls.id, cls.teacherId)).toBe('teaches');
    await db.query(`UPDATE school_membership SET status = 'pending' WHERE user_id = $1`, [cls.teacherId]);
    expect(await classes.access(cls.id, cls.teacherId)).toBe('unverified');
    expect(await classes.access('not-a-uuid', cls.teacherId)).toBe('unverified');
  });
});
