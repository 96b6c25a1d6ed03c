import { MigrationInterface, QueryRunner } from "typeorm";

export class Judging1795647889703 implements MigrationInterface {
    name = 'Judging1795647889703'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "judging_round" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "competition_id" uuid NOT NULL, "number" integer NOT NULL, "kind" text NOT NULL, "name" text NOT NULL, "status" text NOT NULL DEFAULT 'setup', "judges_per_idea" integer NOT NULL, "shortlist_size" integer NOT NULL, "criteria" jsonb NOT NULL, "seed" text, "previous_round_id" uuid, "stats" jsonb, "overrides" jsonb NOT NULL DEFAULT '[]', "tally" jsonb, "assign_job_id" text, "tally_job_id" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "scoring_started_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "tallied_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmed_by" uuid, CONSTRAINT "PK_ae3f01356843cd654b361d59c31" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "judging_round_competition_number_key" ON "judging_round"  ("competition_id", "number") `);
        await queryRunner.query(`CREATE TABLE "round_judge" ("round_id" uuid NOT NULL, "idx" integer NOT NULL, "judge_id" uuid NOT NULL, "load" integer NOT NULL DEFAULT '0', "severity" double precision, "score_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_1fc1eca4a095dffc5afcb7522b8" PRIMARY KEY ("round_id", "idx"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "round_judge_judge_key" ON "round_judge"  ("round_id", "judge_id") `);
        await queryRunner.query(`CREATE TABLE "round_entry" ("round_id" uuid NOT NULL, "idx" integer NOT NULL, "idea_id" uuid NOT NULL, "version_id" uuid NOT NULL, "version" integer NOT NULL, "alias" text NOT NULL, "lead_age_band" text NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_59600929c1b06322b845b6f4067" PRIMARY KEY ("round_id", "idx"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "round_entry_idea_key" ON "round_entry"  ("round_id", "idea_id") `);
        await queryRunner.query(`CREATE TABLE "round_result" ("round_id" uuid NOT NULL, "rank" integer NOT NULL, "entry_idx" integer NOT NULL, "adjusted" double precision, "raw_mean" double precision, "judge_count" integer NOT NULL, "disagreement" double precision NOT NULL, "flags" smallint NOT NULL, "computed_outcome" text, "outcome" text, CONSTRAINT "PK_48b450bca090ed073874eae57de" PRIMARY KEY ("round_id", "rank"))`);
        await queryRunner.query(`CREATE TABLE "judge_assignment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "entry_idx" integer NOT NULL, "judge_idx" integer NOT NULL, "judge_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "scores" smallint array, "total" double precision, "feedback" text, "scored_at" TIMESTAMP WITH TIME ZONE, "conflict_reason" text, "conflicted_at" TIMESTAMP WITH TIME ZONE, "feedback_withheld_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5d8e97fae9937fb3d1f6af8f37f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "judge_assignment_judge_idx" ON "judge_assignment"  ("judge_id", "round_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "judge_assignment_slot_key" ON "judge_assignment"  ("round_id", "entry_idx", "judge_idx") `);
        await queryRunner.query(`CREATE TABLE "judge_declared_conflicts" ("judge_id" uuid NOT NULL, "urns" text array NOT NULL DEFAULT '{}', "organisations" text array NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_358e7a80cbe9a5c064e362552f8" PRIMARY KEY ("judge_id"))`);
        await queryRunner.query(`CREATE TABLE "judge_idea_conflict" ("competition_id" uuid NOT NULL, "idea_id" uuid NOT NULL, "judge_id" uuid NOT NULL, "round_id" uuid NOT NULL, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_93a5287cc9f7ed5566f0b92d49e" PRIMARY KEY ("competition_id", "idea_id", "judge_id"))`);
        await queryRunner.query(`CREATE INDEX "judge_idea_conflict_judge_idx" ON "judge_idea_conflict"  ("judge_id") `);
        await queryRunner.query(`CREATE TABLE "judge_invitation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "first_name" text NOT NULL, "last_name" text NOT NULL, "invited_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "accepted_at" TIMESTAMP WITH TIME ZONE, "user_id" uuid, CONSTRAINT "PK_8424f7c18a89b7bbda3d38e4842" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "judge_invitation_email_idx" ON "judge_invitation"  ("email") `);
        await queryRunner.query(`CREATE TABLE "funding_award" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "competition_id" uuid NOT NULL, "idea_id" uuid NOT NULL, "amount_pence" integer NOT NULL, "currency" text NOT NULL DEFAULT 'GBP', "awarded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'awarded', "accelerator_status" text NOT NULL DEFAULT 'offered', "payment_status" text NOT NULL DEFAULT 'pending', "payee" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_666695bd1489e73f7ac8e6a7a5e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "funding_award_created_idx" ON "funding_award"  ("created_at", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "funding_award_idea_key" ON "funding_award"  ("competition_id", "idea_id") `);
        await queryRunner.query(`CREATE TABLE "results_publication" ("competition_id" uuid NOT NULL, "final_round_id" uuid NOT NULL, "requested_by" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "job_id" text NOT NULL, "released_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_88f35ac339b44f1f83a7d52ee48" PRIMARY KEY ("competition_id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "results_publication"`);
        await queryRunner.query(`DROP INDEX "public"."funding_award_idea_key"`);
        await queryRunner.query(`DROP INDEX "public"."funding_award_created_idx"`);
        await queryRunner.query(`DROP TABLE "funding_award"`);
        await queryRunner.query(`DROP INDEX "public"."judge_invitation_email_idx"`);
        await queryRunner.query(`DROP TABLE "judge_invitation"`);
        await queryRunner.query(`DROP INDEX "public"."judge_idea_conflict_judge_idx"`);
        await queryRunner.query(`DROP TABLE "judge_idea_conflict"`);
        await queryRunner.query(`DROP TABLE "judge_declared_conflicts"`);
        await queryRunner.query(`DROP INDEX "public"."judge_assignment_slot_key"`);
        await queryRunner.query(`DROP INDEX "public"."judge_assignment_judge_idx"`);
        await queryRunner.query(`DROP TABLE "judge_assignment"`);
        await queryRunner.query(`DROP TABLE "round_result"`);
        await queryRunner.query(`DROP INDEX "public"."round_entry_idea_key"`);
        await queryRunner.query(`DROP TABLE "round_entry"`);
        await queryRunner.query(`DROP INDEX "public"."round_judge_judge_key"`);
        await queryRunner.query(`DROP TABLE "round_judge"`);
        await queryRunner.query(`DROP INDEX "public"."judging_round_competition_number_key"`);
        await queryRunner.query(`DROP TABLE "judging_round"`);
    }

}
