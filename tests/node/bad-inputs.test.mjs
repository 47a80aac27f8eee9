// Every exported function of 'payhook' (as users import it, through the `node` export
// condition) driven with malformed, oversized, hostile and wrong-typed arguments, one
// argument at a time, the others valid. The contract (/work/shared/api.md, "Errors"):
// each call throws a PayhookError whose code is one of the contract's, or returns the
// documented result (checkBasicAuth: false for a malformed header; diagnoseHitpayWebhook:
// a diagnosis for any string or bytes) — never a wasm trap (RuntimeError), a TypeError
// or another error from the glue code, never a hang, never an acceptance of what is not
// valid; and the module stays usable: after each call a valid call on the same instance
// still gives the right answer. No message says a secret or a signature. The wasm
// memory does not grow over 1,000 oversized calls, nor over 5,000 valid calls of
// mixed sizes once each shape has run.
//
// Expected values (signatures) are computed here with node:crypto, never by payhook.
import { describe, it, before, after } from 'node:test';
import assert from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import * as payhook from 'payhook';
// The same module instance as 'payhook' (node_modules/payhook links to pkg/): initSync()
// returns the initialised wasm exports, whose `memory` is watched below.
import { initSync } from '../../pkg/gen/payhook_core.js';

const { PayhookError } = payhook;

// Every code a function may throw: src/error.rs's Code::ALL, as the package exports
// it (tests/node/boundary.test.mjs checks that list against the Rust source and the contract).
const CODES = new Set(payhook.ERROR_CODES);

// ------------------------------------------------------------------ secrets and valid inputs

const SALT = 'salt-Bad1nputs-9f8e7d';
const SECRET = 'cb-Bad1nputs-secret-0a9b';
const API_KEY = 'hp-Bad1nputs-apikey-1a2b';
const USER = 'hook-user';
const PASS = 'pw-Bad1nputs-Zx9Yw8';
const TOKEN = 'tok-Bad1nputs-M9n8B7';
const PROJECT_ID = 'proj_Q1w2';
const PRIVATE_KEY = 'pk-Bad1nputs-Q1w2E3';

const utf8 = (s) => Buffer.from(s, 'utf8');
const hmac = (key, message) => createHmac('sha256', utf8(key)).update(message).digest();
const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const WEBHOOK_FIELDS = { payment_id: 'p1', amount: '25.00', currency: 'SGD', status: 'completed' };
const WEBHOOK_CANONICAL = Object.keys(WEBHOOK_FIELDS)
  .sort((a, b) => Buffer.compare(utf8(a), utf8(b)))
  .map((k) => k + WEBHOOK_FIELDS[k])
  .join('');
const WEBHOOK_HMAC = hmac(SALT, utf8(WEBHOOK_CANONICAL)).toString('hex');
const WEBHOOK_BODY = `${new URLSearchParams(WEBHOOK_FIELDS)}&hmac=${WEBHOOK_HMAC}`;

const EVENT = { id: 'e1', status: 'completed', amount: '25.00' };
const EVENT_BODY = JSON.stringify(EVENT);
const EVENT_SIG = hmac(SALT, utf8(EVENT_BODY)).toString('hex');

const CB_URL = 'https://ats.example/hapi?order=o1';
const CB_EXP = 4_000_000_000;
const CB_SIG = b64url(hmac(SECRET, utf8(`/hapi?order=o1&exp=${CB_EXP}`)));
const CB_SIGNED = `${CB_URL}&exp=${CB_EXP}&sig=${CB_SIG}`;

const BASIC_HEADER = `Basic ${utf8(`${USER}:${PASS}`).toString('base64')}`;
const PAYEX_PATH = '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c';
const PAYEX_BODY = JSON.stringify({ payment: PAYEX_PATH, paymentNumber: 123456 });

// Every secret, and every signature computed with one, in the forms it could be shown.
const FORBIDDEN = [SALT, SECRET, API_KEY, PASS, TOKEN, PRIVATE_KEY, WEBHOOK_HMAC, EVENT_SIG, CB_SIG,
  utf8(`${USER}:${PASS}`).toString('base64'), utf8(`${PROJECT_ID}:${PRIVATE_KEY}`).toString('base64'),
  hmac(SALT, utf8(`${WEBHOOK_CANONICAL}hmac`)).toString('hex'),
  hmac(SALT, utf8(WEBHOOK_BODY.replace(/&hmac=.*/, ''))).toString('hex'),
  hmac(SECRET, utf8('/hapi?order=o1')).toString('base64url'),
].flatMap((s) => [s, s.toUpperCase()]);

// ------------------------------------------------------------------ the functions

