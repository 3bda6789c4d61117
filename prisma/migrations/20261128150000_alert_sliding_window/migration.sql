-- Alerts are deduplicated over a sliding 15-minute window per kind and subject
-- (activities/alert-operator.ts) instead of fixed clock buckets. The sourceKey
-- of an alert (workflow ID + step) identifies its retries.

-- Rows from older buckets may share a sourceKey: keep them all, made distinct.
UPDATE "OperatorAlert" a SET "sourceKey" = a."sourceKey" || ':' || a.id
WHERE EXISTS (SELECT 1 FROM "OperatorAlert" b WHERE b."sourceKey" = a."sourceKey" AND (b."createdAt", b.id) < (a."createdAt", a.id));

-- DropIndex
DROP INDEX "OperatorAlert_dedupeKey_key";

-- AlterTable
ALTER TABLE "OperatorAlert" DROP COLUMN "dedupeKey";

-- CreateIndex
CREATE UNIQUE INDEX "OperatorAlert_sourceKey_key" ON "OperatorAlert"("sourceKey");

-- CreateIndex
CREATE INDEX "OperatorAlert_kind_subject_createdAt_idx" ON "OperatorAlert"("kind", "subject", "createdAt");

