-- CreateIndex
CREATE INDEX "trubit_callbacks_trubitOrderId_idx" ON "trubit_callbacks"("trubitOrderId");
