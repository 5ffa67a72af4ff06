// The two payment blocks of an order detail (§3.5): deptPaymentInfo is TruBit's/the merchant's side (for a
// BUY, the CLABE the client must pay into; for a SELL, empty) and userPaymentInfo is the client's own payout
// account registered with payment/add (SELL only).
import type { PaymentConfig } from '@sim/state/reference.data';
import type { SimMerchant, SimPayoutMethod } from '@sim/state/merchant.registry';
import type { PaymentInfo } from './order.model';

/** BUY: a per-order collection CLABE at ARCUS (bank 706, plaza 180) with a valid check digit. */
export function buyDeptPaymentInfo(
  config: PaymentConfig,
  merchant: SimMerchant,
  orderId: bigint,
): PaymentInfo {
  const fields = config.fieldList.map((f) => ({ ...f }));
  const account = fields.find((f) => f.isAccount);
  if (account) account.text = arcusClabe(orderId);
  const bank = fields.find((f) => f.title === 'Banco');
  if (bank) bank.text = 'ARCUS';
  return {
    id: String(config.id),
    name: config.paymentName,
    logo: config.logo,
    color: config.color,
    realName: merchant.merchantName,
    paymentFieldList: fields,
  };
}

/** SELL: TruBit pays out, so its own block names the channel and carries no fields (as in the example). */
export function sellDeptPaymentInfo(config: PaymentConfig): PaymentInfo {
  return {
    id: String(config.id),
    name: config.paymentName,
    logo: config.logo,
    color: config.color,
    realName: '',
    paymentFieldList: [],
  };
}

export function userPaymentInfo(payout: SimPayoutMethod, config: PaymentConfig | undefined): PaymentInfo {
  return {
    id: String(payout.id),
    name: payout.paymentMethodName,
    logo: payout.paymentLogo || config?.logo || '',
    color: config?.color ?? '',
    realName: payout.realName,
    paymentFieldList: payout.fieldJson.map((f) => ({ ...f })),
  };
}

export function arcusClabe(orderId: bigint): string {
  const account = (orderId % 100_000_000_000n).toString().padStart(11, '0');
  const body = `706180${account}`;
  return body + clabeCheckDigit(body);
}

/** CLABE control digit: weights 3,7,1 over the first 17 digits, products mod 10, then (10 - sum mod 10) mod 10. */
export function clabeCheckDigit(first17: string): string {
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * weights[i % 3]) % 10;
  return String((10 - (sum % 10)) % 10);
}
