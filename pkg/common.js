// What every entry shares and that never calls the wasm glue: PayhookError, the
// decoding of the core's results and errors, and the checks of arguments before
// they are copied into wasm memory. Used by core.js (the full API, over
// gen/payhook_core.js) and hapi-api.js (the HAPI functions, over either glue).
// One module, so that `payhook` and `payhook/hapi` throw the same PayhookError.
//
// The boundary (src/wasm.rs) passes only numbers, strings, bytes and the keyed
// HitPay salt. Lists go in as one string of "<len>:<item>" items (item() below);
// results with several parts come back in the same encoding (items()). Every
// fallible core call returns a string that is either its result or, starting
// with "!", its error (check()): nothing is thrown across the boundary.

const CODES = new Set([
  'MALFORMED_BODY', 'PAYLOAD_TOO_LARGE', 'MISSING_FIELD', 'DUPLICATE_FIELD',
  'INVALID_FIELD', 'MISSING_SIGNATURE', 'MALFORMED_SIGNATURE', 'SIGNATURE_MISMATCH',
  'EXPIRED', 'INVALID_SECRET', 'INVALID_URL', 'INSECURE_URL', 'RESERVED_QUERY_KEY',
  'INVALID_AMOUNT', 'INVALID_CURRENCY',
]);

/** Every failure of this package. `code` is one of the contract's stable codes. */
export class PayhookError extends Error {
  constructor(code, message, field) {
    super(message);
    this.name = 'PayhookError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

// A core result: a success never starts with "!" (33); a failure is "!" and the
// items [code, field, message], thrown here as PayhookError. A wasm trap is
// thrown by the glue itself and passes through as it is, so that it can never
// pass for a contract error.
function check(s, urlField) {
  if (s.charCodeAt(0) === 33) coreError(s, urlField);
  return s;
}

function coreError(s, urlField) {
  const [code, field, message] = items(s, 1);
  if (CODES.has(code)) {
    // An error about the URL argument itself names that argument.
    const f = field === '' && urlField !== undefined && (code === 'INVALID_URL' || code === 'INSECURE_URL') ? urlField : field;
    throw new PayhookError(code, message, f === '' ? undefined : f);
  }
  throw s.slice(1);
}

// Splits "<len>:<item><len>:<item>…" (lengths in UTF-16 code units) from index `i`.
function items(s, i = 0) {
  const out = [];
  while (i < s.length) {
    let len = 0;
    for (let c = s.charCodeAt(i++); c !== 58; c = s.charCodeAt(i++)) len = len * 10 + c - 48;
    out.push(s.slice(i, i + len));
    i += len;
  }
  return out;
}

// One item of a list for the core (see items()); a list is its items joined.
const item = (s) => `${s.length}:${s}`;

const isWellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  // eslint-disable-next-line no-control-regex
  : (s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(s);

function fail(code, message, field) {
  throw new PayhookError(code, message, field);
}

// A body is a string or bytes (Uint8Array, or an ArrayBuffer such as
// `await request.arrayBuffer()`). Bytes are read through the built-in getters, so
// a Proxy, a subclass with lying getters or an object dressed up with
// Uint8Array.prototype is refused instead of reaching the glue. The limit is
// checked before anything else.
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
const viewBuffer = getter(TypedArrayProto, 'buffer');
const viewOffset = getter(TypedArrayProto, 'byteOffset');
const viewLength = getter(TypedArrayProto, 'byteLength');
const viewTag = getter(TypedArrayProto, Symbol.toStringTag);
const bufferLength = getter(ArrayBuffer.prototype, 'byteLength');

function bytesOf(value) {
  try {
    if (viewTag.call(value) === 'Uint8Array') {
      const n = viewLength.call(value);
      // A view of a transferred (detached) buffer has no bytes: an empty body.
      return n === 0 ? new Uint8Array(0) : new Uint8Array(viewBuffer.call(value), viewOffset.call(value), n);
    }
  } catch {
    // not a typed array
  }
  try {
    const n = bufferLength.call(value);
    return n === 0 ? new Uint8Array(0) : new Uint8Array(value, 0, n);
  } catch {
    return undefined; // not an ArrayBuffer either
  }
}

function body(value, max, what) {
  if (typeof value === 'string') {
    limit(value, max, what);
    if (!isWellFormed(value)) fail('MALFORMED_BODY', 'the body contains a lone UTF-16 surrogate, which is not text; pass the bytes as received');
    return value;
  }
  const bytes = bytesOf(value);
  if (bytes === undefined) fail('MALFORMED_BODY', `the body must be a string or a Uint8Array, not ${describe(value)}`);
  return limit(bytes, max, what);
}

// Strings with no limit of their own (secrets, keys, values, headers) are refused
// past 64 KiB before they are copied into wasm memory, which never shrinks.
const TEXT_LIMIT = 64 * 1024;

function secret(value, name) {
  if (typeof value !== 'string') fail('INVALID_FIELD', `the ${name} must be a string, not ${describe(value)}`, name);
  if (value.length > TEXT_LIMIT) fail('PAYLOAD_TOO_LARGE', `the ${name} is longer than the limit of ${TEXT_LIMIT} characters`, name);
  if (!isWellFormed(value)) fail('INVALID_SECRET', `the ${name} contains a lone UTF-16 surrogate and cannot be encoded as UTF-8`, name);
  return value;
}

function text(value, name, max = TEXT_LIMIT, what = `\`${name}\``) {
  if (typeof value !== 'string') fail('INVALID_FIELD', `\`${name}\` must be a string, not ${describe(value)}`, name);
  limit(value, max, what);
  if (!isWellFormed(value)) fail('INVALID_FIELD', `\`${name}\` contains a lone UTF-16 surrogate`, name);
  return value;
}

// Only an object literal (or Object.create(null)): a Map, URLSearchParams or
// class instance has no own enumerable fields and would be read as empty.
// Returns a snapshot of its own enumerable fields, read once: getters and Proxy
// traps run here, and what they throw becomes INVALID_FIELD.
function plainObject(value, name) {
  const entries = [];
  try {
    const proto = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      fail('INVALID_FIELD', `\`${name}\` must be a plain object, not ${describe(value)}`, name);
    }
    for (const key of Object.keys(value)) entries.push([key, value[key]]);
  } catch (e) {
    if (e instanceof PayhookError) throw e;
    fail('INVALID_FIELD', `\`${name}\` could not be read (a getter or Proxy threw)`, name);
  }
  const snapshot = Object.create(null);
  for (const [k, v] of entries) Object.defineProperty(snapshot, k, { value: v, enumerable: true, writable: true, configurable: true });
  return snapshot;
}

// An array's items, read once by index (holes are undefined; a Proxy or getter
// that throws becomes INVALID_FIELD).
function arrayItems(value, name) {
  try {
    if (!Array.isArray(value)) fail('INVALID_FIELD', `\`${name}\` must be an array of strings`, name);
    const n = value.length;
    if (!Number.isSafeInteger(n) || n > 100_000) fail('INVALID_FIELD', `\`${name}\` is too long`, name);
    const out = [];
    for (let i = 0; i < n; i += 1) out.push(value[i]);
    return out;
  } catch (e) {
    if (e instanceof PayhookError) throw e;
    return fail('INVALID_FIELD', `\`${name}\` could not be read (a getter or Proxy threw)`, name);
  }
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  try {
    return Array.isArray(value) ? 'an array' : 'an object';
  } catch {
    return 'a revoked Proxy';
  }
}

const isBytes = (b) => typeof b !== 'string';

// The core checks every limit in bytes; this refuses what is over it even in
// UTF-16 units before it is copied into wasm memory (which never shrinks).
const FORM_LIMIT = 64 * 1024;
const EVENT_LIMIT = 1024 * 1024;
const URL_LIMIT = 8 * 1024;
function limit(value, max, what) {
  if (value.length > max) fail('PAYLOAD_TOO_LARGE', `${what} is larger than the limit of ${max} bytes`);
  return value;
}

// Decoded [k, v, k, v, …] items (list[from..to]) as an object; a `__proto__` key
// stays an ordinary field.
function pairsToObject(list, from, to) {
  const out = {};
  for (let i = from; i < Math.min(to, list.length); i += 2) {
    if (list[i] === '__proto__') Object.defineProperty(out, '__proto__', { value: list[i + 1], enumerable: true, writable: true, configurable: true });
    else out[list[i]] = list[i + 1];
  }
  return out;
}

// ---------------------------------------------------------------- URLs

// eslint-disable-next-line no-control-regex
const URL_WHITESPACE = /[\u0000-\u0020\u007f]/;

// The WHATWG serialisation of an absolute URL (what browsers and servers see).
function whatwg(value, name) {
  const input = text(value, name, Infinity);
  if (input.length > URL_LIMIT) fail('INVALID_URL', `the URL is longer than ${URL_LIMIT} characters`, name);
  if (URL_WHITESPACE.test(input)) fail('INVALID_URL', 'the URL contains spaces or control characters; percent-encode them', name);
  try {
    return new URL(input).href;
  } catch {
    return fail('INVALID_URL', 'the URL is not an absolute URL (https://host/path)', name);
  }
}

// A list of keys, encoded for the core (see item()).
function keyList(value, name) {
  let list = '';
  if (value === undefined || value === null) return list;
  for (const k of arrayItems(value, name)) list += item(text(k, name));
  return list;
}

function unixSeconds(value, name) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail('INVALID_FIELD', `\`${name}\` must be unix seconds (a non-negative whole number)`, name);
  }
  return value;
}

