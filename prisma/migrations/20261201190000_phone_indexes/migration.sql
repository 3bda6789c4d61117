-- The console's phone simulator and the send ledger's reconciliation read texts by phone and number.

-- CreateIndex
CREATE INDEX "Message_fromNumber_toNumber_createdAt_idx" ON "Message"("fromNumber", "toNumber", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundMessage_toNumber_fromNumber_createdAt_idx" ON "OutboundMessage"("toNumber", "fromNumber", "createdAt");
