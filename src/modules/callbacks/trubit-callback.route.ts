import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CallbackInboxService } from './callback-inbox.service';
import { CallbackRejectedError } from './callback-rejected.error';

export const TRUBIT_CALLBACK_PATH = '/callbacks/trubit';
const FAIL = { callbackStatus: 'FAIL' } as const;

/**
 * POST /callbacks/trubit, TruBit's order-status callbacks. No partner auth: the RSA signature over the raw body
 * is the authentication.
 *
 * A plain Fastify route in its own encapsulated scope rather than a Nest controller: it is the API's busiest
 * route, called by a machine, and needs none of what the Nest pipeline does per request (guards, pipes,
 * interceptors, the partner error envelope); its body parser keeps the bytes as they came (nothing else to
 * verify the signature over) and parses nothing, the JSON is read once, after verification. The application's
 * hooks still apply (request id, metrics, the request log) and Fastify's body limit too.
 *
 * TruBit's contract is `{"callbackStatus": …}`: an unverified callback is 401 FAIL (it will not be retried into
 * success); anything else that stops us from storing it is 503 FAIL, which TruBit treats as "not delivered" and
 * sends again; a request Fastify refuses (too large, wrong content type) keeps its 4xx with a FAIL body.
 */
@Injectable()
export class TrubitCallbackRoute implements OnModuleInit {
  private readonly logger = new Logger('TrubitCallbacks');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly inbox: CallbackInboxService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register((scope, _opts, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, parsed) =>
        parsed(null, body),
      );
      scope.setErrorHandler((err: FastifyError, _req, reply) => this.refuse(err, reply));
      scope.post(TRUBIT_CALLBACK_PATH, (req, reply) => this.receive(req, reply));
      done();
    });
  }

  private async receive(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    const signature = req.headers.signature;
    try {
      return await reply
        .code(200)
        .send(await this.inbox.receive(body, typeof signature === 'string' ? signature : undefined));
    } catch (err) {
      return this.refuse(err, reply);
    }
  }

  private refuse(err: unknown, reply: FastifyReply): FastifyReply {
    if (err instanceof CallbackRejectedError) {
      this.logger.warn(`callback refused: ${err.message}`);
      return reply.code(401).send(FAIL);
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      this.logger.warn(`callback refused by the HTTP layer: ${(err as Error).message}`);
      return reply.code(status).send(FAIL);
    }
    this.logger.error({ err }, 'callback could not be stored');
    return reply.code(503).send(FAIL);
  }
}
