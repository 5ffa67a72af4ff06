import type { DeliveryForAttempt } from '../delivery-attempts.repository';
import type { DeliveryExchange, ExchangeAnswer, ExchangeResult } from '../delivery.exchange';

/** A pending first attempt of an event outside any order, with an endpoint: nothing holds it back. */
export const PENDING_DELIVERY: DeliveryForAttempt = {
  id: 'dlv_1',
  partnerId: 'ptn_1',
  eventId: 'evt_1',
  eventType: 'user.kyc_approved',
  orderId: null,
  sequence: null,
  body: '{"id":"evt_1"}',
  status: 'PENDING',
  attempts: 0,
  maxAttempts: 5,
  nextAttemptAt: null,
  createdAt: new Date(),
  partner: {
    webhookUrl: 'http://127.0.0.1:1/hook',
    webhookDisabledAt: null,
    webhookSecretEnc: 'sealed',
    webhookPrevSecretEnc: null,
    webhookPrevSecretUntil: null,
  },
  blocker: null,
};

/**
 * An exchange the test drives, for the callers of DeliveryExchange.perform: `exchangeStarted` gives the
 * `onAnswer` the caller passed (call it as the exchange does once the endpoint answered), `finish` ends the
 * exchange with its result (the record done) or with an error.
 */
export function drivenExchange() {
  let started!: (onAnswer: (a: ExchangeAnswer) => void) => void;
  const exchangeStarted = new Promise<(a: ExchangeAnswer) => void>((r) => (started = r));
  let finish!: (r: ExchangeResult | Error) => void;
  const finished = new Promise<ExchangeResult | Error>((r) => (finish = r));
  const exchange = {
    perform: async (_d: unknown, _url: string, _n: number, onAnswer: (a: ExchangeAnswer) => void) => {
      started(onAnswer);
      const outcome = await finished;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  } as unknown as DeliveryExchange;
  return { exchange, exchangeStarted, finish };
}
