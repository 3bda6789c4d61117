-- The recovery sweep over Twilio's log (workflows/recovery.ts): what was
-- handled, and how far the log has been read. And an index for the
-- text-back's cooldown, which looks up a conversation's texts.

-- CreateTable
CREATE TABLE "HandledInbound" (
    "sid" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandledInbound_pkey" PRIMARY KEY ("sid")
);

-- CreateTable
CREATE TABLE "RecoveryCheckpoint" (
    "kind" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecoveryCheckpoint_pkey" PRIMARY KEY ("kind")
);

-- CreateIndex
CREATE INDEX "OutboundMessage_conversationId_idx" ON "OutboundMessage"("conversationId");
