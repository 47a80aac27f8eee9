// The Fetch API face of payhook: each function takes the `Request` that
// Workers, Node >= 20, Deno, Bun, Hono, Next.js route handlers, SvelteKit and
// Remix hand a handler, reads what the provider sends (headers, the raw body
// once, the URL) and returns a Promise of what the function it is named after
// returns. The body is read as a stream and given up as soon as it passes the
// limit, so a client that sends no Content-Length cannot make a handler buffer
// more than the limit plus one chunk.
import { LIMITS, PayhookError, fail, optionsOf, record, secret, text } from './common.js';
import { verifyHitpayWebhook, verifyHitpayEvent } from './core.js';
import {
  checkBasicAuth, parseHapiCallback, parsePayexCallback, parseSmartRouterWebhook, parseSmartRouterWebhookUrl,
  verifyCallbackUrl,
} from './gen/api.js';

// The keys HAPI Elements appends to a callback URL after it was signed.
const HAPI_KEYS = Object.freeze(['draftCampaignId', 'amount', 'walletId']);

/** Verifies a HitPay form webhook from a Fetch API Request. */
export async function verifyHitpayRequest(request, salt, options) {
  const r = requestOf(request);
  secret(salt, 'salt');
  const bytes = await readBody(r, LIMITS.FORM_BODY, 'the webhook body');
  return verifyHitpayWebhook(bytes, salt, options);
}

/** Verifies a HitPay event webhook (JSON body, `Hitpay-Signature`) from a Fetch API Request. */
export async function verifyHitpayEventRequest(request, salt) {
  const r = requestOf(request);
  secret(salt, 'salt');
  const bytes = await readBody(r, LIMITS.EVENT_BODY, 'the event body');
  const payload = verifyHitpayEvent(bytes, r.headers.get('hitpay-signature'), salt);
  // No prototype, like every result (issue 14).
  return record({
    eventType: r.headers.get('hitpay-event-type'),
    eventObject: r.headers.get('hitpay-event-object'),
    payload,
  });
}

/**
 * Authenticates a Smart Router (ProcessOut) webhook by its basic auth, then
 * parses its event id from the JSON body (POST), or from the query of a webhook
 * configured with request method GET (or HEAD).
 */
export async function parseSmartRouterRequest(request, credentials) {
  const r = requestOf(request);
  const c = optionsOf(credentials, ['username', 'password']);
  for (const name of ['username', 'password']) {
    if (c[name] === undefined || c[name] === null || c[name] === '') {
      fail('INVALID_SECRET', `credentials.${name} is missing or empty; pass the ${name} of the webhook URL`, name);
    }
  }
  // Before the body is read: an unauthenticated client gets nothing read (what
  // is left of the body is the caller's, to drain or to drop).
  if (!checkBasicAuth(r.headers.get('authorization'), c.username, c.password)) {
    fail('UNAUTHORIZED', 'the request\'s basic auth credentials are missing or wrong', 'Authorization');
  }
  if (r.method === 'GET' || r.method === 'HEAD') return parseSmartRouterWebhookUrl(text(r.url, 'request.url', Infinity));
  return parseSmartRouterWebhook(await readBody(r, LIMITS.FORM_BODY, 'the webhook body'));
}

/** Parses a PayEx / Swedbank Pay callback from a Fetch API Request. */
export async function parsePayexRequest(request) {
  const r = requestOf(request);
  return parsePayexCallback(await readBody(r, LIMITS.FORM_BODY, 'the callback body'));
}

/**
 * Verifies the signed callback URL of a HAPI Elements callback (HAPI's own keys
 * `draftCampaignId`, `amount` and `walletId` are not signed) and parses it.
 * The body is not read. Returns the parsed callback plus `signed`, the
 * parameters your server signed.
 */
export async function parseHapiRequest(request, callbackSecret, options) {
  const r = requestOf(request);
  const o = optionsOf(options, ['now']);
  const url = text(r.url, 'request.url', Infinity);
  const signed = verifyCallbackUrl(url, callbackSecret, o.now === undefined ? { ignoreKeys: HAPI_KEYS } : { ignoreKeys: HAPI_KEYS, now: o.now });
  return record({ ...parseHapiCallback(url), signed });
}

// ---------------------------------------------------------------- reading a Request

// A Fetch API Request, or one from another realm or library (undici's, Next.js's
// NextRequest, a polyfill): what is read is `headers.get`, `url`, `method`,
// `bodyUsed` and `body` (a ReadableStream or null).
function requestOf(value) {
  let ok = false;
  try {
    ok = value !== null && typeof value === 'object' && typeof value.headers?.get === 'function'
      && typeof value.url === 'string' && typeof value.method === 'string' && typeof value.bodyUsed === 'boolean';
  } catch {
    ok = false;
  }
  if (!ok) {
    fail('INVALID_FIELD', `\`request\` must be a Fetch API Request (with url, headers and body), not ${kind(value)}; `
      + 'with Express or Fastify, pass the raw body to the function without "Request" in its name', 'request');
  }
  return value;
}

function kind(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const USED = 'the request body has already been read (by a body parser, or an earlier request.text() or '
  + 'request.json()); pass the Request before anything reads its body, or pass the raw body to the function '
  + 'without "Request" in its name';

// The raw body, read once, at most `max` bytes. A Content-Length over the limit
// is refused before reading; without one, reading stops (and the stream is
// cancelled) at the first chunk that passes it.
async function readBody(request, max, what) {
  if (request.bodyUsed) fail('INVALID_FIELD', USED, 'request');
  const tooLarge = () => fail('PAYLOAD_TOO_LARGE', `${what} is larger than the limit of ${max} bytes`);
  const declared = request.headers.get('content-length');
  const stream = request.body;
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > max) {
    await cancel(stream);
    tooLarge();
  }
  if (stream === null || stream === undefined) {
    // No stream: an empty body, or a Request-like object that only has arrayBuffer().
    if (stream === null || typeof request.arrayBuffer !== 'function') return new Uint8Array(0);
    const bytes = new Uint8Array(await readOrFail(() => request.arrayBuffer()));
    return bytes.length > max ? tooLarge() : bytes;
  }
  if (stream.locked) fail('INVALID_FIELD', USED, 'request');
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await readOrFail(() => reader.read());
      if (done) break;
      if (!(value instanceof Uint8Array)) fail('MALFORMED_BODY', 'the request body stream gave something other than bytes');
      total += value.length;
      if (total > max) {
        await reader.cancel().catch(() => {});
        tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock?.();
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// A stream that fails (the client went away mid-body) is a body that cannot be read.
async function readOrFail(read) {
  try {
    return await read();
  } catch (e) {
    if (e instanceof PayhookError) throw e;
    const err = new PayhookError('MALFORMED_BODY', 'the request body could not be read to its end (the client may have disconnected)');
    err.cause = e;
    throw err;
  }
}

async function cancel(stream) {
  try {
    if (stream && !stream.locked) await stream.cancel();
  } catch {
    // a stream that cannot be cancelled is left to the runtime
  }
}
