import { type DynamicModule, type FactoryProvider, Module, type ModuleMetadata } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { TRUBIT_API } from './trubit.constants';
import { TrubitClient } from './trubit.client';
import type { TrubitClientOptions } from './trubit.options';

export interface TrubitModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  /** Returns the client options (from the typed app config) and the shared Redis connection (or null). */
  useFactory: (
    ...deps: any[]
  ) =>
    | Promise<{ options: TrubitClientOptions; redis: Redis | null }>
    | { options: TrubitClientOptions; redis: Redis | null };
}

/**
 * Provides TrubitClient (also under TRUBIT_API). Config and Redis come from whoever imports it: this
 * module reads no environment. The client closes its pool on shutdown (onModuleDestroy).
 */
@Module({})
export class TrubitModule {
  static registerAsync(opts: TrubitModuleAsyncOptions): DynamicModule {
    return {
      module: TrubitModule,
      imports: opts.imports ?? [],
      providers: [
        {
          provide: TrubitClient,
          inject: opts.inject ?? [],
          useFactory: async (...deps: unknown[]) => {
            const { options, redis } = await opts.useFactory(...deps);
            return new TrubitClient(options, redis);
          },
        },
        { provide: TRUBIT_API, useExisting: TrubitClient },
      ],
      exports: [TrubitClient, TRUBIT_API],
    };
  }
}
