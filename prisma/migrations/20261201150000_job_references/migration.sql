-- Job references (J1, J2, ... within a client) and the job's progress from
-- the tradesperson's side. Jobs from before are numbered in the order they
-- were created, and each client's counter starts after its last job.

-- CreateEnum
CREATE TYPE "JobProgress" AS ENUM ('NEW', 'TAKEN', 'TAKEN_OVER', 'DONE');

-- AlterTable
ALTER TABLE "Client" ADD COLUMN "nextJobNumber" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN "number" INTEGER,
ADD COLUMN "progress" "JobProgress" NOT NULL DEFAULT 'NEW',
ADD COLUMN "takenAt" TIMESTAMP(3),
ADD COLUMN "takenBy" TEXT;

UPDATE "Job" AS j SET "number" = n.rn
FROM (SELECT "id", row_number() OVER (PARTITION BY "clientId" ORDER BY "createdAt", "id") AS rn FROM "Job") AS n
WHERE j."id" = n."id";

UPDATE "Client" AS c SET "nextJobNumber" = COALESCE((SELECT max("number") FROM "Job" WHERE "clientId" = c."id"), 0) + 1;

ALTER TABLE "Job" ALTER COLUMN "number" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Job_clientId_number_key" ON "Job"("clientId", "number");
