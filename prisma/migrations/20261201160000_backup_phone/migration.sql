-- A second phone whose texts are the tradesperson's commands too.

-- AlterTable
ALTER TABLE "Client" ADD COLUMN "backupPhone" TEXT;
