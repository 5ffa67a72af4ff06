// Runs every TruBit endpoint through the same steps: weight limit (429/418) -> authentication (signed
// routes) -> order-rate limit (order/add) -> injected fault -> handler -> optional success envelope.
// Limits come first so that even rejected callers pay, like a gateway in front of the real service.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FieldReader, type ParamSource } from '@sim/common/field.reader';
import { isLosslessNumber, parseLossless } from '@sim/common/lossless.codec';
import { OtcError, otcErrors } from '@sim/common/otc.error';
import type { TimerRegistry } from '@sim/common/timer.registry';
import type { RequestAuthenticator } from '@sim/auth/request.authenticator';
import type { FaultInjector, FaultRule } from '@sim/faults/fault.injector';
import type { OrderRateLimiter } from '@sim/limits/order-rate.limiter';
import type { WeightLimiter } from '@sim/limits/weight.limiter';
import type { RuntimeConfig } from '@sim/simulator.options';
import { isFormBody, rawQueryOf, sendJson } from './http.app';
import type { OtcContext, OtcRoute } from './otc.route';

export const OTC_PREFIX = '/openapi/v1/otc/';

export interface PipelineDeps {
  config: RuntimeConfig;
  limiter: WeightLimiter;
  orderLimiter: OrderRateLimiter;
  authenticator: RequestAuthenticator;
  faults: FaultInjector;
  timers: TimerRegistry;
}

export function registerOtcRoutes(app: FastifyInstance, routes: OtcRoute[], deps: PipelineDeps): void {
  for (const route of routes) {
    const url = route.path.startsWith('/') ? route.path : OTC_PREFIX + route.path;
    const suffix = route.path.startsWith('/') ? route.path.replace(/^\/openapi\/v1\//, '') : route.path;
    app.route({
      method: route.method,
      url,
      handler: async (req, reply) => handle(route, suffix, req, reply, deps),
    });
  }
}

async function handle(
  route: OtcRoute,
  suffix: string,
  req: FastifyRequest,
  reply: FastifyReply,
  deps: PipelineDeps,
): Promise<FastifyReply> {
  let fault: FaultRule | undefined;
  try {
    const apiKey = headerValue(req, 'x-bh-apikey');
    deps.limiter.consume(apiKey ? `key:${apiKey}` : `ip:${req.ip}`, route.weight);
    const rawQuery = rawQueryOf(req);
    const account = route.signed
      ? deps.authenticator.authenticate({
          apiKey,
          rawQuery,
          rawBody: req.rawBody,
          formBody: isFormBody(req),
          isRead: route.method === 'GET',
        })
      : apiKey
        ? (deps.authenticator.tryAccount(apiKey) ?? null)
        : null;
    if (suffix === 'order/add' && account) deps.orderLimiter.consume(account.apiKey);

    fault = deps.faults.take(suffix);
    if (fault?.mode === 'error500') throw otcErrors.unexpected();
    if (fault?.mode === 'rateLimit') throw otcErrors.tooManyRequests(deps.config.limits.weightPerWindow);
    if (fault?.mode === 'timeout') return hang(reply, fault, deps);
    if (fault?.mode === 'latency') await deps.timers.sleep(fault.ms ?? 0);

    const ctx: OtcContext = { account, input: new FieldReader(inputOf(req, rawQuery)) };
    const result = await route.handler(ctx);

    if (fault?.mode === 'error500AfterCommit') throw otcErrors.unexpected();
    if (fault?.mode === 'timeoutAfterCommit') return hang(reply, fault, deps);
    const payload =
      deps.config.envelope && route.envelope !== false ? { code: 200, msg: 'SUCCESS', data: result } : result;
    return sendJson(reply, 200, payload);
  } catch (err) {
    // The AfterCommit modes answer 500 whatever the handler decided: the response is what gets lost.
    if (fault?.mode === 'error500AfterCommit' && !(err instanceof OtcError && err.httpStatus === 500)) {
      return sendError(reply, otcErrors.unexpected());
    }
    if (err instanceof OtcError) return sendError(reply, err);
    throw err;
  }
}

function sendError(reply: FastifyReply, err: OtcError): FastifyReply {
  return sendJson(reply, err.httpStatus, err.toBody());
}

/** Never answers: the socket is destroyed after `ms` (or when the client hangs up first). */
function hang(reply: FastifyReply, fault: FaultRule, deps: PipelineDeps): FastifyReply {
  reply.hijack();
  const timer = deps.timers.schedule(fault.ms ?? deps.config.defaultFaultTimeoutMs, () =>
    reply.raw.destroy(),
  );
  reply.raw.on('close', () => deps.timers.cancel(timer));
  return reply;
}

/** Body fields (JSON or form) overlaid with the query string's, which win on clashes (§1). */
function inputOf(req: FastifyRequest, rawQuery: string): ParamSource {
  const merged: ParamSource = {};
  const body = req.rawBody.length ? req.rawBody.toString('utf8') : '';
  if (body.trim() !== '') {
    if (isFormBody(req)) {
      for (const [k, v] of new URLSearchParams(body)) merged[k] ??= v;
    } else {
      let parsed: unknown;
      try {
        parsed = parseLossless(body);
      } catch {
        throw otcErrors.mandatory('body');
      }
      if (
        parsed === null ||
        typeof parsed !== 'object' ||
        Array.isArray(parsed) ||
        isLosslessNumber(parsed)
      ) {
        throw otcErrors.mandatory('body');
      }
      Object.assign(merged, parsed);
    }
  }
  for (const [k, v] of new URLSearchParams(rawQuery)) merged[k] = v;
  return merged;
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() !== '' ? first.trim() : undefined;
}
