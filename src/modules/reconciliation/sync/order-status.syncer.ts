import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { canTransition } from '@app/modules/orders/state/order-state.machine';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitCredentials } from '@app/modules/trubit/trubit.options';
import { mapTrubitStatus, parseTrubitStatus } from '@app/modules/trubit/trubit-status.mapper';
import type { TrubitOrderSummary } from '@app/modules/trubit/trubit.types';
import { TrubitBusinessError } from '@app/modules/trubit/trubit.errors';
import { ReconciliationMetrics } from '../reconciliation.metrics';
import { ReconciliationRepository, type OpenSubmittedOrder } from '../reconciliation.repository';
import { TrubitAccountGroups, type TrubitAccountGroup } from '../trubit-account.groups';
import { OrderAnomalies } from './order-anomalies';

export interface SyncReport {
  accounts: number;
  /** order/list pages read. */
  pages: number;
  /** order/detail calls (orders that left the pending list, or need their tracking key). */
  details: number;
  /** Orders whose TruBit status was applied because it differed from what we had. */
  updated: number;
  /** Accounts whose pending list could not be read (TruBit down, rate limited…). */
  failedAccounts: number;
  /** Orders TruBit refused to describe (see OrderAnomalies). */
  anomalies: number;
}

/** TruBit statuses from which fiat has moved and `traclingNumber` exists (50 paid, 60 released). */
const TRACKED_STATUSES = new Set([50, 60]);
/** Guard against a list whose `total` never stops growing. */
const MAX_PAGES = 1000;

/**
 * Brings our submitted orders in line with TruBit, callbacks or not: pages each account's pending list
 * (`order/list?isPending=true`, cost grows with pages, not orders) and applies any status we have not seen;
 * orders that have left that list ended at TruBit (60/70/80), so their order/detail is fetched and applied.
 * Every change goes through OrderTransitionService.applyTrubitStatus (forward-only, every event emitted).
 */
@Injectable()
export class OrderStatusSyncer {
  private readonly logger = new Logger('OrderStatusSync');

  constructor(
    private readonly repo: ReconciliationRepository,
    private readonly groups: TrubitAccountGroups,
    @Inject(TRUBIT_API) private readonly api: TrubitApi,
    private readonly transitions: OrderTransitionService,
    private readonly metrics: ReconciliationMetrics,
    private readonly anomalies: OrderAnomalies,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async syncAll(): Promise<SyncReport> {
    const report: SyncReport = {
      accounts: 0,
      pages: 0,
      details: 0,
      updated: 0,
      failedAccounts: 0,
      anomalies: 0,
    };
    const partners = await this.repo.partnersWithOpenOrders();
    const placeholders = partners.map((partnerId) => ({ partnerId }));
    for (const group of await this.groups.group(placeholders)) {
      report.accounts += 1;
      try {
        await this.syncAccount(group, report);
      } catch (err) {
        report.failedAccounts += 1;
        this.logger.warn(`status sync of ${group.key} stopped: ${(err as Error).message}`);
      }
    }
    return report;
  }

  /** One submitted order, straight from order/detail (operators' reconcile). */
  async syncOne(
    order: Pick<OpenSubmittedOrder, 'id' | 'partnerId' | 'trubitOrderId'>,
    credentials: TrubitCredentials | undefined,
  ): Promise<boolean> {
    const d = await this.api.getOrder({ orderId: order.trubitOrderId }, credentials);
    const result = await this.transitions.applyTrubitStatus({
      trubitOrderId: d.orderId,
      orderStatus: d.orderStatus,
      hasRefund: d.hasRefund,
      traclingNumber: d.traclingNumber,
      source: 'reconcile',
    });
    const changed = !!result && result.entered.length > 0;
    if (changed) this.metrics.reconciled.inc({ source: 'admin' });
    return changed;
  }

  private async syncAccount(
    group: TrubitAccountGroup<{ partnerId: string }>,
    report: SyncReport,
  ): Promise<void> {
    const partnerIds = group.items.map((i) => i.partnerId);
    // Orders submitted before the list is read: anything missing from it has really left the pending set.
    const startedAt = new Date();
    const pending = await this.readPending(group.credentials, report);
    const orders = await this.repo.openSubmittedOrders(partnerIds);

    for (const order of orders) {
      const row = pending.get(order.trubitOrderId);
      try {
        if (row) {
          if (this.isNews(order, row.orderStatus, row.hasRefund)) {
            await this.applyFromList(order, row, group.credentials, report);
          }
        } else if (order.submittedAt && order.submittedAt < startedAt) {
          if (await this.anomalies.isQuiet(order.id)) continue;
          await this.applyFromDetail(order, group.credentials, report);
        }
      } catch (err) {
        // TruBit answered, about this order only (e.g. -2013 "Order does not exist" on our account): an
        // anomaly for operators, not a reason to stop syncing the others, nor to ask again every pass.
        if (!(err instanceof TrubitBusinessError)) throw err;
        report.anomalies += 1;
        await this.anomalies.record(order.id, order.trubitOrderId, err);
      }
    }
  }

  private async readPending(
    credentials: TrubitCredentials | undefined,
    report: SyncReport,
  ): Promise<Map<string, TrubitOrderSummary>> {
    const pageSize = this.config.reconcile.pageSize;
    const rows = new Map<string, TrubitOrderSummary>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await this.api.listOrders({ currentPage: page, pageSize, isPending: true }, credentials);
      report.pages += 1;
      for (const r of res.record) rows.set(r.orderId, r);
      if (res.record.length < pageSize || page * pageSize >= res.total) break;
    }
    return rows;
  }

