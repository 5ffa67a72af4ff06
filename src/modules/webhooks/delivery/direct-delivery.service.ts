import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { DeliveryAttemptService, orderingDelay } from './delivery-attempt.service';
import { DeliveryAttemptsRepository, DeliveryForAttempt } from './delivery-attempts.repository';
import { DeliveryRef, DeliveryScheduler } from './delivery.scheduler';
import { DeliveryExchange, ExchangeAnswer, ExchangeResult } from './delivery.exchange';
import { MAX_PARTNER_CONCURRENCY, PartnerDeliverySlots } from './partner-delivery.slots';
import { DirectFallbackReason, webhookMetrics } from './webhook.metrics';

/** First attempts a worker process holds for direct sending (waiting for a slot or in flight), all partners. */
export const DIRECT_MAX_PER_PROCESS = 4000;
/** The same, per partner: a slow partner's backlog beyond this goes to the job path at once. */
export const DIRECT_MAX_PER_PARTNER = 1000;
/** A first attempt that waited this long for one of the partner's slots goes to the job path. */
export const DIRECT_MAX_WAIT_MS = 2000;
const EXPIRE_CHECK_MS = 250;
/**
 * A line that holds none of its partner's slots while other worker processes hold them all asks again after
 * this long, doubling up to DIRECT_POLL_MAX_MS: their releases wake nothing here.
 */
export const DIRECT_POLL_MIN_MS = 5;
export const DIRECT_POLL_MAX_MS = 100;

/** A claimed delivery, with the delivery as an attempt would load it when the relay already has it all. */
export type DirectRef = DeliveryRef & { known?: DeliveryForAttempt };

interface Waiting {
  ref: DeliveryRef;
  since: number;
  /** Read as soon as it is dispatched (batched with the others), while it waits for its slot. */
  loaded: Promise<DeliveryForAttempt | null>;
}

interface PartnerLine {
  queue: Waiting[];
  /** Direct attempts of the partner in flight in this process (each holds one of its slots). */
  active: number;
  /** Attempts taken from the queue whose slots are being acquired (0: no acquire running). */
  acquiring: number;
  /** Reported full to the relay: it is told when there is room again. */
  full: boolean;
  /** The next acquire while other processes hold every slot of the partner (see pollLater), and its delay. */
  poll?: NodeJS.Timeout;
  pollMs: number;
}

/** Attempts of the partner this process holds: waiting, having their slots acquired, or in flight. */
function heldIn(line: PartnerLine): number {
  return line.queue.length + line.acquiring + line.active;
}

/**
 * Sends the first attempt of a delivery the relay just created without a BullMQ job (issue 5: one job per
 * attempt costs more than the POST itself). The relay claims these deliveries in its own transaction
 * (`nextAttemptAt` = now + `claimMs`), so no job, hand-off or sweep runs them meanwhile, and hands them over
 * after the commit; nothing here is awaited by the relay.
 *
 * An attempt takes one of the partner's slots (the same Redis semaphore as the jobs, acquires batched per
 * partner), loads the delivery, and runs the same exchange as a job (sign, POST, group-committed record, next
 * attempt as a job, order hand-off), then releases the slot. What cannot go now becomes a job exactly as
 * before, after the claim is released: no free slot within DIRECT_MAX_WAIT_MS, an earlier event of the order
 * unsettled, more than the process or partner bound, shutdown. A crash loses nothing: the claim lapses and the
 * delivery sweeper re-creates the job (the POST may then repeat: at-least-once).
 */
