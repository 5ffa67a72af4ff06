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
