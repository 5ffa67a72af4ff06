import { Injectable, Logger } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';
import type { TrubitBusinessError } from '@app/modules/trubit/trubit.errors';
import { ReconciliationMetrics } from '../reconciliation.metrics';

/** How long an order TruBit refused to describe is left alone before order/detail is tried again. */
export const ANOMALY_QUIET_MS = 10 * 60_000;

/**
 * Submitted orders TruBit will not describe (order/detail → a business error such as -2013 "Order does not
 * exist": wrong account, credentials changed, data from another environment). Logged loudly and counted
 * for operators, then left quiet for a while across every replica, so one bad row cannot spend the
 * account's request budget on every pass.
 */
@Injectable()
export class OrderAnomalies {
  private readonly logger = new Logger('ReconciliationAnomalies');

  constructor(
    private readonly redis: RedisService,
    private readonly metrics: ReconciliationMetrics,
  ) {}

  async isQuiet(orderId: string): Promise<boolean> {
    return (await this.redis.client.exists(this.key(orderId))) === 1;
  }

  async record(orderId: string, trubitOrderId: string, err: TrubitBusinessError): Promise<void> {
    this.metrics.anomalies.inc({ code: String(err.code ?? 'none') });
    this.logger.error(
      `order ${orderId}: TruBit refuses order/detail for ${trubitOrderId} (${err.code}: ${err.msg}); ` +
        `not asked again for ${ANOMALY_QUIET_MS / 60_000} min`,
    );
    await this.redis.client.set(this.key(orderId), String(err.code ?? ''), 'PX', ANOMALY_QUIET_MS);
  }

  private key(orderId: string): string {
    return this.redis.key('reconcile', 'anomaly', orderId);
  }
}
