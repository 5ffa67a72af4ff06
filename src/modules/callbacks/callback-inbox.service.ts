import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { GroupCommit } from '@app/infra/batching/group-commit';
import type { KeyObject } from 'node:crypto';
import {
  loadTrubitPublicKey,
  TrubitCallbackPayloadError,
  verifyTrubitCallbackWith,
} from '@app/modules/trubit';
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
 *
 * A job is enqueued only for a callback whose order we know: one for an order we do not know (yet) stays in the
 * inbox, unapplied, until the gateway records that TruBit order id on an order (WaitingCallbacks), which applies
 * it then. No callback falls between the two, because each side reads the other's table after its own commit:
 * the intake looks for the order after the row is committed, the recorder looks for callbacks after the id is
 * committed. If the intake's read missed the id, that read began before the id's commit, so the recorder's
 * read began after the callback's commit and finds it. (The INSERT's own look at orders cannot be trusted for
 * "unknown": its snapshot is older than the row's commit; it is only used to skip the second read for rows it
 * already found an order for.)
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
  /** Callbacks stored but not dispatched yet (see schedule). */
  private pendingKnown = new Set<string>();
  private pendingRecheck = new Map<string, string[]>();
  private dispatching?: Promise<void>;

  /** The verification key, parsed once; undefined when none is configured or it does not parse. */
  private readonly key?: KeyObject;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly inbox: CallbackInboxRepository,
    private readonly jobs: CallbackJobs,
  ) {
    const configured = config.trubit.callbackPublicKey;
    if (!configured) return;
    try {
      this.key = loadTrubitPublicKey(configured);
    } catch (err) {
      this.logger.error(`TRUBIT_CALLBACK_PUBLIC_KEY unusable, every callback is refused: ${String(err)}`);
    }
  }

  async receive(rawBody: Buffer | undefined, signature: string | undefined) {
    if (!this.key) throw new CallbackRejectedError('no usable TRUBIT_CALLBACK_PUBLIC_KEY configured');
    if (!rawBody?.length || !signature) throw new CallbackRejectedError('missing body or signature header');
    if (!verifyTrubitCallbackWith(rawBody, signature, this.key))
      throw new CallbackRejectedError('bad signature');

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
   * Stores a batch and answers; then, in the background, enqueues the job of every row not applied yet whose
   * order is known. A repeat of an unapplied callback enqueues again (a no-op when its job exists, a recovery
   * when it was lost) unless this process added that job moments ago. A new row whose order the INSERT did not
   * see is checked again now that it is committed (see the class comment).
   */
  private async storeBatch(batch: NewCallback[]): Promise<StoredCallback[]> {
    const stored = await this.inbox.storeMany(batch);
    const known = new Set<string>();
    const recheck = new Map<string, string[]>(); // TruBit order id → new rows about it
    stored.forEach((s, i) => {
      if (s.processed || (s.duplicate && this.enqueued.has(s.id))) return;
      if (s.orderKnown) known.add(s.id);
      else if (!s.duplicate) {
        const orderId = batch[i].facts.trubitOrderId;
        recheck.set(orderId, [...(recheck.get(orderId) ?? []), s.id]);
      }
    });
    if (known.size || recheck.size) this.schedule(known, recheck);
    return stored;
  }

  /**
   * One dispatch at a time: what batches leave meanwhile is merged into the next one (one orders read, one
   * addBulk), so a slow Redis or database never piles up concurrent dispatches, and under load the round trips
   * are shared like the INSERTs.
   */
  private schedule(known: Iterable<string>, recheck: Map<string, string[]>): void {
    for (const id of known) this.pendingKnown.add(id);
    for (const [orderId, ids] of recheck)
      this.pendingRecheck.set(orderId, [...(this.pendingRecheck.get(orderId) ?? []), ...ids]);
    if (!this.dispatching) this.dispatching = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pendingKnown.size || this.pendingRecheck.size) {
        const known = [...this.pendingKnown];
        const recheck = this.pendingRecheck;
        this.pendingKnown = new Set();
        this.pendingRecheck = new Map();
        await this.dispatch(known, recheck);
      }
    } finally {
      // In the same turn as the loop's last check: a schedule() after it sees no drain and starts one (a flag
      // cleared in a later .finally() would leave what was scheduled in between waiting for the next callback).
      this.dispatching = undefined;
    }
  }

  /** Resolves once every dispatch scheduled so far has run (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.dispatching) await this.dispatching;
  }

  private async dispatch(known: string[], recheck: Map<string, string[]>): Promise<void> {
    let ids = known;
    try {
      if (recheck.size) {
        const found = await this.inbox.knownOrders([...recheck.keys()]);
        for (const orderId of found) ids = ids.concat(recheck.get(orderId) ?? []);
      }
      if (!ids.length) return;
      await this.jobs.enqueueMany(ids);
      this.enqueued.addAll(ids);
    } catch (err) {
      this.logger.warn(`callback(s) stored, enqueue failed (the sweeper retries): ${(err as Error).message}`);
    }
  }
}
