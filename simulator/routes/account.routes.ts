// Deposit address and account balances (§3.6).
import { otcErrors } from '@sim/common/otc.error';
import { DEPOSIT_CHAINS } from '@sim/state/reference.data';
import { depositAddress } from '@sim/state/deposit-address.generator';
import { withAccount, type OtcRoute } from './otc.route';

export function accountRoutes(): OtcRoute[] {
  return [
    {
      method: 'GET',
      path: 'depositAddress',
      signed: true,
      weight: 1,
      handler: (ctx) => {
        const account = withAccount(ctx);
        const tokenId = ctx.input.requiredString('tokenId').toUpperCase();
        const chains = DEPOSIT_CHAINS[tokenId];
        if (!chains) throw otcErrors.badSymbol();
        // chainType "" (the documented default) means the token's first chain: ERC20, as in the BHEX example.
        const chainType = (ctx.input.optionalString('chainType') ?? Object.keys(chains)[0]).toUpperCase();
        const chain = chains[chainType];
        if (!chain) throw otcErrors.invalidParam('chainType');
        return {
          allowDeposit: true,
          address: depositAddress(account.accountId, tokenId, chainType),
          addressExt: '',
          minQuantity: chain.minQuantity,
          needAddressTag: false,
          requiredConfirmNum: chain.confirmations,
          canWithdrawConfirmNum: chain.confirmations,
          tokenType: chain.tokenType,
        };
      },
    },
    {
      method: 'GET',
      path: 'account',
      signed: true,
      weight: 5,
      handler: (ctx) => {
        const account = withAccount(ctx);
        return {
          accountId: account.accountId,
          accountName: '',
          accountType: 0,
          accountIndex: 0,
          canTrade: true,
          canDeposit: true,
          canWithdraw: true,
          balances: account.balances.view(),
          updateTime: account.balances.updateTime || account.createdAt,
        };
      },
    },
  ];
}
