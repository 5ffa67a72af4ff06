// The /__sim control API (architecture.md "Simulator contract"): test hooks, never signed, never rate
// limited, never part of what a TruBit client sees. Answers are plain JSON; errors are {error} with 4xx.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseLossless, toPlain } from '@sim/common/lossless.codec';
import type { AccountSeed } from '@sim/simulator.options';
import { sendJson } from '@sim/routes/http.app';
import { parseConfigPatch } from './config.patch';
import { ControlError } from './control.error';
import type { SimControl } from './sim.control';

type Body = Record<string, unknown>;
type Params = Record<string, string>;
type Handler = (
  req: FastifyRequest,
  body: Body,
  params: Params,
) => { status?: number; body: unknown } | unknown;

export function registerControlRoutes(
  app: FastifyInstance,
  control: SimControl,
  publicKey: { base64: string; pem: string },
): void {
  const route = (method: 'GET' | 'POST' | 'DELETE', url: string, handler: Handler): void => {
    app.route({ method, url: `/__sim${url}`, handler: async (req, reply) => run(req, reply, handler) });
  };

  route('POST', '/accounts', (_req, body) => {
    const { account, created } = control.createAccount(body as unknown as AccountSeed);
    return { status: created ? 201 : 200, body: { ...account, created } };
  });
  route('GET', '/accounts', () => ({ accounts: control.accounts() }));
  route('GET', '/accounts/:apiKey', (_req, _body, p) => control.account(p.apiKey));
  route('POST', '/accounts/:apiKey/deposit', (_req, body, p) =>
    control.deposit(p.apiKey, body.asset, body.amount),
  );

  route('GET', '/orders', (req) => ({ orders: control.orders(query(req).get('apiKey') ?? undefined) }));
  route('GET', '/orders/:orderId', (_req, _body, p) => control.order(p.orderId));
  route('POST', '/orders/:orderId/advance', (_req, body, p) =>
    control.advanceOrder(p.orderId, body.status, body.hasRefund),
  );

  route('GET', '/merchants', () => ({ merchants: control.merchants() }));
  route('POST', '/merchants/:mcId/status', (_req, body, p) => control.setMerchantStatus(p.mcId, body.status));

  route('GET', '/faults', () => ({ faults: control.faults() }));
  route('POST', '/faults', (_req, body) => ({ status: 201, body: control.addFault(body) }));
  route('DELETE', '/faults', () => ({ cleared: control.clearFaults() }));

  route('GET', '/callbacks', () => control.callbackMode());
  route('POST', '/callbacks', (_req, body) => control.setCallbackMode(body.mode, body.windowMs));
  route('GET', '/callbacks/log', (req) => ({
    callbacks: control.callbackLog(query(req).get('orderId') ?? undefined),
  }));

  // The bare Base64 SPKI DER key as text/plain (ready to paste into TRUBIT_CALLBACK_PUBLIC_KEY); the same as
  // JSON {publicKey, ...} with ?format=json or an Accept header naming application/json.
  app.get('/__sim/public-key', async (req, reply) => {
    const wantsJson =
      query(req).get('format') === 'json' || (req.headers.accept ?? '').includes('application/json');
    if (!wantsJson) return reply.type('text/plain').send(publicKey.base64);
    return sendJson(reply, 200, {
      publicKey: publicKey.base64,
      format: 'spki-der-base64',
      algorithm: 'RSA-SHA256',
      pem: publicKey.pem,
    });
  });

  route('GET', '/config', () => control.configure({}));
  route('POST', '/config', (_req, body) => control.configure(parseConfigPatch(body)));
  route('POST', '/reset', () => {
    control.reset();
    return { ok: true };
  });
}

async function run(req: FastifyRequest, reply: FastifyReply, handler: Handler): Promise<FastifyReply> {
  try {
    const result = await handler(req, bodyOf(req), (req.params ?? {}) as Params);
    if (
      result &&
      typeof result === 'object' &&
      'body' in result &&
      Object.keys(result).every((k) => k === 'status' || k === 'body')
    ) {
      const { status, body } = result as { status?: number; body: unknown };
      return sendJson(reply, status ?? 200, body);
    }
    return sendJson(reply, 200, result);
  } catch (err) {
    if (err instanceof ControlError) return sendJson(reply, err.status, { error: err.message });
    throw err;
  }
}

/** Control bodies are JSON; numbers arrive as their exact text (amounts must not go through floats). */
function bodyOf(req: FastifyRequest): Body {
  const text = req.rawBody?.toString('utf8') ?? '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = toPlain(parseLossless(text));
  } catch {
    throw new ControlError(400, 'body must be JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ControlError(400, 'body must be a JSON object');
  return parsed as Body;
}

function query(req: FastifyRequest): URLSearchParams {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
}
