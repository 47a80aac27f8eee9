// Compiled with `tsc --noEmit` by `make test`: the declarations a user gets
// from `import … from 'payhook'` must type real code, and reject wrong code.
import {
  buildHitpayPaymentRequest,
  diagnoseHitpayWebhook,
  HitpayVerifier,
  parseHitpayRedirect,
  PayhookError,
  signHitpayWebhook,
  verifyHitpayEvent,
  verifyHitpayWebhook,
  type HitpayDiagnosisHint,
  type HitpayVerifyOptions,
  type HitpayWebhook,
  type PayhookErrorCode,
} from 'payhook';

const body: string = 'a=1&hmac=00';
const webhook: HitpayWebhook = verifyHitpayWebhook(body, 'salt');
const amount: string | undefined = webhook.amount;
const fields: Record<string, string> = webhook.fields;
verifyHitpayWebhook(new Uint8Array([97]), 'salt');
new HitpayVerifier('salt').verify(new ArrayBuffer(1)).fields;

// Strict mode (issue 13), and the null-field hint.
const strict: HitpayVerifyOptions = { strict: true };
verifyHitpayWebhook(body, 'salt', strict).status;
verifyHitpayWebhook(body, 'salt', {});
new HitpayVerifier('salt', { strict: false }).verify(body);
const hint: HitpayDiagnosisHint['code'] = 'NULL_FIELD_OMITTED';
const hints = diagnoseHitpayWebhook(body, 'salt').hints.filter((h) => h.code === 'NULL_FIELD_OMITTED' && h.confirmed);

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
// @ts-expect-error strict is a boolean
verifyHitpayWebhook(body, 'salt', { strict: 'yes' });
// @ts-expect-error no such option
new HitpayVerifier('salt', { strictness: true });
// @ts-expect-error not a hint code
const badHint: HitpayDiagnosisHint['code'] = 'NULL_FIELD';

void [amount, fields, id, method, headers, reference, status, bad, hint, hints, badHint];

// free() and Symbol.dispose (issue 14): `using` frees at the end of the block.
const verifier = new HitpayVerifier('salt');
verifier.free();
verifier[Symbol.dispose]();
// @ts-expect-error free() returns nothing
verifier.free().x;
