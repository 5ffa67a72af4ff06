// A burst of funded orders on one TruBit account, with TruBit's order rate set low (3 order/add a second):
// every order reaches TruBit once, and waiting for TruBit's rate spends no job attempt: the jobs wait in their
// account's line (SubmissionAdmission, whose order the integration test asserts). Before the line, jobs raced
// for the rate limiter and the losers were retried on an exponential backoff, so the first orders of a burst
// could be submitted last, or run out of attempts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { jobIds, QUEUES } from '@app/infra/queue/queue.names';
import { SubmissionAdmission } from '@app/modules/orders/submission/submission.admission';
import { CreatedPartner } from '@test/support/admin-client';
import { withDb } from '@test/support/db';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { sleep } from '@test/support/timing';
import { TradingFixture, TestUser } from '@test/fixtures/trading.fixture';

const ORDERS = 24;

describe('order submission: a burst waits in line for TruBit’s rate', () => {
  let stack: RunningStack;
  let fx: TradingFixture;
  let p: CreatedPartner;
  let user: TestUser;

  before(async () => {
    stack = await startStack({
      env: { RECONCILE_INTERVAL_MS: '3600000', TRUBIT_ORDERS_PER_SECOND: '3' },
    });
    fx = new TradingFixture(stack);
    p = fx.track(await stack.admin.createPartner({ tier: 'ENTERPRISE' }));
    user = await fx.user(p.apiKey, p.partner.id);
    await fx.approvedDefaultMerchant(p.partner.id);
  });
  after(async () => {
    await fx.closeOut();
    await stack.close();
  });

  test(`${ORDERS} orders placed one after another reach TruBit once each, waiting spends no attempt`, async () => {
    const heads = stack.worker!.get(SubmissionAdmission, { strict: false }).heads;
    assert.equal(heads, 6);
    const atTrubitBefore = (await stack.simControl('GET', '/orders')).orders.length;
    const placed: string[] = [];
    for (let i = 0; i < ORDERS; i++) placed.push((await fx.placeOrder(p.apiKey, p.partner.id, user, 2)).id);

    const submittedRows = async () => {
      const { rows } = await withDb((db) =>
        db.query<{ id: string; submitAttempts: number }>(
          `SELECT id, "submitAttempts" FROM orders WHERE id = ANY($1) AND submission = 'SUBMITTED'`,
          [placed],
        ),
      );
      return rows;
    };
    let submitted = await submittedRows();
    for (const end = Date.now() + 40_000; submitted.length < ORDERS && Date.now() < end;) {
      await sleep(250);
      submitted = await submittedRows();
    }
    assert.equal(submitted.length, ORDERS, `${submitted.length} of ${ORDERS} submitted`);
    // Once each: one claim per order, one TruBit order per order.
    assert.ok(submitted.every((r) => r.submitAttempts === 1));
    assert.equal((await stack.simControl('GET', '/orders')).orders.length - atTrubitBefore, ORDERS);

    // Waiting spent no attempt, although most jobs had to wait (started more than once).
    const queue = stack.worker!.get<Queue>(getQueueToken(QUEUES.orderSubmission), { strict: false });
    const jobs = await Promise.all(placed.map((id) => queue.getJob(jobIds.orderSubmission(id, 0))));
    assert.ok(
      jobs.every((j) => j && j.finishedOn && !j.failedReason && j.attemptsMade === 1),
      jobs.map((j) => `${j?.attemptsMade}/${j?.failedReason ?? ''}`).join(' '),
    );
    assert.ok(jobs.filter((j) => j!.attemptsStarted > 1).length >= ORDERS - 2 * heads);
  });
});
