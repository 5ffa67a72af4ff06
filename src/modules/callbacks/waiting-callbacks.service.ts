import { Injectable, Logger } from '@nestjs/common';
import { CallbackApplier } from './callback-applier.service';
import { CallbackInboxRepository } from './callback-inbox.repository';

/**
 * Callbacks that arrived before their order was known (the status-10 callback racing the order/add answer, or a
 * callback for an unknown submission that reconciliation later links): the intake leaves them in the inbox
 * without a job. Whoever records a TruBit order id on an order calls applyFor() after that commit, and the
 * waiting callbacks are applied then, in arrival order. Reading after the commit is what makes this complete
 * (see CallbackInboxService): a callback committed before this read is found here; one committed after it was
 * stored by an intake whose own read, after its commit, sees the order and enqueues the job.
 *
 * Never throws: the id is recorded whatever happens here, and a callback left unapplied by a failure has a
 * known order from now on, so the inbox sweeper enqueues it.
 */
@Injectable()
export class WaitingCallbacks {
  private readonly logger = new Logger('TrubitCallbacks');

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly applier: CallbackApplier,
  ) {}

  /** Applies the unapplied callbacks about `trubitOrderId`; returns how many were applied. */
  async applyFor(trubitOrderId: string): Promise<number> {
    let ids: string[];
    try {
      ids = await this.inbox.waitingFor(trubitOrderId);
    } catch (err) {
      this.logger.warn(`callbacks waiting for ${trubitOrderId} not read (the sweeper will): ${String(err)}`);
      return 0;
    }
    let applied = 0;
    for (const id of ids) {
      try {
        const result = await this.applier.apply(id);
        if (result === 'applied' || result === 'unchanged') applied++;
      } catch (err) {
        this.logger.warn(
          `callback ${id} for ${trubitOrderId} not applied (the sweeper retries): ${String(err)}`,
        );
      }
    }
    if (ids.length)
      this.logger.debug(`${applied}/${ids.length} waiting callback(s) applied for ${trubitOrderId}`);
    return applied;
  }
}
