/**
 * The orders whose quantity a TruBit account's free balance may not reflect yet (FundsReservations' rule):
 * every reservation still held (submission QUEUED / SUBMITTING / UNKNOWN: `reservedQuantity`), and every SELL
 * that reached SUBMITTED after `since` (its reservation released, TruBit's lock perhaps not in the balance read
 * yet: `sellQuantity`). One row per order: "partnerId", token, quantity, "submittedAt" (NULL for a reservation).
 *
 * Each half is read through the submission indexes, so its cost is the backlog and the last few seconds of
 * submissions, never a partner's history: a MATERIALIZED CTE, because as a plain subquery joined to the
 * account's partners the planner read every order the partner ever had through its partnerId index (227 ms per
 * call with 200,000 submitted orders, under the funds lock of every order-creation batch). `sinceParam` must be a
 * plain parameter (not an expression the planner cannot see), so the range on submittedAt is estimated for what
 * it is. Asserted in committed-orders-plan.int-spec.ts.
 */
export function committedOrdersCte(sinceParam: string): string {
  return `committed_orders AS MATERIALIZED (
    SELECT o."partnerId", o.token, o."reservedQuantity" AS quantity, NULL::timestamp AS "submittedAt"
      FROM orders o WHERE o.submission IN ('QUEUED', 'SUBMITTING', 'UNKNOWN')
    UNION ALL
    SELECT o."partnerId", o.token, o."sellQuantity", o."submittedAt"
      FROM orders o WHERE o.submission = 'SUBMITTED' AND o."submittedAt" > ${sinceParam}::timestamp)`;
}

/** The TruBit account (API key) a partner trades on: its own when configured, else the operator's. */
export function accountKeyOf(partner: string, operatorKeyParam: string): string {
  return `(CASE WHEN ${partner}."trubitApiKey" IS NOT NULL AND ${partner}."trubitApiSecretEnc" IS NOT NULL
               THEN ${partner}."trubitApiKey" ELSE ${operatorKeyParam} END)`;
}
