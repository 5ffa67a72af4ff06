import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './common/openapi/openapi.document';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigError, loadAppConfig } from './config/load-app-config';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { requestIdFor } from './common/http/request-id';
import { createValidationPipe } from './common/validation/validation.pipe';
import { createRootLogger, PinoNestLogger } from './infra/logging/logger';
import { MetricsService } from './modules/metrics/metrics.service';
import type { INestApplicationContext } from '@nestjs/common';
import { WorkerModule } from './worker.module';

export interface RouteInfo {
  method: string;
  url: string;
}
const ROUTES = new WeakMap<object, RouteInfo[]>();

/** Every HTTP route the API registered (method + Fastify path), e.g. to check the OpenAPI document against. */
export function registeredRoutes(app: NestFastifyApplication): RouteInfo[] {
  return ROUTES.get(app) ?? [];
}

/** Reads and validates the environment, or prints which variables are wrong and exits (fail fast). */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadAppConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Builds the API application (shared by main.ts and the e2e tests): Fastify with our body limit, trusted
 * proxies and request ids; one error envelope; strict validation; metrics; OpenAPI at /docs and /docs-json.
 */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config.logLevel, 'api');
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One 'request completed' line per request is written by our onResponse hook (with the partner id).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustedProxies.length ? config.http.trustedProxies : false,
    genReqId: requestIdFor,
    return503OnClosing: true,
    // Errors Fastify raises before any route runs (an undecodable URL) get our envelope too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply
        .status(400)
        .type('application/json; charset=utf-8')
        .send({ error: 'VALIDATION_ERROR', message: error.message, requestId: request.id });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    // No rawBody: the one route that needs the received bytes (POST /callbacks/trubit) has its own parser.
  });
  const filter = new ApiExceptionFilter();
  app.useGlobalFilters(filter);
  app.useGlobalPipes(createValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  const routes: RouteInfo[] = [];
  ROUTES.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('X-Request-Id', request.id);
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (request.partner)
      metrics.partnerRequests.inc({ partner: request.partner.id, status: String(reply.statusCode) });
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        partner: request.partner?.id,
      },
      'request completed',
    );
  });

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });

  app.enableShutdownHooks();
  await app.init();
  return app;
}

/** Builds the worker process (BullMQ processors) as an application context; shared by worker.ts and tests. */
export async function createWorkerApp(config: AppConfig): Promise<INestApplicationContext> {
  const logger = createRootLogger(config.logLevel, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
  });
  // SIGTERM/SIGINT close the context: BullMQ workers finish their in-flight jobs before the process exits.
  app.enableShutdownHooks();
  await app.init();
  return app;
}
