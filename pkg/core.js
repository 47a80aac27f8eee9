// The JavaScript face of payhook, shared by every entry of `payhook` (node.js,
// workerd.js, browser.js). It checks argument types, delegates to the wasm core and
// turns its results and errors into plain objects and PayhookError. What does not
// call the glue (PayhookError, argument checks, decoding) is in common.js, and the
// HAPI functions in hapi-api.js: both are shared with `payhook/hapi`.
import * as raw from './gen/payhook_core.js';
import {
  EVENT_LIMIT, FORM_LIMIT, TEXT_LIMIT, URL_LIMIT, apiBase, arrayItems, body, check, coreError, fail,
  getRequest, isBytes, isWellFormed, item, items, keyList, optionsOf, pairsToObject, plainObject,
  secret, text, unixSeconds, whatwg,
} from './common.js';
import * as hapi from './hapi-api.js';

export { PayhookError } from './common.js';

// ---------------------------------------------------------------- HitPay

// Reads the core's "<len>:<key><len>:<value>…" straight into the result (the
// hot path of every verification: one pass, no intermediate list).
// Keys the core sends by index (`<index>#`), in the order of HITPAY_KEYS in src/wasm.rs.
const HITPAY_KEYS = ['payment_id', 'payment_request_id', 'reference_number', 'phone', 'amount', 'currency', 'status'];

function webhookResult(s) {
  if (s.charCodeAt(0) === 33) coreError(s);
  const fields = {};
  let key;
  let i = 0;
  while (i < s.length) {
    let len = 0;
    let c = s.charCodeAt(i++);
    for (; c >= 48 && c <= 57; c = s.charCodeAt(i++)) len = len * 10 + c - 48;
    if (c === 35) {
      key = HITPAY_KEYS[len];
      continue;
    }
    const item = s.slice(i, i + len);
    i += len;
    if (key === undefined) {
      key = item;
    } else {
      // defineProperty: a field named __proto__ stays an ordinary field.
      if (key === '__proto__') Object.defineProperty(fields, key, { value: item, enumerable: true, writable: true, configurable: true });
      else fields[key] = item;
      key = undefined;
    }
  }
  // Values are strings, and Object.prototype has none of these names.
  const result = {};
  if (fields.payment_id !== undefined) result.paymentId = fields.payment_id;
  if (fields.payment_request_id !== undefined) result.paymentRequestId = fields.payment_request_id;
  if (fields.reference_number !== undefined) result.referenceNumber = fields.reference_number;
  if (fields.phone !== undefined) result.phone = fields.phone;
  if (fields.amount !== undefined) result.amount = fields.amount;
  if (fields.currency !== undefined) result.currency = fields.currency;
  if (fields.status !== undefined) result.status = fields.status;
  result.fields = fields;
  return result;
}

// A string body goes into wasm as its UTF-8 bytes, encoded natively into a
// reused buffer (faster than the glue's per-character copy).
const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);
function utf8(str) {
  if (scratch.length < str.length * 3) scratch = new Uint8Array(str.length * 3);
  return scratch.subarray(0, encoder.encodeInto(str, scratch).written);
}

/** Verifies a form-encoded HitPay webhook body (the `hmac` field) with the salt. */
export function verifyHitpayWebhook(webhookBody, salt) {
  const b = body(webhookBody, FORM_LIMIT, 'the webhook body');
  const s = secret(salt, 'salt');
  // A server verifies with one salt: the keyed salt of the last call is kept.
  if (s !== lastSalt || lastKeyed === undefined) {
    // An empty salt (no key): the core reports the size or INVALID_SECRET, in that order.
    if (s === '') return webhookResult(isBytes(b) ? raw.hitpay_verify_webhook_bytes(b, s) : raw.hitpay_verify_webhook_str(b, s));
    lastKeyed?.free();
    lastKeyed = undefined;
    lastKeyed = raw.hitpay_salt(s);
    lastSalt = s;
  }
  return webhookResult(lastKeyed.verify_bytes(isBytes(b) ? b : utf8(b)));
}
let lastSalt;
let lastKeyed;

/**
 * A verifier keyed once with the salt, for hot paths: `new HitpayVerifier(salt).verify(body)`
 * returns what `verifyHitpayWebhook(body, salt)` returns.
 */
