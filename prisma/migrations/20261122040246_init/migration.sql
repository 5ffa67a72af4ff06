-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PartnerTier" AS ENUM ('FREE', 'GROWTH', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "PartnerStatus" AS ENUM ('ACTIVE', 'INACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "KycModel" AS ENUM ('GATEWAY_MANAGED', 'PARTNER_MANAGED');

-- CreateEnum
CREATE TYPE "ApiKeyStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateEnum
CREATE TYPE "KycStatus" AS ENUM ('NOT_REQUIRED', 'PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "KycTier" AS ENUM ('NONE', 'BASIC', 'FULL');

-- CreateEnum
CREATE TYPE "FeeRecipient" AS ENUM ('USER', 'PARTNER', 'NONE');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING_DEPOSIT', 'ACTIVE', 'LOCKED', 'VERIFIED', 'COMPLETED', 'CANCELLED', 'REFUNDED', 'REJECTED', 'EXPIRED', 'FAILED');

-- CreateEnum
CREATE TYPE "SubmissionState" AS ENUM ('NOT_SUBMITTED', 'QUEUED', 'SUBMITTING', 'UNKNOWN', 'SUBMITTED', 'FAILED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "IdempotencyState" AS ENUM ('IN_PROGRESS', 'COMPLETED');

-- CreateTable
CREATE TABLE "partners" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tier" "PartnerTier" NOT NULL,
    "status" "PartnerStatus" NOT NULL DEFAULT 'ACTIVE',
    "kycModel" "KycModel" NOT NULL,
    "ipWhitelist" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "limits" JSONB,
    "webhookUrl" TEXT,
    "webhookDisabledAt" TIMESTAMP(3),
    "webhookSecretEnc" TEXT NOT NULL,
    "webhookPrevSecretEnc" TEXT,
    "webhookPrevSecretUntil" TIMESTAMP(3),
    "trubitApiKey" TEXT,
    "trubitApiSecretEnc" TEXT,
    "trubitMerchantId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "partners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "lookupId" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "status" "ApiKeyStatus" NOT NULL DEFAULT 'ACTIVE',
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "end_users" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "partnerUserRef" TEXT NOT NULL,
    "kycStatus" "KycStatus" NOT NULL DEFAULT 'NOT_REQUIRED',
    "kycTier" "KycTier" NOT NULL DEFAULT 'NONE',
    "kycCompletedAt" TIMESTAMP(3),
    "kycRequestedAt" TIMESTAMP(3),
    "kycSessionId" TEXT,
    "kycAttestation" JSONB,
    "trubitMerchantId" TEXT,
    "trubitMerchantName" TEXT,
    "amlRiskLevel" TEXT NOT NULL DEFAULT 'LOW',
    "isPep" BOOLEAN NOT NULL DEFAULT false,
    "isSanctioned" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "end_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_methods" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clabe" TEXT NOT NULL,
    "trubitMerchantId" TEXT NOT NULL,
    "trubitPaymentId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_methods_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quotes" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'SELL',
    "token" TEXT NOT NULL,
    "amount" DECIMAL(24,6) NOT NULL,
    "exchangeRate" DECIMAL(24,8) NOT NULL,
    "grossAmountMxn" DECIMAL(18,2) NOT NULL,
    "feePercent" DECIMAL(6,3) NOT NULL,
    "feeAmountMxn" DECIMAL(18,2) NOT NULL,
    "feeRecipient" "FeeRecipient" NOT NULL,
    "netAmountMxn" DECIMAL(18,2) NOT NULL,
    "revenueSharePercent" DECIMAL(6,3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quotes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "quoteId" TEXT NOT NULL,
    "status" "OrderStatus" NOT NULL,
    "submission" "SubmissionState" NOT NULL DEFAULT 'NOT_SUBMITTED',
    "token" TEXT NOT NULL,
    "amount" DECIMAL(24,6) NOT NULL,
    "exchangeRate" DECIMAL(24,8) NOT NULL,
    "grossAmountMxn" DECIMAL(18,2) NOT NULL,
    "feePercent" DECIMAL(6,3) NOT NULL,
    "feeAmountMxn" DECIMAL(18,2) NOT NULL,
    "feeRecipient" "FeeRecipient" NOT NULL,
    "netAmountMxn" DECIMAL(18,2) NOT NULL,
    "sellQuantity" DECIMAL(24,6) NOT NULL,
    "reservedQuantity" DECIMAL(24,6) NOT NULL DEFAULT 0,
    "revenueSharePercent" DECIMAL(6,3) NOT NULL,
    "partnerFeeMxn" DECIMAL(18,2) NOT NULL,
    "platformFeeMxn" DECIMAL(18,2) NOT NULL,
    "sellerClabe" TEXT NOT NULL,
    "bankCode" TEXT NOT NULL,
    "bankName" TEXT NOT NULL,
    "amlRiskLevel" TEXT NOT NULL DEFAULT 'LOW',
    "trubitOrderId" TEXT,
    "trubitStatus" INTEGER,
    "trubitHasRefund" BOOLEAN NOT NULL DEFAULT false,
    "trubitPaymentId" TEXT,
    "trubitMerchantId" TEXT,
    "trubitSeenAt" TIMESTAMP(3),
    "cepTrackingKey" TEXT,
    "failureReason" TEXT,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "submitAttempts" INTEGER NOT NULL DEFAULT 0,
    "submittedAt" TIMESTAMP(3),
    "fundedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_events" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" BIGSERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "orderId" TEXT,
    "eventType" TEXT NOT NULL,
    "sequence" INTEGER,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "orderId" TEXT,
    "eventType" TEXT NOT NULL,
    "sequence" INTEGER,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "lastAttemptAt" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "partnerId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "state" "IdempotencyState" NOT NULL DEFAULT 'IN_PROGRESS',
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("partnerId","key")
);

-- CreateTable
CREATE TABLE "trubit_callbacks" (
    "id" BIGSERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "trubitOrderId" TEXT NOT NULL,
    "orderStatus" INTEGER NOT NULL,
    "rawBody" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "trubit_callbacks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_lookupId_key" ON "api_keys"("lookupId");

-- CreateIndex
CREATE INDEX "api_keys_partnerId_status_idx" ON "api_keys"("partnerId", "status");

-- CreateIndex
CREATE INDEX "end_users_partnerId_createdAt_idx" ON "end_users"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "end_users_partnerId_kycRequestedAt_idx" ON "end_users"("partnerId", "kycRequestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "end_users_partnerId_partnerUserRef_key" ON "end_users"("partnerId", "partnerUserRef");

-- CreateIndex
CREATE UNIQUE INDEX "payout_methods_userId_clabe_key" ON "payout_methods"("userId", "clabe");

-- CreateIndex
CREATE INDEX "quotes_partnerId_createdAt_idx" ON "quotes"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "quotes_expiresAt_idx" ON "quotes"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "orders_quoteId_key" ON "orders"("quoteId");

-- CreateIndex
CREATE UNIQUE INDEX "orders_trubitOrderId_key" ON "orders"("trubitOrderId");

-- CreateIndex
CREATE INDEX "orders_partnerId_createdAt_idx" ON "orders"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "orders_partnerId_status_idx" ON "orders"("partnerId", "status");

-- CreateIndex
CREATE INDEX "orders_partnerId_userId_createdAt_idx" ON "orders"("partnerId", "userId", "createdAt");

-- CreateIndex
CREATE INDEX "orders_status_expiresAt_idx" ON "orders"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "orders_submission_idx" ON "orders"("submission");

-- CreateIndex
CREATE UNIQUE INDEX "order_events_orderId_sequence_key" ON "order_events"("orderId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_partnerId_createdAt_idx" ON "webhook_deliveries"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_createdAt_idx" ON "webhook_deliveries"("status", "createdAt");

-- CreateIndex
CREATE INDEX "webhook_deliveries_orderId_sequence_idx" ON "webhook_deliveries"("orderId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_partnerId_eventId_key" ON "webhook_deliveries"("partnerId", "eventId");

-- CreateIndex
CREATE INDEX "webhook_attempts_deliveryId_idx" ON "webhook_attempts"("deliveryId");

-- CreateIndex
CREATE INDEX "idempotency_records_expiresAt_idx" ON "idempotency_records"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "trubit_callbacks_dedupeKey_key" ON "trubit_callbacks"("dedupeKey");

-- CreateIndex
CREATE INDEX "trubit_callbacks_processedAt_idx" ON "trubit_callbacks"("processedAt");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "end_users" ADD CONSTRAINT "end_users_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_methods" ADD CONSTRAINT "payout_methods_userId_fkey" FOREIGN KEY ("userId") REFERENCES "end_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_userId_fkey" FOREIGN KEY ("userId") REFERENCES "end_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_userId_fkey" FOREIGN KEY ("userId") REFERENCES "end_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_quoteId_fkey" FOREIGN KEY ("quoteId") REFERENCES "quotes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;
