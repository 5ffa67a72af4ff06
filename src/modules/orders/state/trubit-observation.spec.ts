import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderStatus } from '@app/generated/prisma/enums';
import { EVENT_FOR_STATUS, transitionPath } from './order-state.machine';
import { changesNothing, RecordedTrubitFacts } from './trubit-observation';
import { mapTrubitStatus } from '@app/modules/trubit/trubit-status.mapper';

const ALL = Object.keys(EVENT_FOR_STATUS) as OrderStatus[];
const CODES = [10, 30, 31, 40, 50, 60, 70, 80];

const recorded = (over: Partial<RecordedTrubitFacts> = {}): RecordedTrubitFacts => ({
  status: 'ACTIVE',
  trubitStatus: 10,
  trubitHasRefund: false,
  cepTrackingKey: null,
  ...over,
});
const seen = (orderStatus: number, over: { hasRefund?: boolean; traclingNumber?: string | null } = {}) => ({
  orderStatus,
  hasRefund: false,
  traclingNumber: null,
  ...over,
});

describe('changesNothing (callbacks that only repeat what the order records)', () => {
  test('the status-10 callback after the submitter recorded 10 and ACTIVE changes nothing', () => {
    assert.equal(changesNothing(recorded(), seen(10)), true);
  });

  test('fresher statuses, a new refund flag or a new tracking key are news', () => {
    assert.equal(changesNothing(recorded(), seen(30)), false); // ACTIVE stays, but trubitStatus moves to 30
    assert.equal(changesNothing(recorded(), seen(40)), false);
    assert.equal(
      changesNothing(recorded({ status: 'CANCELLED', trubitStatus: 70 }), seen(70, { hasRefund: true })),
      false,
    );
    assert.equal(
      changesNothing(recorded({ status: 'VERIFIED', trubitStatus: 50 }), seen(50, { traclingNumber: 'T1' })),
      false,
    );
    assert.equal(
      changesNothing(
        recorded({ status: 'VERIFIED', trubitStatus: 50, cepTrackingKey: 'T1' }),
        seen(50, { traclingNumber: 'T1' }),
      ),
      true,
    );
    // Same rank, another code: applyTrubitStatus would record it.
    assert.equal(changesNothing(recorded({ trubitStatus: 31 }), seen(30)), false);
  });

  test('late callbacks behind what is recorded change nothing', () => {
    assert.equal(changesNothing(recorded({ status: 'COMPLETED', trubitStatus: 60 }), seen(40)), true);
    assert.equal(changesNothing(recorded({ status: 'LOCKED', trubitStatus: 40 }), seen(10)), true);
  });

  test('PENDING_DEPOSIT and unknown codes always take the full path', () => {
    assert.equal(changesNothing(recorded({ status: 'PENDING_DEPOSIT', trubitStatus: 10 }), seen(10)), false);
    assert.equal(changesNothing(recorded({ trubitStatus: 99 }), seen(99)), false);
  });

  test('a "nothing" answer stays true for every state and TruBit status the order can move on to', () => {
    // Read without the row lock, so it must not be invalidated by a concurrent forward move.
    for (const status of ALL) {
      for (const code of CODES) {
        for (const refund of [false, true]) {
          const before = recorded({ status, trubitStatus: code, trubitHasRefund: refund });
          for (const cbCode of CODES) {
            const cb = seen(cbCode, { hasRefund: refund && cbCode === 70 });
            if (!changesNothing(before, cb)) continue;
            const target = mapTrubitStatus(cbCode, cb.hasRefund);
            for (const later of ALL.filter((s) => s === status || transitionPath(status, s).length)) {
              if (later === 'PENDING_DEPOSIT') continue;
              assert.ok(
                !target || transitionPath(later, target).length === 0,
                `${status}→${later}: callback ${cbCode} would move the order`,
              );
            }
          }
        }
      }
    }
  });
});