export class HitpayVerifier {
  #salt;
  constructor(salt) {
    const s = secret(salt, 'salt');
    // An empty salt has no key: its error is the one the unkeyed verification reports.
    this.#salt = raw.hitpay_salt(s) ?? coreError(raw.hitpay_verify_webhook_str('', s));
  }

  verify(webhookBody) {
    const b = body(webhookBody, FORM_LIMIT, 'the webhook body');
    return webhookResult(this.#salt.verify_bytes(isBytes(b) ? b : utf8(b)));
  }
}

/** The lowercase hex `hmac` of a plain object of string fields (`hmac` itself left out). */
export function signHitpayWebhook(fields, salt) {
  const f = plainObject(fields, 'fields');
  const s = secret(salt, 'salt');
  let list = '';
  let total = 0;
  for (const [k, v] of Object.entries(f)) {
    total += k.length + (typeof v === 'string' ? v.length : 0);
    if (total > FORM_LIMIT) fail('PAYLOAD_TOO_LARGE', `the fields are larger than the limit of ${FORM_LIMIT} bytes of a webhook body`, 'fields');
    text(v, k);
    if (!isWellFormed(k)) fail('INVALID_FIELD', 'a field name contains a lone UTF-16 surrogate', k);
    list += item(k) + item(v);
  }
  return check(raw.hitpay_sign_webhook(list, s));
}

const decoder = new TextDecoder();

/** Verifies a HitPay event webhook (JSON body, `Hitpay-Signature` header) and returns the parsed object. */
export function verifyHitpayEvent(eventBody, signature, salt) {
  const b = body(eventBody, EVENT_LIMIT, 'the event body');
  if (signature === null || signature === undefined) {
    fail('MISSING_SIGNATURE', 'no Hitpay-Signature was given; pass the header value', 'Hitpay-Signature');
  }
  const sig = text(signature, 'Hitpay-Signature');
  const s = secret(salt, 'salt');
  check(isBytes(b) ? raw.hitpay_verify_event_bytes(b, sig, s) : raw.hitpay_verify_event_str(b, sig, s));
  // The core has checked: valid UTF-8, no BOM, one JSON object, no duplicate keys.
  return JSON.parse(isBytes(b) ? decoder.decode(b) : b);
}

const PARAMS = {
  amount: 'string', currency: 'string', paymentMethods: 'array', email: 'string',
  name: 'string', phone: 'string', purpose: 'string', referenceNumber: 'string',
  redirectUrl: 'string', webhook: 'string', allowRepeatedPayments: 'boolean',
  expiryDate: 'string', generateQr: 'boolean',
};

/** Validates the parameters and returns a ready `POST /v1/payment-requests` request. */
export function buildHitpayPaymentRequest(params, opts) {
  const p = plainObject(params, 'params');
  if (opts === undefined || opts === null) fail('INVALID_SECRET', 'options.apiKey is missing; pass your HitPay API key', 'apiKey');
  const o = optionsOf(opts, ['apiKey', 'sandbox']);
  if (o.apiKey === undefined || o.apiKey === null || o.apiKey === '') {
    fail('INVALID_SECRET', 'options.apiKey is missing or empty; pass your HitPay API key', 'apiKey');
  }
  const apiKey = secret(o.apiKey, 'apiKey');
  if (o.sandbox !== undefined && typeof o.sandbox !== 'boolean') {
    fail('INVALID_FIELD', '`sandbox` must be a boolean', 'sandbox');
  }
  let flat = '';
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    const kind = Object.hasOwn(PARAMS, k) ? PARAMS[k] : undefined;
    if (kind === undefined) fail('INVALID_FIELD', `\`${k.slice(0, 64)}\` is not a payment request parameter`, k);
    if (kind === 'boolean') {
      if (typeof v !== 'boolean') fail('INVALID_FIELD', `\`${k}\` must be a boolean`, k);
      flat += item(k) + item(String(v));
    } else if (kind === 'array') {
      const methods = arrayItems(v, k);
      flat += item('paymentMethods[]') + item('');
      for (const m of methods) flat += item(k) + item(text(m, k));
    } else {
      flat += item(k) + item(text(v, k));
    }
  }
  const list = items(check(raw.hitpay_build_payment_request(flat, apiKey, o.sandbox === true)));
  const headers = {};
  for (let i = 2; i < list.length - 1; i += 2) headers[list[i]] = list[i + 1];
  return { method: list[0], url: list[1], headers, body: list[list.length - 1] };
}

