// Declarations for HAPI, signed URLs, Smart Router and PayEx type real code.
import {
  buildBasicAuthWebhookUrl,
  buildHapiCallbackUrl,
  buildPayexRequest,
  buildSmartRouterEventRequest,
  checkBasicAuth,
  diagnoseHitpayWebhook,
  parseHapiCallback,
  parsePayexCallback,
  parseSmartRouterWebhook,
  setHapiSuccessCallbackUrl,
  signCallbackUrl,
  verifyCallbackUrl,
} from 'payhook';

const url: string = buildHapiCallbackUrl('https://ats.example/cb', { orderId: 'o-1' });
const cb = parseHapiCallback(url);
if (cb.kind === 'directChargeCampaignOrder') {
  const d: string = cb.draftCampaignId;
  void d;
}
const p: Promise<string> = setHapiSuccessCallbackUrl('https://ats.example/cb');
const signed: string = signCallbackUrl(url, 'secret', { expiresAt: 1 });
const params: Record<string, string> = verifyCallbackUrl(signed, 'secret', { ignoreKeys: ['amount'], now: 0 });

const diag = diagnoseHitpayWebhook('a=1', 'salt');
const confirmed: boolean = diag.hints.every((h) => h.confirmed);

const ev = parseSmartRouterWebhook('{"event_id":"ev_1"}');
const ok: boolean = checkBasicAuth(null, 'u', 'p');
const hook: string = buildBasicAuthWebhookUrl('https://h.example/', 'u', 'p');
const req = buildSmartRouterEventRequest(ev.eventId, { projectId: 'p', privateKey: 'k' });
const m: 'GET' = req.method;

const payex = parsePayexCallback('{}');
const n: number | undefined = payex.paymentNumber;
if (payex.paymentUrl) buildPayexRequest(payex.paymentUrl, { token: 't', apiBase: 'http://127.0.0.1:1' });

// @ts-expect-error the token is required
buildPayexRequest('/psp/x', {});
// @ts-expect-error expiresAt is unix seconds, not a Date
signCallbackUrl(url, 'secret', { expiresAt: new Date() });

void [p, params, confirmed, ok, hook, m, n];