// Argument kinds: what the contract lets each position be.
//   body     string | Uint8Array | ArrayBuffer
//   string   a string (URL, id, signature)
//   secret   a string (salt, secret, password, key)
//   object   a plain object, required
//   options  a plain object, optional (undefined/null allowed)
//   header   anything: not a well-formed header is `false`
// `verifies`: a verifier, whose acceptance of a hostile value would be a wrong acceptance.
const verifier = new payhook.HitpayVerifier(SALT);
const FUNCTIONS = [
  {
    name: 'verifyHitpayWebhook', kinds: ['body', 'secret'], args: [WEBHOOK_BODY, SALT], verifies: true,
    call: (a) => payhook.verifyHitpayWebhook(...a),
    ok: (r) => assert.deepEqual(r.fields, WEBHOOK_FIELDS),
  },
  {
    name: 'new HitpayVerifier(salt).verify', kinds: ['secret', 'body'], args: [SALT, WEBHOOK_BODY], verifies: true,
    call: (a) => new payhook.HitpayVerifier(a[0]).verify(a[1]),
    ok: (r) => assert.deepEqual(r.fields, WEBHOOK_FIELDS),
  },
  {
    name: 'HitpayVerifier#verify (one instance)', kinds: ['body'], args: [WEBHOOK_BODY], verifies: true,
    call: (a) => verifier.verify(...a),
    ok: (r) => assert.equal(r.paymentId, 'p1'),
  },
  {
    name: 'signHitpayWebhook', kinds: ['object', 'secret'], args: [WEBHOOK_FIELDS, SALT],
    call: (a) => payhook.signHitpayWebhook(...a),
    ok: (r) => assert.equal(r, WEBHOOK_HMAC),
  },
  {
    name: 'verifyHitpayEvent', kinds: ['body', 'string', 'secret'], args: [EVENT_BODY, EVENT_SIG, SALT], verifies: true,
    call: (a) => payhook.verifyHitpayEvent(...a),
    ok: (r) => assert.deepEqual(r, EVENT),
  },
  {
    name: 'buildHitpayPaymentRequest', kinds: ['object', 'object'],
    args: [{ amount: '25.00', currency: 'SGD', referenceNumber: 'r1' }, { apiKey: API_KEY }],
    call: (a) => payhook.buildHitpayPaymentRequest(...a),
    ok: (r) => {
      assert.equal(r.url, 'https://api.hit-pay.com/v1/payment-requests');
      assert.equal(r.body, 'amount=25.00&currency=SGD&reference_number=r1');
      assert.equal(r.headers['X-BUSINESS-API-KEY'], API_KEY);
    },
  },
  {
    name: 'parseHitpayRedirect', kinds: ['string'], args: ['https://shop.example/done?reference=r1&status=completed'],
    call: (a) => payhook.parseHitpayRedirect(...a),
    ok: (r) => assert.deepEqual(r, { reference: 'r1', status: 'completed' }),
  },
  {
    name: 'diagnoseHitpayWebhook', kinds: ['body', 'secret'], args: [WEBHOOK_BODY, SALT], diagnoses: true,
    call: (a) => payhook.diagnoseHitpayWebhook(...a),
    ok: (r) => {
      assert.equal(r.valid, true);
      assert.deepEqual(r.hints, []);
    },
  },
  {
    name: 'buildHapiCallbackUrl', kinds: ['string', 'options'], args: ['https://ats.example/cb', { job: '42' }],
    call: (a) => payhook.buildHapiCallbackUrl(...a),
    ok: (r) => assert.equal(r, 'https://ats.example/cb?job=42'),
  },
  {
    name: 'parseHapiCallback', kinds: ['string'], args: ['/cb?job=42&amount=150.00&walletId=w1'],
    call: (a) => payhook.parseHapiCallback(...a),
    ok: (r) => assert.deepEqual(r, { kind: 'walletTopUp', amount: '150.00', walletId: 'w1', params: { job: '42' } }),
  },
  {
    name: 'signCallbackUrl', kinds: ['string', 'secret', 'options'], args: [CB_URL, SECRET, { expiresAt: CB_EXP }],
    call: (a) => payhook.signCallbackUrl(...a),
    ok: (r) => assert.equal(r, CB_SIGNED),
  },
  {
    name: 'verifyCallbackUrl', kinds: ['string', 'secret', 'options'], verifies: true,
    args: [`${CB_SIGNED}&amount=10&walletId=w`, SECRET, { now: 1_000_000_000, ignoreKeys: ['amount', 'walletId'] }],
    call: (a) => payhook.verifyCallbackUrl(...a),
    ok: (r) => assert.deepEqual(r, { order: 'o1' }),
  },
  {
    name: 'parseSmartRouterWebhook', kinds: ['body'], args: ['{"event_id":"ev_1","event_type":"transaction.captured"}'],
    call: (a) => payhook.parseSmartRouterWebhook(...a),
    ok: (r) => assert.deepEqual(r, { eventId: 'ev_1', eventType: 'transaction.captured' }),
  },
  {
    name: 'checkBasicAuth', kinds: ['header', 'secret', 'secret'], args: [BASIC_HEADER, USER, PASS],
    call: (a) => payhook.checkBasicAuth(...a),
    ok: (r) => assert.equal(r, true),
  },
  {
    name: 'buildBasicAuthWebhookUrl', kinds: ['string', 'secret', 'secret'], args: ['https://shop.example/hook', USER, PASS],
    call: (a) => payhook.buildBasicAuthWebhookUrl(...a),
    ok: (r) => assert.equal(r, `https://${USER}:${PASS}@shop.example/hook`),
  },
  {
    name: 'buildSmartRouterEventRequest', kinds: ['string', 'object'], args: ['ev_1', { projectId: PROJECT_ID, privateKey: PRIVATE_KEY }],
    call: (a) => payhook.buildSmartRouterEventRequest(...a),
    ok: (r) => {
      assert.equal(r.url, 'https://api.processout.com/events/ev_1');
      assert.equal(r.headers.Authorization, `Basic ${utf8(`${PROJECT_ID}:${PRIVATE_KEY}`).toString('base64')}`);
    },
  },
  {
    name: 'parsePayexCallback', kinds: ['body'], args: [PAYEX_BODY],
    call: (a) => payhook.parsePayexCallback(...a),
    ok: (r) => assert.deepEqual(r, { paymentId: '5adc265f-f87f-4313-577e-08d3dca1a26c', instrument: 'creditcard', paymentNumber: 123456, paymentUrl: PAYEX_PATH }),
  },
  {
    name: 'buildPayexRequest', kinds: ['string', 'object'], args: [PAYEX_PATH, { token: TOKEN }],
    call: (a) => payhook.buildPayexRequest(...a),
    ok: (r) => {
      assert.equal(r.url, `https://api.payex.com${PAYEX_PATH}`);
      assert.equal(r.headers.Authorization, `Bearer ${TOKEN}`);
    },
  },
];

