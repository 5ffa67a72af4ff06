import { Module } from '@nestjs/common';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { CallbackInboxService } from './callback-inbox.service';
import { CallbackJobs } from './callback.jobs';
import { TrubitCallbackController } from './trubit-callback.controller';

/** POST /callbacks/trubit: verify, store in the inbox, answer SUCCESS. */
@Module({
  controllers: [TrubitCallbackController],
  providers: [CallbackInboxService, CallbackInboxRepository, CallbackJobs],
})
export class CallbacksModule {}
