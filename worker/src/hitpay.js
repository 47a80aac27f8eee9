// HitPay: form webhooks (`hmac` in the body) and event webhooks (JSON body,
// `Hitpay-Signature` header). Both are signed with the salt (HITPAY_SALT).
import { PayhookError, verifyHitpayEvent, verifyHitpayRequest } from 'payhook';
import {
  EVENT_LIMIT, allowMethods, forPayhook, ok, readBody, requireAllowedIp, requireContentType, setting, sha256Hex,
} from './http.js';
import { insertEvent } from './store.js';

/**
 * POST /webhooks/hitpay: the `webhook` parameter of a payment request. Keyed by
 * payment_id and status: HitPay sends a payment again when its status changes
 * (pending, then completed), and each signed state is kept; the same state
 * again is a duplicate. Verified in strict mode: only a well-formed HitPay payment
 * webhook is stored, never a genuine body re-split into other fields (README,
 * "HitPay: re-splitting").
 */
export async function hitpayWebhook(request, env) {
  allowMethods(request, 'POST');
  requireAllowedIp(request, env, 'HITPAY_ALLOWED_IPS');
  requireContentType(request, 'application/x-www-form-urlencoded');
  const salt = setting(env, 'HITPAY_SALT');
  const hook = await verifyHitpayRequest(forPayhook(request), salt, { strict: true });
  if (hook.paymentId === undefined || hook.paymentId === '') {
    throw new PayhookError('MISSING_FIELD', 'the webhook has no payment_id to key it by', 'payment_id');
  }
  const { duplicate } = await insertEvent(env.DB, {
    provider: 'hitpay',
    key: `${hook.paymentId}:${hook.status ?? ''}`,
    kind: hook.status ?? 'payment',
    payload: hook,
  });
  return ok(duplicate);
}

/**
 * POST /webhooks/hitpay/events: charge, order, invoice… events. One object can
 * be sent several times with new content (charge.created, then charge.updated on
 * a refund), so the key is its id plus the hash of the signed body: the same
 * delivery again is a duplicate, an update is a new row.
 */
export async function hitpayEvent(request, env) {
  allowMethods(request, 'POST');
  requireAllowedIp(request, env, 'HITPAY_ALLOWED_IPS');
  requireContentType(request, 'application/json');
  const salt = setting(env, 'HITPAY_SALT');
  const body = await readBody(request, EVENT_LIMIT);
  const event = verifyHitpayEvent(body, request.headers.get('hitpay-signature') ?? '', salt);
  const hash = await sha256Hex(body);
  const id = typeof event.id === 'string' && event.id !== '' ? event.id : null;
  const { duplicate } = await insertEvent(env.DB, {
    provider: 'hitpay-event',
    key: id ? `${id}:${hash}` : hash,
    kind: 'event',
    // The object type and event type headers are not signed: kept as the sender's claim.
    payload: {
      object: request.headers.get('hitpay-event-object'),
      type: request.headers.get('hitpay-event-type'),
      event,
    },
  });
  return ok(duplicate);
}
