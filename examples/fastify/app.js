// A Fastify app that receives HitPay webhooks. The signature covers the body
// exactly as sent, so the webhook routes live in their own plugin whose only
// content-type parser keeps the raw bytes (a Buffer, which payhook reads as it
// is), at most the contract's limit; the rest of the app keeps Fastify's JSON
// parser.
import Fastify from 'fastify';
import { verifyHitpayWebhook, verifyHitpayEvent, PayhookError, LIMITS } from 'payhook';

export function createApp({ hitpaySalt }) {
  const app = Fastify();

  app.register(async (webhooks) => {
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => done(null, body));

    webhooks.post('/webhooks/hitpay', { bodyLimit: LIMITS.FORM_BODY }, async (req) => {
      const hook = verifyHitpayWebhook(req.body ?? '', hitpaySalt);
      // … store hook.fields once per hook.paymentId, then answer 200
      return { ok: true, paymentId: hook.paymentId, status: hook.status };
    });

    webhooks.post('/webhooks/hitpay-events', { bodyLimit: LIMITS.EVENT_BODY }, async (req) => {
      const payload = verifyHitpayEvent(req.body ?? '', req.headers['hitpay-signature'], hitpaySalt);
      return { ok: true, eventType: req.headers['hitpay-event-type'] ?? null, id: payload.id };
    });
  });

  // A refused webhook: the error code, never a secret.
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof PayhookError) {
      const status = {
        SIGNATURE_MISMATCH: 401, MISSING_SIGNATURE: 401, MALFORMED_SIGNATURE: 401, PAYLOAD_TOO_LARGE: 413,
      }[err.code] ?? 400;
      return reply.status(status).send({ ok: false, code: err.code });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    return reply.send(err);
  });
  return app;
}
