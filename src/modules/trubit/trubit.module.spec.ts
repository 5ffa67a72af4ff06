import 'reflect-metadata';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { TRUBIT_API } from './trubit.constants';
import { TrubitClient } from './trubit.client';
import { TrubitModule } from './trubit.module';
import { TrubitUnavailableError } from './trubit.errors';

describe('TrubitModule', () => {
  test('provides one TrubitClient under its class and TRUBIT_API, built from the factory, closed on shutdown', async () => {
    const CONFIG = Symbol('CONFIG');
    const moduleRef = await Test.createTestingModule({
      imports: [
        TrubitModule.registerAsync({
          imports: [
            {
              module: class ConfigStub {},
              providers: [
                { provide: CONFIG, useValue: { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', apiSecret: 's' } },
              ],
              exports: [CONFIG],
              global: false,
            },
          ],
          inject: [CONFIG],
          useFactory: (cfg: { baseUrl: string; apiKey: string; apiSecret: string }) => ({
            options: {
              baseUrl: cfg.baseUrl,
              credentials: { apiKey: cfg.apiKey, apiSecret: cfg.apiSecret },
              metricsRegistry: new Registry(),
            },
            redis: null,
          }),
        }),
      ],
    }).compile();
    const client = moduleRef.get(TrubitClient);
    assert.ok(client instanceof TrubitClient);
    assert.equal(moduleRef.get(TRUBIT_API), client);
    assert.equal(client.getBreakerState().state, 'CLOSED');
    await moduleRef.close();
    await assert.rejects(
      client.getAccount(),
      (e: unknown) => e instanceof TrubitUnavailableError && e.reason === 'client_closed',
    );
  });
});