// The same, one level down: a hostile value as one field of an object argument, the
// rest valid. `accepts(v)`: the values for which returning is the documented result.
const safeSeconds = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const goodText = (v) => typeof v === 'string' && v.isWellFormed();
const field = (name, valid, accepts, call, ok) => ({ name, kinds: ['field'], args: [valid], accepts, call: (a) => call(a[0]), ok });
const signedFor = (r) => assert.deepEqual(r, { order: 'o1' });
const eventRequest = (r) => assert.equal(r.url, 'https://api.processout.com/events/ev_1');
const payexRequest = (r) => assert.equal(r.url, `https://api.payex.com${PAYEX_PATH}`);
const paymentRequest = (r) => assert.equal(r.url, 'https://api.hit-pay.com/v1/payment-requests');
FUNCTIONS.push(
  field('verifyCallbackUrl options.ignoreKeys', ['amount', 'walletId'], () => false,
    (v) => payhook.verifyCallbackUrl(`${CB_SIGNED}&amount=10&walletId=w`, SECRET, { now: 1_000_000_000, ignoreKeys: v }), signedFor),
  field('verifyCallbackUrl options.now', 1_000_000_000, (v) => v === undefined || (safeSeconds(v) && v <= CB_EXP),
    (v) => payhook.verifyCallbackUrl(CB_SIGNED, SECRET, { now: v }), signedFor),
  field('signCallbackUrl options.expiresAt', CB_EXP, (v) => v === undefined || safeSeconds(v),
    (v) => payhook.signCallbackUrl(CB_URL, SECRET, { expiresAt: v }), (r) => assert.ok(r.startsWith(`${CB_URL}&`))),
  field('signCallbackUrl options.ignoreKeys', ['amount'], (v) => v == null || (Array.isArray(v) && v.every(goodText)),
    (v) => payhook.signCallbackUrl(CB_URL, SECRET, { expiresAt: CB_EXP, ignoreKeys: v }), (r) => assert.equal(r, CB_SIGNED)),
  field('buildHitpayPaymentRequest params.amount', '25.00', () => false,
    (v) => payhook.buildHitpayPaymentRequest({ amount: v, currency: 'SGD' }, { apiKey: API_KEY }), paymentRequest),
  field('buildHitpayPaymentRequest params.paymentMethods', ['card'],
    (v) => v === undefined || (Array.isArray(v) && v.length > 0 && v.every((m) => /^[a-z0-9_]+$/.test(m))),
    (v) => payhook.buildHitpayPaymentRequest({ amount: '25.00', currency: 'SGD', paymentMethods: v }, { apiKey: API_KEY }), paymentRequest),
  field('buildHitpayPaymentRequest params.allowRepeatedPayments', true, (v) => v === undefined || typeof v === 'boolean',
    (v) => payhook.buildHitpayPaymentRequest({ amount: '25.00', currency: 'SGD', allowRepeatedPayments: v }, { apiKey: API_KEY }), paymentRequest),
  field('buildHitpayPaymentRequest options.apiKey', API_KEY, (v) => goodText(v) && v !== '' && !/[\0-\x1f\x7f]/.test(v),
    (v) => payhook.buildHitpayPaymentRequest({ amount: '25.00', currency: 'SGD' }, { apiKey: v }), paymentRequest),
  field('buildHitpayPaymentRequest options.sandbox', false, (v) => v === undefined || typeof v === 'boolean',
    (v) => payhook.buildHitpayPaymentRequest({ amount: '25.00', currency: 'SGD' }, { apiKey: API_KEY, sandbox: v }), paymentRequest),
  field('buildSmartRouterEventRequest options.projectId', PROJECT_ID, (v) => goodText(v) && v !== '' && !v.includes(':'),
    (v) => payhook.buildSmartRouterEventRequest('ev_1', { projectId: v, privateKey: PRIVATE_KEY }), eventRequest),
  field('buildSmartRouterEventRequest options.apiBase', undefined, (v) => v == null || typeof v === 'string',
    (v) => payhook.buildSmartRouterEventRequest('ev_1', { projectId: PROJECT_ID, privateKey: PRIVATE_KEY, apiBase: v }), eventRequest),
  field('buildPayexRequest options.token', TOKEN, (v) => goodText(v) && v !== '' && !/[\0-\x1f\x7f]/.test(v),
    (v) => payhook.buildPayexRequest(PAYEX_PATH, { token: v }), payexRequest),
  field('buildPayexRequest options.apiBase', undefined, (v) => v == null || typeof v === 'string',
    (v) => payhook.buildPayexRequest(PAYEX_PATH, { token: TOKEN, apiBase: v }), payexRequest),
  field('buildHapiCallbackUrl params value', '42', goodText,
    (v) => payhook.buildHapiCallbackUrl('https://ats.example/cb', { job: v }), (r) => assert.equal(r, 'https://ats.example/cb?job=42')),
  field('signHitpayWebhook fields value', 'p1', goodText,
    (v) => payhook.signHitpayWebhook({ ...WEBHOOK_FIELDS, payment_id: v }, SALT), (r) => assert.equal(r, WEBHOOK_HMAC)),
);

// ------------------------------------------------------------------ hostile values

const MB = 1024 * 1024;
const TEN_MB_ASCII = 'a'.repeat(10 * MB);
const TEN_MB_FORM = 'k=v&'.repeat(2.5 * MB);
const TEN_MB_EMOJI = '\u{1F600}'.repeat(2.5 * MB); // 10 MB of UTF-16, 10 MB of UTF-8
const throwing = () => { throw new Error('hostile getter'); };
const throwingTraps = {
  get: throwing, has: throwing, ownKeys: throwing, getPrototypeOf: throwing,
  getOwnPropertyDescriptor: throwing, apply: throwing, construct: throwing,
};
const revoked = () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; };
const detached = () => { const b = new ArrayBuffer(16); const view = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return view; };
const shared = (text) => { const s = new SharedArrayBuffer(text.length); new Uint8Array(s).set(utf8(text)); return new Uint8Array(s); };
function* generator() { yield 'a'; }

