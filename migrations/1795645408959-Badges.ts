import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The six built-in badges of SPEC §2.5, awarded by domain events. They are reference data the award job
 * depends on, so they are created with the schema itself (in every environment, in the migration's
 * transaction, never racing a boot). Their images are SVGs already in the form the badge sanitiser
 * produces (a unit test checks it), written out here so that this migration never changes.
 */
const BUILT_IN = [
    { slug: "idea-maker", name: "Idea maker", category: "maker", points: 50,
      description: "Submitted a first idea to a Young Ideas competition.",
      criteria: "Submit your first complete idea to any Young Ideas competition.",
      svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><title>Idea maker</title><circle cx=\"100\" cy=\"100\" r=\"96\" fill=\"#d97706\"/><circle cx=\"100\" cy=\"100\" r=\"86\" fill=\"none\" stroke=\"#fff\" stroke-opacity=\"0.5\" stroke-width=\"3\"/><circle cx=\"100\" cy=\"76\" r=\"28\" fill=\"#fff\"/><path d=\"M86 98h28v14a4 4 0 0 1-4 4H90a4 4 0 0 1-4-4z\" fill=\"#fff\"/><rect x=\"91\" y=\"119\" width=\"18\" height=\"6\" rx=\"3\" fill=\"#fff\"/><path d=\"M100 30v-8M64 44l-6-6M136 44l6-6M52 76h-8M148 76h8\" stroke=\"#fff\" stroke-width=\"5\" stroke-linecap=\"round\"/><text x=\"100\" y=\"156\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"1\" fill=\"#fff\">IDEA MAKER</text></svg>" },
    { slug: "team-player", name: "Team player", category: "worker", points: 50,
      description: "Worked in a team of two or more on an idea submitted to a Young Ideas competition.",
      criteria: "Be a member of a team of two or more people whose idea is submitted to a competition.",
      svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><title>Team player</title><circle cx=\"100\" cy=\"100\" r=\"96\" fill=\"#059669\"/><circle cx=\"100\" cy=\"100\" r=\"86\" fill=\"none\" stroke=\"#fff\" stroke-opacity=\"0.5\" stroke-width=\"3\"/><circle cx=\"80\" cy=\"66\" r=\"15\" fill=\"#fff\"/><path d=\"M54 118a26 26 0 0 1 52 0z\" fill=\"#fff\"/><circle cx=\"120\" cy=\"66\" r=\"15\" fill=\"#fff\" fill-opacity=\"0.85\"/><path d=\"M94 118a26 26 0 0 1 52 0z\" fill=\"#fff\" fill-opacity=\"0.85\"/><text x=\"100\" y=\"156\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"1\" fill=\"#fff\">TEAM PLAYER</text></svg>" },
    { slug: "shortlisted", name: "Shortlisted", category: "entrepreneur", points: 100,
      description: "Was in a team whose idea the judges shortlisted in a Young Ideas competition.",
      criteria: "Be a member of a team whose submitted idea the judges place on the shortlist of a screening round.",
      svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><title>Shortlisted</title><circle cx=\"100\" cy=\"100\" r=\"96\" fill=\"#2563eb\"/><circle cx=\"100\" cy=\"100\" r=\"86\" fill=\"none\" stroke=\"#fff\" stroke-opacity=\"0.5\" stroke-width=\"3\"/><polygon points=\"100.0,48.0 108.8,71.9 134.2,72.9 114.3,88.6 121.2,113.1 100.0,99.0 78.8,113.1 85.7,88.6 65.8,72.9 91.2,71.9\" fill=\"#fff\"/><text x=\"100\" y=\"156\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"1\" fill=\"#fff\">SHORTLISTED</text></svg>" },
    { slug: "finalist", name: "Finalist", category: "entrepreneur", points: 150,
      description: "Was in a team whose idea reached the final of a Young Ideas competition.",
      criteria: "Be a member of a team whose idea is a finalist when the results of a competition are published.",
      svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><title>Finalist</title><circle cx=\"100\" cy=\"100\" r=\"96\" fill=\"#7c3aed\"/><circle cx=\"100\" cy=\"100\" r=\"86\" fill=\"none\" stroke=\"#fff\" stroke-opacity=\"0.5\" stroke-width=\"3\"/><path d=\"M82 40h14l10 30H92zM118 40h-14l-10 30h14z\" fill=\"#fff\" fill-opacity=\"0.8\"/><circle cx=\"100\" cy=\"94\" r=\"26\" fill=\"#fff\"/><circle cx=\"100\" cy=\"94\" r=\"17\" fill=\"none\" stroke=\"#7c3aed\" stroke-width=\"4\"/><text x=\"100\" y=\"156\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"1\" fill=\"#fff\">FINALIST</text></svg>" },
    { slug: "winner", name: "Winner", category: "entrepreneur", points: 250,
      description: "Was in a team whose idea won a Young Ideas competition, with funding and an accelerator place.",
      criteria: "Be a member of a team whose idea is one of the winners when the results of a competition are published.",
      svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><title>Winner</title><circle cx=\"100\" cy=\"100\" r=\"96\" fill=\"#b45309\"/><circle cx=\"100\" cy=\"100\" r=\"86\" fill=\"none\" stroke=\"#fff\" stroke-opacity=\"0.5\" stroke-width=\"3\"/><path d=\"M72 44h56v18a28 28 0 0 1-56 0z\" fill=\"#fff\"/><path d=\"M72 50H58a14 14 0 0 0 16 20M128 50h14a14 14 0 0 1-16 20\" fill=\"none\" stroke=\"#fff\" stroke-width=\"5\"/><rect x=\"94\" y=\"89\" width=\"12\" height=\"16\" fill=\"#fff\"/><rect x=\"80\" y=\"105\" width=\"40\" height=\"10\" rx=\"3\" fill=\"#fff\"/><text x=\"100\" y=\"156\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"1\" fill=\"#fff\">WINNER</text></svg>" },
    { slug: "judge", name: "Judge", category: "citizen", points: 100,
      description: "Volunteered as a Young Ideas judge and scored every idea assigned to them in a round.",
      criteria: "As an adult volunteer judge, score every assignment given to you in a judging round.",
      svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><title>Judge</title><circle cx=\"100\" cy=\"100\" r=\"96\" fill=\"#0f766e\"/><circle cx=\"100\" cy=\"100\" r=\"86\" fill=\"none\" stroke=\"#fff\" stroke-opacity=\"0.5\" stroke-width=\"3\"/><rect x=\"70\" y=\"46\" width=\"60\" height=\"74\" rx=\"6\" fill=\"#fff\"/><rect x=\"88\" y=\"40\" width=\"24\" height=\"12\" rx=\"4\" fill=\"#fff\" stroke=\"#0f766e\" stroke-width=\"3\"/><path d=\"M84 86l11 11 22-24\" fill=\"none\" stroke=\"#0f766e\" stroke-width=\"7\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/><text x=\"100\" y=\"156\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"16\" font-weight=\"700\" letter-spacing=\"1\" fill=\"#fff\">JUDGE</text></svg>" },
];

