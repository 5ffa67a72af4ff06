// Reference data and quotes (§3.1, §3.2) plus the BHEX-family ping/time (§3.7).
import { LosslessNumber } from '@sim/common/lossless.codec';
import { otcErrors } from '@sim/common/otc.error';
import type { OrderPlacer } from '@sim/orders/order.placer';
import { COUNTRIES, FIAT_LIST, TOKEN_LIST, autoPaymentConfigs, findCountry } from '@sim/state/reference.data';
import type { RuntimeConfig } from '@sim/simulator.options';
import type { OtcRoute } from './otc.route';

export function baseRoutes(config: RuntimeConfig, placer: OrderPlacer, clock: () => number): OtcRoute[] {
  return [
    {
      method: 'GET',
      path: '/openapi/v1/ping',
      signed: false,
      weight: 1,
      envelope: false,
      handler: () => ({}),
    },
    {
      method: 'GET',
      path: '/openapi/v1/time',
      signed: false,
      weight: 1,
      envelope: false,
      handler: () => ({ serverTime: clock() }),
    },
    {
      method: 'GET',
      path: 'base/symbol_rate/country/list',
      signed: false,
      weight: 1,
      handler: ({ input }) => {
        const onlyValid = input.optionalInt('hasValid') === 1;
        const rows = COUNTRIES.filter((c) => !onlyValid || c.buySwitch === 1 || c.sellSwitch === 1);
        return {
          countryList: rows.map((c) => ({
            country: c.country,
            abbr: c.abbr,
            flagUrl: c.flagUrl,
            buySwitch: c.buySwitch,
            sellSwitch: c.sellSwitch,
          })),
        };
      },
    },
    {
      method: 'GET',
      path: 'base/symbol/self/list_data',
      signed: false,
      weight: 1,
      // autoApiFiatPaymentList is where a BUY's paymentId comes from (§3.5 rules); its shape is undocumented,
      // so it lists the automatic payment configs with the same fields as payment/list.
      handler: () => ({
        fiatList: FIAT_LIST,
        tokenList: TOKEN_LIST,
        autoApiFiatPaymentList: autoPaymentConfigs().map((p) => ({
          id: p.id,
          country: p.country,
          fiatCurrency: p.fiatCurrency,
          paymentName: p.paymentName,
          paymentType: p.paymentType,
          logo: p.logo,
        })),
      }),
    },
    {
      method: 'POST',
      path: 'rate/user_quote/find',
      signed: true,
      weight: 1,
      handler: ({ input }) => {
        const country = findCountry(input.requiredString('country'));
        const fiatCurrency = input.requiredString('fiatCurrency');
        const cryptoCurrency = input.requiredString('cryptoCurrency');
        if (!country) throw otcErrors.invalidParam('country');
        const rate = placer.rateFor(country, cryptoCurrency, fiatCurrency);
        return {
          hasOpen: config.hasOpen ? 1 : 0,
          fiatCurrency,
          cryptoCurrency,
          // Documented as JSON numbers; written from the decimal text so no float digits creep in.
          buyRate: new LosslessNumber(rate.buy),
          sellRate: new LosslessNumber(rate.sell),
        };
      },
    },
  ];
}