/** Reads `reference` and `status` from the URL HitPay redirected the buyer to. */
export function parseHitpayRedirect(url) {
  const u = text(url, 'url', URL_LIMIT, 'the URL');
  const [reference, status] = items(check(raw.hitpay_parse_redirect(u)));
  return { reference, status };
}

/** Explains why a HitPay form webhook does not verify. Never returns the salt or the expected signature. */
export function diagnoseHitpayWebhook(webhookBody, salt) {
  let b;
  try {
    b = body(webhookBody, FORM_LIMIT, 'the webhook body');
  } catch (e) {
    // Only a wrong type throws; an oversized body or a string that is not text is a finding.
    if (e.code !== 'PAYLOAD_TOO_LARGE' && !(e.code === 'MALFORMED_BODY' && typeof webhookBody === 'string')) throw e;
    return { valid: false, error: { code: e.code, message: e.message }, canonical: null, fields: null, hints: [] };
  }
  let s;
  try {
    s = secret(salt, 'salt');
  } catch (e) {
    // A string salt that cannot be used (too long, not text) is a finding too.
    if (typeof salt !== 'string') throw e;
    return { valid: false, error: { code: e.code, message: e.message, field: 'salt' }, canonical: null, fields: null, hints: [] };
  }
  const list = items(isBytes(b) ? raw.hitpay_diagnose_bytes(b, s) : raw.hitpay_diagnose_str(b, s));
  const [valid, code, field, message, hasCanonical, canonical, count] = list;
  let error = null;
  if (code !== '') {
    error = { code, message };
    if (field !== '') error.field = field;
  }
  const n = +count;
  const fields = hasCanonical === '1' ? pairsToObject(list, 7, 7 + 2 * n) : null;
  const hints = [];
  for (let i = 7 + 2 * n; i + 2 < list.length + 1 && i < list.length; i += 3) {
    hints.push({ code: list[i], message: list[i + 1], confirmed: list[i + 2] === '1' });
  }
  return { valid: valid === '1', error, canonical: hasCanonical === '1' ? canonical : null, fields, hints };
}


// ---------------------------------------------------------------- HAPI Elements

// The two glue functions rather than `raw` itself: a namespace passed as a value
// would make bundlers (esbuild, Rollup) keep every export of the glue.
const HAPI_GLUE = {
  hapi_build_callback_url: raw.hapi_build_callback_url,
  hapi_parse_callback: raw.hapi_parse_callback,
};

/** The value for `window.hapi.wallet.state.paymentIntentSuccessCallbackUrl`. */
export function buildHapiCallbackUrl(base, params) {
  return hapi.buildHapiCallbackUrl(HAPI_GLUE, base, params);
}

/** Parses the URL of an incoming HAPI callback (absolute, or a path starting with `/`). */
export function parseHapiCallback(url) {
  return hapi.parseHapiCallback(HAPI_GLUE, url);
}

/**
 * Builds the callback URL and sets it on `window.hapi.wallet.state` now, or when
 * HAPI fires `hapi:load:script`. Resolves to the URL set.
 */
export function setHapiSuccessCallbackUrl(base, params) {
  return hapi.setHapiSuccessCallbackUrl(buildHapiCallbackUrl, base, params);
}

// ---------------------------------------------------------------- Signed callback URLs

/** Appends `exp` (with `options.expiresAt`) and `sig` to a callback URL. */
export function signCallbackUrl(url, secretValue, opts) {
  const href = whatwg(url, 'url');
  const s = secret(secretValue, 'secret');
  const o = optionsOf(opts, ['expiresAt', 'ignoreKeys']);
  const exp = o.expiresAt === undefined ? -1 : unixSeconds(o.expiresAt, 'expiresAt');
  const ignore = keyList(o.ignoreKeys, 'ignoreKeys');
  return check(raw.callback_sign(href, s, exp, ignore), 'url');
}

