// The JavaScript boundary: what is generated from the bindings crate's schema
// (pkg/gen/constants.js, api.js, api-hapi.js, api.d.ts) agrees with the Rust
// sources it comes from, read here independently of the generator, and the one
// reader of results turns every failure into a PayhookError.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as payhook from 'payhook';
import * as hapi from 'payhook/hapi';
import * as raw from '../../pkg/gen/payhook_core.js';
import { start, readStr } from '../../pkg/common.js';

const ROOT = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, ROOT), 'utf8');

// The contract's codes (../shared/api.md): fixed, so new codes may only be added.
const CONTRACT_CODES = [
  'MALFORMED_BODY', 'PAYLOAD_TOO_LARGE', 'MISSING_FIELD', 'DUPLICATE_FIELD', 'INVALID_FIELD',
  'MISSING_SIGNATURE', 'MALFORMED_SIGNATURE', 'SIGNATURE_MISMATCH', 'EXPIRED', 'INVALID_SECRET',
  'INVALID_URL', 'INSECURE_URL', 'RESERVED_QUERY_KEY', 'INVALID_AMOUNT', 'INVALID_CURRENCY', 'UNAUTHORIZED',
];

// Code::ALL's order and Code::as_str's strings, from src/error.rs.
function rustCodes() {
  const src = read('src/error.rs');
  const all = src.match(/pub const ALL: \[Code; \d+\] = \[([^\]]*)\]/);
  assert.ok(all, 'Code::ALL not found in src/error.rs');
  const variants = [...all[1].matchAll(/Code::(\w+)/g)].map((m) => m[1]);
  const strings = new Map([...src.matchAll(/Code::(\w+) => "([A-Z_]+)"/g)].map((m) => [m[1], m[2]]));
  return variants.map((v) => strings.get(v));
}

// `pub const NAME: usize = <product of integers>;` from src/limits.rs.
function rustLimits() {
  const out = {};
  for (const m of read('src/limits.rs').matchAll(/pub const (\w+): usize = ([\d\s*_]+);/g)) {
    out[m[1]] = m[2].split('*').map((n) => Number(n.replaceAll('_', '').trim())).reduce((a, b) => a * b, 1);
  }
  return out;
}

describe('generated constants', () => {
  it('ERROR_CODES is Code::ALL, in order, and holds every code of the contract', () => {
    const codes = rustCodes();
    assert.equal(codes.length >= CONTRACT_CODES.length, true);
    assert.deepEqual([...payhook.ERROR_CODES], codes);
    for (const c of CONTRACT_CODES) assert.ok(payhook.ERROR_CODES.includes(c), c);
    assert.ok(Object.isFrozen(payhook.ERROR_CODES));
  });

  it('the TypeScript PayhookErrorCode union is the same list', () => {
    const dts = read('pkg/gen/constants.d.ts');
    const union = dts.slice(dts.indexOf('export type PayhookErrorCode'), dts.indexOf(';', dts.indexOf('export type PayhookErrorCode')));
    assert.deepEqual([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]), rustCodes());
  });

  it('LIMITS is src/limits.rs, in JavaScript and in TypeScript', () => {
    const limits = rustLimits();
    assert.deepEqual(Object.keys(limits).sort(), ['EVENT_BODY', 'FORM_BODY', 'TEXT', 'URL_INPUT', 'URL_OUTPUT']);
    assert.deepEqual({ ...payhook.LIMITS }, limits);
    assert.ok(Object.isFrozen(payhook.LIMITS));
    const dts = read('pkg/gen/constants.d.ts');
    for (const [name, value] of Object.entries(limits)) assert.match(dts, new RegExp(`readonly ${name}: ${value};`));
  });

  it('the limits are the ones the functions enforce', () => {
    const over = 'a'.repeat(payhook.LIMITS.FORM_BODY + 1);
    assert.throws(() => payhook.parseSmartRouterWebhook(over), { code: 'PAYLOAD_TOO_LARGE' });
    assert.throws(() => payhook.parseHitpayRedirect(`https://a.example/?${'a'.repeat(payhook.LIMITS.URL_INPUT)}`), { code: 'PAYLOAD_TOO_LARGE' });
    assert.throws(() => payhook.signCallbackUrl('https://a.example/', 's'.repeat(payhook.LIMITS.TEXT + 1)), { code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('the reader', () => {
  it('turns a failure with a code it does not know into a PayhookError all the same', () => {
    assert.throws(() => start('!8:NEW_CODE5:field7:message'), (e) => e instanceof payhook.PayhookError
      && e.code === 'NEW_CODE' && e.field === 'field' && e.message === 'message');
    assert.throws(() => start('!8:NEW_CODE0:7:message'), (e) => e instanceof payhook.PayhookError && !('field' in e));
  });

  it('reads strings by UTF-16 length', () => {
    start('3:é😀2:ab');
    assert.equal(readStr(), 'é😀');
    assert.equal(readStr(), 'ab');
  });

  it('malformed lists sent to the core are INVALID_FIELD errors about the argument, not traps', () => {
    for (const bad of ['x', '01:a', '2:a', '1:😀', '3:abc4']) {
      assert.throws(() => start(raw.hapi_build_callback_url('https://a.example/', bad)), (e) => e instanceof payhook.PayhookError && e.code === 'INVALID_FIELD' && e.field === 'params', bad);
      assert.throws(() => start(raw.callback_sign('https://a.example/', 's', -1, bad)), (e) => e instanceof payhook.PayhookError && e.code === 'INVALID_FIELD' && e.field === 'ignoreKeys', bad);
    }
    assert.throws(() => start(raw.hitpay_sign_webhook('1:k', 'salt')), { code: 'INVALID_FIELD', message: 'the list has a key without a value' });
    assert.throws(() => start(raw.hitpay_build_payment_request('3:foo1:x', 'key', false)), { code: 'INVALID_FIELD', field: 'foo' });
  });
});

describe('generated functions', () => {
  it('every function of the contract is exported, by both entries where they overlap', () => {
    for (const name of ['verifyHitpayWebhook', 'signHitpayWebhook', 'verifyHitpayEvent', 'buildHitpayPaymentRequest',
      'parseHitpayRedirect', 'diagnoseHitpayWebhook', 'buildHapiCallbackUrl', 'parseHapiCallback', 'setHapiSuccessCallbackUrl',
      'signCallbackUrl', 'verifyCallbackUrl', 'parseSmartRouterWebhook', 'checkBasicAuth', 'buildBasicAuthWebhookUrl',
      'buildSmartRouterEventRequest', 'parsePayexCallback', 'buildPayexRequest']) {
      assert.equal(typeof payhook[name], 'function', name);
    }
    assert.deepEqual(Object.keys(hapi).sort(), ['PayhookError', 'buildHapiCallbackUrl', 'parseHapiCallback', 'setHapiSuccessCallbackUrl']);
    assert.equal(hapi.PayhookError, payhook.PayhookError);
  });

  it('the declarations carry the Rust doc comments', () => {
    const dts = read('pkg/gen/api.d.ts');
    assert.match(dts, /`event_id`: 1 to 255 letters, digits, `_` and `-`\./);
    assert.match(dts, /@param base An absolute `https:` URL/);
    assert.match(dts, /export declare function buildPayexRequest\(path: string, options: BuildPayexRequestOptions\): GetRequest;/);
  });
});
