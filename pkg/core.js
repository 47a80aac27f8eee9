// The JavaScript face of payhook, shared by every entry of `payhook` (node.js,
// workerd.js, browser.js). Most functions are generated from the bindings
// crate's schema (gen/api.js: argument checks, the call, the decoding); this file
// writes the HitPay functions that do more around their call (a keyed salt, a
// diagnosis that reports bad arguments, JSON parsing, typed parameters), each
// over its generated `<name>$call`, and setHapiSuccessCallbackUrl (hapi-api.js).
import * as raw from './gen/payhook_core.js';
import * as api from './gen/api.js';
import {
  LIMITS, body, fail, flag, isBytes, isWellFormed, item, optionsOf, parseJson, plainObject, record, secret, start, text, textList, toBytes,
} from './common.js';
import * as hapi from './hapi-api.js';

export { PayhookError } from './common.js';
export { ERROR_CODES, LIMITS } from './gen/constants.js';
export {
  parseHitpayRedirect, buildHapiCallbackUrl, parseHapiCallback, signCallbackUrl, verifyCallbackUrl,
  parseSmartRouterWebhook, checkBasicAuth, buildBasicAuthWebhookUrl, buildSmartRouterEventRequest,
  parsePayexCallback, buildPayexRequest, parseHitpayPaymentRequestResponse, parseSmartRouterWebhookUrl,
} from './gen/api.js';
export {
  verifyHitpayRequest, verifyHitpayEventRequest, parseSmartRouterRequest, parsePayexRequest, parseHapiRequest,
} from './fetch.js';

// ---------------------------------------------------------------- HitPay

/** `options.strict` of the webhook verifiers: `false` when left out, else a boolean. */
function strictOption(options) {
  const { strict } = optionsOf(options, ['strict']);
  return strict === undefined ? false : flag(strict, 'strict');
}

/** Verifies a form-encoded HitPay webhook body (the `hmac` field) with the salt. */
export function verifyHitpayWebhook(webhookBody, salt, options) {
  const b = body(webhookBody, LIMITS.FORM_BODY, 'the webhook body');
  const s = secret(salt, 'salt');
  const strict = strictOption(options);
  // A server verifies with one salt: the keyed salt of the last call is kept.
  if (s !== lastSalt || lastKeyed === undefined) {
    // An empty salt (no key): the core reports the size or INVALID_SECRET, in that order.
    if (s === '') return api.verifyHitpayWebhook$call(toBytes(b), s, strict);
    lastKeyed?.free();
    lastKeyed = undefined;
    lastKeyed = raw.hitpay_salt(s);
    lastSalt = s;
  }
  start(strict ? lastKeyed.verify_strict(toBytes(b)) : lastKeyed.verify(toBytes(b)));
  return api.readHitpayWebhook();
}
let lastSalt;
let lastKeyed;

/**
 * A verifier keyed once with the salt, for hot paths: `new HitpayVerifier(salt, options).verify(body)`
 * returns what `verifyHitpayWebhook(body, salt, options)` returns.
 */
export class HitpayVerifier {
  #salt;
  #strict;
  constructor(salt, options) {
    const s = secret(salt, 'salt');
    this.#strict = strictOption(options);
    // An empty salt has no key: its error is the one the unkeyed verification reports.
    this.#salt = raw.hitpay_salt(s) ?? api.verifyHitpayWebhook$call(new Uint8Array(0), s, this.#strict);
  }

