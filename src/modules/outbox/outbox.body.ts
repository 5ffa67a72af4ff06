/** Keys partners read first, in the order partner-api.md §6 shows them. */
const DATA_FIRST = ['orderId', 'status', 'sequence', 'partnerUserRef'];

/**
 * The webhook body of an outbox payload, as the bytes that are signed and sent on every attempt:
 * `{"id","event","createdAt","data"}` in that order. The payload came back from jsonb, which keeps values but
 * not key order, so the order partners see is restored here once and then frozen in the delivery row.
 */
export function deliveryBody(payload: Record<string, unknown>): string {
  const { id, event, createdAt, data, ...rest } = payload;
  let orderedData = data;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    const head = Object.fromEntries(DATA_FIRST.filter((k) => k in d).map((k) => [k, d[k]]));
    orderedData = { ...head, ...d };
  }
  return JSON.stringify({ id, event, createdAt, data: orderedData, ...rest });
}
