// PayEx / Swedbank Pay. Callbacks are not signed, so each payment gets its own
// callback URL, signed by this Worker (CALLBACK_SECRET), which the merchant's
// server passes as `callbackUrl` when it creates the payment (order):
//
//   GET /payex/callback-url?orderReference=PO-1   (Authorization: Bearer <ADMIN_TOKEN>)
//   -> { ok, url: "https://…/webhooks/payex/PO-1?exp=…&sig=…", expiresAt }
//
// The order reference is in the (signed) path. The signature proves the URL, not
// the body: whoever holds one order's URL can post any body to it. So a callback
// is only recorded (`payex-callback`, keyed by the hash of its order reference
// and body) and never claims an event key; the queue consumer GETs the resource
// it names from the API with PAYEX_TOKEN, and the event (`payex`) is keyed by
// what the API answered (followups.js). A forged early body makes a callback row
// of its own and cannot turn the genuine callback into a duplicate.
import { PayhookError, parsePayexCallback, signCallbackUrl, verifyCallbackUrl } from 'payhook';
import {
  HttpError, JSON_LIMIT, allowMethods, json, ok, publicUrl, readBody, requireAdmin, requireContentType, seconds, setting,
  sha256Hex,
} from './http.js';
import { queueFollowUp } from './followups.js';
import { insertEvent } from './store.js';

export const PAYEX_PREFIX = '/webhooks/payex/';
const MAX_REFERENCE = 256;

/** GET /payex/callback-url?orderReference=…: for the merchant's server only (admin token). */
export async function payexCallbackUrl(request, env) {
  allowMethods(request, 'GET');
  await requireAdmin(request, env);
  const secret = setting(env, 'CALLBACK_SECRET');
  const references = new URL(request.url).searchParams.getAll('orderReference');
  if (references.length === 0) throw new PayhookError('MISSING_FIELD', 'give ?orderReference=…', 'orderReference');
  if (references.length > 1) throw new PayhookError('DUPLICATE_FIELD', 'give one orderReference', 'orderReference');
  const [reference] = references;
  if (reference === '' || reference.length > MAX_REFERENCE) {
    throw new PayhookError('INVALID_FIELD', `orderReference must be 1 to ${MAX_REFERENCE} characters`, 'orderReference');
  }
  // Swedbank Pay retries callbacks for a while: the default lifetime is 30 days.
  const expiresAt = Math.floor(Date.now() / 1000) + seconds(env, 'PAYEX_CALLBACK_TTL_SECONDS', 30 * 86400);
  const base = publicUrl(env, request, PAYEX_PREFIX + encodeURIComponent(reference));
  return json(200, { ok: true, url: signCallbackUrl(base, secret, { expiresAt }), expiresAt });
}

/** POST /webhooks/payex/<orderReference>?exp=…&sig=… */
export async function payexWebhook(request, env) {
  allowMethods(request, 'POST');
  requireContentType(request, 'application/json');
  verifyCallbackUrl(request.url, setting(env, 'CALLBACK_SECRET'));
  const reference = orderReference(new URL(request.url).pathname);
  const body = await readBody(request, JSON_LIMIT);
  const callback = parsePayexCallback(body);
  if (callback.orderReference !== undefined && callback.orderReference !== reference) {
    throw new PayhookError('INVALID_FIELD', 'the callback is for another order than its URL', 'orderReference');
  }
  // The same order reference and body again (a repeated delivery) is a duplicate:
  // SHA-256 of `<byte length of the reference>:<reference><body>`.
  const referenceBytes = new TextEncoder().encode(reference);
  const prefix = new TextEncoder().encode(`${referenceBytes.length}:${reference}`);
  const key = await sha256Hex(concat(prefix, body));
  const event = { provider: 'payex-callback', key, kind: 'callback', payload: { orderReference: reference, ...callback } };
  const { id, duplicate } = await insertEvent(env.DB, event);
  if (!duplicate) {
    // The most specific resource the callback names.
    const path = callback.transactionUrl ?? callback.paymentOrderUrl ?? callback.paymentUrl;
    await queueFollowUp(env, id, { type: 'payex-resource', provider: 'payex-callback', key, path, orderReference: reference });
  }
  return ok(duplicate);
}

function concat(a, b) {
  const bytes = new Uint8Array(a.byteLength + b.byteLength);
  bytes.set(a, 0);
  bytes.set(b, a.byteLength);
  return bytes;
}

function orderReference(pathname) {
  const segment = pathname.slice(PAYEX_PREFIX.length);
  try {
    if (segment !== '' && !segment.includes('/')) return decodeURIComponent(segment);
  } catch {
    // bad percent-encoding: refused below
  }
  throw new HttpError(404, 'NOT_FOUND', 'use the URL from GET /payex/callback-url');
}
