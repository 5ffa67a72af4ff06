import { Injectable, Logger } from '@nestjs/common';
import { CallbackApplier } from './callback-applier.service';
import { changesNothing } from '@app/modules/orders/state/trubit-observation';
import { callbackFacts } from './callback.facts';
import { CallbackInboxRepository, WaitingCallback } from './callback-inbox.repository';

/**
 * Callbacks that arrived before their order was known (the status-10 callback racing the order/add answer, or a
 * callback for an unknown submission that reconciliation later links): the intake leaves them in the inbox
 * without a job. Whoever records a TruBit order id on an order calls applyFor() after that commit, and the
 * waiting callbacks are applied then, in arrival order. Reading after the commit is what makes this complete
 * (see CallbackInboxService): a callback committed before this read is found here; one committed after it was
 * stored by an intake whose own read, after its commit, sees the order and enqueues the job.
 *
 * A callback that would change nothing but the order's trubitSeenAt (see changesNothing) is only marked processed.
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
    let waiting: WaitingCallback[];
    try {
      waiting = await this.inbox.waitingFor(trubitOrderId);
    } catch (err) {
      this.logger.warn(`callbacks waiting for ${trubitOrderId} not read (the sweeper will): ${String(err)}`);
      return 0;
    }
    // Callbacks that tell the order nothing it does not already record (the routine status 10) are only marked
    // processed: one UPDATE rather than a locked transaction each. The rest go through the applier.
    const nothingNew = new Set(waiting.filter((c) => this.changesNothing(c)).map((c) => c.id));
    let applied = 0;
    try {
      await this.inbox.markProcessed([...nothingNew]);
      applied += nothingNew.size;
    } catch (err) {
      this.logger.warn(
        `callbacks for ${trubitOrderId} not marked applied (the sweeper will): ${String(err)}`,
      );
    }
    for (const { id } of waiting.filter((c) => !nothingNew.has(c.id))) {
      try {
        const result = await this.applier.apply(id);
        if (result === 'applied' || result === 'unchanged') applied++;
      } catch (err) {
        this.logger.warn(
          `callback ${id} for ${trubitOrderId} not applied (the sweeper retries): ${String(err)}`,
        );
      }
    }
    if (waiting.length)
      this.logger.debug(`${applied}/${waiting.length} waiting callback(s) applied for ${trubitOrderId}`);
    return applied;
  }

  private changesNothing(callback: WaitingCallback): boolean {
    if (!callback.order) return false;
    let facts;
    try {
      facts = callbackFacts(callback.rawBody);
    } catch {
      return false; // the applier reports it
    }
    return changesNothing(callback.order, facts);
  }
}
