import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs` in the background, never two runs at once; a failed run is logged and the
 * next tick tries again. stop() waits (bounded) for a run in progress, so shutdown does not cut one short.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.work().catch((err: Error) => this.logger.warn(`periodic run failed: ${err.message}`));
    await this.running;
    this.running = undefined;
  }

  async stop(graceMs = 5000): Promise<void> {
    clearInterval(this.timer);
    await Promise.race([this.running, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }
}
