import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@app/config/app-config';
import { createApiApp } from '@app/bootstrap';
import { testConfig } from './test-config';

export interface RunningApi {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

/** Starts the real API (same bootstrap as main.ts) on a random local port. */
export async function startApi(config: AppConfig = testConfig()): Promise<RunningApi> {
  const app = await createApiApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, config, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
