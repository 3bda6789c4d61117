-- The call ledger: calls JobRun places to the tradesperson when an escalation goes untaken.

-- CreateEnum
CREATE TYPE "CallStatus" AS ENUM ('PENDING', 'PLACED', 'SIMULATED', 'FAILED');

-- CreateTable
CREATE TABLE "OutboundCall" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "toNumber" TEXT NOT NULL,
    "fromNumber" TEXT NOT NULL,
    "script" TEXT NOT NULL,
    "status" "CallStatus" NOT NULL DEFAULT 'PENDING',
    "twilioSid" TEXT,
    "errorCode" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "callStatus" TEXT,
    "pressedAt" TIMESTAMP(3),
    "workflowId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "placedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboundCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboundCall_idempotencyKey_key" ON "OutboundCall"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundCall_twilioSid_key" ON "OutboundCall"("twilioSid");

-- CreateIndex
CREATE INDEX "OutboundCall_jobId_idx" ON "OutboundCall"("jobId");

-- AddForeignKey
ALTER TABLE "OutboundCall" ADD CONSTRAINT "OutboundCall_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
