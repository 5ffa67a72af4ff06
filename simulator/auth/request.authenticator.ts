// The SIGNED-endpoint checks of trubit-otc.md §2 / §8.1, in the order a BHEX-family server applies them:
// API key present and known (-1002), timestamp present (-1102), timing (-1021), signature (-1022).
import { otcErrors } from '@sim/common/otc.error';
import type { AccountStore, SimAccount } from '@sim/state/account.store';
import type { RuntimeConfig } from '@sim/simulator.options';
import { stripSignature, verifySignature } from './signature.verifier';

export interface AuthRequest {
  apiKey: string | undefined;
  /** The query string exactly as received, without the leading "?". */
  rawQuery: string;
  /** The body bytes exactly as received. */
  rawBody: Buffer;
  /** application/x-www-form-urlencoded bodies may carry parameters (and the signature) themselves. */
  formBody: boolean;
  /** Reads may be exempt from recvWindow (config.enforceRecvWindowOnReads = false). */
  isRead: boolean;
}

const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60_000;
const AHEAD_TOLERANCE_MS = 1000;

export class RequestAuthenticator {
  constructor(
    private readonly accounts: AccountStore,
    private readonly config: RuntimeConfig,
    private readonly clock: () => number,
  ) {}

  /** Resolves the account behind an API key header, or -1002. Used alone by unsigned routes. */
  account(apiKey: string | undefined): SimAccount {
    if (!apiKey) throw otcErrors.unauthorized();
    const account = this.accounts.get(apiKey);
    if (!account) throw otcErrors.unauthorized();
    return account;
  }

  /** The account for a key on unsigned routes, where an unknown key is simply ignored. */
  tryAccount(apiKey: string): SimAccount | undefined {
    return this.accounts.get(apiKey);
  }

  authenticate(req: AuthRequest): SimAccount {
    const account = this.account(req.apiKey);
    const query = stripSignature(req.rawQuery);
    // For form posts the body may hold parameters and the signature; the query string wins on clashes.
    const body = req.formBody ? stripSignature(req.rawBody.toString('utf8')) : null;
    const params = new URLSearchParams(req.rawQuery);
    const formParams = body ? new URLSearchParams(body.signedQuery) : null;

    const timestamp = single(params, formParams, 'timestamp');
    if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) throw otcErrors.mandatory('timestamp');
    const recvWindowText = single(params, formParams, 'recvWindow');
    let recvWindow = DEFAULT_RECV_WINDOW;
    if (recvWindowText !== undefined) {
      if (
        !/^\d{1,9}$/.test(recvWindowText) ||
        Number(recvWindowText) <= 0 ||
        Number(recvWindowText) > MAX_RECV_WINDOW
      ) {
        throw otcErrors.invalidParam('recvWindow', `recvWindow must be between 1 and ${MAX_RECV_WINDOW}.`);
      }
      recvWindow = Number(recvWindowText);
    }
    const ts = Number(timestamp);
    const now = this.clock();
    if (ts >= now + AHEAD_TOLERANCE_MS) throw otcErrors.timestampAhead();
    if (now - ts > recvWindow && (this.config.enforceRecvWindowOnReads || !req.isRead)) {
      throw otcErrors.timestampOutsideWindow();
    }

    const signatures = [...query.signatures, ...(query.signatures.length ? [] : (body?.signatures ?? []))];
    if (signatures.length > 1) throw otcErrors.duplicateParam('signature');
    const provided = signatures[0];
    if (!provided) throw otcErrors.mandatory('signature');
    const signedBody = body ? Buffer.from(body.signedQuery, 'utf8') : req.rawBody;
    if (!verifySignature(account.apiSecret, query.signedQuery, signedBody, provided))
      throw otcErrors.badSignature();
    return account;
  }
}

function single(query: URLSearchParams, form: URLSearchParams | null, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw otcErrors.duplicateParam(name);
  if (values.length === 1) return values[0];
  const formValues = form?.getAll(name) ?? [];
  if (formValues.length > 1) throw otcErrors.duplicateParam(name);
  return formValues[0];
}
