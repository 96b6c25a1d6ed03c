import { MigrationInterface, QueryRunner } from "typeorm";

export class OpenData1795647729346 implements MigrationInterface {
    name = 'OpenData1795647729346'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "open_data_recipient" ("award_id" uuid NOT NULL, "reference" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cd19fa93d8a332dcef7de62a4f3" PRIMARY KEY ("award_id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0728798ff46ed754d12fb7490f" ON "open_data_recipient"  ("reference") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_0728798ff46ed754d12fb7490f"`);
        await queryRunner.query(`DROP TABLE "open_data_recipient"`);
    }

}
