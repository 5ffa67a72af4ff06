// Payment configs and the user's payout methods (§3.3). payment/add answers only {result:true} as
// documented; the new method's numeric id is published on the merchant in mc/list (see merchant.routes.ts).
import type { FieldReader } from '@sim/common/field.reader';
import { isLosslessNumber, toPlain } from '@sim/common/lossless.codec';
import { otcErrors } from '@sim/common/otc.error';
import {
  CURRENCIES_BY_COUNTRY,
  PAYMENT_CONFIGS,
  findCountry,
  findPaymentConfig,
  type PaymentField,
} from '@sim/state/reference.data';
import type { SimState } from '@sim/state/sim.state';
import { withAccount, type OtcRoute } from './otc.route';

export function paymentRoutes(state: SimState): OtcRoute[] {
  return [
    {
      method: 'GET',
      path: 'payment/list',
      signed: false,
      weight: 1,
      handler: ({ input }) => {
        const countryName = input.optionalString('country');
        const country = countryName ? findCountry(countryName) : undefined;
        if (countryName && !country) return { currencys: [], payments: [] };
        const payments = PAYMENT_CONFIGS.filter((p) => !country || p.country === country.country);
        return {
          currencys: country
            ? (CURRENCIES_BY_COUNTRY[country.country] ?? [])
            : Object.values(CURRENCIES_BY_COUNTRY).flat(),
          payments: payments.map(({ color: _color, fiatCurrency: _fiat, ...p }) => ({
            ...p,
            fieldNum: p.fieldList.length,
          })),
        };
      },
    },
    {
      method: 'POST',
      path: 'payment/add',
      signed: true,
      weight: 1,
      handler: (ctx) => {
        const account = withAccount(ctx);
        const { input } = ctx;
        const mcId = input.requiredInt('mcId');
        const country = findCountry(input.requiredString('country'));
        const fiatCurrency = input.requiredString('fiatCurrency');
        const configId = input.requiredInt('paymentConfigId');
        const realName = input.requiredString('realName');
        const merchant = state.merchants.getOwned(account.apiKey, mcId);
        if (!merchant) throw otcErrors.invalidParam('mcId', 'Merchant does not exist.');
        if (!country) throw otcErrors.invalidParam('country');
        const config = findPaymentConfig(configId);
        if (!config || config.country !== country.country) throw otcErrors.invalidParam('paymentConfigId');
        if (config.fiatCurrency !== fiatCurrency) throw otcErrors.invalidParam('fiatCurrency');
        const fields = readFields(input, config.fieldList);
        const accountNo = fields.find((f) => f.isAccount)?.text ?? '';
        state.merchants.addPayout({
          mcId,
          apiKey: account.apiKey,
          paymentConfigId: config.id,
          paymentMethodName: input.optionalString('paymentMethodName') ?? config.paymentName,
          paymentLogo: input.optionalString('paymentLogo') ?? config.logo,
          realName,
          country: country.country,
          fiatCurrency,
          fieldJson: fields,
          accountNo,
          remark: input.optionalString('remark') ?? '',
        });
        return { result: true, msg: '' };
      },
    },
  ];
}

/**
 * fieldJson must answer the config's fields: matched by index (or title), every field with isOptional=false
 * filled, numbers only in textType 1 fields, at most maxLimit characters. A CLABE field must be 18 digits.
 */
function readFields(input: FieldReader, template: PaymentField[]): PaymentField[] {
  const raw = input.raw('fieldJson');
  const list = typeof raw === 'string' ? safeJson(raw) : raw;
  if (!Array.isArray(list) || list.length === 0) throw otcErrors.mandatory('fieldJson');
  const sent = list.map((item) => toPlain(item) as Record<string, unknown>);
  return template.map((field) => {
    const match =
      sent.find((s) => Number(s.index) === field.index) ?? sent.find((s) => s.title === field.title);
    const textValue = match?.text;
    const text =
      typeof textValue === 'string'
        ? textValue.trim()
        : isLosslessNumber(textValue)
          ? textValue.toString()
          : '';
    if (!text && !field.isOptional) throw otcErrors.mandatory(`fieldJson.${field.title}`);
    if (text.length > field.maxLimit)
      throw otcErrors.invalidParam(`fieldJson.${field.title}`, `At most ${field.maxLimit} characters.`);
    if (text && field.textType === 1 && !/^\d+$/.test(text))
      throw otcErrors.invalidParam(`fieldJson.${field.title}`, 'Digits only.');
    if (text && field.title === 'Cuenta CLABE' && text.length !== 18)
      throw otcErrors.invalidParam('fieldJson.Cuenta CLABE', 'A CLABE has 18 digits.');
    return { ...field, text };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw otcErrors.mandatory('fieldJson');
  }
}
