import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { TrubitCallbackPayloadError, verifyTrubitCallback } from '@app/modules/trubit';
import { callbackFacts, CallbackFacts } from './callback.facts';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { CallbackJobs } from './callback.jobs';
import { CallbackRejectedError } from './callback-rejected.error';

export const CALLBACK_SUCCESS = { callbackStatus: 'SUCCESS' } as const;

/**
 * POST /callbacks/trubit (architecture.md flow 5): verify the RSA signature over the raw bytes, store the
 * callback in the inbox (a repeat is a no-op), answer SUCCESS only once it is stored, then enqueue the job that
 * applies it. The answer never waits for Redis: if the enqueue is lost, the inbox sweeper enqueues it later.
 */
@Injectable()
export class CallbackInboxService {
  private readonly logger = new Logger('TrubitCallbacks');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: CallbackInboxRepository,
    private readonly jobs: CallbackJobs,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined) {
    const key = this.config.trubit.callbackPublicKey;
    if (!key) throw new CallbackRejectedError('no TRUBIT_CALLBACK_PUBLIC_KEY configured');
    if (!rawBody?.length || !signature) throw new CallbackRejectedError('missing body or signature header');
    if (!verifyTrubitCallback(rawBody, signature, key)) throw new CallbackRejectedError('bad signature');

    let facts: CallbackFacts;
    try {
      facts = callbackFacts(rawBody);
    } catch (err) {
      if (!(err instanceof TrubitCallbackPayloadError)) throw err;
      // Genuine (signed) but not an order callback, e.g. FUNDING_WEBHOOK: acknowledge so TruBit stops resending.
      this.logger.warn(`ignored signed callback: ${err.message}`);
      return CALLBACK_SUCCESS;
    }
    const stored = await this.inbox.store(facts, rawBody.toString('utf8'));
    if (!stored.processed) {
      this.jobs.enqueue(stored.id).catch((err: Error) => {
        this.logger.warn(
          `callback ${stored.id} stored, enqueue failed (the sweeper retries): ${err.message}`,
        );
      });
    }
    return CALLBACK_SUCCESS;
  }
}
