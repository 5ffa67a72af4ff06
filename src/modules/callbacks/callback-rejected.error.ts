/** A callback that did not verify (bad, missing or unverifiable signature): 401 {"callbackStatus":"FAIL"}. */
export class CallbackRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CallbackRejectedError';
  }
}
