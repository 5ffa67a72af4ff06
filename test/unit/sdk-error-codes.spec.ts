import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_STATUS } from '@app/common/errors/error-codes';
import { PARTNER_ERROR_STATUS } from '../../sdk/src/errors';

// The SDK ships without dependencies, so it keeps its own copy of the error table; this keeps the copy honest.
describe('SDK error codes', () => {
  test('match the gateway’s error table code for code and status', () => {
    assert.deepEqual({ ...PARTNER_ERROR_STATUS }, { ...ERROR_STATUS });
  });
});
