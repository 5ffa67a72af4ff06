import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderStatus } from '@app/generated/prisma/enums';
import { EVENT_FOR_STATUS, canTransition, isTerminal, transitionPath } from './order-state.machine';

const ALL = Object.keys(EVENT_FOR_STATUS) as OrderStatus[];

describe('order state machine', () => {
  test('the main line moves one step at a time', () => {
    assert.deepEqual(transitionPath('PENDING_DEPOSIT', 'ACTIVE'), ['ACTIVE']);
    assert.deepEqual(transitionPath('ACTIVE', 'LOCKED'), ['LOCKED']);
    assert.deepEqual(transitionPath('LOCKED', 'VERIFIED'), ['VERIFIED']);
    assert.deepEqual(transitionPath('VERIFIED', 'COMPLETED'), ['COMPLETED']);
  });

  test('skipped main-line states are walked through so every event is emitted in order', () => {
    assert.deepEqual(transitionPath('ACTIVE', 'COMPLETED'), ['LOCKED', 'VERIFIED', 'COMPLETED']);
    assert.deepEqual(transitionPath('PENDING_DEPOSIT', 'VERIFIED'), ['ACTIVE', 'LOCKED', 'VERIFIED']);
  });

  test('never backwards, never out of a terminal state, never to itself', () => {
    assert.deepEqual(transitionPath('LOCKED', 'ACTIVE'), []);
    assert.deepEqual(transitionPath('COMPLETED', 'CANCELLED'), []);
    assert.deepEqual(transitionPath('EXPIRED', 'ACTIVE'), []);
    for (const s of ALL) assert.deepEqual(transitionPath(s, s), []);
    for (const terminal of ALL.filter(isTerminal)) {
      for (const to of ALL) {
        const allowed = terminal === 'CANCELLED' && to === 'REFUNDED';
        assert.equal(canTransition(terminal, to), allowed, `${terminal} → ${to}`);
      }
    }
  });

  test('side exits only from the states that can reach them', () => {
    assert.equal(canTransition('PENDING_DEPOSIT', 'CANCELLED'), true);
    assert.equal(canTransition('VERIFIED', 'CANCELLED'), true);
    assert.equal(canTransition('PENDING_DEPOSIT', 'EXPIRED'), true);
    assert.equal(canTransition('ACTIVE', 'EXPIRED'), false);
    assert.equal(canTransition('PENDING_DEPOSIT', 'FAILED'), true);
    assert.equal(canTransition('ACTIVE', 'FAILED'), false);
    assert.equal(canTransition('ACTIVE', 'REJECTED'), true);
    assert.equal(canTransition('VERIFIED', 'REJECTED'), false);
    assert.equal(canTransition('ACTIVE', 'REFUNDED'), true);
    assert.equal(canTransition('PENDING_DEPOSIT', 'REFUNDED'), false);
  });

  test('every status has its webhook event name', () => {
    assert.equal(EVENT_FOR_STATUS.VERIFIED, 'order.payment_verified');
    assert.equal(EVENT_FOR_STATUS.PENDING_DEPOSIT, 'order.created');
    assert.equal(new Set(Object.values(EVENT_FOR_STATUS)).size, ALL.length);
  });
});