  verify(webhookBody) {
    if (this.#salt === undefined) freed();
    const b = body(webhookBody, LIMITS.FORM_BODY, 'the webhook body');
    start(this.#strict ? this.#salt.verify_strict(toBytes(b)) : this.#salt.verify(toBytes(b)));
    return api.readHitpayWebhook();
  }

  /**
   * Releases the keyed salt's wasm memory now (the garbage collector would, some
   * time later). Calling it again does nothing; `verify` afterwards throws.
   */
  free() {
    const keyed = this.#salt;
    this.#salt = undefined;
    keyed?.free();
  }
}
// `using verifier = new HitpayVerifier(salt)` frees it at the end of the block.
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(HitpayVerifier.prototype, Symbol.dispose, {
    value() { this.free(); }, writable: true, configurable: true,
  });
}

function freed() {
  fail('INVALID_FIELD', 'this HitpayVerifier has been freed (free() or the end of a `using` block); create a new one', 'verifier');
}

/** The lowercase hex `hmac` of a plain object of string fields (`hmac` itself left out). */
export function signHitpayWebhook(fields, salt) {
  const f = plainObject(fields, 'fields');
  const s = secret(salt, 'salt');
  let list = '';
  let total = 0;
  for (const [k, v] of Object.entries(f)) {
    total += k.length + (typeof v === 'string' ? v.length : 0);
    if (total > LIMITS.FORM_BODY) fail('PAYLOAD_TOO_LARGE', `the fields are larger than the limit of ${LIMITS.FORM_BODY} bytes of a webhook body`, 'fields');
    text(v, k);
    if (!isWellFormed(k)) fail('INVALID_FIELD', 'a field name contains a lone UTF-16 surrogate', k);
    list += item(k) + item(v);
  }
  return api.signHitpayWebhook$call(list, s);
}

const decoder = new TextDecoder();

/** Verifies a HitPay event webhook (JSON body, `Hitpay-Signature` header) and returns the parsed object. */
export function verifyHitpayEvent(eventBody, signature, salt) {
  const b = body(eventBody, LIMITS.EVENT_BODY, 'the event body');
  if (signature === null || signature === undefined) {
    fail('MISSING_SIGNATURE', 'no Hitpay-Signature was given; pass the header value', 'Hitpay-Signature');
  }
  const sig = text(signature, 'Hitpay-Signature');
  const s = secret(salt, 'salt');
  api.verifyHitpayEvent$call(toBytes(b), sig, s);
  // The core has checked: valid UTF-8, no BOM, one JSON object, no duplicate keys.
  return parseJson(isBytes(b) ? decoder.decode(b) : b);
}

const PARAMS = {
  amount: 'string', currency: 'string', paymentMethods: 'array', email: 'string',
  name: 'string', phone: 'string', purpose: 'string', referenceNumber: 'string',
  redirectUrl: 'string', webhook: 'string', allowRepeatedPayments: 'boolean',
  expiryDate: 'string', generateQr: 'boolean', expiresAfter: 'string', addAdminFee: 'boolean',
  sendEmail: 'boolean', sendSms: 'boolean', wifiTerminalId: 'string', staffId: 'string',
  locationId: 'string', channel: 'string', address: 'address',
};
const ADDRESS = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'];

/** `{ apiKey, sandbox? }` of the HitPay API calls: the key checked, `sandbox` a boolean. */
function hitpayApiOptions(opts) {
  if (opts === undefined || opts === null) fail('INVALID_SECRET', 'options.apiKey is missing; pass your HitPay API key', 'apiKey');
  const o = optionsOf(opts, ['apiKey', 'sandbox']);
  if (o.apiKey === undefined || o.apiKey === null || o.apiKey === '') {
    fail('INVALID_SECRET', 'options.apiKey is missing or empty; pass your HitPay API key', 'apiKey');
  }
  const apiKey = secret(o.apiKey, 'apiKey');
  if (o.sandbox !== undefined && typeof o.sandbox !== 'boolean') {
    fail('INVALID_FIELD', '`sandbox` must be a boolean', 'sandbox');
  }
  return { apiKey, sandbox: o.sandbox === true };
}

/** Validates the parameters and returns a ready `POST /v1/payment-requests` request. */
export function buildHitpayPaymentRequest(params, opts) {
  const p = plainObject(params, 'params');
  const { apiKey, sandbox } = hitpayApiOptions(opts);
  let flat = '';
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    const kind = Object.hasOwn(PARAMS, k) ? PARAMS[k] : undefined;
    if (kind === undefined) fail('INVALID_FIELD', `\`${k.slice(0, 64)}\` is not a payment request parameter`, k);
    if (kind === 'boolean') {
      if (typeof v !== 'boolean') fail('INVALID_FIELD', `\`${k}\` must be a boolean`, k);
      flat += item(k) + item(String(v));
    } else if (kind === 'array') {
      const methods = textList(v, k);
      flat += item('paymentMethods[]') + item('');
      for (const m of methods) flat += item(k) + item(m);
    } else if (kind === 'address') {
      const a = plainObject(v, k);
      flat += item('address') + item('');
      for (const [part, value] of Object.entries(a)) {
        const name = `address.${part.slice(0, 64)}`;
        if (!ADDRESS.includes(part)) fail('INVALID_FIELD', `\`${name}\` is not a part of an address (line1, line2, city, state, postalCode, country)`, name);
        if (value !== undefined) flat += item(name) + item(text(value, name));
      }
    } else {
      flat += item(k) + item(text(v, k));
    }
  }
  return api.buildHitpayPaymentRequest$call(flat, apiKey, sandbox);
}

/** The `GET /v1/payment-requests/{id}` request for a payment request's current state. */
export function buildHitpayPaymentRequestStatusRequest(id, opts) {
  const checkedId = text(id, 'id');
  const { apiKey, sandbox } = hitpayApiOptions(opts);
  return api.buildHitpayPaymentRequestStatusRequest$call(checkedId, apiKey, sandbox);
}

/** Explains why a HitPay form webhook does not verify. Never returns the salt or the expected signature. */
export function diagnoseHitpayWebhook(webhookBody, salt) {
  let b;
  try {
    b = body(webhookBody, LIMITS.FORM_BODY, 'the webhook body');
  } catch (e) {
    // Only a wrong type throws; an oversized body or a string that is not text is a finding.
    if (e.code !== 'PAYLOAD_TOO_LARGE' && !(e.code === 'MALFORMED_BODY' && typeof webhookBody === 'string')) throw e;
    return record({ valid: false, error: record({ code: e.code, message: e.message }), canonical: null, fields: null, hints: [] });
  }
  let s;
  try {
    s = secret(salt, 'salt');
  } catch (e) {
    // A string salt that cannot be used (too long, not text) is a finding too.
    if (typeof salt !== 'string') throw e;
    return record({ valid: false, error: record({ code: e.code, message: e.message, field: 'salt' }), canonical: null, fields: null, hints: [] });
  }
  return api.diagnoseHitpayWebhook$call(toBytes(b), s);
}

// ---------------------------------------------------------------- HAPI Elements

/**
 * Builds the callback URL and sets it on `window.hapi.wallet.state` now, or when
 * HAPI fires `hapi:load:script`. Resolves to the URL set.
 */
export function setHapiSuccessCallbackUrl(base, params) {
  return hapi.setHapiSuccessCallbackUrl(api.buildHapiCallbackUrl, base, params);
}