// Reads the named options once each (a getter or Proxy trap that throws is
// INVALID_FIELD); other keys are ignored.
function optionsOf(value, names) {
  const out = {};
  if (value === undefined || value === null) return out;
  try {
    const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      fail('INVALID_FIELD', `\`options\` must be a plain object, not ${describe(value)}`, 'options');
    }
    for (const name of names) out[name] = value[name];
  } catch (e) {
    if (e instanceof PayhookError) throw e;
    fail('INVALID_FIELD', '`options` could not be read (a getter or Proxy threw)', 'options');
  }
  return out;
}

// ---------------------------------------------------------------- GET requests (Smart Router, PayEx)

function getRequest(encoded) {
  const list = items(check(encoded));
  const headers = {};
  for (let i = 2; i + 1 < list.length; i += 2) headers[list[i]] = list[i + 1];
  return { method: list[0], url: list[1], headers };
}

function apiBase(value) {
  if (value === undefined || value === null) return undefined;
  return text(value, 'apiBase');
}

export {
  check, coreError, items, item, isWellFormed, fail, body, secret, text, plainObject, arrayItems,
  isBytes, TEXT_LIMIT, FORM_LIMIT, EVENT_LIMIT, URL_LIMIT, pairsToObject, whatwg, keyList,
  unixSeconds, optionsOf, getRequest, apiBase,
};
