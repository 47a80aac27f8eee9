// Compiled by tests/node/typescript.test.mjs as an ES module project (package.json
// "type": "module"), under node16, nodenext and bundler resolution: the `import`
// side of the conditions (pkg/index.d.ts, pkg/hapi.d.ts).
import { HitpayVerifier, PayhookError, verifyHitpayWebhook, type HitpayWebhook, type PayhookErrorCode } from 'payhook';
import { buildHapiCallbackUrl, PayhookError as HapiError, type HapiCallback } from 'payhook/hapi';
import * as hapi from 'payhook/hapi';

declare const body: string;
try {
  const hook: HitpayWebhook = verifyHitpayWebhook(body, 'salt');
  const amount: string | undefined = new HitpayVerifier('salt').verify(body).amount;
  void hook;
  void amount;
} catch (err) {
  if (err instanceof PayhookError) {
    const code: PayhookErrorCode = err.code;
    void code;
  }
}
const url: string = buildHapiCallbackUrl('https://ats.example/cb', { orderId: 'o-1' });
const cb: HapiCallback = hapi.parseHapiCallback(url);
// One class across the two entries.
const e: PayhookError = new HapiError('INVALID_URL', 'bad');
void cb;
void e;
// @ts-expect-error: a number is not a body
verifyHitpayWebhook(42, 'salt');
// @ts-expect-error: payhook/hapi has only the HAPI functions
hapi.verifyHitpayWebhook;
