import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@app/common/errors/api.error';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import {
  TrubitBusinessError,
  TrubitError,
  TrubitUnknownOutcomeError,
} from '@app/modules/trubit/trubit.errors';
import type { TrubitCredentials } from '@app/modules/trubit/trubit.options';
import type { TrubitAddMerchantClabeRequest } from '@app/modules/trubit/trubit.types';

export interface OpenedMerchant {
  merchantId: string;
  merchantName: string;
}

/** TruBit merchant statuses (mc/add, mc/list). */
export const MERCHANT_STATUS = { AUTHENTICATING: 1, NORMAL: 2, FAILED: 3 } as const;

/**
 * Opens the user's merchant at TruBit (mc/add). A lost response ("maybe created") or a refusal that may mean
 * "that name exists already" (an earlier attempt whose answer we never saw) is settled by looking the
 * name up in mc/list: our names are unique per user and attempt, so a live merchant with it is ours.
 * Any other failure is KYC_SESSION_FAILED (502) and nothing is recorded.
 */
@Injectable()
export class MerchantOpener {
  private readonly logger = new Logger('KycMerchant');

  constructor(@Inject(TRUBIT_API) private readonly trubit: TrubitApi) {}

  async open(req: TrubitAddMerchantClabeRequest, creds?: TrubitCredentials): Promise<OpenedMerchant> {
    try {
      const res = await this.trubit.addMerchant(req, creds);
      if (res?.merchantId === undefined || res.merchantId === null || String(res.merchantId) === '') {
        throw new TrubitUnknownOutcomeError({
          endpoint: 'mc/add',
          reason: 'bad_response',
          msg: 'no merchantId',
        });
      }
      return { merchantId: String(res.merchantId), merchantName: req.merchantName };
    } catch (err) {
      if (err instanceof TrubitUnknownOutcomeError || err instanceof TrubitBusinessError) {
        const found = await this.findLive(req.merchantName, creds);
        if (found) return found;
      }
      throw this.failure(err);
    }
  }

  private async findLive(name: string, creds?: TrubitCredentials): Promise<OpenedMerchant | null> {
    try {
      const list = await this.trubit.listMerchants(creds);
      const m = (Array.isArray(list) ? list : []).find((x) => x.merchantName === name);
      if (!m || Number(m.status) === MERCHANT_STATUS.FAILED) return null;
      this.logger.log(`adopted merchant ${m.id} (${name}) after an unclear mc/add outcome`);
      return { merchantId: String(m.id), merchantName: name };
    } catch {
      return null;
    }
  }

  private failure(err: unknown): ApiError {
    if (!(err instanceof TrubitError)) {
      this.logger.error({ err }, 'mc/add failed unexpectedly');
      return new ApiError('KYC_SESSION_FAILED', 'The KYC provider could not start a session');
    }
    this.logger.warn(`mc/add failed: ${err.message}`);
    const reason =
      err instanceof TrubitBusinessError
        ? `The KYC provider refused the request: ${err.msg || 'no reason given'}`
        : 'The KYC provider is not available right now; retry later';
    return new ApiError('KYC_SESSION_FAILED', reason, { upstream: err.kind, trubitCode: err.code });
  }
}
