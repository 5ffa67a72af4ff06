import { parseTrubitJson, parseTrubitOrderWebhook } from '@app/modules/trubit';

/** What the gateway takes from an ORDER_WEBHOOK (trubit-otc.md §6.2). */
export interface CallbackFacts {
  trubitOrderId: string;
  orderStatus: number;
  hasRefund: boolean;
  /** The SPEI tracking key (TruBit's spelling), once the fiat was sent. */
  traclingNumber: string | null;
  /** The inbox dedupe key: `orderId:orderStatus`, plus `:refund` when the refund flag is set. */
  dedupeKey: string;
}

/**
 * Reads a verified callback body. Throws TrubitCallbackPayloadError for bodies that are not order callbacks.
 * The refund flag is part of the dedupe key: TruBit may report 70 and later 70 with hasRefund=1, which is a
 * different fact (CANCELLED → REFUNDED) and must not be swallowed as a repeat.
 */
export function callbackFacts(raw: Buffer | string): CallbackFacts {
  const webhook = parseTrubitOrderWebhook(raw);
  const body = parseTrubitJson(typeof raw === 'string' ? raw : raw.toString('utf8')) as Record<
    string,
    unknown
  >;
  const tracking = body.traclingNumber;
  const hasRefund = webhook.hasRefund === 1;
  const orderStatus = Number(webhook.orderStatus);
  return {
    trubitOrderId: webhook.orderId,
    orderStatus,
    hasRefund,
    traclingNumber:
      typeof tracking === 'string' && tracking.trim()
        ? tracking.trim()
        : typeof tracking === 'number'
          ? String(tracking)
          : null,
    dedupeKey: `${webhook.orderId}:${orderStatus}${hasRefund ? ':refund' : ''}`,
  };
}
