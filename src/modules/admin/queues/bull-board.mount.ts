import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminAuthGuard } from '@app/modules/admin/admin-auth.guard';
import { QueueRegistry } from './queue-registry';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues on the API's Fastify instance, behind the admin token: `Authorization: Bearer
 * <ADMIN_TOKEN>`, or HTTP Basic with the token as the password so a browser can open the UI (the 401 carries
 * a Basic challenge). Every request under the prefix, UI assets and its JSON API alike, goes through the check.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
    private readonly adminAuth: AdminAuthGuard,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const serverAdapter = new BullBoardFastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    createBullBoard({
      queues: this.queues.all().map((q) => new BullMQAdapter(q)),
      // @bull-board/fastify pins its own copy of @bull-board/api (9.10.1 vs 9.10.2): same shape, other declaration.
      serverAdapter: serverAdapter as unknown as IServerAdapter,
      options: { uiConfig: { boardTitle: 'Gateway queues' } },
    });
    void fastify.register(
      async (scope: FastifyInstance) => {
        scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
          if (this.authorized(request.headers.authorization)) return;
          return reply
            .status(401)
            .header('WWW-Authenticate', 'Basic realm="admin", charset="UTF-8"')
            .type('application/json; charset=utf-8')
            .send({
              error: 'UNAUTHORIZED',
              message: 'Missing or invalid admin bearer token',
              requestId: request.id,
            });
        });
        await scope.register(serverAdapter.registerPlugin());
      },
      { prefix: BULL_BOARD_PATH },
    );
  }

  private authorized(header: string | undefined): boolean {
    const basic = /^Basic (.+)$/.exec(header ?? '');
    if (!basic) return this.adminAuth.isValid(header);
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    return this.adminAuth.isValid(`Bearer ${password}`);
  }
}
