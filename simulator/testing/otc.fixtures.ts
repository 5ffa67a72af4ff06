// Test-only shortcuts that go through the public API the way a gateway would: create a merchant, approve it
// through the control API, register a CLABE payout with payment/add and read its id back from mc/list.
import assert from 'node:assert/strict';
import { simControl, type OtcTestClient } from './otc-test.client';

let seq = 0;

export const CLABE = '032180000118359719';

export function merchantBody(name = `merchant-${process.pid}-${++seq}`): Record<string, unknown> {
  return {
    trench: 'CLABE',
    merchantName: name,
    email: `${name}@example.com`,
    merchantType: 'PERSONAL',
    remark: '',
    curp: 'PEGJ800101HDFRRN09',
    name: 'Juan',
    fatherSurname: 'Pérez',
    motherSurname: 'García',
    birthday: '1980-01-01',
  };
}

export function payoutBody(mcId: number, clabe = CLABE): Record<string, unknown> {
  return {
    mcId,
    country: 'Mexico',
    fiatCurrency: 'MXN',
    paymentConfigId: 58,
    paymentLogo: '',
    paymentMethodName: 'Automated SPEI - Arcus',
    realName: 'Juan Pérez García',
    fieldJson: [
      {
        index: 0,
        textType: 1,
        title: 'Cuenta CLABE',
        isAccount: true,
        isOptional: false,
        maxLimit: 18,
        text: clabe,
      },
      {
        index: 1,
        textType: 4,
        title: 'Banco',
        isAccount: false,
        isOptional: true,
        maxLimit: 50,
        text: 'BBVA',
      },
    ],
    remark: '',
  };
}

/** An approved merchant with one CLABE payout method: what a SELL order/add needs. */
export async function onboardSeller(
  client: OtcTestClient,
  opts: { approve?: boolean } = {},
): Promise<{ mcId: number; paymentId: number }> {
  const added = await client.post('mc/add', merchantBody());
  assert.equal(added.status, 200, added.text);
  const mcId = added.body.merchantId as number;
  if (opts.approve !== false) {
    const approved = await simControl(client.baseUrl, 'POST', `/merchants/${mcId}/status`, { status: 2 });
    assert.equal(approved.status, 200, approved.text);
  }
  const payout = await client.post('payment/add', payoutBody(mcId));
  assert.equal(payout.status, 200, payout.text);
  const list = await client.get('mc/list');
  const row = (list.body as any[]).find((m) => m.id === mcId);
  return { mcId, paymentId: row.paymentId as number };
}

export function sellBody(
  mcId: number,
  paymentId: number,
  quantity: string | number = '10',
): Record<string, unknown> {
  return {
    country: 'Mexico',
    mcId,
    cryptoCurrency: 'USDT',
    fiatCurrency: 'MXN',
    quantity,
    orderType: 'SELL',
    paymentId,
  };
}

/** Free/locked/total of one asset from GET account. */
export async function balanceOf(
  client: OtcTestClient,
  asset = 'USDT',
): Promise<{ free: string; locked: string; total: string }> {
  const res = await client.get('account');
  assert.equal(res.status, 200, res.text);
  const row = (res.body.balances as any[]).find((b) => b.asset === asset);
  return { free: row?.free ?? '0', locked: row?.locked ?? '0', total: row?.total ?? '0' };
}