// [label, make()]: make() gives a fresh value (some are consumed: detached, iterators).
const HOSTILE = [
  // wrong types
  ['undefined', () => undefined],
  ['null', () => null],
  ['0', () => 0],
  ['-1', () => -1],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['1.5', () => 1.5],
  ['2**53', () => 2 ** 53],
  ['1e21', () => 1e21],
  ['-0', () => -0],
  ['0n', () => 0n],
  ['huge BigInt', () => 2n ** 200n],
  ['true', () => true],
  ['false', () => false],
  ['Symbol()', () => Symbol('hostile')],
  ['Symbol.iterator', () => Symbol.iterator],
  ['a function', () => function hostile() { return 'a=1'; }],
  ['an arrow returning a string', () => () => WEBHOOK_BODY],
  ['a class', () => class Hostile {}],
  ['[]', () => []],
  ["['a=1']", () => ['a=1']],
  ['[1, 2, 3]', () => [1, 2, 3]],
  ['a sparse array', () => [, 'a']], // eslint-disable-line no-sparse-arrays
  ['an array of 100k strings', () => new Array(100_000).fill('x')],
  ['{}', () => ({})],
  ['{ a: 1 }', () => ({ a: 1 })],
  ['{ a: undefined }', () => ({ a: undefined })],
  ['{ a: {} }', () => ({ a: {} })],
  ['{ a: null }', () => ({ a: null })],
  ['{ a: 1n }', () => ({ a: 1n })],
  ['{ a: Symbol() }', () => ({ a: Symbol('v') })],
  ['{ [Symbol()]: "x" }', () => ({ [Symbol('k')]: 'x' })],
  ['{ "": "x" }', () => ({ '': 'x' })],
  ['{ "\\uD800": "x" }', () => ({ '\uD800': 'x' })],
  ['{ a: "\\uDC00" }', () => ({ a: '\uDC00' })],
  ['{ a: 10 MB }', () => ({ a: TEN_MB_ASCII })],
  ['{ __proto__ own key }', () => JSON.parse('{"__proto__":"x","a":"1"}')],
  ['{ constructor: "x" }', () => ({ constructor: 'x' })],
  ['Object.create(null)', () => Object.create(null)],
  ['Object.create(null) with a field', () => Object.assign(Object.create(null), { a: '1' })],
  ['a frozen object', () => Object.freeze({ a: '1' })],
  ['a sealed empty object', () => Object.seal({})],
  ['an object with 10k keys', () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v']))],
  ['a Date', () => new Date(0)],
  ['a RegExp', () => /a=1/],
  ['a Map', () => new Map([['a', '1']])],
  ['a Set', () => new Set(['a'])],
  ['a WeakMap', () => new WeakMap()],
  ['a URL object', () => new URL('https://ats.example/cb')],
  ['URLSearchParams', () => new URLSearchParams('a=1')],
  ['new String(valid-looking)', () => new String(WEBHOOK_BODY)], // eslint-disable-line no-new-wrappers
  ['new Number(1)', () => new Number(1)], // eslint-disable-line no-new-wrappers
  ['new Boolean(true)', () => new Boolean(true)], // eslint-disable-line no-new-wrappers
  ['a Promise', () => Promise.resolve(WEBHOOK_BODY)],
  ['an Error', () => new Error('x')],
  ['a generator', () => generator()],
  ['arguments', function () { return (function () { return arguments; })('a', 'b'); }],
  ['toString() that lies', () => ({ toString: () => WEBHOOK_BODY })],
  ['valueOf() that lies', () => ({ valueOf: () => SALT, toString: () => SALT })],
  ['toString() that throws', () => ({ toString: throwing, valueOf: throwing })],
  ['Symbol.toPrimitive that lies', () => ({ [Symbol.toPrimitive]: () => 'https://ats.example/cb' })],
  ['Symbol.toPrimitive that throws', () => ({ [Symbol.toPrimitive]: throwing })],
  ['an object whose getters throw', () => Object.defineProperties({}, {
    a: { get: throwing, enumerable: true }, apiKey: { get: throwing, enumerable: true },
    token: { get: throwing, enumerable: true }, projectId: { get: throwing, enumerable: true },
    now: { get: throwing, enumerable: true }, ignoreKeys: { get: throwing, enumerable: true },
    amount: { get: throwing, enumerable: true },
  })],
  ['a Proxy whose every trap throws', () => new Proxy({}, throwingTraps)],
  ['a Proxy of a valid object whose get throws', () => new Proxy({ amount: '1', currency: 'SGD', apiKey: 'k', token: 't' }, { get: throwing })],
  ['a Proxy whose ownKeys lie', () => new Proxy({}, { ownKeys: () => ['a', 'b'], getOwnPropertyDescriptor: () => ({ value: 'v', enumerable: true, configurable: true }) })],
  ['a revoked Proxy', revoked],
  ['a Proxy of a Uint8Array', () => new Proxy(utf8(WEBHOOK_BODY), {})],
  ['a Proxy of a Uint8Array whose get throws', () => new Proxy(new Uint8Array(8), { get: throwing })],
  ['an object with Uint8Array.prototype', () => Object.create(Uint8Array.prototype)],
  ['an object with ArrayBuffer.prototype', () => Object.create(ArrayBuffer.prototype)],
  ['an object with String.prototype', () => Object.create(String.prototype)],
  ['a Uint16Array', () => new Uint16Array([0x3d61, 0x0031])],
  ['an Int8Array', () => new Int8Array([97, 61, 49])],
  ['a Uint8ClampedArray', () => new Uint8ClampedArray([97, 61, 49])],
  ['a Float64Array', () => new Float64Array(2)],
  ['a BigInt64Array', () => new BigInt64Array(2)],
  ['a DataView', () => new DataView(new ArrayBuffer(4))],
  ['a SharedArrayBuffer', () => new SharedArrayBuffer(8)],
  ['a WeakRef', () => new WeakRef({})],
  ['globalThis', () => globalThis],
  // strings
  ["''", () => ''],
  ["' '", () => ' '],
  ['NUL', () => '\0'],
  ['a lone high surrogate', () => '\uD800'],
  ['a lone low surrogate inside text', () => 'a=\uDC00&b=1'],
  ['reversed surrogates', () => '\uDC00\uD800'],
  ['a valid surrogate pair', () => '\uD83D\uDE00'],
  ['U+FFFE, U+FFFF', () => '\uFFFE\uFFFF'],
  ['RTL override', () => '\u202Eevil'],
  ['CRLF', () => 'a\r\nb'],
  ['tabs and NULs', () => '\t\0\t'],
  ['%', () => '%'],
  ['%zz', () => 'a=%zz'],
  ['%FF (not UTF-8)', () => 'a=%FF'],
  ['%C3 (cut UTF-8)', () => 'a=%C3'],
  ['%00', () => 'a=%00'],
  ['&&&', () => '&&&'],
  ['=x', () => '=x'],
  ['hmac=', () => 'hmac='],
  ['a form with 64 zeros as hmac', () => `${new URLSearchParams(WEBHOOK_FIELDS)}&hmac=${'0'.repeat(64)}`],
  ['the valid body with a field added', () => `${WEBHOOK_BODY}&x=1`],
  ['the valid body with a key twice', () => `${WEBHOOK_BODY}&amount=25.00`],
  ['the valid body, hmac in uppercase plus one char', () => `${WEBHOOK_BODY.toUpperCase()}0`],
  ['the valid signature', () => WEBHOOK_HMAC],
  ['the valid event signature with sha1=', () => `sha1=${EVENT_SIG}`],
  ['a fragment URL', () => 'https://ats.example/cb#frag'],
  ['an http URL', () => 'http://evil.example/cb'],
  ['a protocol-relative URL', () => '//evil.example/cb'],
  ['javascript:', () => 'javascript:alert(1)'],
  ['a URL with userinfo', () => 'https://u:p@ats.example/cb'],
  ['a URL with a reserved key', () => 'https://ats.example/cb?amount=1&%61mount=2'],
  ['a data: URL', () => 'data:text/plain,hello'],
  ['a path with ..', () => '/psp/../admin'],
  ['an absolute PayEx URL', () => `https://evil.example${PAYEX_PATH}`],
  ['a URL of 9000 characters', () => `https://ats.example/cb?${'a'.repeat(9000)}`],
  ['a URL of 8192 characters', () => `https://ats.example/cb?q=${'a'.repeat(8192 - 28)}`],
  ['a signed URL with sig twice', () => `${CB_SIGNED}&sig=${CB_SIG}`],
  ['a signed URL changed', () => CB_SIGNED.replace('o1', 'o2')],
  ['JSON with a key twice', () => '{"event_id":"a","event_id":"b"}'],
  ['JSON with a BOM', () => '\uFEFF{"event_id":"ev_1"}'],
  ['JSON null', () => 'null'],
  ['JSON 1e400', () => '{"event_id":"ev_1","n":1e400}'],
  ['JSON with a lone surrogate escape', () => '{"event_id":"\\ud800"}'],
  ['JSON nested 100k deep', () => '['.repeat(100_000)],
  ['JSON objects nested 50k deep', () => '{"a":'.repeat(50_000)],
  ['Basic with nothing', () => 'Basic'],
  ['Basic with bad base64', () => 'Basic !!!!'],
  ['Basic without padding', () => `Basic ${utf8(`${USER}:${PASS}`).toString('base64').replace(/=+$/, '')}`],
  ['Basic with a tab', () => `Basic\t${utf8(`${USER}:${PASS}`).toString('base64')}`],
  ['Basic of other credentials', () => `Basic ${utf8(`${USER}:${PASS}x`).toString('base64')}`],
  ['Bearer', () => `Bearer ${PASS}`],
  ["'é' x 40000 (80 KB of UTF-8)", () => 'é'.repeat(40_000)],
  ['64 KiB + 1', () => 'a'.repeat(64 * 1024 + 1)],
  ['1 MiB + 1', () => 'a'.repeat(MB + 1)],
  ['10 MB of ASCII', () => TEN_MB_ASCII],
  ['10 MB of form pairs', () => TEN_MB_FORM],
  ['10 MB of emoji', () => TEN_MB_EMOJI],
  // bytes
  ['an empty Uint8Array', () => new Uint8Array(0)],
  ['bytes that are not UTF-8', () => new Uint8Array([0x61, 0x3d, 0xff, 0xfe])],
  ['bytes with a BOM', () => new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])],
  ['a Buffer of the valid body with a byte changed', () => { const b = utf8(WEBHOOK_BODY); b[0] ^= 1; return b; }],
  ['a subarray at an offset', () => utf8(`&&&${WEBHOOK_BODY}x`).subarray(1)],
  ['a detached buffer view', detached],
  ['a SharedArrayBuffer view of a JSON object', () => shared('{"event_id":"ev_2"}')],
  ['an ArrayBuffer of 2 MB', () => new ArrayBuffer(2 * MB)],
  ['10 MB of bytes', () => new Uint8Array(10 * MB).fill(0x61)],
  ['64 KiB + 1 of bytes', () => new Uint8Array(64 * 1024 + 1).fill(0x61)],
];

