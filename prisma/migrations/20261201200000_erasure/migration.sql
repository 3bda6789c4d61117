-- A record that a customer was forgotten on request, without anything of theirs.

-- CreateTable
CREATE TABLE "Erasure" (
    "id" TEXT NOT NULL,
    "clients" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Erasure_pkey" PRIMARY KEY ("id")
);