export class Badges1795645408959 implements MigrationInterface {
    name = 'Badges1795645408959'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "badge_class" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "criteria" text NOT NULL, "category" text NOT NULL, "points" integer NOT NULL, "image_type" text NOT NULL, "image" bytea NOT NULL, "teacher_awardable" boolean NOT NULL DEFAULT false, "alignments" jsonb NOT NULL DEFAULT '[]', "built_in" boolean NOT NULL DEFAULT false, "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c74225b8c21408aecc4c1d28aa" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "badge_class_slug_key" ON "badge_class"  ("slug") `);
        await queryRunner.query(`CREATE TABLE "badge_endorsement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "badge_id" uuid NOT NULL, "endorser_name" text NOT NULL, "endorser_url" text NOT NULL, "comment" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4c94ed4ab81073a28d73ebf173f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "badge_endorsement_badge_idx" ON "badge_endorsement"  ("badge_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "badge_award" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "badge_id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "method" text NOT NULL, "awarded_by" uuid, "evidence" jsonb NOT NULL, "source" jsonb, "awarded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recipient_kind" text, "recipient_salt" text, "recipient_hash" text, "status_list_id" integer, "status_list_index" integer, "credential" text, "published_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" uuid, "revocation_reason" text, CONSTRAINT "PK_905e0f63629efad9602c0bdfef6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "badge_award_revoked_idx" ON "badge_award"  ("revoked_at") WHERE revoked_at IS NOT NULL AND published_at IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "badge_award_status_key" ON "badge_award"  ("status_list_id", "status_list_index") WHERE status_list_id IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "badge_award_recipient_idx" ON "badge_award"  ("recipient_id", "awarded_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "badge_award_automatic_key" ON "badge_award"  ("badge_id", "recipient_id") WHERE method = 'automatic'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "badge_award_live_key" ON "badge_award"  ("badge_id", "recipient_id") WHERE revoked_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "badge_status_list" ("id" SERIAL NOT NULL, "length" integer NOT NULL, "allocated" bytea NOT NULL, "allocated_count" integer NOT NULL DEFAULT '0', "revoked" bytea NOT NULL, "credential" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee8f98276202c8e229a52f6909f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "badge_endorsement" ADD CONSTRAINT "FK_75fe2bb13e7322d0f93b985bdae" FOREIGN KEY ("badge_id") REFERENCES "badge_class"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "badge_award" ADD CONSTRAINT "FK_538738cc36839d5775a1579ea31" FOREIGN KEY ("badge_id") REFERENCES "badge_class"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        for (const badge of BUILT_IN) {
            await queryRunner.query(
                `INSERT INTO "badge_class" ("slug", "name", "description", "criteria", "category", "points", "image_type", "image", "built_in")
                 VALUES ($1, $2, $3, $4, $5, $6, 'image/svg+xml', convert_to($7, 'UTF8'), true)`,
                [badge.slug, badge.name, badge.description, badge.criteria, badge.category, badge.points, badge.svg],
            );
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "badge_award" DROP CONSTRAINT "FK_538738cc36839d5775a1579ea31"`);
        await queryRunner.query(`ALTER TABLE "badge_endorsement" DROP CONSTRAINT "FK_75fe2bb13e7322d0f93b985bdae"`);
        await queryRunner.query(`DROP TABLE "badge_status_list"`);
        await queryRunner.query(`DROP INDEX "public"."badge_award_live_key"`);
        await queryRunner.query(`DROP INDEX "public"."badge_award_automatic_key"`);
        await queryRunner.query(`DROP INDEX "public"."badge_award_recipient_idx"`);
        await queryRunner.query(`DROP INDEX "public"."badge_award_status_key"`);
        await queryRunner.query(`DROP INDEX "public"."badge_award_revoked_idx"`);
        await queryRunner.query(`DROP TABLE "badge_award"`);
        await queryRunner.query(`DROP INDEX "public"."badge_endorsement_badge_idx"`);
        await queryRunner.query(`DROP TABLE "badge_endorsement"`);
        await queryRunner.query(`DROP INDEX "public"."badge_class_slug_key"`);
        await queryRunner.query(`DROP TABLE "badge_class"`);
    }

}
