/**
 * Callback ids whose job this process added a short while ago. TruBit's repeats of a callback tend to come in
 * quick succession (its duplicate deliveries, a retry after a slow answer); while its job is known to have been
 * added, a repeat need not add it again. Whatever this memory gets wrong (Redis lost the job since) the inbox
 * sweeper repairs, as it does any lost enqueue. Bounded in time and size; oldest entries leave first.
 */
export class RecentlyEnqueued {
  /** id → when it stops counting (ms); Map iteration order is insertion order, i.e. oldest first. */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSize: number,
  ) {}

  has(id: string, now = Date.now()): boolean {
    const t = this.until.get(id);
    return t !== undefined && t > now;
  }

  addAll(ids: string[], now = Date.now()): void {
    for (const id of ids) {
      this.until.delete(id); // re-inserted at the end: the order stays oldest first
      this.until.set(id, now + this.ttlMs);
    }
    for (const [id, t] of this.until) {
      if (this.until.size <= this.maxSize && t > now) break;
      this.until.delete(id);
    }
  }
}
