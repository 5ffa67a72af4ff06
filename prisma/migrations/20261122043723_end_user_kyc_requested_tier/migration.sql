-- AlterTable
ALTER TABLE "end_users" ADD COLUMN     "kycRequestedTier" "KycTier";