@Injectable()
export class DirectDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly lines = new Map<string, PartnerLine>();
  /** Waiting + in flight, all partners. */
  private held = 0;
  private stopped = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly metrics = webhookMetrics();
  private readonly timer: NodeJS.Timeout;
  /** How long a direct first attempt is claimed: waiting for a slot, the whole exchange, a margin to record. */
  readonly claimMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: DeliveryAttemptsRepository,
    private readonly scheduler: DeliveryScheduler,
    private readonly slots: PartnerDeliverySlots,
    private readonly exchange: DeliveryExchange,
    private readonly attempts: DeliveryAttemptService,
  ) {
    this.claimMs = DIRECT_MAX_WAIT_MS + config.webhooks.timeoutMs + 10_000;
    this.timer = setInterval(() => this.expire(Date.now() - DIRECT_MAX_WAIT_MS), EXPIRE_CHECK_MS);
    this.timer.unref();
  }

  /**
   * Partners whose line here has fewer than `room` free places (the relay passes its batch size): the relay
   * leaves their outbox rows for later (or for another worker) instead of turning them into jobs, so a burst is
   * sent directly as fast as the partner answers. Asking for a whole batch of room means a partner's rows are
   * only read when they can all go, rather than read, locked and deferred again on every run while the line is
   * nearly full. A line always drains (attempts finish, or go to the job path after DIRECT_MAX_WAIT_MS), and
   * `onRoom` runs once it is below half.
   */
  saturated(room = 1): string[] {
    const out: string[] = [];
    // free < room ⇔ held > max − room; room is capped at half, where the line's onRoom fires again.
    const over = DIRECT_MAX_PER_PARTNER - Math.min(Math.max(room, 1), DIRECT_MAX_PER_PARTNER / 2);
    for (const [partnerId, line] of this.lines)
      if (heldIn(line) > over) {
        line.full = true;
        out.push(partnerId);
      }
    return out;
  }

  /** Called when a full line has room again (the relay runner: its deferred rows may go now). */
  onRoom?: () => void;

  /**
   * What the relay does with each row of a batch (in outbox order): 'direct' (claimed and sent from here),
   * 'job' (not eligible, or the process bound is reached, or stopping), 'defer' (the partner's line here is
   * full: the row stays in the outbox for the next run, and so do the partner's later rows of the batch).
   */
  plan(rows: Array<{ partnerId: string; eligible: boolean }>): Array<'direct' | 'job' | 'defer'> {
    if (this.stopped) return rows.map(() => 'job');
    let held = this.held;
    const perPartner = new Map<string, number>();
    const deferred = new Set<string>();
    return rows.map(({ partnerId, eligible }) => {
      if (deferred.has(partnerId)) return 'defer';
      const n = perPartner.get(partnerId) ?? this.heldBy(partnerId);
      if (n >= DIRECT_MAX_PER_PARTNER) {
        deferred.add(partnerId);
        this.line(partnerId).full = true;
        return 'defer';
      }
      if (!eligible || held >= DIRECT_MAX_PER_PROCESS) return 'job';
      perPartner.set(partnerId, n + 1);
      held++;
      return 'direct';
    });
  }

  /**
   * Starts sending the claimed first attempts (committed, in outbox order). Returns at once; only while
   * stopping does it wait, for handing them to the job path.
   */
  async dispatch(refs: DirectRef[]): Promise<void> {
    if (!refs.length) return;
    if (this.stopped)
      return this.fallback(
        refs.map((ref) => ({ ref, delayMs: 0 })),
        'shutdown',
      );
    const now = Date.now();
    const touched = new Set<string>();
    for (const { known, ...ref } of refs) {
      const loaded = known ? Promise.resolve(known) : this.repo.loadForAttempt(ref.id);
      loaded.catch(() => undefined); // awaited when it gets its slot
      this.line(ref.partnerId).queue.push({ ref, since: now, loaded });
      this.held++;
      touched.add(ref.partnerId);
    }
    for (const p of touched) this.pump(p);
  }

  /** Stop taking attempts; the waiting ones go to the job path, those in flight finish and record. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.expire(Infinity);
    // What finishes may start more (a hand-off to the job path): wait until nothing is left, within a deadline.
    const deadline = Date.now() + this.config.webhooks.timeoutMs + 1000;
    while (this.pending.size && Date.now() < deadline) {
      const timeout = new Promise((r) => setTimeout(r, deadline - Date.now()).unref());
      await Promise.race([Promise.allSettled([...this.pending]), timeout]);
    }
  }

  private heldBy(partnerId: string): number {
    const line = this.lines.get(partnerId);
    return line ? heldIn(line) : 0;
  }

  private line(partnerId: string): PartnerLine {
    let line = this.lines.get(partnerId);
    if (!line) {
      line = { queue: [], active: 0, acquiring: 0, full: false, pollMs: 0 };
      this.lines.set(partnerId, line);
    }
    return line;
  }

  /**
   * Takes as many of the partner's slots as its waiting attempts need (one script call for all of them) and
   * starts an attempt on each. Those without a slot keep waiting, at most DIRECT_MAX_WAIT_MS: woken by the
   * release of a slot this process holds, or, when it holds none (other worker processes hold them all), by
   * asking again shortly (pollLater).
   */
  private pump(partnerId: string): void {
    const line = this.lines.get(partnerId);
    if (!line || line.acquiring || this.stopped) return;
    const want = Math.min(line.queue.length, MAX_PARTNER_CONCURRENCY - line.active);
    if (want <= 0) return this.forget(partnerId, line);
    const batch = line.queue.splice(0, want);
    line.acquiring = batch.length;
    const acquired = Promise.all(
      batch.map((w) => this.slots.acquire(partnerId, this.scheduler.jobId(w.ref)).catch(() => null)),
    ).then((tokens) => {
      line.acquiring = 0;
      const missed: Waiting[] = [];
      batch.forEach((w, i) => {
        const token = tokens[i];
        if (token) this.start(partnerId, line, w, token);
        else missed.push(w);
      });
      line.queue.unshift(...missed);
      if (this.stopped) return this.giveUp(partnerId, line, line.queue.length, 'shutdown');
      if (missed.length < batch.length) line.pollMs = 0;
      if (missed.length && line.active === 0) return this.pollLater(partnerId, line);
      if (!missed.length) this.pump(partnerId);
    });
    this.track(acquired);
  }

  private start(partnerId: string, line: PartnerLine, w: Waiting, token: string): void {
    line.active++;
    // The slot bounds requests at the partner's endpoint: it goes back as soon as the endpoint has answered,
    // while the attempt is still being recorded (or when the attempt ends without a request).
    let freed = false;
    const freeSlot = (answer?: ExchangeAnswer): void => {
      if (freed) return;
      freed = true;
      line.active--;
      this.roomCheck(line);
      // Jobs waiting for the partner's slots (retries, fallbacks) go first: this line takes only what the
      // release left free after handing them theirs (else they could starve behind a stream of new events).
      const released = this.attempts.release(partnerId, token, answer).then(
        ({ free, handedOff }) => {
          if (free > handedOff || line.active === 0) this.pump(partnerId);
        },
        () => this.pump(partnerId),
      );
      this.track(released.finally(() => this.forget(partnerId, line)));
    };
    const run = this.attempt(w, freeSlot)
      .catch((err: Error) => {
        this.logger.warn(`direct attempt of ${w.ref.id} failed: ${err.message}`);
        return undefined;
      })
      .then((outcome) => {
        this.held--;
        freeSlot(outcome);
      });
    this.track(run);
  }

  /** One first attempt with its slot: the same checks and exchange as a job's attempt. */
  private async attempt(
    w: Waiting,
    onAnswer: (answer: ExchangeAnswer) => void,
  ): Promise<ExchangeResult | undefined> {
    const { ref } = w;
    let sending = false;
    try {
      const d = await w.loaded;
      // Settled, or already attempted (by a job after the claim lapsed): nothing to do.
      if (!d || d.status !== 'PENDING' || d.attempts !== ref.attempts) return undefined;
      if (!d.partner.webhookUrl || d.partner.webhookDisabledAt) {
        await this.attempts.failUnsendable(d, ref.attempts);
        return undefined;
      }
      if (d.blocker) {
        // Read when the relay handed it over, so possibly long ago: the job looks again once it exists.
        await this.fallback([{ ref, delayMs: orderingDelay(d.blocker.dueAt) }], 'ordering');
        await this.attempts.wakeIfUnblocked(ref.id, this.scheduler.jobId(ref));
        return undefined;
      }
      sending = true;
      return await this.exchange.perform(d, d.partner.webhookUrl, ref.attempts, onAnswer);
    } catch (err) {
      // Not sent (database away while loading): the job path takes it, or else the sweeper once the claim
      // lapses. Sent but not recorded: the claim lapses and the attempt is made again (at-least-once).
      if (!sending) await this.fallback([{ ref, delayMs: 1000 }], 'load_failed');
      throw err;
    }
  }

  /**
   * The line got no slot and holds none: every slot of the partner is in use by other worker processes (two
   * replicas sharing one partner's burst), or the partner is slow and its slots are all in flight. Their
   * releases wake nothing here, so the line asks again after a short delay that doubles while it keeps missing.
   * Attempts that reach DIRECT_MAX_WAIT_MS meanwhile go to the job path (expire), as any waiting attempt does.
   */
  private pollLater(partnerId: string, line: PartnerLine): void {
    if (line.poll || this.stopped) return;
    line.pollMs = Math.min(DIRECT_POLL_MAX_MS, line.pollMs ? line.pollMs * 2 : DIRECT_POLL_MIN_MS);
    line.poll = setTimeout(() => {
      line.poll = undefined;
      this.pump(partnerId);
    }, line.pollMs);
    line.poll.unref();
  }

  /** Hands the partner's `n` oldest waiting attempts to the job path. */
  private giveUp(partnerId: string, line: PartnerLine, n: number, reason: DirectFallbackReason): void {
    const out = line.queue.splice(0, n);
    this.held -= out.length;
    this.roomCheck(line);
    this.forget(partnerId, line);
    this.track(
      this.fallback(
        out.map((w) => ({ ref: w.ref, delayMs: 0 })),
        reason,
      ),
    );
  }

  /** Attempts that waited since before `before` (all of them when stopping) go to the job path. */
  private expire(before: number): void {
    for (const [partnerId, line] of this.lines) {
      let n = 0;
      while (n < line.queue.length && line.queue[n].since <= before) n++;
      if (n) this.giveUp(partnerId, line, n, this.stopped ? 'shutdown' : 'no_slot');
    }
  }

  /** A line that was full crossed back below half: the relay may take its rows again. */
  private roomCheck(line: PartnerLine): void {
    if (line.full && heldIn(line) < DIRECT_MAX_PER_PARTNER / 2) {
      line.full = false;
      this.onRoom?.();
    }
  }

  private forget(partnerId: string, line: PartnerLine): void {
    const idle = !line.queue.length && !line.active && !line.acquiring && !line.full;
    if (!idle) return;
    clearTimeout(line.poll);
    line.poll = undefined;
    if (this.lines.get(partnerId) === line) this.lines.delete(partnerId);
  }

  /**
   * The job path for attempts this process will not make: the claim released (due now, so an order's
   * hand-off finds them), then their jobs. If this fails the sweeper re-creates them once the claim lapses.
   */
  private async fallback(
    items: Array<{ ref: DeliveryRef; delayMs: number }>,
    reason: DirectFallbackReason,
  ): Promise<void> {
    if (!items.length) return;
    this.metrics.directFallbacks.inc({ reason }, items.length);
    try {
      await this.repo.releaseClaims(items.map((i) => i.ref));
      await this.scheduler.enqueueMany(items.map((i) => ({ ...i.ref, delayMs: i.delayMs })));
    } catch (err) {
      this.logger.warn(
        `handing ${items.length} attempt(s) to the job path failed: ${(err as Error).message}`,
      );
    }
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch(() => undefined);
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}
