import { parseTrubitJson, TrubitCallbackPayloadError } from '@app/modules/trubit';

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

const DIGITS = /^\d+$/;

/**
 * Reads a verified callback body (the same rules as parseTrubitOrderWebhook, for the fields the gateway uses).
 * Throws TrubitCallbackPayloadError for bodies that are not order callbacks.
 * The refund flag is part of the dedupe key: TruBit may report 70 and later 70 with hasRefund=1, which is a
 * different fact (CANCELLED → REFUNDED) and must not be swallowed as a repeat.
 */
export function callbackFacts(raw: Buffer | string): CallbackFacts {
  const b = readBody(typeof raw === 'string' ? raw : raw.toString('utf8'));
  if (b.eventType !== undefined && b.eventType !== 'ORDER_WEBHOOK') {
    throw new TrubitCallbackPayloadError(`not an order callback: eventType=${String(b.eventType)}`);
  }
  const orderId = typeof b.orderId === 'string' ? b.orderId.trim() : '';
  if (!DIGITS.test(orderId)) throw new TrubitCallbackPayloadError('callback without a numeric orderId');
  const status = b.orderStatus;
  if ((typeof status !== 'string' && typeof status !== 'number') || !DIGITS.test(String(status).trim())) {
    throw new TrubitCallbackPayloadError('callback without a numeric orderStatus');
  }
  const orderStatus = Number(String(status).trim());
  const hasRefund = b.hasRefund !== undefined && b.hasRefund !== null && Number(b.hasRefund) === 1;
  const tracking = b.traclingNumber;
  return {
    trubitOrderId: orderId,
    orderStatus,
    hasRefund,
    traclingNumber:
      typeof tracking === 'string' && tracking.trim()
        ? tracking.trim()
        : typeof tracking === 'number'
          ? String(tracking)
          : null,
    dedupeKey: `${orderId}:${orderStatus}${hasRefund ? ':refund' : ''}`,
  };
}

/**
 * One parse per callback, on the ingestion hot path. JSON.parse is several times faster than the big-int-safe
 * parser, and exact for everything read here as long as the order id, the tracking key and the status came as
 * strings or small numbers (TruBit sends strings). A bare number among them could have lost digits, so such a
 * body is read again with the big-int-safe parser, whose output the rules above were written for.
 */
function readBody(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
    if (isObject(json) && needsExactNumbers(json)) json = parseTrubitJson(text);
  } catch {
    throw new TrubitCallbackPayloadError('callback body is not JSON');
  }
  if (!isObject(json)) throw new TrubitCallbackPayloadError('callback body is not a JSON object');
  return json;
}

function isObject(json: unknown): json is Record<string, unknown> {
  return json !== null && typeof json === 'object' && !Array.isArray(json);
}

function needsExactNumbers(b: Record<string, unknown>): boolean {
  return (
    typeof b.orderId === 'number' ||
    typeof b.traclingNumber === 'number' ||
    (typeof b.orderStatus === 'number' && !Number.isSafeInteger(b.orderStatus))
  );
}
