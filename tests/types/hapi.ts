// 'payhook/hapi' (package.json "./hapi" -> hapi.d.ts): the HAPI functions and
// PayhookError, typed as in 'payhook', and nothing else.
import * as hapi from 'payhook/hapi';
import {
  PayhookError,
  buildHapiCallbackUrl,
  parseHapiCallback,
  setHapiSuccessCallbackUrl,
  type HapiCallback,
  type PayhookErrorCode,
  type QueryParams,
} from 'payhook/hapi';
import * as full from 'payhook';

const params: QueryParams = { orderId: 'o-1' };
const url: string = buildHapiCallbackUrl('https://ats.example/cb', params);
const cb: HapiCallback = parseHapiCallback(url);
if (cb.kind === 'directChargeCampaignOrder') {
  const d: string = cb.draftCampaignId;
  void d;
} else {
  const none: undefined = cb.draftCampaignId;
  void none;
}
const p: Promise<string> = setHapiSuccessCallbackUrl('https://ats.example/cb');

// One class: an error of either entry is the other's PayhookError.
const e1: full.PayhookError = new PayhookError('RESERVED_QUERY_KEY', 'reserved', 'amount');
const e2: PayhookError = new full.PayhookError('INVALID_URL', 'bad');
const c: PayhookErrorCode = e1.code;
const sameFns: typeof full.buildHapiCallbackUrl = hapi.buildHapiCallbackUrl;

// @ts-expect-error payhook/hapi has no HitPay verification (import it from 'payhook')
hapi.verifyHitpayWebhook('a=1', 'salt');
// @ts-expect-error nor signed callback URLs
hapi.signCallbackUrl(url, 'secret');
// @ts-expect-error the params are strings
buildHapiCallbackUrl('https://ats.example/cb', { n: 1 });

void [p, e2, c, sameFns];
