// The shape every TruBit endpoint is declared with; the pipeline (otc.pipeline.ts) does the common work.
import type { FieldReader } from '@sim/common/field.reader';
import type { SimAccount } from '@sim/state/account.store';

export interface OtcContext {
  /** The caller's account: always set on signed routes, set on unsigned ones only if a known key was sent. */
  account: SimAccount | null;
  /** Query parameters, merged over the JSON or form body fields (the query string wins on clashes). */
  input: FieldReader;
}

export interface OtcRoute {
  method: 'GET' | 'POST';
  /** Path under /openapi/v1/otc/ ("order/add"), or an absolute path for the non-OTC extras ("/openapi/v1/ping"). */
  path: string;
  signed: boolean;
  /** REQUESTS_WEIGHT cost (§7: 5 for list/account-style reads, 1 otherwise). */
  weight: number;
  /** Wrap in {code:200,msg,data} when the envelope flag is on (the BHEX extras ping/time never are). */
  envelope?: boolean;
  handler(ctx: OtcContext): unknown;
}

export function withAccount(ctx: OtcContext): SimAccount {
  if (!ctx.account) throw new Error('signed route reached its handler without an account');
  return ctx.account;
}
