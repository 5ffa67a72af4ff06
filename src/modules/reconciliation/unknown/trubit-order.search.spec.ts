import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TrubitUpstreamError } from '@app/modules/trubit/trubit.errors';
import type {
  TrubitListOrdersRequest,
  TrubitListOrdersResponse,
  TrubitOrderDetail,
} from '@app/modules/trubit/trubit.types';
import { scanOrdersSince, TrubitDetailCache } from './trubit-order.search';

const BASE = 433592805818896384n;
const T0 = 1_700_000_000_000;

/** An account with `n` orders, order i created at T0 + i s, listed in `direction`. */
class FakeOrders {
  listCalls: number[] = [];
  detailCalls: string[] = [];
  failPage: number | null = null;

  constructor(
    readonly n: number,
    readonly direction: 'asc' | 'desc',
  ) {}

  detailOf(i: number): TrubitOrderDetail {
    return {
      orderId: (BASE + BigInt(i)).toString(),
      cryptoCurrency: 'USDT',
      fiatCurrency: 'MXN',
      orderPrice: '19.91',
      quantity: '1',
      fiatAmount: '19.91',
      orderType: 'SELL',
      orderStatus: '10',
      orderApprovedTime: null,
      createTime: T0 + i * 1000,
    };
  }

  api(): TrubitApi {
    return {
      listOrders: async (req: TrubitListOrdersRequest = {}): Promise<TrubitListOrdersResponse> => {
        const page = req.currentPage ?? 1;
        const size = req.pageSize ?? 10;
        this.listCalls.push(page);
        if (page === this.failPage)
          throw new TrubitUpstreamError({ endpoint: 'order/list', reason: 'http_5xx' });
        const all = Array.from({ length: this.n }, (_, i) => i);
        if (this.direction === 'desc') all.reverse();
        const record = all.slice((page - 1) * size, page * size).map((i) => this.detailOf(i));
        return { currentPage: page, size, total: this.n, record };
      },
      getOrder: async ({ orderId }: { orderId: string }) => {
        this.detailCalls.push(orderId);
        return this.detailOf(Number(BigInt(orderId) - BASE));
      },
    } as unknown as TrubitApi;
  }
}

async function scan(fake: FakeOrders, sinceIndex: number, pageSize = 10) {
  const api = fake.api();
  return scanOrdersSince(
    api,
    undefined,
    T0 + sinceIndex * 1000,
    pageSize,
    new TrubitDetailCache(api, undefined),
  );
}

describe('order/list scan for recent orders', () => {
  test('oldest-first list: reads page 1 (to learn size and direction), then newest pages backwards', async () => {
    const fake = new FakeOrders(95, 'asc');
    const res = await scan(fake, 75);
    assert.equal(res.complete, true);
    assert.deepEqual(fake.listCalls, [1, 10, 9, 8]);
    const ids = new Set(res.rows.map((r) => r.orderId));
    for (let i = 75; i < 95; i++) assert.ok(ids.has(fake.detailOf(i).orderId), `order ${i} seen`);
  });

  test('newest-first list: walks forward from page 1', async () => {
    const fake = new FakeOrders(95, 'desc');
    const res = await scan(fake, 75);
    assert.equal(res.complete, true);
    assert.deepEqual(fake.listCalls, [1, 2, 3]);
  });

  test('a single page is complete at once', async () => {
    const fake = new FakeOrders(7, 'asc');
    const res = await scan(fake, 0);
    assert.equal(res.complete, true);
    assert.equal(res.rows.length, 7);
    assert.deepEqual(fake.listCalls, [1]);
  });

  test('an approval time before `since` settles a page without order/detail', async () => {
    const fake = new FakeOrders(30, 'asc');
    const orig = fake.detailOf.bind(fake);
    fake.detailOf = (i) => ({ ...orig(i), orderApprovedTime: String(T0 + i * 1000 + 500) });
    const res = await scan(fake, 25);
    assert.equal(res.complete, true);
    assert.deepEqual(fake.listCalls, [1, 3]);
    assert.equal(fake.detailCalls.length, 0);
  });

  test('a page that cannot be read leaves the scan incomplete (no "not found" conclusions)', async () => {
    const fake = new FakeOrders(95, 'asc');
    fake.failPage = 9;
    const res = await scan(fake, 50);
    assert.equal(res.complete, false);
    assert.ok(res.error instanceof TrubitUpstreamError);
  });

  test('the whole history when `since` predates it', async () => {
    const fake = new FakeOrders(25, 'asc');
    const res = await scan(fake, -5);
    assert.equal(res.complete, true);
    assert.equal(new Set(res.rows.map((r) => r.orderId)).size, 25);
  });
});
