// Errors that travel back to the caller as TruBit's `{code, msg}` body. Codes and message texts follow the
// BHEX/TruBit error page (trubit-otc.md §4): the codes are the contract, the texts are what a real server says.

/**
 * HTTP status for parameter, business and auth errors. The BHEX SDK only parses JSON on 2xx and 400 and
 * raises on anything else, so a server that answered 401 for a bad key would break that SDK: TruBit answers
 * 400 for all of them (§1 "HTTP status for errors"). Rate limits are the exception (429 / 418).
 */
export const CLIENT_ERROR_STATUS = 400;

export class OtcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus: number = CLIENT_ERROR_STATUS,
  ) {
    super(message);
    this.name = 'OtcError';
  }

  toBody(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const otcErrors = {
  unauthorized: () => new OtcError(-1002, 'You are not authorized to execute this request.'),
  tooManyRequests: (limit: number, status = 429) =>
    new OtcError(-1003, `Too many requests; current limit is ${limit} requests per minute.`, status),
  banned: (untilMs: number) => new OtcError(-1003, `IP banned until ${untilMs}`, 418),
  unexpected: () =>
    new OtcError(
      -1006,
      'An unexpected response was received from the message bus. Execution status unknown.',
      500,
    ),
  tooManyOrders: (limit: number) =>
    new OtcError(-1015, `Too many new orders; current limit is ${limit} orders per SECOND.`, 429),
  timestampOutsideWindow: () =>
    new OtcError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () =>
    new OtcError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => new OtcError(-1022, 'Signature for this request is not valid.'),
  duplicateParam: (name: string) => new OtcError(-1101, `Duplicate values for parameter '${name}'.`),
  mandatory: (name: string) =>
    new OtcError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  invalidOrderType: () => new OtcError(-1116, 'Invalid orderType.'),
  badSymbol: () => new OtcError(-1121, 'Invalid symbol.'),
  invalidParam: (name: string, why?: string) =>
    new OtcError(-1130, `Data sent for parameter '${name}' is not valid.${why ? ` ${why}` : ''}`),
  orderFilled: () => new OtcError(-1139, 'Order has been filled.'),
  amountTooSmall: () => new OtcError(-1140, 'Order amount is too small.'),
  orderCancelled: () => new OtcError(-1142, 'Order has been canceled.'),
  rejected: (why: string) => new OtcError(-2010, why),
  insufficientBalance: () => new OtcError(-2010, 'Account has insufficient balance for requested action.'),
  noSuchOrder: () => new OtcError(-2013, 'Order does not exist.'),
} as const;