// ------------------------------------------------------------------ checking one call

const plainProto = (v) => {
  try {
    const p = v !== null && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    return p === Object.prototype || p === null;
  } catch {
    return false;
  }
};
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const isRealBytes = (v) => {
  try {
    if (ArrayBuffer.isView(v)) return v instanceof Uint8Array && v.constructor !== undefined;
    abByteLength.call(v); // throws unless v is a real ArrayBuffer (not one made with its prototype)
    return true;
  } catch {
    return false;
  }
};

/** Why a returned value is wrong for `kind`, or '' when returning was acceptable. */
function wrongReturn(spec, kind, value, result) {
  if (kind === 'header') return result === false ? '' : `returned ${String(result)} for a header that is not the credentials`;
  if (kind === 'field') return spec.accepts(value) ? '' : 'returned for a value it must refuse';
  if (spec.diagnoses) {
    if (result === null || typeof result !== 'object' || typeof result.valid !== 'boolean') return 'returned no diagnosis';
    return result.valid ? 'diagnosed a hostile value as valid' : '';
  }
  if (spec.verifies && kind !== 'options') return `accepted it: ${JSON.stringify(result)?.slice(0, 80)}`;
  // A parser may accept a hostile value that happens to be a valid body (a JSON object
  // in a SharedArrayBuffer, a number out of double range): only real strings and bytes.
  if (kind === 'body') return typeof value === 'string' || isRealBytes(value) ? '' : `returned for a ${typeof value} that is not a body`;
  if (kind === 'string' || kind === 'secret') return typeof value === 'string' ? '' : `returned for a ${typeof value}`;
  if (kind === 'object' || kind === 'options') {
    if (kind === 'options' && (value === undefined || value === null)) return '';
    return plainProto(value) ? '' : 'returned for an argument that is not a plain object';
  }
  return '';
}

/** Checks a thrown value: a PayhookError with a contract code that shows no secret. */
function wrongThrow(e) {
  if (!(e instanceof PayhookError)) return `threw ${e?.constructor?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 120)}`;
  if (e.name !== 'PayhookError') return `name ${e.name}`;
  if (!CODES.has(e.code)) return `code ${e.code} is not in the contract`;
  if (typeof e.message !== 'string' || e.message === '') return 'no message';
  const shown = `${e.message} ${e.field ?? ''}`;
  for (const s of FORBIDDEN) if (shown.includes(s)) return `shows a secret or signature: ${shown.slice(0, 120)}`;
  return '';
}

let calls = 0;
const messages = [];

