import { Module } from '@nestjs/common';
import { CallbacksCoreModule } from './callbacks-core.module';
import { CallbackInboxService } from './callback-inbox.service';
import { CallbackJobs } from './callback.jobs';
import { TrubitCallbackController } from './trubit-callback.controller';

/** POST /callbacks/trubit: verify, store in the inbox, answer SUCCESS. */
@Module({
  imports: [CallbacksCoreModule],
  controllers: [TrubitCallbackController],
  providers: [CallbackInboxService, CallbackJobs],
})
export class CallbacksModule {}
