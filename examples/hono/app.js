// A Hono app that receives HitPay and Smart Router webhooks. The same app runs
// in Node (node.js) and in a Cloudflare Worker (worker.js): Hono hands every
// route the Fetch API Request (c.req.raw), which payhook reads itself, with its
// body limit applied while the body streams in. Secrets come from the Worker's
// env, or from process.env in Node (node.js passes it as the env).
import { Hono } from 'hono';
import {
  verifyHitpayRequest, verifyHitpayEventRequest, parseSmartRouterRequest, PayhookError,
} from 'payhook';

export const app = new Hono();

app.post('/webhooks/hitpay', async (c) => {
  const hook = await verifyHitpayRequest(c.req.raw, c.env.HITPAY_SALT);
  // … store hook.fields once per hook.paymentId, then answer 200
  return c.json({ ok: true, paymentId: hook.paymentId, status: hook.status });
});

app.post('/webhooks/hitpay-events', async (c) => {
  const { eventType, payload } = await verifyHitpayEventRequest(c.req.raw, c.env.HITPAY_SALT);
  return c.json({ ok: true, eventType, id: payload.id });
});

app.post('/webhooks/smart-router', async (c) => {
  const { eventId } = await parseSmartRouterRequest(c.req.raw, {
    username: c.env.SR_USER, password: c.env.SR_PASSWORD,
  });
  // … store eventId, then fetch the event from ProcessOut (buildSmartRouterEventRequest)
  return c.json({ ok: true, eventId });
});

// A refused webhook: the error code, never a secret; 401 for a bad signature or
// credentials (the sender should not retry), 413 for a body over the limit.
app.onError((err, c) => {
  if (!(err instanceof PayhookError)) throw err;
  const status = {
    SIGNATURE_MISMATCH: 401, MISSING_SIGNATURE: 401, MALFORMED_SIGNATURE: 401, UNAUTHORIZED: 401,
    PAYLOAD_TOO_LARGE: 413,
  }[err.code] ?? 400;
  return c.json({ ok: false, code: err.code }, status);
});
