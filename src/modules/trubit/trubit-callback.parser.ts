import { TrubitCallbackPayloadError } from './trubit.errors';
import { parseTrubitJson } from './trubit-json';
import type { TrubitOrderWebhook } from './trubit.types';

/**
 * ORDER_WEBHOOK body (trubit-otc.md §6.2) → TrubitOrderWebhook. orderId stays the exact decimal string
 * even when sent as a bare number; `fiatAmount` falls back to the doc example's `orderAmount`;
 * orderStatus is normalized to a string. Call only after verifyTrubitCallback succeeded.
 */
export function parseTrubitOrderWebhook(rawBody: Buffer | string): TrubitOrderWebhook {
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  let json: unknown;
  try {
    json = parseTrubitJson(text);
  } catch {
    throw new TrubitCallbackPayloadError('callback body is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TrubitCallbackPayloadError('callback body is not a JSON object');
  }
  const b = json as Record<string, unknown>;
  if (b.eventType !== undefined && b.eventType !== 'ORDER_WEBHOOK') {
    throw new TrubitCallbackPayloadError(`not an order callback: eventType=${String(b.eventType)}`);
  }
  const orderId = typeof b.orderId === 'string' ? b.orderId.trim() : '';
  if (!/^\d+$/.test(orderId)) throw new TrubitCallbackPayloadError('callback without a numeric orderId');
  const status = b.orderStatus;
  if ((typeof status !== 'string' && typeof status !== 'number') || !/^\d+$/.test(String(status).trim())) {
    throw new TrubitCallbackPayloadError('callback without a numeric orderStatus');
  }

  const str = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  const out: TrubitOrderWebhook = { orderId, orderStatus: String(status).trim() };
  const optional: Partial<TrubitOrderWebhook> = {
    webhookId: str(b.webhookId),
    eventType: str(b.eventType),
    clientId: str(b.clientId),
    userId: str(b.userId),
    merchantId:
      typeof b.merchantId === 'number' || typeof b.merchantId === 'string' ? b.merchantId : undefined,
    orderType: str(b.orderType),
    fiat: str(b.fiat),
    fiatAmount: str(b.fiatAmount) ?? str(b.orderAmount),
    fiatFee: str(b.fiatFee),
    crypto: str(b.crypto),
    cryptoAmount: str(b.cryptoAmount),
    orderPrice: str(b.orderPrice),
    hasRefund: b.hasRefund === undefined || b.hasRefund === null ? undefined : Number(b.hasRefund),
    createTime:
      typeof b.createTime === 'number' || typeof b.createTime === 'string' ? b.createTime : undefined,
    updateTime:
      typeof b.updateTime === 'number' || typeof b.updateTime === 'string' ? b.updateTime : undefined,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined && !(typeof v === 'number' && Number.isNaN(v)))
      (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}
