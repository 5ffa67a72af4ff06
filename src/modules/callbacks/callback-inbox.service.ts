import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { TrubitCallbackPayloadError, verifyTrubitCallback } from '@app/modules/trubit';
import { callbackFacts, CallbackFacts } from './callback.facts';
import { CallbackInboxRepository, NewCallback, StoredCallback } from './callback-inbox.repository';
import { CallbackJobs } from './callback.jobs';
import { CallbackRejectedError } from './callback-rejected.error';
import { RecentlyEnqueued } from './recently-enqueued';

export const CALLBACK_SUCCESS = { callbackStatus: 'SUCCESS' } as const;

/**
 * POST /callbacks/trubit (architecture.md flow 5): verify the RSA signature over the raw bytes, store the
 * callback in the inbox (a repeat is a no-op), answer SUCCESS only once it is stored, then enqueue the job that
 * applies it. The answer never waits for Redis: if the enqueue is lost, the inbox sweeper enqueues it later.
 *
 * Callbacks arriving together are stored together (group commit: one INSERT for everything that arrived while
 * the previous one ran) and their jobs added with one Redis round trip; each caller still hears back only once
 * its own row is committed.
 */
@Injectable()
export class CallbackInboxService {
  private readonly logger = new Logger('TrubitCallbacks');
  private readonly intake = new GroupCommit<NewCallback, StoredCallback>((batch) => this.storeBatch(batch), {
    maxBatch: 500,
    concurrency: 2,
    // One statement per batch: a failed one stored nothing, so a bad row fails only its own request.
    splitOnError: true,
  });
  private readonly enqueued = new RecentlyEnqueued(60_000, 50_000);

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

    const text = rawBody.toString('utf8');
    let facts: CallbackFacts;
    try {
      facts = callbackFacts(text);
    } catch (err) {
      if (!(err instanceof TrubitCallbackPayloadError)) throw err;
      // Genuine (signed) but not an order callback, e.g. FUNDING_WEBHOOK: acknowledge so TruBit stops resending.
      this.logger.warn(`ignored signed callback: ${err.message}`);
      return CALLBACK_SUCCESS;
    }
    await this.intake.submit({ facts, rawBody: text });
    return CALLBACK_SUCCESS;
  }

  /**
   * Stores a batch, then enqueues the job of every row not applied yet, without waiting for Redis. A repeat of
   * an unapplied callback enqueues again (a no-op when its job exists, a recovery when it was lost) unless this
   * process added that job moments ago.
   */
  private async storeBatch(batch: NewCallback[]): Promise<StoredCallback[]> {
    const stored = await this.inbox.storeMany(batch);
    const ids = [
      ...new Set(
        stored.filter((s) => !s.processed && !(s.duplicate && this.enqueued.has(s.id))).map((s) => s.id),
      ),
    ];
    if (ids.length)
      this.jobs.enqueueMany(ids).then(
        () => this.enqueued.addAll(ids),
        (err: Error) =>
          this.logger.warn(
            `${ids.length} callback(s) stored, enqueue failed (the sweeper retries): ${err.message}`,
          ),
      );
    return stored;
  }
}
