// order/add: validation in the order a server would reject (shape, pair, quote open, merchant, payment
// method, amounts, merchant limit, balance) and creation at status 10. Nothing is changed unless every check
// passes, so a rejected order leaves balances exactly as they were.
import type Decimal from 'decimal.js';
import type { FieldReader } from '@sim/common/field.reader';
import { floorCrypto, floorFiat, money } from '@sim/common/money.math';
import { otcErrors } from '@sim/common/otc.error';
import type { SimAccount } from '@sim/state/account.store';
import type { SimMerchant } from '@sim/state/merchant.registry';
import {
  FIAT_LIST,
  autoPaymentConfigs,
  findCountry,
  findPaymentConfig,
  type Country,
} from '@sim/state/reference.data';
import type { SimState } from '@sim/state/sim.state';
import type { RuntimeConfig } from '@sim/simulator.options';
import type { OrderMachine } from './order.machine';
import { OrderStatus, type OrderType, type PaymentInfo, type SimOrder } from './order.model';
import { buyDeptPaymentInfo, sellDeptPaymentInfo, userPaymentInfo } from './payment-info.builder';

export class OrderPlacer {
  constructor(
    private readonly state: SimState,
    private readonly config: RuntimeConfig,
    private readonly machine: OrderMachine,
  ) {}

  place(account: SimAccount, input: FieldReader): SimOrder {
    const countryName = input.requiredString('country');
    const mcId = input.requiredInt('mcId');
    const cryptoCurrency = input.requiredString('cryptoCurrency');
    const fiatCurrency = input.requiredString('fiatCurrency');
    const orderTypeText = input.requiredString('orderType');
    if (orderTypeText !== 'BUY' && orderTypeText !== 'SELL') throw otcErrors.invalidOrderType();
    const orderType: OrderType = orderTypeText;
    const paymentId = input.requiredInt('paymentId');
    const quantityIn = input.optionalDecimal('quantity');
    const orderAmountIn = input.optionalDecimal('orderAmount');
    if (!quantityIn && !orderAmountIn)
      throw otcErrors.mandatory(orderType === 'SELL' ? 'quantity' : 'orderAmount');

    const country = findCountry(countryName);
    if (!country) throw otcErrors.invalidParam('country');
    const rate = this.rateFor(country, cryptoCurrency, fiatCurrency);
    if (!this.config.hasOpen) throw otcErrors.rejected('Quote is closed; please try again later.');
    if ((orderType === 'BUY' ? country.buySwitch : country.sellSwitch) !== 1) {
      throw otcErrors.rejected(`${orderType} is not available for ${country.country}.`);
    }

    const merchant = this.state.merchants.getOwned(account.apiKey, mcId);
    if (!merchant) throw otcErrors.invalidParam('mcId', 'Merchant does not exist.');
    if (merchant.status !== 2) {
      throw otcErrors.rejected(
        merchant.status === 3 ? 'Merchant verification failed.' : 'Merchant is not verified.',
      );
    }

    const price = money(orderType === 'BUY' ? rate.buy : rate.sell);
    const { quantity, fiatAmount } = amounts(orderType, price, quantityIn, orderAmountIn);
    if (quantity.lessThanOrEqualTo(0) || fiatAmount.lessThanOrEqualTo(0)) throw otcErrors.amountTooSmall();

    const orderId = this.state.ids.next();
    const payment = this.paymentBlocks(account, orderType, paymentId, merchant, country, orderId);
    this.checkMerchantLimit(merchant, orderType, fiatAmount);
    if (orderType === 'SELL') account.balances.lock(cryptoCurrency, quantity); // -2010 when short

    const now = this.state.clock();
    const order: SimOrder = {
      orderId,
      apiKey: account.apiKey,
      userId: account.userId,
      accountId: account.accountId,
      mcId,
      mcName: merchant.merchantName,
      companyName: merchant.companyName ?? 'System',
      paymentId,
      paymentType: payment.paymentType,
      orderType,
      status: OrderStatus.PENDING,
      cryptoCurrency,
      fiatCurrency,
      country: country.country,
      quantity,
      fiatAmount,
      orderPrice: price,
      hasRefund: 0,
      traclingNumber: null,
      orderTimeFrameMinute: this.config.orderTimeFrameMinutes[orderType],
      createTime: now,
      updateTime: now,
      orderConfirmTimestamp: Math.floor(now / 1000),
      orderApprovedTime: null,
      orderExpireTimestamp: null,
      completedTime: null,
      deptPaymentInfo: payment.dept,
      userPaymentInfo: payment.user,
      history: [],
    };
    this.machine.created(order);
    return order;
  }

