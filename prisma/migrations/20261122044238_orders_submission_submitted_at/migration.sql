-- CreateIndex
CREATE INDEX "orders_submission_submittedAt_idx" ON "orders"("submission", "submittedAt");
