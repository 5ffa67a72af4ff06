import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from './bootstrap';
import { createRootLogger, PinoNestLogger } from './infra/logging/logger';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config.logLevel, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
  });
  // SIGTERM/SIGINT close the context: BullMQ workers finish their in-flight jobs before the process exits.
  app.enableShutdownHooks();
  logger.info('worker started');
}

void main();
