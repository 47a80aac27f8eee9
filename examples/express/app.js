// An Express 5 app that receives HitPay webhooks. The signature covers the body
// exactly as sent, so the webhook routes take it raw: express.raw() gives
// req.body as a Buffer (a Uint8Array), which payhook reads as it is. With
// express.urlencoded() or express.json() the bytes are gone and payhook answers
// MALFORMED_BODY, saying so. Keep the global parsers off these routes.
import express from 'express';
import { verifyHitpayWebhook, verifyHitpayEvent, PayhookError, LIMITS } from 'payhook';

export function createApp({ hitpaySalt }) {
  const app = express();

  // Every content type, at most the contract's limit (body-parser stops reading
  // past it, with or without Content-Length, and answers 413).
  const raw = (limit) => express.raw({ type: () => true, limit });

  app.post('/webhooks/hitpay', raw(LIMITS.FORM_BODY), (req, res) => {
    const hook = verifyHitpayWebhook(req.body ?? '', hitpaySalt);
    // … store hook.fields once per hook.paymentId, then answer 200
    res.json({ ok: true, paymentId: hook.paymentId, status: hook.status });
  });

  app.post('/webhooks/hitpay-events', raw(LIMITS.EVENT_BODY), (req, res) => {
    const payload = verifyHitpayEvent(req.body ?? '', req.get('hitpay-signature'), hitpaySalt);
    res.json({ ok: true, eventType: req.get('hitpay-event-type') ?? null, id: payload.id });
  });

  // A refused webhook: the error code, never a secret.
  app.use((err, req, res, next) => {
    if (err instanceof PayhookError) {
      const status = {
        SIGNATURE_MISMATCH: 401, MISSING_SIGNATURE: 401, MALFORMED_SIGNATURE: 401, PAYLOAD_TOO_LARGE: 413,
      }[err.code] ?? 400;
      res.status(status).json({ ok: false, code: err.code });
    } else if (err.type === 'entity.too.large') {
      res.status(413).json({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    } else {
      next(err);
    }
  });
  return app;
}