  /** The configured quote for the pair, if the country trades it; -1121 otherwise. */
  rateFor(country: Country, crypto: string, fiat: string): { buy: string; sell: string } {
    const listed = FIAT_LIST.some((f) => f.name === fiat && f.symbolList.includes(crypto));
    const rate = this.config.rates[`${crypto}/${fiat}`];
    if (!listed || !rate || country.fiat !== fiat) throw otcErrors.badSymbol();
    return rate;
  }

  private paymentBlocks(
    account: SimAccount,
    orderType: OrderType,
    paymentId: number,
    merchant: SimMerchant,
    country: Country,
    orderId: bigint,
  ): { dept: PaymentInfo; user: PaymentInfo | null; paymentType: 0 | 1 } {
    if (orderType === 'BUY') {
      // BUY pays into one of TruBit's collection channels (autoApiFiatPaymentList / payment/list ids).
      const config = findPaymentConfig(paymentId);
      if (!config || config.country !== country.country)
        throw otcErrors.invalidParam('paymentId', 'Payment method does not exist.');
      return {
        dept: buyDeptPaymentInfo(config, merchant, orderId),
        user: null,
        paymentType: config.paymentType,
      };
    }
    // SELL pays out to the merchant's own method from payment/add.
    const payout = this.state.merchants.getPayout(paymentId);
    if (!payout || payout.apiKey !== account.apiKey || payout.mcId !== merchant.id) {
      throw otcErrors.invalidParam('paymentId', 'Payment method does not exist.');
    }
    const payoutConfig = findPaymentConfig(payout.paymentConfigId);
    const channel = autoPaymentConfigs().find((c) => c.country === country.country) ?? payoutConfig;
    if (!channel) throw otcErrors.invalidParam('paymentId', 'Payment method does not exist.');
    return {
      dept: sellDeptPaymentInfo(channel),
      user: userPaymentInfo(payout, payoutConfig),
      paymentType: payoutConfig?.paymentType ?? 1,
    };
  }

  private checkMerchantLimit(merchant: SimMerchant, orderType: OrderType, fiatAmount: Decimal): void {
    const [used, limit] =
      orderType === 'BUY' ? [merchant.buyUsed, merchant.buyLimit] : [merchant.sellUsed, merchant.sellLimit];
    if (used.plus(fiatAmount).greaterThan(limit)) {
      throw otcErrors.rejected(`Merchant ${orderType === 'BUY' ? 'buy' : 'sell'} limit exceeded.`);
    }
  }
}

/**
 * BUY is driven by orderAmount (fiat, truncated to 2 dp; quantity = floor4(fiat / price)), SELL by quantity
 * (truncated to 4 dp; fiat = floor2(quantity * price)), matching both doc examples. When only the other
 * amount is sent, it is converted with the same price first.
 */
export function amounts(
  orderType: OrderType,
  price: Decimal,
  quantityIn: Decimal | undefined,
  orderAmountIn: Decimal | undefined,
): { quantity: Decimal; fiatAmount: Decimal } {
  if (orderType === 'BUY') {
    const fiatAmount = orderAmountIn
      ? floorFiat(orderAmountIn)
      : floorFiat(floorCrypto(quantityIn!).times(price));
    return { fiatAmount, quantity: floorCrypto(fiatAmount.dividedBy(price)) };
  }
  const quantity = quantityIn
    ? floorCrypto(quantityIn)
    : floorCrypto(floorFiat(orderAmountIn!).dividedBy(price));
  return { quantity, fiatAmount: floorFiat(quantity.times(price)) };
}