  /** Something we have not applied yet: a new TruBit status, a refund flag, or a partner status behind. */
  private isNews(order: OpenSubmittedOrder, status: unknown, hasRefund: unknown): boolean {
    const code = parseTrubitStatus(status);
    if (code === null) return false;
    const refund = hasRefund === 1 || hasRefund === '1' || hasRefund === true;
    if (order.trubitStatus !== code || (refund && !order.trubitHasRefund)) return true;
    const target = mapTrubitStatus(code, refund);
    return !!target && canTransition(order.status, target);
  }

  private async applyFromList(
    order: OpenSubmittedOrder,
    row: TrubitOrderSummary,
    credentials: TrubitCredentials | undefined,
    report: SyncReport,
  ): Promise<void> {
    const code = parseTrubitStatus(row.orderStatus);
    // List rows carry no tracking key: fetch it once fiat has moved.
    if (code !== null && TRACKED_STATUSES.has(code) && !order.cepTrackingKey) {
      return this.applyFromDetail(order, credentials, report);
    }
    await this.apply(order, row.orderStatus, row.hasRefund, undefined, 'pending_list', report);
  }

  private async applyFromDetail(
    order: OpenSubmittedOrder,
    credentials: TrubitCredentials | undefined,
    report: SyncReport,
  ): Promise<void> {
    const d = await this.api.getOrder({ orderId: order.trubitOrderId }, credentials);
    report.details += 1;
    if (!this.isNews(order, d.orderStatus, d.hasRefund) && (!d.traclingNumber || order.cepTrackingKey))
      return;
    await this.apply(order, d.orderStatus, d.hasRefund, d.traclingNumber, 'detail', report);
  }

  private async apply(
    order: OpenSubmittedOrder,
    status: unknown,
    hasRefund: unknown,
    traclingNumber: string | undefined,
    source: 'pending_list' | 'detail',
    report: SyncReport,
  ): Promise<void> {
    await this.transitions.applyTrubitStatus({
      trubitOrderId: order.trubitOrderId,
      orderStatus: status as string | number,
      hasRefund: hasRefund as number | undefined,
      traclingNumber,
      source: 'reconcile',
    });
    report.updated += 1;
    this.metrics.reconciled.inc({ source });
  }
}
