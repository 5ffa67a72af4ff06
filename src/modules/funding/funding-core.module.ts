import { Module } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { FundingAccounts } from './accounts/funding-accounts';
import { BalanceSnapshots } from './services/balance-snapshot.service';
import { DepositAddresses } from './services/deposit-address.service';
import { FundsReservations } from './services/funds-reservation.service';

/** Funds bookkeeping shared by the API (order creation, balances) and the worker (funding watcher). */
@Module({
  providers: [FundingAccounts, BalanceSnapshots, DepositAddresses, FundsReservations, Clock],
  exports: [FundingAccounts, BalanceSnapshots, DepositAddresses, FundsReservations],
})
export class FundingCoreModule {}
