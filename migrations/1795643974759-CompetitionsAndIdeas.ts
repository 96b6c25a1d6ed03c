import { MigrationInterface, QueryRunner } from "typeorm";

export class CompetitionsAndIdeas1795643974759 implements MigrationInterface {
    name = 'CompetitionsAndIdeas1795643974759'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "route" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0dc165e218120167e4a55dcc8d4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0651d807f40f78d97c8c8cd893" ON "idempotency_record"  ("expires_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "idempotency_record_key" ON "idempotency_record"  ("user_id", "route", "key") `);
        await queryRunner.query(`CREATE TABLE "competition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL DEFAULT '', "min_age" integer NOT NULL, "max_age" integer NOT NULL, "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "eligibility_closes_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "max_team_size" integer NOT NULL DEFAULT '4', "prize_count" integer NOT NULL DEFAULT '3', "prize_amount_pence" integer NOT NULL DEFAULT '1500000', "categories" text array NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "judging_started_at" TIMESTAMP WITH TIME ZONE, "results_published_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a52a6248db574777b226e9445bc" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "competition_slug_key" ON "competition"  ("slug") `);
        await queryRunner.query(`CREATE TABLE "idea" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "competition_id" uuid NOT NULL, "owner_id" uuid NOT NULL, "title" text NOT NULL, "summary" text NOT NULL DEFAULT '', "problem" text NOT NULL DEFAULT '', "solution" text NOT NULL DEFAULT '', "audience" text NOT NULL DEFAULT '', "category" text, "links" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'draft', "hidden" boolean NOT NULL DEFAULT false, "hidden_reason" text, "outcome" text, "version" integer NOT NULL DEFAULT '0', "submitted_at" TIMESTAMP WITH TIME ZONE, "submitted_hash" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5096f543c484b349f5234da9d97" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_155c7bcd624353256e427d4336" ON "idea"  ("owner_id") `);
        await queryRunner.query(`CREATE INDEX "idea_competition_status_idx" ON "idea"  ("competition_id", "status") `);
        await queryRunner.query(`CREATE TABLE "idea_member" ("idea_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" text NOT NULL, "accepted" boolean NOT NULL DEFAULT false, "invited_by" uuid, "invited_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "accepted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5034dcb2e604c6ce81de3ffefcc" PRIMARY KEY ("idea_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "idea_member_user_idx" ON "idea_member"  ("user_id") `);
        await queryRunner.query(`CREATE TABLE "idea_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "idea_id" uuid NOT NULL, "version" integer NOT NULL, "content" jsonb NOT NULL, "content_hash" text NOT NULL, "member_ids" uuid array NOT NULL, "submitted_by" uuid NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5b646eddc1a01e3c246423a7185" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "idea_version_key" ON "idea_version"  ("idea_id", "version") `);
        await queryRunner.query(`CREATE TABLE "submission_slot" ("competition_id" uuid NOT NULL, "user_id" uuid NOT NULL, "idea_id" uuid NOT NULL, CONSTRAINT "PK_c3042a3981a28661b0c1a712482" PRIMARY KEY ("competition_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_b8271b47ac305db8bdac42892a" ON "submission_slot"  ("idea_id") `);
        await queryRunner.query(`CREATE TABLE "idea_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "idea_id" uuid NOT NULL, "reporter_id" uuid NOT NULL, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cec57522b0e1b083f6212cdcad5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_827bf1cbc26de9a16434c16373" ON "idea_report"  ("idea_id") `);
        await queryRunner.query(`CREATE INDEX "idea_report_open_idx" ON "idea_report"  ("created_at") WHERE resolved_at IS NULL`);
        await queryRunner.query(`ALTER TABLE "idea" ADD CONSTRAINT "FK_f9cd3fcd0387c15b911d0031164" FOREIGN KEY ("competition_id") REFERENCES "competition"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "idea_member" ADD CONSTRAINT "FK_3859607bd631d4f8dedcceca683" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "idea_version" ADD CONSTRAINT "FK_8726380c9c31e94290def056244" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "submission_slot" ADD CONSTRAINT "FK_b8271b47ac305db8bdac42892ae" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "idea_report" ADD CONSTRAINT "FK_827bf1cbc26de9a16434c16373d" FOREIGN KEY ("idea_id") REFERENCES "idea"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "idea_report" DROP CONSTRAINT "FK_827bf1cbc26de9a16434c16373d"`);
        await queryRunner.query(`ALTER TABLE "submission_slot" DROP CONSTRAINT "FK_b8271b47ac305db8bdac42892ae"`);
        await queryRunner.query(`ALTER TABLE "idea_version" DROP CONSTRAINT "FK_8726380c9c31e94290def056244"`);
        await queryRunner.query(`ALTER TABLE "idea_member" DROP CONSTRAINT "FK_3859607bd631d4f8dedcceca683"`);
        await queryRunner.query(`ALTER TABLE "idea" DROP CONSTRAINT "FK_f9cd3fcd0387c15b911d0031164"`);
        await queryRunner.query(`DROP INDEX "public"."idea_report_open_idx"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_827bf1cbc26de9a16434c16373"`);
        await queryRunner.query(`DROP TABLE "idea_report"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b8271b47ac305db8bdac42892a"`);
        await queryRunner.query(`DROP TABLE "submission_slot"`);
        await queryRunner.query(`DROP INDEX "public"."idea_version_key"`);
        await queryRunner.query(`DROP TABLE "idea_version"`);
        await queryRunner.query(`DROP INDEX "public"."idea_member_user_idx"`);
        await queryRunner.query(`DROP TABLE "idea_member"`);
        await queryRunner.query(`DROP INDEX "public"."idea_competition_status_idx"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_155c7bcd624353256e427d4336"`);
        await queryRunner.query(`DROP TABLE "idea"`);
        await queryRunner.query(`DROP INDEX "public"."competition_slug_key"`);
        await queryRunner.query(`DROP TABLE "competition"`);
        await queryRunner.query(`DROP INDEX "public"."idempotency_record_key"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0651d807f40f78d97c8c8cd893"`);
        await queryRunner.query(`DROP TABLE "idempotency_record"`);
    }

}