/** Checks a URL made by `signCallbackUrl`; returns the signed parameters without `sig` and `exp`. */
export function verifyCallbackUrl(url, secretValue, opts) {
  const input = text(url, 'url', URL_LIMIT, 'the URL');
  const s = secret(secretValue, 'secret');
  const o = optionsOf(opts, ['ignoreKeys', 'now']);
  const ignore = keyList(o.ignoreKeys, 'ignoreKeys');
  const now = o.now === undefined ? Math.floor(Date.now() / 1000) : unixSeconds(o.now, 'now');
  return pairsToObject(items(check(raw.callback_verify(input, s, ignore, now))), 0, Infinity);
}

// ---------------------------------------------------------------- Smart Router

/** Parses a Smart Router (ProcessOut) webhook body: `{ event_id, event_type? }`. */
export function parseSmartRouterWebhook(webhookBody) {
  const b = body(webhookBody, FORM_LIMIT, 'the webhook body');
  const list = items(check(isBytes(b) ? raw.smart_router_parse_bytes(b) : raw.smart_router_parse_str(b)));
  const result = { eventId: list[0] };
  if (list[1] === '1') result.eventType = list[2];
  return result;
}

/**
 * Checks an `Authorization` header against the configured basic-auth credentials,
 * in constant time. A missing or malformed header is `false`.
 */
export function checkBasicAuth(authorization, username, password) {
  const user = secret(username, 'username');
  const pass = secret(password, 'password');
  const header = typeof authorization === 'string' && authorization.length <= TEXT_LIMIT && isWellFormed(authorization) ? authorization : undefined;
  return check(raw.check_basic_auth(header, user, pass)) === '1';
}

/** `https://user:pass@host/…` with both parts percent-encoded, for a webhook URL setting. */
export function buildBasicAuthWebhookUrl(url, username, password) {
  const href = whatwg(url, 'url');
  const user = secret(username, 'username');
  const pass = secret(password, 'password');
  return check(raw.build_basic_auth_webhook_url(href, user, pass), 'url');
}

/**
 * The `GET /events/{id}` request that fetches a Smart Router event, authenticated
 * with the project id and private key. `apiBase` defaults to https://api.processout.com.
 */
export function buildSmartRouterEventRequest(eventId, opts) {
  const id = text(eventId, 'eventId');
  if (opts === undefined || opts === null) fail('INVALID_FIELD', '`options` with projectId and privateKey is required', 'options');
  const o = optionsOf(opts, ['projectId', 'privateKey', 'apiBase']);
  const projectId = secret(o.projectId ?? '', 'projectId');
  const privateKey = secret(o.privateKey ?? '', 'privateKey');
  return getRequest(raw.smart_router_event_request(id, projectId, privateKey, apiBase(o.apiBase)));
}

// ---------------------------------------------------------------- PayEx

const PAYEX_NUMBERS = new Set(['paymentNumber', 'transactionNumber', 'paymentOrderNumber']);

/** Parses and validates a PayEx / Swedbank Pay callback body. */
export function parsePayexCallback(callbackBody) {
  const b = body(callbackBody, FORM_LIMIT, 'the callback body');
  const list = items(check(isBytes(b) ? raw.payex_parse_bytes(b) : raw.payex_parse_str(b)));
  const result = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    // Numbers are at most 2^53 - 1 (checked by the core), so Number() is exact.
    result[list[i]] = PAYEX_NUMBERS.has(list[i]) ? Number(list[i + 1]) : list[i + 1];
  }
  return result;
}

/**
 * The GET request for a PayEx resource named in a callback (`paymentUrl`,
 * `transactionUrl` or `paymentOrderUrl`), with the API token as a bearer token.
 * `apiBase` defaults to https://api.payex.com.
 */
export function buildPayexRequest(path, opts) {
  const p = text(path, 'path');
  if (opts === undefined || opts === null) fail('INVALID_FIELD', '`options` with the API token is required', 'options');
  const o = optionsOf(opts, ['token', 'apiBase']);
  const token = secret(o.token ?? '', 'token');
  return getRequest(raw.payex_fetch_request(p, token, apiBase(o.apiBase)));
}
