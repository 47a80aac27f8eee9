// Issue 14, items 4 and 5, as users import 'payhook':
// - lists have a total cap, not only a per-item one: 1,500 keys of 64 K characters
//   (ignoreKeys, paymentMethods, a params object) are PAYLOAD_TOO_LARGE before they
//   are copied into wasm memory, which never shrinks, and the memory does not grow;
// - HitpayVerifier#free() and [Symbol.dispose]: a freed verifier throws a
//   PayhookError (never the glue's "null pointer" Error or a wasm trap), and the
//   memory of freed verifiers is reused.
// Expected signatures come from node:crypto.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as payhook from 'payhook';
// The same module instance as 'payhook': its initialised wasm exports (memory).
import { initSync } from '../../pkg/gen/payhook_core.js';

const { PayhookError, LIMITS } = payhook;
const SALT = 'lists-and-free-salt';
const hex = (key, message) => createHmac('sha256', key).update(message).digest('hex');
const BODY = `amount=1.00&status=completed&hmac=${hex(SALT, 'amount1.00statuscompleted')}`;
const CB = 'https://ats.example/cb?o=1';

function code(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PayhookError, `${e?.constructor?.name}: ${e?.message}`);
    return e.code;
  }
  return 'accepted';
}

let memory;
before(() => {
  memory = initSync().memory;
});

describe('lists: a total cap', () => {
  const long = (i) => `${i}`.padEnd(LIMITS.TEXT - 1, 'k');
  const many = Array.from({ length: 1500 }, (_, i) => long(i));

  it('1,500 ignoreKeys, paymentMethods or params of 64 K characters are PAYLOAD_TOO_LARGE, and the memory does not grow', { timeout: 120_000 }, () => {
    const signed = payhook.signCallbackUrl(CB, 's');
    const CALLS = [
      ['signCallbackUrl ignoreKeys', () => payhook.signCallbackUrl(CB, 's', { ignoreKeys: many }), 'ignoreKeys'],
      ['verifyCallbackUrl ignoreKeys', () => payhook.verifyCallbackUrl(signed, 's', { ignoreKeys: many }), 'ignoreKeys'],
      ['buildHitpayPaymentRequest paymentMethods', () => payhook.buildHitpayPaymentRequest({ amount: '1.00', currency: 'SGD', paymentMethods: many }, { apiKey: 'k' }), 'paymentMethods'],
      ['signHitpayWebhook fields', () => payhook.signHitpayWebhook(Object.fromEntries(many.map((k) => [k, 'v'])), SALT), 'fields'],
    ];
    for (const [, call] of CALLS) code(call); // warm up
    const start = memory.buffer.byteLength;
    for (const [name, call, field] of CALLS) {
      for (let i = 0; i < 20; i += 1) {
        try {
          call();
          assert.fail(`${name}: accepted`);
        } catch (e) {
          assert.ok(e instanceof PayhookError, `${name}: ${e.message}`);
          assert.equal(e.code, 'PAYLOAD_TOO_LARGE', `${name}: ${e.message}`);
          assert.equal(e.field, field, name);
        }
      }
    }
    assert.equal(memory.buffer.byteLength, start, `grew from ${start} to ${memory.buffer.byteLength} bytes`);
    assert.ok(start < 32 * 1024 * 1024, `${start} bytes of wasm memory`);
  });

  it('up to the total a list is used as before; one character more is refused', () => {
    // Two keys that together fill LIMITS.TEXT exactly.
    const half = 'a'.repeat(LIMITS.TEXT / 2);
    const fits = [half, `${half.slice(1)}b`];
    const over = [half, `${half}b`];
    const url = payhook.signCallbackUrl(CB, 's', { ignoreKeys: fits });
    assert.deepEqual({ ...payhook.verifyCallbackUrl(url, 's', { ignoreKeys: fits }) }, { o: '1' });
    assert.equal(code(() => payhook.signCallbackUrl(CB, 's', { ignoreKeys: over })), 'PAYLOAD_TOO_LARGE');
    assert.equal(code(() => payhook.verifyCallbackUrl(url, 's', { ignoreKeys: over })), 'PAYLOAD_TOO_LARGE');
    // A few short keys: the usual case.
    assert.deepEqual({ ...payhook.verifyCallbackUrl(`${payhook.signCallbackUrl(CB, 's')}&amount=1`, 's', { ignoreKeys: ['amount', 'walletId'] }) }, { o: '1' });
  });
});

describe('HitpayVerifier: free() and Symbol.dispose', () => {
  it('a freed verifier throws a PayhookError, never the glue\'s error or a wasm trap; free() twice is harmless', () => {
    const verifier = new payhook.HitpayVerifier(SALT);
    assert.equal(verifier.verify(BODY).status, 'completed');
    verifier.free();
    verifier.free();
    for (const body of [BODY, 'x', new Uint8Array(0), 42]) {
      try {
        verifier.verify(body);
        assert.fail('a freed verifier verified');
      } catch (e) {
        assert.ok(e instanceof PayhookError, `${e?.constructor?.name}: ${e?.message}`);
        assert.equal(e.code, 'INVALID_FIELD');
        assert.equal(e.field, 'verifier');
        assert.match(e.message, /freed/);
      }
    }
    // Other verifiers and the module are unaffected.
    assert.equal(new payhook.HitpayVerifier(SALT).verify(BODY).amount, '1.00');
    assert.equal(payhook.verifyHitpayWebhook(BODY, SALT).amount, '1.00');
  });

  it('[Symbol.dispose] frees it: `using` in a block', () => {
    assert.equal(typeof Symbol.dispose, 'symbol');
    const verifier = new payhook.HitpayVerifier(SALT);
    assert.equal(typeof verifier[Symbol.dispose], 'function');
    verifier[Symbol.dispose]();
    assert.equal(code(() => verifier.verify(BODY)), 'INVALID_FIELD');
    // What `using v = new HitpayVerifier(salt)` compiles to, written out (Node 20
    // has Symbol.dispose but not the `using` syntax).
    let escaped;
    {
      const v = new payhook.HitpayVerifier(SALT);
      try {
        escaped = v;
        assert.equal(v.verify(BODY).status, 'completed');
      } finally {
        v[Symbol.dispose]();
      }
    }
    assert.equal(code(() => escaped.verify(BODY)), 'INVALID_FIELD');
  });

  it('freed verifiers give their memory back; kept ones hold it', { timeout: 120_000 }, () => {
    for (let i = 0; i < 200; i += 1) new payhook.HitpayVerifier(SALT).free(); // warm up
    const start = memory.buffer.byteLength;
    for (let i = 0; i < 20_000; i += 1) {
      const v = new payhook.HitpayVerifier(SALT);
      if (i % 1000 === 0) assert.equal(v.verify(BODY).status, 'completed');
      v.free();
    }
    assert.equal(memory.buffer.byteLength, start, `20,000 freed verifiers: grew from ${start} to ${memory.buffer.byteLength} bytes`);
    // The measure can see a leak: 20,000 verifiers kept alive take memory...
    const kept = Array.from({ length: 20_000 }, () => new payhook.HitpayVerifier(SALT));
    const held = memory.buffer.byteLength;
    assert.ok(held > start, 'kept verifiers hold wasm memory');
    // ...which free() gives back for reuse: as many again, created and freed, take no more.
    for (const v of kept) v.free();
    for (let i = 0; i < 20_000; i += 1) new payhook.HitpayVerifier(SALT).free();
    assert.equal(memory.buffer.byteLength, held);
  });
});