/** Calls spec with `value` at position `index`; returns a finding or ''. */
function tryOne(spec, index, value) {
  const args = [...spec.args];
  args[index] = value;
  const kind = spec.kinds[index];
  calls += 1;
  const started = performance.now();
  let finding = '';
  try {
    const result = spec.call(args);
    finding = wrongReturn(spec, kind, value, result);
  } catch (e) {
    finding = kind === 'header' ? `threw ${e?.constructor?.name}: ${e?.message}` : wrongThrow(e);
    // diagnoseHitpayWebhook "throws only for arguments of the wrong type" (index.d.ts).
    if (spec.diagnoses && (typeof value === 'string' || (kind === 'body' && isRealBytes(value)))) {
      finding ||= `threw ${e?.code ?? e?.constructor?.name} for a ${typeof value === 'string' ? 'string' : 'byte array'} instead of returning a diagnosis`;
    }
    if (e instanceof PayhookError) messages.push(`${e.message} ${e.field ?? ''}`);
  }
  const ms = performance.now() - started;
  if (ms > 3000) finding ||= `took ${Math.round(ms)} ms`;
  // The module stays usable.
  try {
    spec.ok(spec.call(spec.args));
  } catch (e) {
    finding ||= `a valid call afterwards failed: ${e?.constructor?.name}: ${e?.message}`;
  }
  return finding;
}

// ------------------------------------------------------------------ the tests

describe('every export, every argument, every hostile value', () => {
  before(() => {
    for (const spec of FUNCTIONS) spec.ok(spec.call(spec.args));
  });

  for (const spec of FUNCTIONS) {
    it(`${spec.name}: a PayhookError or the documented result, and still usable`, { timeout: 120_000 }, () => {
      const findings = [];
      for (let index = 0; index < spec.args.length; index += 1) {
        for (const [label, make] of HOSTILE) {
          const finding = tryOne(spec, index, make());
          if (finding) findings.push(`argument ${index + 1} = ${label}: ${finding}`);
        }
      }
      assert.deepEqual(findings, [], `${spec.name}:\n  ${findings.join('\n  ')}`);
    });
  }

  it('setHapiSuccessCallbackUrl rejects every hostile base or params with a PayhookError', { timeout: 60_000 }, async () => {
    const findings = [];
    globalThis.window = { hapi: { wallet: { state: {} } } };
    try {
      assert.equal(await payhook.setHapiSuccessCallbackUrl('https://ats.example/cb', { job: '42' }), 'https://ats.example/cb?job=42');
      for (const [index, kind] of [[0, 'string'], [1, 'options']]) {
        for (const [label, make] of HOSTILE) {
          const args = ['https://ats.example/cb', { job: '42' }];
          args[index] = make();
          calls += 1;
          let promise;
          try {
            promise = payhook.setHapiSuccessCallbackUrl(...args);
          } catch (e) {
            findings.push(`argument ${index + 1} = ${label}: threw synchronously ${e?.constructor?.name}: ${e?.message}`);
            continue;
          }
          if (!(promise instanceof Promise)) {
            findings.push(`argument ${index + 1} = ${label}: returned no Promise`);
            continue;
          }
          try {
            const url = await promise;
            const why = wrongReturn({}, kind, args[index], url);
            if (why) findings.push(`argument ${index + 1} = ${label}: ${why}`);
          } catch (e) {
            const why = wrongThrow(e);
            if (why) findings.push(`argument ${index + 1} = ${label}: rejected: ${why}`);
          }
        }
      }
    } finally {
      delete globalThis.window;
    }
    assert.deepEqual(findings, [], `setHapiSuccessCallbackUrl:\n  ${findings.join('\n  ')}`);
  });

  it('drove at least 300 hostile inputs per run, and no message showed a secret', (t) => {
    t.diagnostic(`${calls} hostile calls (${HOSTILE.length} values x ${FUNCTIONS.length + 1} functions and fields), ${messages.length} error messages scanned`);
    assert.ok(calls >= 300, `${calls} calls`);
    assert.ok(HOSTILE.length >= 140, `${HOSTILE.length} hostile values`);
    for (const m of messages) for (const s of FORBIDDEN) assert.ok(!m.includes(s), m);
  });
});

// ------------------------------------------------------------------ findings, one by one

