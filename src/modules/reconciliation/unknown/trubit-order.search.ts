import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import type { TrubitCredentials } from '@app/modules/trubit/trubit.options';
import type { TrubitOrderDetail, TrubitOrderSummary } from '@app/modules/trubit/trubit.types';
import { epochMs } from './submission.matcher';

/** order/detail memoised for one pass (one TruBit call per order however often it is asked about). */
export class TrubitDetailCache {
  private readonly cache = new Map<string, Promise<TrubitOrderDetail>>();

  constructor(
    private readonly api: TrubitApi,
    private readonly credentials: TrubitCredentials | undefined,
  ) {}

  get(orderId: string): Promise<TrubitOrderDetail> {
    let hit = this.cache.get(orderId);
    if (!hit) {
      hit = this.api.getOrder({ orderId }, this.credentials);
      // A failed lookup is not remembered: the next caller may try again.
      hit.catch(() => this.cache.delete(orderId));
      this.cache.set(orderId, hit);
    }
    return hit;
  }
}

export interface OrderListScan {
  /** Every row read (any status), newest pages first. */
  rows: TrubitOrderSummary[];
  /** True when every order created at or after `since` is in `rows`; false if a page could not be read. */
  complete: boolean;
  pagesRead: number;
  /** Why the scan stopped early (a TrubitError), when it did. */
  error?: unknown;
}

/** Snowflake ids grow with time, so they tell which end of a page is newer. */
function byId(a: TrubitOrderSummary, b: TrubitOrderSummary): number {
  const x = BigInt(a.orderId);
  const y = BigInt(b.orderId);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Reads an account's order/list from the newest orders backwards until it reaches orders created before
 * `since`: cost grows with the pages that can hold recent orders, not with the account's history. TruBit
 * documents lists as oldest-first, but the direction is detected from the ids rather than assumed.
 */
export async function scanOrdersSince(
  api: TrubitApi,
  credentials: TrubitCredentials | undefined,
  since: number,
  pageSize: number,
  details: TrubitDetailCache,
  maxPages = 200,
): Promise<OrderListScan> {
  const rows: TrubitOrderSummary[] = [];
  let pagesRead = 0;
  const read = async (currentPage: number) => {
    pagesRead += 1;
    return api.listOrders({ currentPage, pageSize }, credentials);
  };
  /** Whether this page already reaches back before `since` (so older pages cannot matter). */
  const reachesBefore = async (page: TrubitOrderSummary[]): Promise<boolean> => {
    if (!page.length) return true;
    const oldest = [...page].sort(byId)[0];
    // Approval comes after creation: an approval before `since` settles it without a detail call.
    const approved = epochMs(oldest.orderApprovedTime);
    if (approved !== null && approved < since) return true;
    const created = epochMs((await details.get(oldest.orderId)).createTime);
    return created !== null && created < since;
  };

  try {
    const first = await read(1);
    const pages = Math.max(1, Math.ceil(first.total / pageSize));
    rows.push(...first.record);
    if (pages === 1) return { rows, complete: true, pagesRead };
    // One row cannot tell the direction: assume the documented oldest-first.
    const ascending =
      first.record.length < 2 || byId(first.record[0], first.record[first.record.length - 1]) < 0;
    if (!ascending) {
      // Newest first: page 1 was the right start; walk forward.
      if (await reachesBefore(first.record)) return { rows, complete: true, pagesRead };
      for (let page = 2; page <= Math.min(pages, maxPages); page++) {
        const res = await read(page);
        rows.push(...res.record);
        if (await reachesBefore(res.record)) return { rows, complete: true, pagesRead };
      }
      return { rows, complete: pages <= maxPages, pagesRead };
    }
    // Oldest first: the newest orders are on the last page; walk backwards (page 1 is already read).
    for (let page = pages, n = 0; page >= 2 && n < maxPages; page--, n++) {
      const res = await read(page);
      rows.push(...res.record);
      if (await reachesBefore(res.record)) return { rows, complete: true, pagesRead };
    }
    return { rows, complete: pages - 1 <= maxPages, pagesRead };
  } catch (error) {
    return { rows, complete: false, pagesRead, error };
  }
}
