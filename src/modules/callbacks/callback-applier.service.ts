import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { changesNothing } from '@app/modules/orders/state/trubit-observation';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { TrubitCallbackPayloadError } from '@app/modules/trubit';
import { callbackFacts } from './callback.facts';
import { CallbackInboxRepository } from './callback-inbox.repository';

/**
 * - applied / unchanged: applied through the state machine (which did or did not move the order); processed.
 *   A callback that tells the order nothing new (see changesNothing) is unchanged without a transaction.
 * - already-processed: nothing to do.
 * - order-unknown: no order has its TruBit order id (yet). Left unapplied in the inbox, without a retry: the
 *   code that records that id on an order applies it then (WaitingCallbacks), and reconciliation reads TruBit's
 *   own state in any case.
 */
export type ApplyResult = 'applied' | 'unchanged' | 'already-processed' | 'order-unknown';

/**
 * Applies one stored callback through the order state machine (forward-only, row-locked), then marks it
 * processed. Repeats and callbacks arriving out of order are harmless: a status the order already passed
 * changes nothing, and a status further ahead walks the order through the states in between.
 */
@Injectable()
export class CallbackApplier {
  private readonly logger = new Logger('TrubitCallbacks');

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly transitions: OrderTransitionService,
    private readonly nudge: OutboxNudge,
  ) {}

  async apply(callbackId: string): Promise<ApplyResult> {
    const row = await this.inbox.findToApply(callbackId);
    if (!row || row.processed) return 'already-processed';
    let facts;
    try {
      facts = callbackFacts(row.rawBody);
    } catch (err) {
      if (err instanceof TrubitCallbackPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
    // Not ours (yet): answered by the read above, without a transaction.
    if (!row.order) return 'order-unknown';
    // Nothing the order does not already record (a repeat, a status it has passed, the routine 10 after the
    // submitter's own): marked processed without locking the order.
    if (changesNothing(row.order, facts)) {
      await this.inbox.markProcessed([callbackId]);
      return 'unchanged';
    }
    const result = await this.transitions.applyTrubitStatus({
      trubitOrderId: facts.trubitOrderId,
      orderStatus: facts.orderStatus,
      hasRefund: facts.hasRefund,
      traclingNumber: facts.traclingNumber,
      source: 'callback',
    });
    if (!result) return 'order-unknown';
    await this.inbox.markProcessed([callbackId]);
    if (result.entered.length) {
      this.nudge.nudge(); // the new outbox rows are committed: wake the relays
      this.logger.debug(`callback ${callbackId}: ${result.from} → ${result.entered.join(' → ')}`);
      return 'applied';
    }
    return 'unchanged';
  }
}