// Each of these reproduces one finding of the run above with its exact input, so the fix
// can be checked on its own. (Expected: a PayhookError with the code given.)
describe('findings: hostile objects reach the glue code', () => {
  const expectCode = (f, code) => {
    let thrown;
    try {
      f();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof PayhookError, `threw ${thrown?.constructor?.name}: ${thrown?.message}`);
    assert.equal(thrown.code, code);
  };

  it('a Proxy of a Uint8Array, or an object with Uint8Array/ArrayBuffer.prototype, as a body is MALFORMED_BODY', () => {
    const fakes = [
      () => new Proxy(utf8(WEBHOOK_BODY), {}),
      () => Object.create(Uint8Array.prototype),
      () => Object.create(ArrayBuffer.prototype),
    ];
    for (const fake of fakes) {
      expectCode(() => payhook.verifyHitpayWebhook(fake(), SALT), 'MALFORMED_BODY');
      expectCode(() => verifier.verify(fake()), 'MALFORMED_BODY');
      expectCode(() => payhook.verifyHitpayEvent(fake(), EVENT_SIG, SALT), 'MALFORMED_BODY');
      expectCode(() => payhook.parseSmartRouterWebhook(fake()), 'MALFORMED_BODY');
      expectCode(() => payhook.parsePayexCallback(fake()), 'MALFORMED_BODY');
      expectCode(() => payhook.diagnoseHitpayWebhook(fake(), SALT), 'MALFORMED_BODY');
    }
  });

  it('a getter or Proxy trap that throws in params, fields or options is INVALID_FIELD', () => {
    const throwingObject = () => Object.defineProperty({}, 'a', { get: throwing, enumerable: true });
    expectCode(() => payhook.signHitpayWebhook(throwingObject(), SALT), 'INVALID_FIELD');
    expectCode(() => payhook.buildHapiCallbackUrl('https://ats.example/cb', throwingObject()), 'INVALID_FIELD');
    expectCode(() => payhook.buildHapiCallbackUrl('https://ats.example/cb', new Proxy({}, { ownKeys: throwing })), 'INVALID_FIELD');
    expectCode(() => payhook.buildHitpayPaymentRequest({ amount: '1.00', currency: 'SGD' }, { get apiKey() { return throwing(); } }), 'INVALID_FIELD');
    expectCode(() => payhook.buildSmartRouterEventRequest('ev_1', { get projectId() { return throwing(); } }), 'INVALID_FIELD');
    expectCode(() => payhook.buildPayexRequest(PAYEX_PATH, new Proxy({}, { get: throwing, getOwnPropertyDescriptor: throwing })), 'INVALID_FIELD');
    expectCode(() => payhook.verifyCallbackUrl(CB_SIGNED, SECRET, { get now() { return throwing(); } }), 'INVALID_FIELD');
    expectCode(() => payhook.signCallbackUrl(CB_URL, SECRET, { get expiresAt() { return throwing(); } }), 'INVALID_FIELD');
  });

  it('a revoked Proxy as params or options is INVALID_FIELD', () => {
    expectCode(() => payhook.buildHapiCallbackUrl('https://ats.example/cb', revoked()), 'INVALID_FIELD');
    expectCode(() => payhook.signHitpayWebhook(revoked(), SALT), 'INVALID_FIELD');
    expectCode(() => payhook.verifyCallbackUrl(CB_SIGNED, SECRET, revoked()), 'INVALID_FIELD');
    expectCode(() => payhook.buildPayexRequest(PAYEX_PATH, revoked()), 'INVALID_FIELD');
  });

  it('a sparse ignoreKeys array is INVALID_FIELD (not the glue\'s "array contains a value of the wrong type")', () => {
    expectCode(() => payhook.verifyCallbackUrl(CB_SIGNED, SECRET, { ignoreKeys: [, 'amount'] }), 'INVALID_FIELD'); // eslint-disable-line no-sparse-arrays
    expectCode(() => payhook.signCallbackUrl(CB_URL, SECRET, { ignoreKeys: ['amount', , 'walletId'] }), 'INVALID_FIELD'); // eslint-disable-line no-sparse-arrays
  });

  it('diagnoseHitpayWebhook returns a diagnosis for a string with a lone surrogate (it throws only for wrong types)', () => {
    for (const [body, salt] of [['a=\uDC00&hmac=00', SALT], [WEBHOOK_BODY, 'salt\uD800']]) {
      let d;
      assert.doesNotThrow(() => { d = payhook.diagnoseHitpayWebhook(body, salt); });
      assert.equal(d.valid, false);
      assert.ok(CODES.has(d.error?.code), JSON.stringify(d.error));
    }
  });

  it('buildHapiCallbackUrl with 50,000 params answers INVALID_URL within a second (no quadratic scan)', () => {
    const params = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, '']));
    const started = performance.now();
    expectCode(() => payhook.buildHapiCallbackUrl('https://ats.example/cb', params), 'INVALID_URL');
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `took ${Math.round(ms)} ms`);
  });

  it('a paymentMethods array whose iterator throws is read by index, never through its iterator', () => {
    const methods = ['card'];
    methods[Symbol.iterator] = function* () { throw new Error('hostile iterator'); };
    const req = payhook.buildHitpayPaymentRequest({ amount: '1.00', currency: 'SGD', paymentMethods: methods }, { apiKey: API_KEY });
    assert.equal(new URLSearchParams(req.body).getAll('payment_methods[]').join(','), 'card');
  });
});

// ------------------------------------------------------------------ memory

