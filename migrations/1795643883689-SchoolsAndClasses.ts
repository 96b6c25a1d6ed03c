import { MigrationInterface, QueryRunner } from "typeorm";

// Schools, memberships, classes with join codes, class teachers and students (libs/schools); roster
// one-time passwords and the record of consent decisions on users (libs/identity). User ids in the
// schools tables carry no foreign key to users: areas do not reach into each other's tables, and erasure
// anonymises accounts rather than deleting them.

export class SchoolsAndClasses1795643883689 implements MigrationInterface {
    name = 'SchoolsAndClasses1795643883689'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "school" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "urn" text NOT NULL, "name" text NOT NULL, "postcode" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "evidence" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "verified_at" TIMESTAMP WITH TIME ZONE, "verified_by_id" uuid, CONSTRAINT "school_status_check" CHECK (status IN ('pending', 'verified')), CONSTRAINT "school_urn_check" CHECK (urn ~ '^[0-9]{6}$'), CONSTRAINT "PK_57836c3fe2f2c7734b20911755e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "school_urn_key" ON "school"  ("urn") `);
        await queryRunner.query(`CREATE INDEX "school_status_created_idx" ON "school"  ("status", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "school_membership" ("school_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "verified_at" TIMESTAMP WITH TIME ZONE, "verified_by_id" uuid, CONSTRAINT "school_membership_status_check" CHECK (status IN ('pending', 'verified')), CONSTRAINT "PK_8460e14e1fbe5cea7ec60a282dc" PRIMARY KEY ("school_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "school_membership_user_idx" ON "school_membership"  ("user_id") `);
        await queryRunner.query(`CREATE TABLE "school_class" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "school_id" uuid NOT NULL, "name" text NOT NULL, "year_group" text, "join_code" text NOT NULL, "locked" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid NOT NULL, CONSTRAINT "school_class_join_code_check" CHECK (join_code ~ '^[BCDFGHJKLMNPQRSTVWXZ2-9]{8}$'), CONSTRAINT "PK_c2db13fe0f6e127a4aae70bfd35" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "school_class_join_code_key" ON "school_class"  ("join_code") `);
        await queryRunner.query(`CREATE INDEX "school_class_school_idx" ON "school_class"  ("school_id") `);
        await queryRunner.query(`CREATE TABLE "class_teacher" ("class_id" uuid NOT NULL, "teacher_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "added_by_id" uuid, CONSTRAINT "PK_963e97a4ba037d9cfda10c15434" PRIMARY KEY ("class_id", "teacher_id"))`);
        await queryRunner.query(`CREATE INDEX "class_teacher_teacher_idx" ON "class_teacher"  ("teacher_id") `);
        await queryRunner.query(`CREATE TABLE "class_student" ("class_id" uuid NOT NULL, "student_id" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "via" text NOT NULL, CONSTRAINT "class_student_via_check" CHECK (via IN ('join_code', 'roster', 'move')), CONSTRAINT "PK_b0ed786e05e93dd9bf77189af1b" PRIMARY KEY ("class_id", "student_id"))`);
        await queryRunner.query(`CREATE INDEX "class_student_student_idx" ON "class_student"  ("student_id") `);
        await queryRunner.query(`ALTER TABLE "users" ADD "one_time_password_hash" text`);
        await queryRunner.query(`ALTER TABLE "users" ADD "consent_method" text`);
        await queryRunner.query(`ALTER TABLE "users" ADD "consent_actor_id" uuid`);
        await queryRunner.query(`ALTER TABLE "users" ADD "consent_parent_name" text`);
        await queryRunner.query(`ALTER TABLE "users" ADD "consent_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "school_membership" ADD CONSTRAINT "FK_329d206995c6c8a807b629254f3" FOREIGN KEY ("school_id") REFERENCES "school"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "school_class" ADD CONSTRAINT "FK_b5a7679ac8a5f7d88cfd05b164f" FOREIGN KEY ("school_id") REFERENCES "school"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "class_teacher" ADD CONSTRAINT "FK_9b647c8d8894a661dc1dac40361" FOREIGN KEY ("class_id") REFERENCES "school_class"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "class_student" ADD CONSTRAINT "FK_60674dc4f23b794de0a3560e200" FOREIGN KEY ("class_id") REFERENCES "school_class"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "class_student" DROP CONSTRAINT "FK_60674dc4f23b794de0a3560e200"`);
        await queryRunner.query(`ALTER TABLE "class_teacher" DROP CONSTRAINT "FK_9b647c8d8894a661dc1dac40361"`);
        await queryRunner.query(`ALTER TABLE "school_class" DROP CONSTRAINT "FK_b5a7679ac8a5f7d88cfd05b164f"`);
        await queryRunner.query(`ALTER TABLE "school_membership" DROP CONSTRAINT "FK_329d206995c6c8a807b629254f3"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "consent_at"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "consent_parent_name"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "consent_actor_id"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "consent_method"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "one_time_password_hash"`);
        await queryRunner.query(`DROP INDEX "public"."class_student_student_idx"`);
        await queryRunner.query(`DROP TABLE "class_student"`);
        await queryRunner.query(`DROP INDEX "public"."class_teacher_teacher_idx"`);
        await queryRunner.query(`DROP TABLE "class_teacher"`);
        await queryRunner.query(`DROP INDEX "public"."school_class_school_idx"`);
        await queryRunner.query(`DROP INDEX "public"."school_class_join_code_key"`);
        await queryRunner.query(`DROP TABLE "school_class"`);
        await queryRunner.query(`DROP INDEX "public"."school_membership_user_idx"`);
        await queryRunner.query(`DROP TABLE "school_membership"`);
        await queryRunner.query(`DROP INDEX "public"."school_status_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."school_urn_key"`);
        await queryRunner.query(`DROP TABLE "school"`);
    }

}
