import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Reflector } from '@nestjs/core';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, Observable, of, throwError } from 'rxjs';
import { ApiError } from '@app/common/errors/api.error';
import { Clock } from '@app/infra/clock/clock';
import { IdempotencyInterceptor, parseIdempotencyKey } from './idempotency.interceptor';
import type { IdempotencyBegin, IdempotencyStore } from './idempotency.store';

/** A store that records calls and answers begin() as told. */
function fakeStore(begin: IdempotencyBegin) {
  const calls: Array<[string, ...unknown[]]> = [];
  const store = {
    begin: async (...a: unknown[]) => (calls.push(['begin', ...a]), begin),
    complete: async (...a: unknown[]) => void calls.push(['complete', ...a]),
    release: async (...a: unknown[]) => void calls.push(['release', ...a]),
  };
  return { store: store as unknown as IdempotencyStore, calls };
}

function context(headers: Record<string, string>, headerSink: Record<string, string> = {}) {
  const request = {
    headers,
    method: 'POST',
    url: '/api/v1/orders',
    body: { b: 2, a: 1 },
    partner: { id: 'ptn_1' },
  };
  const reply = { header: (k: string, v: string) => ((headerSink[k] = v), reply) };
  return {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    getHandler: () => function handler() {},
  } as unknown as ExecutionContext;
}

const handler = (result: Observable<unknown>): CallHandler => ({ handle: () => result });
const run = async (i: IdempotencyInterceptor, ctx: ExecutionContext, h: CallHandler) =>
  firstValueFrom(await i.intercept(ctx, h));

describe('IdempotencyInterceptor', () => {
  test('no header: the handler runs untouched and nothing is stored', async () => {
    const { store, calls } = fakeStore({ kind: 'started' });
    const i = new IdempotencyInterceptor(store, new Reflector(), new Clock());
    assert.deepEqual(await run(i, context({}), handler(of({ ok: 1 }))), { ok: 1 });
    assert.equal(calls.length, 0);
  });

  test('first request: success stored with the route status, 24 h expiry', async () => {
    const { store, calls } = fakeStore({ kind: 'started' });
    const i = new IdempotencyInterceptor(store, new Reflector(), new Clock());
    await run(i, context({ 'idempotency-key': 'k1' }), handler(of({ id: 'ord_1' })));
    const [begin, complete] = calls;
    assert.equal(begin[1], 'ptn_1');
    assert.equal(begin[2], 'k1');
    const times = begin[4] as { now: Date; expiresAt: Date };
    assert.equal(times.expiresAt.getTime() - times.now.getTime(), 24 * 3600 * 1000);
    assert.deepEqual(complete.slice(1), ['ptn_1', 'k1', begin[3], 201, { id: 'ord_1' }]);
  });

  test('final 4xx is stored as its error envelope and rethrown; 5xx and RATE_LIMITED release the key', async () => {
    for (const [err, expected] of [
      [new ApiError('INVALID_CLABE', 'bad', [{ field: 'sellerClabe', problem: 'checksum' }]), 'complete'],
      [new ApiError('QUOTE_USED', 'used'), 'complete'],
      [new ApiError('UPSTREAM_UNAVAILABLE', 'down'), 'release'],
      [new ApiError('RATE_LIMITED', 'slow down'), 'release'],
      [new Error('boom'), 'release'],
    ] as const) {
      const { store, calls } = fakeStore({ kind: 'started' });
      const i = new IdempotencyInterceptor(store, new Reflector(), new Clock());
      await assert.rejects(
        run(i, context({ 'idempotency-key': 'k' }), handler(throwError(() => err))),
        (e) => e === err,
      );
      assert.equal(calls[1][0], expected, String(err));
      if (expected === 'complete' && err instanceof ApiError) {
        assert.equal(calls[1][4], err.status);
        assert.deepEqual(calls[1][5], {
          error: err.code,
          message: err.message,
          ...(err.details ? { details: err.details } : {}),
        });
      }
    }
  });

  test('replays: success with Idempotent-Replayed, stored errors rebuilt with the header', async () => {
    const sink: Record<string, string> = {};
    const ok = fakeStore({ kind: 'replay', status: 201, body: { id: 'ord_1' } });
    const i = new IdempotencyInterceptor(ok.store, new Reflector(), new Clock());
    let ran = false;
    const h = { handle: () => ((ran = true), of(null)) };
    assert.deepEqual(await run(i, context({ 'idempotency-key': 'k' }, sink), h), { id: 'ord_1' });
    assert.equal(sink['Idempotent-Replayed'], 'true');
    assert.equal(ran, false, 'the handler does not run again');

    const bad = fakeStore({ kind: 'replay', status: 409, body: { error: 'QUOTE_USED', message: 'used' } });
    const j = new IdempotencyInterceptor(bad.store, new Reflector(), new Clock());
    await assert.rejects(run(j, context({ 'idempotency-key': 'k' }), h), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.code, 'QUOTE_USED');
      assert.equal(e.status, 409);
      assert.equal(e.headers?.['Idempotent-Replayed'], 'true');
      return true;
    });
  });

  test('another body under the key → 422; still running → 409 with Retry-After: 1', async () => {
    const m = new IdempotencyInterceptor(fakeStore({ kind: 'mismatch' }).store, new Reflector(), new Clock());
    await assert.rejects(m.intercept(context({ 'idempotency-key': 'k' }), handler(of(1))), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'IDEMPOTENCY_KEY_REUSED' && e.status === 422);
      return true;
    });
    const p = new IdempotencyInterceptor(
      fakeStore({ kind: 'in_progress' }).store,
      new Reflector(),
      new Clock(),
    );
    await assert.rejects(p.intercept(context({ 'idempotency-key': 'k' }), handler(of(1))), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'IDEMPOTENCY_IN_PROGRESS' && e.status === 409);
      assert.equal(e.headers?.['Retry-After'], 1);
      return true;
    });
  });

  test('key format: 1–255 printable ASCII', () => {
    assert.equal(parseIdempotencyKey('a b-c_d:1'), 'a b-c_d:1');
    assert.equal(parseIdempotencyKey('x'.repeat(255)).length, 255);
    for (const bad of ['', '   ', 'x'.repeat(256), 'clé', 'tab\there', ['a', 'b']]) {
      assert.throws(
        () => parseIdempotencyKey(bad),
        (e: unknown) => e instanceof ApiError && e.code === 'VALIDATION_ERROR',
      );
    }
  });
});
