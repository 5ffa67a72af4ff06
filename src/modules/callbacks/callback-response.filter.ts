import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CallbackRejectedError } from './callback-rejected.error';

/**
 * TruBit's contract for the callback route is `{"callbackStatus": …}`, not the partner error envelope:
 * an unverified callback is 401 FAIL (it will not be retried into success); anything else that stops us from
 * storing it is 503 FAIL, which TruBit treats as "not delivered" and sends again.
 */
@Catch()
export class CallbackResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('TrubitCallbacks');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof CallbackRejectedError) {
      this.logger.warn(`callback refused: ${exception.message}`);
      void reply.status(401).send({ callbackStatus: 'FAIL' });
      return;
    }
    this.logger.error({ err: exception }, 'callback could not be stored');
    void reply.status(503).send({ callbackStatus: 'FAIL' });
  }
}
