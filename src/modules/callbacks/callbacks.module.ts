import { Module } from '@nestjs/common';

/** POST /callbacks/trubit: verify, store in the inbox, answer SUCCESS. */
@Module({})
export class CallbacksModule {}