describe('wasm memory over 1,000 oversized calls', () => {
  let memory;
  before(() => {
    memory = initSync().memory;
    assert.ok(memory instanceof WebAssembly.Memory, 'the wasm memory of the imported package');
  });

  const OVER = {
    form: 'a'.repeat(64 * 1024 + 1),
    formBytes: new Uint8Array(64 * 1024 + 1).fill(0x61),
    event: 'a'.repeat(MB + 1),
    eventBytes: new Uint8Array(MB + 1).fill(0x61),
    url: `https://ats.example/cb?${'a'.repeat(8 * 1024)}`,
    huge: TEN_MB_ASCII,
  };
  const REFUSED = [
    ['verifyHitpayWebhook(string)', () => payhook.verifyHitpayWebhook(OVER.form, SALT)],
    ['verifyHitpayWebhook(bytes)', () => payhook.verifyHitpayWebhook(OVER.formBytes, SALT)],
    ['verifyHitpayWebhook(10 MB)', () => payhook.verifyHitpayWebhook(OVER.huge, SALT)],
    ['HitpayVerifier#verify', () => verifier.verify(OVER.huge)],
    ['verifyHitpayEvent(string)', () => payhook.verifyHitpayEvent(OVER.event, EVENT_SIG, SALT)],
    ['verifyHitpayEvent(bytes)', () => payhook.verifyHitpayEvent(OVER.eventBytes, EVENT_SIG, SALT)],
    ['parseHitpayRedirect', () => payhook.parseHitpayRedirect(OVER.url)],
    ['diagnoseHitpayWebhook', () => { const d = payhook.diagnoseHitpayWebhook(OVER.huge, SALT); if (d.error?.code !== 'PAYLOAD_TOO_LARGE') throw new Error('not refused'); throw new PayhookError('PAYLOAD_TOO_LARGE', 'diagnosed as too large'); }],
    ['buildHapiCallbackUrl', () => payhook.buildHapiCallbackUrl(OVER.url)],
    ['parseHapiCallback', () => payhook.parseHapiCallback(OVER.url)],
    ['signCallbackUrl', () => payhook.signCallbackUrl(OVER.url, SECRET)],
    ['verifyCallbackUrl', () => payhook.verifyCallbackUrl(OVER.url, SECRET)],
    ['parseSmartRouterWebhook', () => payhook.parseSmartRouterWebhook(OVER.form)],
    ['parsePayexCallback', () => payhook.parsePayexCallback(OVER.formBytes)],
    ['buildBasicAuthWebhookUrl', () => payhook.buildBasicAuthWebhookUrl(OVER.url, USER, PASS)],
  ];

  it('inputs over a limit are refused before they are copied: the memory does not grow', { timeout: 120_000 }, () => {
    for (const [, call] of REFUSED) assert.throws(call, PayhookError); // warm up
    const before = memory.buffer.byteLength;
    for (const [name, call] of REFUSED) {
      for (let i = 0; i < 1000; i += 1) {
        try {
          call();
          assert.fail(`${name}: accepted an oversized input`);
        } catch (e) {
          if (!(e instanceof PayhookError)) throw e;
          assert.equal(e.code === 'PAYLOAD_TOO_LARGE' || e.code === 'INVALID_URL', true, `${name}: ${e.code}`);
        }
      }
      assert.equal(memory.buffer.byteLength, before, `${name}: the memory grew over 1,000 oversized calls`);
    }
  });

  it('valid calls of every size, in any order, reuse what they free: the memory stops growing after one pass', { timeout: 120_000 }, () => {
    // The wasm allocator (lol_alloc's free list, bindings/src/lib.rs) reuses freed blocks; one
    // pass over every call shape reaches the peak, and any order of the same calls
    // after that takes no new memory.
    const webhook = (n) => {
      const fields = { amount: '1.00', note: 'é'.repeat(n), status: 'completed' };
      const canonical = Object.keys(fields).sort().map((k) => k + fields[k]).join('');
      return { fields, body: `${new URLSearchParams(fields)}&hmac=${hmac(SALT, utf8(canonical)).toString('hex')}` };
    };
    const CALLS = [];
    for (const n of [0, 3, 40, 500, 4000, 10_000]) {
      const { fields, body } = webhook(n);
      CALLS.push(
        () => assert.equal(verifier.verify(body).fields.note, fields.note),
        () => assert.equal(payhook.verifyHitpayWebhook(utf8(body), SALT).fields.note, fields.note),
        () => assert.equal(payhook.diagnoseHitpayWebhook(body, SALT).valid, true),
        () => assert.match(payhook.signHitpayWebhook(fields, SALT), /^[0-9a-f]{64}$/),
      );
    }
    for (const n of [0, 10, 100, 1000]) {
      const params = { order: 'x'.repeat(n) };
      CALLS.push(
        () => assert.match(payhook.buildHapiCallbackUrl('https://ats.example/cb', params), /^https:/),
        () => assert.equal(payhook.verifyCallbackUrl(payhook.signCallbackUrl(`https://ats.example/cb?o=${'y'.repeat(n)}`, SECRET), SECRET).o.length, n),
      );
    }
    CALLS.push(() => assert.equal(payhook.parsePayexCallback(PAYEX_BODY).paymentNumber, 123456));
    for (const call of CALLS) call(); // warm up: every shape once
    const before = memory.buffer.byteLength;
    let seed = 12345; // a fixed pseudo-random order (LCG), so a failure replays
    for (let i = 0; i < 5000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      CALLS[seed % CALLS.length]();
    }
    assert.equal(memory.buffer.byteLength, before, `grew from ${before} to ${memory.buffer.byteLength} bytes`);
  });

  it('100,000 hostile calls of every shape, in any order, keep the memory bounded', { timeout: 120_000 }, () => {
    // Refused and failing calls of many sizes (bad encodings, duplicates, wrong
    // signatures, reserved keys, malformed JSON, bad lists), after one pass over
    // each: the allocator reuses what they free, so 100,000 more take at most a
    // few pages (fragmentation), never memory in proportion to the calls.
    const pad = (n) => 'x'.repeat(n);
    const HOSTILE = [];
    for (const n of [0, 7, 100, 1000, 20_000, 60_000]) {
      HOSTILE.push(
        () => payhook.verifyHitpayWebhook(`a=${pad(n)}&a=1&hmac=${WEBHOOK_HMAC}`, SALT),
        () => payhook.verifyHitpayWebhook(`a=%zz${pad(n)}&hmac=${WEBHOOK_HMAC}`, SALT),
        () => verifier.verify(`a=${pad(n)}&hmac=${WEBHOOK_HMAC}`),
        () => payhook.verifyHitpayEvent(`{"a":"${pad(n)}","a":1}`, EVENT_SIG, SALT),
        () => payhook.parsePayexCallback(`{"payment":"${pad(n)}"}`),
        () => payhook.parseSmartRouterWebhook(`{"event_id":"${pad(Math.min(n, 60_000))}!"}`),
        () => payhook.diagnoseHitpayWebhook(`b=${pad(n)}&a=1&hmac=${WEBHOOK_HMAC}`, SALT),
      );
    }
    for (const n of [0, 10, 500, 1500]) {
      HOSTILE.push(
        () => payhook.buildHapiCallbackUrl('https://ats.example/cb', { [` amount${pad(n % 40)}`]: pad(n), Amount: '1' }),
        () => payhook.parseHapiCallback(`/cb?amount=1&amount=2&walletId=${pad(n)}`),
        () => payhook.verifyCallbackUrl(`https://ats.example/cb?o=${pad(n)}&sig=${'A'.repeat(43)}`, SECRET, { ignoreKeys: [pad(n), 'amount'] }),
        () => payhook.signCallbackUrl(`https://ats.example/cb?sig=${pad(n)}`, SECRET),
      );
    }
    const run = (call) => {
      try {
        call();
      } catch (e) {
        if (!(e instanceof PayhookError)) throw e;
      }
    };
    for (const call of HOSTILE) run(call); // warm up: every shape once
    const before = memory.buffer.byteLength;
    let seed = 424242;
    for (let i = 0; i < 100_000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      run(HOSTILE[seed % HOSTILE.length]);
    }
    const grown = memory.buffer.byteLength - before;
    assert.ok(grown <= 4 * 65536, `grew by ${grown} bytes over 100,000 hostile calls`);
  });

  it('large inputs without a limit (secrets, params, headers) do not leak: the memory stops growing', { timeout: 120_000 }, () => {
    const big = 'x'.repeat(MB);
    const LARGE = [
      ['a 1 MB salt', () => payhook.verifyHitpayWebhook(WEBHOOK_BODY, big)],
      ['a 1 MB signature', () => payhook.verifyHitpayEvent(EVENT_BODY, big, SALT)],
      ['a 1 MB header', () => payhook.checkBasicAuth(big, USER, PASS)],
      ['a 1 MB param', () => payhook.buildHapiCallbackUrl('https://ats.example/cb', { k: big })],
      ['a 1 MB field', () => payhook.signHitpayWebhook({ k: big }, SALT)],
      ['a 1 MB secret', () => payhook.signCallbackUrl(CB_URL, big)],
    ];
    for (const [, call] of LARGE) for (let i = 0; i < 10; i += 1) { try { call(); } catch { /* refused or not */ } }
    const before = memory.buffer.byteLength;
    for (const [, call] of LARGE) for (let i = 0; i < 200; i += 1) { try { call(); } catch { /* refused or not */ } }
    assert.equal(memory.buffer.byteLength, before, `grew from ${before} to ${memory.buffer.byteLength} bytes`);
    assert.ok(before < 64 * MB, `${before} bytes of wasm memory`);
  });
});

after(() => {
  // A last valid call on every function: the instance survived everything above.
  for (const spec of FUNCTIONS) spec.ok(spec.call(spec.args));
});
