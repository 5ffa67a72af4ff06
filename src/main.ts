import { createApiApp, loadConfigOrExit } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApiApp(config);
  await app.listen({ port: config.http.port, host: config.http.host });
  app.getHttpAdapter().getInstance().log.info({ port: config.http.port }, 'API listening');
}

void main();
