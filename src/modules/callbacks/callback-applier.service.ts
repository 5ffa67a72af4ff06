import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { TrubitCallbackPayloadError } from '@app/modules/trubit';
import { callbackFacts } from './callback.facts';
import { CallbackInboxRepository } from './callback-inbox.repository';

/** The order is not (yet) ours: retried on the job's backoff, then left in the inbox for reconciliation. */
export class UnknownTrubitOrderError extends Error {
  constructor(trubitOrderId: string) {
    // An expected outcome, thrown on every retry: its stack says nothing and costs more than the attempt (source
    // maps are on), so none is captured.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`no order with trubitOrderId ${trubitOrderId} (yet)`);
    Error.stackTraceLimit = limit;
    this.name = 'UnknownTrubitOrderError';
  }
}

export type ApplyResult = 'applied' | 'unchanged' | 'already-processed';

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
    // Most retries are for an order that is not ours (yet): answered by the read above, without a transaction.
    if (!row.orderKnown) throw new UnknownTrubitOrderError(facts.trubitOrderId);
    const result = await this.transitions.applyTrubitStatus({
      trubitOrderId: facts.trubitOrderId,
      orderStatus: facts.orderStatus,
      hasRefund: facts.hasRefund,
      traclingNumber: facts.traclingNumber,
      source: 'callback',
    });
    if (!result) throw new UnknownTrubitOrderError(facts.trubitOrderId);
    await this.inbox.markProcessed(callbackId);
    if (result.entered.length) {
      this.nudge.nudge(); // the new outbox rows are committed: wake the relays
      this.logger.debug(`callback ${callbackId}: ${result.from} → ${result.entered.join(' → ')}`);
      return 'applied';
    }
    return 'unchanged';
  }
}
