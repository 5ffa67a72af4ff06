import { Module } from '@nestjs/common';
import { CallbacksCoreModule } from './callbacks-core.module';
import { CallbackInboxService } from './callback-inbox.service';
import { CallbackJobs } from './callback.jobs';
import { TrubitCallbackRoute } from './trubit-callback.route';

/** POST /callbacks/trubit: verify, store in the inbox, answer SUCCESS. */
@Module({
  imports: [CallbacksCoreModule],
  providers: [CallbackInboxService, CallbackJobs, TrubitCallbackRoute],
})
export class CallbacksModule {}
