/** Tokens partners can quote and sell (against MXN). One list, used by /exchange-rate and /quotes. */
export const SUPPORTED_TOKENS = ['USDT'] as const;
export type SupportedToken = (typeof SUPPORTED_TOKENS)[number];

export const DEFAULT_TOKEN: SupportedToken = 'USDT';
export const FIAT = 'MXN';

/** Shape of a token symbol; well-formed but unsupported symbols answer UNSUPPORTED_TOKEN, not VALIDATION_ERROR. */
export const TOKEN_SYMBOL_PATTERN = /^[A-Za-z0-9]{1,16}$/;

export function isSupportedToken(token: string): token is SupportedToken {
  return (SUPPORTED_TOKENS as readonly string[]).includes(token);
}
