import { Controller, Headers, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CallbackInboxService } from './callback-inbox.service';
import { CallbackResponseFilter } from './callback-response.filter';

/** TruBit's order-status callbacks. No partner auth: the RSA signature over the raw body is the authentication. */
@ApiExcludeController()
@UseFilters(CallbackResponseFilter)
@Controller('callbacks')
export class TrubitCallbackController {
  constructor(private readonly inbox: CallbackInboxService) {}

  @Post('trubit')
  @HttpCode(200)
  receive(@Req() req: RawBodyRequest<FastifyRequest>, @Headers('signature') signature?: string) {
    return this.inbox.receive(req.rawBody, signature);
  }
}
