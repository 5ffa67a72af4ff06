// The Fastify instance and the HTTP plumbing shared by every route. Bodies are captured as raw bytes and
// never parsed by Fastify: the signature must be checked over exactly what arrived, and big-number ids must
// be read without a float round-trip, so each handler parses the bytes itself after authentication.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { OtcError } from '@sim/common/otc.error';
import { stringifyLossless } from '@sim/common/lossless.codec';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody: Buffer;
  }
}

export function buildHttpApp(logger: boolean | string | undefined): FastifyInstance {
  const app = Fastify({
    logger: logger ? { level: typeof logger === 'string' ? logger : 'info' } : false,
    // Hung requests (timeout faults) must not keep close() waiting.
    forceCloseConnections: true,
    bodyLimit: 1024 * 1024,
    // Tests shoot many requests through one keep-alive connection; do not let Node cap them.
    keepAliveTimeout: 30_000,
  });
  // Fastify never reads a GET body. TruBit signs "query + body" whatever the method, and the brief's
  // order/detail may carry {"orderId":<bare number>} as a body, so GET bodies are read (and signed) too.
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  app.decorateRequest('rawBody', null as unknown as Buffer);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, body);
  });
  app.addHook('preHandler', async (req) => {
    req.rawBody ??= Buffer.alloc(0);
  });

  app.setNotFoundHandler((_req, reply) => {
    void sendJson(reply, 404, { code: -1020, msg: 'This operation is not supported.' });
  });
  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof OtcError) return sendJson(reply, err.httpStatus, err.toBody());
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const message = err instanceof Error ? err.message : String(err);
    if (status >= 500) req.log.error({ err }, 'simulator error');
    return sendJson(reply, status, { code: status >= 500 ? -1000 : -1102, msg: message });
  });
  return app;
}

export function sendJson(reply: FastifyReply, status: number, payload: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(stringifyLossless(payload));
}

/** The query string exactly as received, without "?": the bytes the client signed. */
export function rawQueryOf(req: FastifyRequest): string {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

export function isFormBody(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
