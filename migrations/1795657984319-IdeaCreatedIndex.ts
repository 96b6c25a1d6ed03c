import { MigrationInterface, QueryRunner } from "typeorm";

export class IdeaCreatedIndex1795657984319 implements MigrationInterface {
    name = 'IdeaCreatedIndex1795657984319'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "idea_created_idx" ON "idea"  ("created_at", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idea_created_idx"`);
    }

}
