// Errors of the /__sim control API: plain HTTP statuses with {error}, deliberately unlike TruBit's
// {code,msg} so nobody mistakes a test hook's answer for upstream behaviour.
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
