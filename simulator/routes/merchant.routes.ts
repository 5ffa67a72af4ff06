// Merchants (§3.4). mc/list is a bare array as documented. Two additions, because v1 documents no other way
// to learn them: `status` (1 authenticating, 2 normal, 3 failed) so a client can poll KYC, and `payments`,
// every payout method registered with payment/add ({id, paymentConfigId, paymentMethodName, accountNo,
// realName, status}); the documented `paymentId`/`paymentMethodName` carry the most recent one.
import { formatFiat, money } from '@sim/common/money.math';
import { otcErrors } from '@sim/common/otc.error';
import type { OrderAutopilot } from '@sim/orders/order.autopilot';
import type { SimMerchant } from '@sim/state/merchant.registry';
import type { SimState } from '@sim/state/sim.state';
import type { RuntimeConfig } from '@sim/simulator.options';
import { withAccount, type OtcContext, type OtcRoute } from './otc.route';

const MERCHANT_TYPE_CODES = { PERSONAL: 1, COMPANY: 2 } as const;

export function merchantRoutes(
  state: SimState,
  config: RuntimeConfig,
  autopilot: OrderAutopilot,
): OtcRoute[] {
  return [
    {
      method: 'GET',
      path: 'mc/list',
      signed: true,
      weight: 5,
      handler: (ctx) =>
        state.merchants.listByAccount(withAccount(ctx).apiKey).map((m) => merchantRow(state, m)),
    },
    {
      method: 'POST',
      path: 'mc/add',
      signed: true,
      weight: 1,
      handler: (ctx) => {
        const merchant = addMerchant(state, config, ctx);
        autopilot.merchantCreated(merchant);
        return {
          merchantId: merchant.id,
          country: merchant.country,
          merchantName: merchant.merchantName,
          status: merchant.status,
          merchantType: MERCHANT_TYPE_CODES[merchant.merchantType],
        };
      },
    },
  ];
}

export function merchantRow(state: SimState, m: SimMerchant): Record<string, unknown> {
  const payouts = state.merchants.payoutsOf(m.id);
  const latest = payouts[payouts.length - 1];
  return {
    id: m.id,
    country: m.country,
    merchantName: m.merchantName,
    paymentId: latest?.id ?? null,
    paymentMethodName: latest?.paymentMethodName ?? null,
    fiat: m.fiat,
    buyLimit: formatFiat(m.buyLimit),
    buyUsed: formatFiat(m.buyUsed),
    sellLimit: formatFiat(m.sellLimit),
    sellUsed: formatFiat(m.sellUsed),
    status: m.status,
    payments: payouts.map((p) => ({
      id: p.id,
      paymentConfigId: p.paymentConfigId,
      paymentMethodName: p.paymentMethodName,
      accountNo: p.accountNo,
      realName: p.realName,
      status: 1,
    })),
  };
}

/**
 * The S7 body: trench CLABE (Mexico) or CVU (Argentina), unique merchantName and email, merchantType (the
 * reference page calls it mcType) PERSONAL or COMPANY with that type's identity fields.
 */
function addMerchant(state: SimState, config: RuntimeConfig, ctx: OtcContext): SimMerchant {
  const owner = withAccount(ctx);
  const { input } = ctx;
  const trench = input.requiredString('trench').toUpperCase();
  if (trench !== 'CLABE' && trench !== 'CVU') throw otcErrors.invalidParam('trench');
  const merchantName = input.requiredString('merchantName');
  const email = input.requiredString('email');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw otcErrors.invalidParam('email');
  const typeText = (
    input.optionalString('merchantType') ??
    input.optionalString('mcType') ??
    input.optionalString('type')
  )?.toUpperCase();
  if (!typeText) throw otcErrors.mandatory('merchantType');
  if (typeText !== 'PERSONAL' && typeText !== 'COMPANY') throw otcErrors.invalidParam('merchantType');

  const required: string[] = [];
  if (trench === 'CVU') required.push('cuit', 'name');
  else if (typeText === 'PERSONAL') required.push('name', 'fatherSurname');
  else required.push('companyName');
  for (const field of required) input.requiredString(field);
  if (trench === 'CLABE' && !input.has('curp') && !input.has('rfc')) throw otcErrors.mandatory('curp');

  if (state.merchants.nameTaken(merchantName))
    throw otcErrors.invalidParam('merchantName', 'Merchant name already exists.');
  if (state.merchants.emailTaken(email)) throw otcErrors.invalidParam('email', 'Email already exists.');

  const details: Record<string, string> = {};
  for (const key of KYC_FIELDS) {
    const value = input.optionalString(key);
    if (value !== undefined) details[key] = value;
  }
  return state.merchants.create({
    apiKey: owner.apiKey,
    trench,
    country: trench === 'CLABE' ? 'Mexico' : 'Argentina',
    fiat: trench === 'CLABE' ? 'MXN' : 'ARS',
    merchantName,
    email,
    merchantType: typeText,
    companyName: input.optionalString('companyName') ?? null,
    buyLimit: money(config.merchantLimits.buy),
    sellLimit: money(config.merchantLimits.sell),
    details,
  });
}

const KYC_FIELDS = [
  'remark',
  'curp',
  'rfc',
  'cardIssueDate',
  'cardExpireDate',
  'address',
  'city',
  'state',
  'zipCode',
  'phone',
  'companyName',
  'aliasName',
  'companyType',
  'incorporationDate',
  'birthday',
  'name',
  'fatherSurname',
  'motherSurname',
  'cuit',
];
