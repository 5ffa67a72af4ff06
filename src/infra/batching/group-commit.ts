/**
 * Group commit: callers submit one item each and wait for its result; items that arrive while earlier batches
 * are being written are written together in the next batch. There is no timer: a lone item is flushed on the
 * next turn of the event loop, and under load the batch grows by itself to whatever arrived during one write
 * (up to `maxBatch`). One database round trip then carries many requests, which is what keeps the hot write
 * paths (quotes, orders, callbacks, webhook attempts) fast, and every caller still hears back only after its
 * own row is committed.
 *
 * `write` gets the items in arrival order and must return one result per item, in the same order. A result may
 * be an Error, which rejects only that item's caller; a thrown error rejects the whole batch, unless
 * `splitOnError` is set: then a failed batch is written again one item per call, so one bad row (a numeric
 * overflow, a constraint) fails only its own request. Set it only when a failed `write` leaves nothing behind
 * (one statement or one transaction).
 */
export interface GroupCommitOptions {
  /** Largest batch handed to `write`. */
  maxBatch: number;
  /** Batches written at the same time (each on its own connection). */
  concurrency: number;
  /** Retry a failed batch item by item (see above). */
  splitOnError?: boolean;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: I[]) => Promise<Array<O | Error>>,
    private readonly options: GroupCommitOptions = { maxBatch: 100, concurrency: 2 },
  ) {
    if (options.maxBatch < 1 || options.concurrency < 1)
      throw new Error('maxBatch and concurrency must be ≥ 1');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a batch (not yet handed to `write`). */
  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate, not a microtask: requests parsed in the same I/O turn join the same batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  private async run(batch: Array<Pending<I, O>>): Promise<void> {
    let results: Array<O | Error>;
    try {
      results = await this.writeChecked(batch.map((p) => p.item));
    } catch (err) {
      if (!this.options.splitOnError || batch.length === 1) {
        for (const p of batch) p.reject(err);
        return;
      }
      results = await Promise.all(
        batch.map((p) =>
          this.writeChecked([p.item]).then(
            ([r]) => r,
            (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
          ),
        ),
      );
    }
    batch.forEach((p, i) => {
      const r = results[i];
      if (r instanceof Error) p.reject(r);
      else p.resolve(r);
    });
  }

  private async writeChecked(items: I[]): Promise<Array<O | Error>> {
    const results = await this.write(items);
    if (results.length !== items.length) {
      throw new Error(`group commit: ${results.length} results for ${items.length} items`);
    }
    return results;
  }
}
