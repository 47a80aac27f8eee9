// Compiled with `tsc --noEmit` by `make test`: the declarations a user gets
// from `import … from 'payhook'` must type real code, and reject wrong code.
import {
  buildHitpayPaymentRequest,
  HitpayVerifier,
  parseHitpayRedirect,
  PayhookError,
  signHitpayWebhook,
  verifyHitpayEvent,
  verifyHitpayWebhook,
  type HitpayWebhook,
  type PayhookErrorCode,
} from 'payhook';

const body: string = 'a=1&hmac=00';
const webhook: HitpayWebhook = verifyHitpayWebhook(body, 'salt');
const amount: string | undefined = webhook.amount;
const fields: Record<string, string> = webhook.fields;
verifyHitpayWebhook(new Uint8Array([97]), 'salt');
new HitpayVerifier('salt').verify(new ArrayBuffer(1)).fields;

const hex: string = signHitpayWebhook({ a: '1' }, 'salt');
const event = verifyHitpayEvent(body, hex, 'salt');
const id = event['id'];

const req = buildHitpayPaymentRequest(
  { amount: '10.00', currency: 'SGD', paymentMethods: ['card'], generateQr: true },
  { apiKey: 'k', sandbox: true },
);
const method: 'POST' = req.method;
const headers: Record<string, string> = req.headers;
const { reference, status } = parseHitpayRedirect('/done?reference=r&status=completed');

try {
  verifyHitpayWebhook(body, 'salt');
} catch (e) {
  if (e instanceof PayhookError) {
    const code: PayhookErrorCode = e.code;
    const field: string | undefined = e.field;
    void code;
    void field;
  }
}

// Wrong code must not type-check.
// @ts-expect-error amount is a string, never a number
buildHitpayPaymentRequest({ amount: 10, currency: 'SGD' }, { apiKey: 'k' });
// @ts-expect-error apiKey is required
buildHitpayPaymentRequest({ amount: '10.00', currency: 'SGD' }, {});
// @ts-expect-error a salt is required
verifyHitpayWebhook(body);
// @ts-expect-error not a code
const bad: PayhookErrorCode = 'NOPE';

void [amount, fields, id, method, headers, reference, status, bad];
