// What every entry shares and that never calls the wasm glue: PayhookError, the
// one reader of the core's results, and the checks of arguments before they are
// copied into wasm memory. The functions that call the glue are generated from
// the bindings crate's schema (gen/api.js for `payhook`, gen/api-hapi.js for
// `payhook/hapi`, by `cargo run -p xtask -- gen`); they use only what is here.
// One module, so that `payhook` and `payhook/hapi` throw the same PayhookError.
//
// The wire format (bindings/src/wire.rs): a result is one string of tokens read
// in the order the schema declares: `<n>:<text>` a string of n UTF-16 units, `-`
// an absent optional field, `1`/`0` a boolean, `<n>*` a count of map pairs or
// list records, `<i>#` a map key given by its index in the map's key table. A
// failure is `!` then the strings code, field and message. Lists going in are
// string tokens back to back (item()).
import { LIMITS } from './gen/constants.js';

/** Every failure of this package. `code` is one of the contract's stable codes. */
export class PayhookError extends Error {
  constructor(code, message, field) {
    super(message);
    this.name = 'PayhookError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

// ---------------------------------------------------------------- the reader

// The result being read, and the position in it. Reading is synchronous and
// never re-entered, so one state serves every call (no allocation per result).
let S = '';
let I = 0;

// Starts reading a result; a failure ("!" then code, field, message) is thrown as
// PayhookError, whatever its code. An error about the URL argument itself names
// that argument (`urlField`). A wasm trap is thrown by the glue itself and
// passes through as it is, so that it can never pass for a contract error.
function start(s, urlField) {
  S = s;
  I = 0;
  if (s.charCodeAt(0) === 33) {
    I = 1;
    const code = readStr();
    const field = readStr();
    const message = readStr();
    const f = field === '' && urlField !== undefined && (code === 'INVALID_URL' || code === 'INSECURE_URL') ? urlField : field;
    throw new PayhookError(code, message, f === '' ? undefined : f);
  }
}

// Digits up to the terminator `end` (a char code), as a number.
function readCount(end) {
  let n = 0;
  for (let c = S.charCodeAt(I++); c !== end; c = S.charCodeAt(I++)) n = n * 10 + c - 48;
  return n;
}

function readStr() {
  const len = readCount(58);
  const out = S.slice(I, I + len);
  I += len;
  return out;
}

const readNum = () => Number(readStr()); // at most 2^53 - 1 (checked by the core): exact

function readFlag() {
  return S.charCodeAt(I++) === 49;
}

// True (and skipped) when an optional field is absent.
function readAbsent() {
  if (S.charCodeAt(I) !== 45) return false;
  I += 1;
  return true;
}

function readList(readOne) {
  const out = [];
  for (let n = readCount(42); n > 0; n -= 1) out.push(readOne());
  return out;
}

// A map as a plain object with no prototype (as node:querystring returns), in
// order: a key that was not received reads undefined even when Object.prototype
// is polluted. Keys sent as `<i>#` come from `table`. A `__proto__` key stays an
// ordinary field.
function readMap(table) {
  const out = Object.create(null);
  for (let n = readCount(42); n > 0; n -= 1) {
    let len = 0;
    let c = S.charCodeAt(I++);
    for (; c >= 48 && c <= 57; c = S.charCodeAt(I++)) len = len * 10 + c - 48;
    let key;
    if (c === 35) {
      key = table[len];
    } else {
      key = S.slice(I, I + len);
      I += len;
    }
    const value = readStr();
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

// One item of a list for the core (see items()); a list is its items joined.
const item = (s) => `${s.length}:${s}`;

const isWellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  // eslint-disable-next-line no-control-regex
  : (s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(s);

// A result object written in JavaScript, with no prototype like the decoded ones.
function record(fields) {
  return Object.assign(Object.create(null), fields);
}

// JSON.parse, with every object of the result made prototype-free (arrays keep
// theirs): a polluted Object.prototype adds no field to a parsed payload.
function parseJson(text) {
  return JSON.parse(text, (_, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.setPrototypeOf(v, null) : v));
}

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
  if (bytes === undefined) fail('MALFORMED_BODY', notRaw(value));
  return limit(bytes, max, what);
}

// What a body of the wrong type is told. An object is most often what a body
// parser made of the raw body (express.urlencoded(), express.json(), a
// framework's default JSON parser): the signature covers the raw bytes, so the
// message says how to keep them.
function notRaw(value) {
  if (value === null || typeof value !== 'object') return `the body must be the raw body, a string or a Uint8Array, not ${describe(value)}`;
  let request = false;
  try {
    request = typeof value.headers?.get === 'function' && typeof value.arrayBuffer === 'function';
  } catch {
    // a revoked Proxy
  }
  if (request) {
    return 'the body must be the raw body, not a Request: pass the Request to the function with "Request" in its name '
      + '(verifyHitpayRequest, parsePayexRequest, …), or pass new Uint8Array(await request.arrayBuffer())';
  }
  return `the body must be the raw body, a string or a Uint8Array, not ${describe(value)} (an already-parsed body?): `
    + 'the signature covers the bytes as received, so pass them unparsed, e.g. with express.raw({ type: \'*/*\' }) '
    + 'on the webhook route in Express, or the raw body in Fastify';
}

// Strings with no limit of their own (secrets, keys, values, headers) are refused
// past LIMITS.TEXT before they are copied into wasm memory, which never shrinks.
const TEXT_LIMIT = LIMITS.TEXT;

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
  if (value === undefined) return 'undefined';
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
const URL_LIMIT = LIMITS.URL_INPUT;
function limit(value, max, what) {
  if (value.length > max) fail('PAYLOAD_TOO_LARGE', `${what} is larger than the limit of ${max} bytes`);
  return value;
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

// A list of strings, checked one by one and in total: together at most
// LIMITS.TEXT characters (else PAYLOAD_TOO_LARGE), so that a list of many long
// strings is refused before it is copied into wasm memory, which never shrinks.
function textList(value, name) {
  const out = [];
  let total = 0;
  for (const s of arrayItems(value, name)) {
    total += text(s, name).length;
    if (total > TEXT_LIMIT) fail('PAYLOAD_TOO_LARGE', `\`${name}\` holds more than ${TEXT_LIMIT} characters in total`, name);
    out.push(s);
  }
  return out;
}

// A list of keys, encoded for the core (see item()).
function keyList(value, name) {
  let list = '';
  if (value === undefined || value === null) return list;
  for (const k of textList(value, name)) list += item(k);
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
  // No prototype: what is not set reads undefined, whatever Object.prototype holds.
  const out = Object.create(null);
  if (value === undefined || value === null) return out;
  try {
    const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      fail('INVALID_FIELD', `\`options\` must be a plain object, not ${describe(value)}`, 'options');
    }
    // Own properties only: a polluted Object.prototype (`apiBase`, `now`, `sandbox`…) is no option.
    // Each is read once all the same, so that a Proxy or getter that throws is INVALID_FIELD.
    for (const name of names) {
      const v = value[name];
      out[name] = Object.hasOwn(value, name) ? v : undefined;
    }
  } catch (e) {
    if (e instanceof PayhookError) throw e;
    fail('INVALID_FIELD', '`options` could not be read (a getter or Proxy threw)', 'options');
  }
  return out;
}

// ---------------------------------------------------------------- arguments the schema names

// A body's bytes: a string goes in as its UTF-8 bytes, encoded natively into a
// reused buffer (faster than the glue's per-character copy; the glue copies it
// into wasm memory before the next call can reuse it).
const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);
function toBytes(b) {
  if (isBytes(b)) return b;
  if (scratch.length < b.length * 3) scratch = new Uint8Array(b.length * 3);
  return scratch.subarray(0, encoder.encodeInto(b, scratch).written);
}

const bodyBytes = (value, max, what) => toBytes(body(value, max, what));

// An optional plain object of string parameters as a pairs list for the core.
// With `urlTotal`, they become one URL of at most that many characters: each
// adds at least "&k=", and names and values count, so more is refused here
// (INVALID_URL) rather than after a long scan. Without, names and values
// together are at most LIMITS.TEXT characters (PAYLOAD_TOO_LARGE).
function pairList(value, name, urlTotal) {
  if (value === undefined || value === null) return '';
  const entries = Object.entries(plainObject(value, name));
  const tooLong = () => fail('INVALID_URL', `the URL would be longer than ${urlTotal} characters`, name);
  if (urlTotal > 0 && entries.length > Math.floor(urlTotal / 3)) tooLong();
  let flat = '';
  let total = 0;
  for (const [k, v] of entries) {
    total += k.length + (typeof v === 'string' ? v.length : 0);
    if (urlTotal > 0 && total > urlTotal) tooLong();
    if (total > TEXT_LIMIT) fail('PAYLOAD_TOO_LARGE', `\`${name}\` holds more than ${TEXT_LIMIT} characters in total`, name);
    if (!isWellFormed(k)) fail('INVALID_FIELD', 'a parameter name contains a lone UTF-16 surrogate', k);
    flat += item(k) + item(text(v, k));
  }
  return flat;
}

// An optional string: null or undefined is none.
function optText(value, name) {
  if (value === undefined || value === null) return undefined;
  return text(value, name);
}

// A header value: a usable string, else none (never an exception).
function header(value) {
  return typeof value === 'string' && value.length <= TEXT_LIMIT && isWellFormed(value) ? value : undefined;
}

function flag(value, name) {
  if (typeof value !== 'boolean') fail('INVALID_FIELD', `\`${name}\` must be a boolean`, name);
  return value;
}

export {
  LIMITS, start, readStr, readNum, readFlag, readAbsent, readList, readMap, item, isWellFormed, fail, body, record, parseJson,
  bodyBytes, toBytes, secret, text, plainObject, arrayItems, textList, isBytes, whatwg, keyList, pairList, unixSeconds,
  optionsOf, optText, header, flag,
};
