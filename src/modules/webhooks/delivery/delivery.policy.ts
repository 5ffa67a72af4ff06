/**
 * Delivery rules that are pure arithmetic (partner-api.md §6): the retry schedule with jitter, Retry-After,
 * and what one attempt's result means for the delivery. Kept free of I/O so the rules are unit-tested.
 */

/** A Retry-After above this is not honoured in full (a partner cannot park its events for days). */
export const RETRY_AFTER_CAP_MS = 60 * 60 * 1000;
/** Up to +20 % random on top of each scheduled delay so retries of many deliveries do not stampede. */
export const JITTER_RATIO = 0.2;

export type AttemptResult =
  | { kind: 'response'; statusCode: number; retryAfterMs: number | null }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string }
  /** The SSRF guard refused the target: final, nothing was sent. */
  | { kind: 'refused'; message: string };

export interface AttemptDecision {
  status: 'DELIVERED' | 'PENDING' | 'FAILED';
  statusCode: number | null;
  /** null after success; otherwise why this attempt did not deliver. */
  errorMessage: string | null;
  /** Delay before the next attempt when status is PENDING. */
  nextDelayMs: number | null;
  /** 410 Gone: the partner asked us to stop; the endpoint is disabled until it sets a URL again. */
  disableEndpoint: boolean;
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds from `nowMs` (null when absent or unparsable). */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return null;
  const value = raw.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * Index in the schedule of the next attempt: attempts count up forever (a retry opens a new series by raising
 * maxAttempts by the schedule length), so the position inside the current series is what picks the delay.
 */
export function seriesIndex(attemptsDone: number, maxAttempts: number, scheduleLength: number): number {
  const index = attemptsDone - (maxAttempts - scheduleLength);
  return Math.min(Math.max(index, 0), scheduleLength - 1);
}

export function scheduledDelayMs(schedule: number[], index: number, random: () => number = Math.random) {
  const base = schedule[Math.min(Math.max(index, 0), schedule.length - 1)] ?? 0;
  return Math.round(base + base * JITTER_RATIO * random());
}

function describe(result: AttemptResult, timeoutMs: number): string {
  switch (result.kind) {
    case 'response':
      if (result.statusCode >= 300 && result.statusCode < 400)
        return `HTTP ${result.statusCode}: redirects are not followed`;
      return `HTTP ${result.statusCode}`;
    case 'timeout':
      return `no response within ${timeoutMs} ms`;
    case 'network':
      return result.message;
    case 'refused':
      return result.message;
  }
}

/**
 * What an attempt means: 2xx delivered; 410 fails the delivery and disables the endpoint; a refused target fails
 * at once; anything else retries on the schedule (Retry-After on 429/503 pushes the next attempt out, capped)
 * until the last allowed attempt, after which the delivery is FAILED (the dead-letter list).
 */
export function decideAttempt(
  result: AttemptResult,
  attemptsAfter: number,
  maxAttempts: number,
  schedule: number[],
  timeoutMs: number,
  random: () => number = Math.random,
): AttemptDecision {
  const statusCode = result.kind === 'response' ? result.statusCode : null;
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    return { status: 'DELIVERED', statusCode, errorMessage: null, nextDelayMs: null, disableEndpoint: false };
  }
  if (statusCode === 410) {
    return {
      status: 'FAILED',
      statusCode,
      errorMessage:
        'HTTP 410 Gone: the webhook endpoint was disabled; set it again with PUT /webhook-endpoint',
      nextDelayMs: null,
      disableEndpoint: true,
    };
  }
  const message = describe(result, timeoutMs);
  if (result.kind === 'refused' || attemptsAfter >= maxAttempts) {
    const suffix = result.kind === 'refused' ? '' : ` (after ${attemptsAfter} attempts)`;
    return {
      status: 'FAILED',
      statusCode,
      errorMessage: message + suffix,
      nextDelayMs: null,
      disableEndpoint: false,
    };
  }
  let delay = scheduledDelayMs(schedule, seriesIndex(attemptsAfter, maxAttempts, schedule.length), random);
  if (
    result.kind === 'response' &&
    (statusCode === 429 || statusCode === 503) &&
    result.retryAfterMs !== null
  ) {
    delay = Math.max(delay, Math.min(result.retryAfterMs, RETRY_AFTER_CAP_MS));
  }
  return { status: 'PENDING', statusCode, errorMessage: message, nextDelayMs: delay, disableEndpoint: false };
}
