/** The order can never be submitted as it is (TruBit refused a prerequisite for good): the order FAILS. */
export class PermanentSubmissionError extends Error {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
    this.name = 'PermanentSubmissionError';
  }
}

/** A prerequisite is on its way (merchant KYB pending, payout method not listed yet): retry the job later. */
export class SubmissionNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionNotReadyError';
  }
}

/**
 * The order waits its turn (in its account's line, or for TruBit's rate): the job sleeps `delayMs` as a delayed
 * job without spending an attempt, then runs again. `afterParked` runs once it is delayed (see the processor).
 */
export class SubmissionDeferred extends Error {
  constructor(
    readonly delayMs: number,
    readonly afterParked: () => Promise<void> = async () => {},
  ) {
    super(`submission deferred for ${delayMs} ms`);
    this.name = 'SubmissionDeferred';
  }
}
