import { MigrationInterface, QueryRunner } from "typeorm";

export class RetentionStage1795645383813 implements MigrationInterface {
    name = 'RetentionStage1795645383813'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" ADD "retention_stage" smallint NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "users" ADD "retention_warned_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "users_retention_idx" ON "users"  ("last_active_at") WHERE erased_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."users_retention_idx"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "retention_warned_at"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "retention_stage"`);
    }

}
