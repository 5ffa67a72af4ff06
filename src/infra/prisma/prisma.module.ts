import { Global, Module } from '@nestjs/common';
import { PgPipelinePool, PgPool } from './pg-pool';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [PgPool, PgPipelinePool, PrismaService],
  exports: [PgPool, PgPipelinePool, PrismaService],
})
export class PrismaModule {}
