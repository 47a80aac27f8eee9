// What every route shares: JSON answers, the mapping from errors to HTTP
// statuses, the method/content-type/size checks and the auth helpers.
import { LIMITS, PayhookError } from 'payhook';

// Body limits, the package's own (LIMITS, from src/limits.rs): the Worker refuses
// a larger body before reading it whole, payhook would refuse it anyway.
export const FORM_LIMIT = LIMITS.FORM_BODY; // HitPay form webhooks
export const JSON_LIMIT = LIMITS.FORM_BODY; // Smart Router and PayEx JSON
export const EVENT_LIMIT = LIMITS.EVENT_BODY; // HitPay event webhooks (JSON)
// The URL limit of the package's parse and verify functions, applied by the
// router to every route before anything else.
export const URL_LIMIT = LIMITS.URL_INPUT;

/**
 * A refusal the Worker decides itself. `code` extends the contract's codes with
 * METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE, UNAUTHORIZED, FORBIDDEN (an IP
 * allow-list), NOT_FOUND, RATE_LIMITED (429), NOT_CONFIGURED (a missing
 * setting: a server fault, answered 500) and
 * INTERNAL_ERROR (storage or queue failure, 500).
 */
export class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function json(status, value, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export const ok = (duplicate) => json(200, { ok: true, duplicate });

// Signature and expiry failures are authentication failures; a missing or empty
// configured secret is ours (500); the rest is the sender's request (400).
const UNAUTHENTICATED = new Set(['MISSING_SIGNATURE', 'MALFORMED_SIGNATURE', 'SIGNATURE_MISMATCH', 'EXPIRED', 'UNAUTHORIZED']);
const SERVER_FAULTS = new Set(['INVALID_SECRET', 'INSECURE_URL']);

/** The answer for a thrown error. */
export function errorResponse(err) {
  if (err instanceof HttpError) {
    return json(err.status, { ok: false, code: err.code, message: err.message }, err.headers);
  }
  if (err instanceof PayhookError) {
    const status = err.code === 'PAYLOAD_TOO_LARGE' ? 413
      : UNAUTHENTICATED.has(err.code) ? 401
        : SERVER_FAULTS.has(err.code) ? 500 : 400;
    const body = { ok: false, code: err.code, message: err.message };
    if (err.field !== undefined) body.field = err.field;
    return json(status, body);
  }
  // A D1 or queue failure: 500, so that the provider delivers again later.
  console.error(JSON.stringify({ error: err?.name ?? 'Error', message: String(err?.message ?? err) }));
  return json(500, { ok: false, code: 'INTERNAL_ERROR', message: 'try again later' });
}

export function allowMethods(request, ...methods) {
  if (!methods.includes(request.method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `use ${methods.join(' or ')}`, { allow: methods.join(', ') });
  }
}

/** The media type without parameters: `application/json; charset=utf-8` is `application/json`. */
export function requireContentType(request, mediaType) {
  const given = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (given !== mediaType) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as ${mediaType}`);
  }
}

/**
 * The body's bytes, exactly as received, refused with 413 past `limit` bytes:
 * by its Content-Length when there is one, else while streaming (a chunked body
 * is never buffered past the limit). What is left of a refused body is the
 * router's to drain (see `drain`).
 */
export async function readBody(request, limit) {
  const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body is over ${limit} bytes`);
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

// What is left of a request body that the answer did not need (a refusal before
// or while reading it) is read on and dropped, up to this many bytes, before the
// answer goes out. A client still sending when the answer comes sees a reset
// connection, and wrangler's dev proxy (make dev) treats that as fatal and
// stops; read to its end, a slightly-too-large body gets a clean 413 and the
// dev server lives on. Past the bound (or when Content-Length says the body is
// larger) the body is cancelled, never read: a refusal's cost stays bounded.
export const DRAIN_LIMIT = 2 * 1024 * 1024;

// The payhook functions that take a Request (verifyHitpayRequest, …) cancel a
// body they refuse past its limit, where this Worker drains what is left (see
// above). So they are handed a copy whose body is piped from the original
// without passing a cancel on; drain() stops the pipe, then reads on from the
// original.
const copies = new WeakMap();

/** The request to hand a payhook `…Request` function: same URL, method and headers, its body piped from `request`'s. */
export function forPayhook(request) {
  if (request.body === null) return request;
  const { readable, writable } = new TransformStream();
  const pipe = request.body.pipeTo(writable, { preventCancel: true }).catch(() => {});
  const copy = new Request(request, { body: readable });
  copies.set(request, { copy, pipe });
  return copy;
}

/** Reads and drops what is left of the request's body within DRAIN_LIMIT, else cancels it. Never throws. */
export async function drain(request) {
  const piped = copies.get(request);
  if (piped !== undefined) {
    // What the copy was not read for is dropped; the pipe then lets go of the original.
    if (piped.copy.body !== null && !piped.copy.body.locked) await piped.copy.body.cancel().catch(() => {});
    await piped.pipe;
  }
  const body = request.body;
  if (body === null || body.locked) return;
  const declared = Number(request.headers.get('content-length') ?? 0);
  const reader = body.getReader();
  try {
    let left = declared > DRAIN_LIMIT ? 0 : DRAIN_LIMIT;
    for (;;) {
      if (left <= 0) {
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
    }
  } catch {
    // the client went away: nothing left to drain
  } finally {
    reader.releaseLock();
  }
}

/** A secret or setting from the Worker's vars/secrets; its absence is a server fault. */
export function setting(env, name) {
  const value = env[name];
  if (typeof value !== 'string' || value === '') {
    throw new HttpError(500, 'NOT_CONFIGURED', `the Worker setting ${name} is not set`);
  }
  return value;
}

/**
 * An optional allow-list of client IPs (`setting`: comma-separated, checked
 * against CF-Connecting-IP, which Cloudflare sets on every request). Empty or
 * unset: everyone passes. IPv6 addresses are compared as written, lowercased:
 * list them in the form Cloudflare reports them.
 */
export function requireAllowedIp(request, env, name) {
  const list = typeof env[name] === 'string' ? env[name].split(',').map((ip) => ip.trim().toLowerCase()).filter(Boolean) : [];
  if (list.length === 0) return;
  const ip = (request.headers.get('cf-connecting-ip') ?? '').trim().toLowerCase();
  if (ip === '' || !list.includes(ip)) {
    throw new HttpError(403, 'FORBIDDEN', `this client is not in ${name}`);
  }
}

/** A duration in seconds from a setting, or its default. */
export function seconds(env, name, fallback) {
  const n = Number(env[name] ?? fallback);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** The public origin the provider calls back: PUBLIC_URL when set, else the request's own. */
export function publicUrl(env, request, path) {
  return new URL(path, env.PUBLIC_URL || new URL(request.url).origin).href;
}

async function sha256(text) {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time (both sides
 * hashed first, so that neither the length nor a prefix leaks).
 */
export async function requireAdmin(request, env) {
  const token = setting(env, 'ADMIN_TOKEN');
  const match = /^Bearer +(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  const [given, expected] = await Promise.all([sha256(match ? match[1] : ''), sha256(token)]);
  if (!match || !crypto.subtle.timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'UNAUTHORIZED', 'send Authorization: Bearer <admin token>', {
      'www-authenticate': 'Bearer realm="payhook"',
    });
  }
}
