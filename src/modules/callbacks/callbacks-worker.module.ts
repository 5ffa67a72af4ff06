import { Module } from '@nestjs/common';
import { CallbacksCoreModule } from './callbacks-core.module';
import { CallbackJobs } from './callback.jobs';
import { CallbackSweeper } from './callback.sweeper';
import { TrubitCallbackProcessor } from './trubit-callback.processor';

/** Applies stored TruBit callbacks through the state machine. */
@Module({
  imports: [CallbacksCoreModule],
  providers: [CallbackJobs, CallbackSweeper, TrubitCallbackProcessor],
  exports: [CallbackSweeper],
})
export class CallbacksWorkerModule {}
