// Validates POST /__sim/config bodies (and SimulatorOptions patches) so a typo fails loudly instead of
// silently leaving the old behaviour in place.
import { isDecimalLiteral } from '@sim/common/money.math';
import type { RateQuote, SimulatorOptions } from '@sim/simulator.options';
import { ControlError } from './control.error';

type Checker = (value: unknown, path: string) => unknown;

const bool: Checker = (v, path) => {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1' || v === 1) return true;
  if (v === 'false' || v === '0' || v === 0) return false;
  throw new ControlError(400, `${path} must be a boolean`);
};
const int: Checker = (v, path) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new ControlError(400, `${path} must be an integer`);
  return n;
};
const nullableInt: Checker = (v, path) => (v === null ? null : int(v, path));
const decimal: Checker = (v, path) => {
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string' || !isDecimalLiteral(text))
    throw new ControlError(400, `${path} must be a decimal string`);
  return text;
};
const url: Checker = (v, path) => {
  if (v === null) return null;
  if (typeof v !== 'string' || !/^https?:\/\//.test(v))
    throw new ControlError(400, `${path} must be an http(s) URL or null`);
  return v;
};
const intList: Checker = (v, path) => {
  if (!Array.isArray(v) || v.length === 0)
    throw new ControlError(400, `${path} must be a non-empty array of ms`);
  return v.map((x, i) => int(x, `${path}[${i}]`));
};
const oneOf =
  (...values: string[]): Checker =>
  (v, path) => {
    if (typeof v !== 'string' || !values.includes(v))
      throw new ControlError(400, `${path} must be one of ${values.join(', ')}`);
    return v;
  };
const object =
  (shape: Record<string, Checker>): Checker =>
  (v, path) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new ControlError(400, `${path} must be an object`);
    const out: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(v)) {
      const check = shape[k];
      if (!check) throw new ControlError(400, `unknown setting ${path}.${k}`);
      out[k] = check(value, `${path}.${k}`);
    }
    return out;
  };
const rates: Checker = (v, path) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ControlError(400, `${path} must be an object`);
  const out: Record<string, RateQuote> = {};
  for (const [pair, quote] of Object.entries(v)) {
    if (!/^[A-Z0-9]+\/[A-Z]+$/.test(pair)) throw new ControlError(400, `${path} keys look like "USDT/MXN"`);
    out[pair] = object({ buy: decimal, sell: decimal })(quote, `${path}.${pair}`) as RateQuote;
    if (!out[pair]?.buy || !out[pair]?.sell)
      throw new ControlError(400, `${path}.${pair} needs buy and sell`);
  }
  return out;
};

const SHAPE: Record<string, Checker> = {
  auto: bool,
  hasOpen: bool,
  envelope: bool,
  enforceRecvWindowOnReads: bool,
  detailStatusAsString: bool,
  expireOrders: bool,
  listOrder: oneOf('asc', 'desc'),
  delays: object({ approveMs: int, lockMs: int, payMs: int, releaseMs: int, merchantApproveMs: nullableInt }),
  rates,
  sellRate: decimal,
  buyRate: decimal,
  limits: object({
    weightPerWindow: int,
    windowMs: int,
    banAfter: int,
    banMs: int,
    maxBanMs: int,
    ordersPerSecond: int,
  }),
  orderTimeFrameMinutes: object({ BUY: int, SELL: int }),
  merchantLimits: object({ buy: decimal, sell: decimal }),
  callbackUrl: url,
  callbackRetryMs: intList,
  callbackTimeoutMs: int,
  defaultFaultTimeoutMs: int,
};

export function parseConfigPatch(body: unknown): SimulatorOptions {
  return object(SHAPE)(body ?? {}, 'config') as SimulatorOptions;
}
