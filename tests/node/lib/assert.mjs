// The checks for an expected PayhookError, shared by the Node test files. Each file
// builds its own with payhookErrorChecks(): what its messages must never show, and
// the known-good calls that must still work after every error.
import assert from 'node:assert/strict';
import { PayhookError } from 'payhook';

/** No run of 16+ hex digits (a digest, or part of one). */
export const HEX_RUN = [/[0-9a-fA-F]{16}/, 'hex'];
/** No base64url run of 40+ characters (a signature). */
export const SIGNATURE_RUN = [/[A-Za-z0-9_-]{40}/, 'a signature'];

/**
 * Returns `assertPayhookError(err, code, { field, hidden })` and
 * `fails(fn, code, { field, hidden })` for one test file.
 *
 * assertPayhookError checks that `err` is a PayhookError (class, name) with `code`
 * (one of `code` when it is a list) and `field` (when given: a name, a list of
 * acceptable names, or `null` for none), and that its message says something and holds
 * none of `secrets`, none of `hidden` and no match of any `[pattern, what]` in `forbidden`.
 *
 * fails runs `fn`, which must throw such an error, then calls `stillWorks` (the
 * module keeps working after an error), and returns the error.
 */
export function payhookErrorChecks({ secrets = [], forbidden = [], stillWorks = () => {} } = {}) {
  function assertPayhookError(err, code, { field, hidden = [] } = {}) {
    assert.ok(err instanceof PayhookError, `expected a PayhookError, got ${err?.name}: ${err?.message}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'PayhookError');
    if (Array.isArray(code)) assert.ok(code.includes(err.code), `code ${err.code} not in ${code}: ${err.message}`);
    else assert.equal(err.code, code, `${err.message} (field ${err.field})`);
    if (field === null) assert.equal(err.field, undefined);
    else if (Array.isArray(field)) assert.ok(field.includes(err.field), `field ${err.field} not in ${field}: ${err.message}`);
    else if (field !== undefined) assert.equal(err.field, field, err.message);
    assert.equal(typeof err.message, 'string');
    assert.ok(err.message.length > 10, `message too short: ${err.message}`);
    for (const s of [...secrets, ...hidden]) {
      if (s) assert.ok(!err.message.includes(s), `message contains a secret (${s}): ${err.message}`);
    }
    for (const [pattern, what] of forbidden) {
      assert.doesNotMatch(err.message, pattern, `message contains ${what}: ${err.message}`);
    }
  }

  function fails(fn, code, options) {
    let err;
    let threw = false;
    try {
      fn();
    } catch (e) {
      threw = true;
      err = e;
    }
    assert.ok(threw, `expected ${code}, but nothing was thrown`);
    assertPayhookError(err, code, options);
    stillWorks();
    return err;
  }

  return { assertPayhookError, fails };
}

/** Polls `check` every 50 ms until it returns a truthy value, and returns it; fails after `timeoutMs`. */
export async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
