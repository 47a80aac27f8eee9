// Compiled with `tsc --noEmit` by `make test`: the declarations of issue 13's
// payment-request parameters and answer, the status request and GET webhooks.
import {
  buildHitpayPaymentRequest,
  buildHitpayPaymentRequestStatusRequest,
  parseHitpayPaymentRequestResponse,
  parseSmartRouterWebhookUrl,
  type GetRequest,
  type HitpayAddress,
  type HitpayPaymentRequest,
  type HitpayPaymentRequestParams,
  type SmartRouterWebhook,
} from 'payhook';

const address: HitpayAddress = { line1: '177 River Valley Road', postalCode: '179030', country: 'SG' };
const params: HitpayPaymentRequestParams = {
  amount: '10.00',
  currency: 'SGD',
  paymentMethods: ['wifi_card_reader'],
  expiresAfter: '5 minutes',
  addAdminFee: true,
  sendEmail: false,
  sendSms: true,
  wifiTerminalId: 'tmr_1',
  staffId: '98888a24-d6b2-430d-9063-d2be76d443cd',
  locationId: '9dd07721-d215-4947-9c79-2b8ec25f69db',
  channel: 'api_woocomm',
  address,
};
const body: string = buildHitpayPaymentRequest(params, { apiKey: 'k' }).body;

const answer: HitpayPaymentRequest = parseHitpayPaymentRequestResponse(new Uint8Array(0));
const id: string = answer.id;
const amount: string = answer.amount;
const reference: string | undefined = answer.referenceNumber;
// `url` is a string unless the answer is a QR-flow one, which then has its payload.
if (answer.qrCode === undefined) {
  const checkout: string = answer.url;
  void checkout;
}
if (answer.url === undefined) {
  const qr: string = answer.qrCode;
  void qr;
}
parseHitpayPaymentRequestResponse('{}');
parseHitpayPaymentRequestResponse(new ArrayBuffer(0));

const status: GetRequest = buildHitpayPaymentRequestStatusRequest(id, { apiKey: 'k', sandbox: true });
const get: 'GET' = status.method;

const hook: SmartRouterWebhook = parseSmartRouterWebhookUrl('/webhooks/sr?event_id=ev_1');
const eventType: string | undefined = hook.eventType;

// Wrong code must not type-check.
// @ts-expect-error an address needs line1
const noLine1: HitpayAddress = { city: 'Singapore' };
// @ts-expect-error sendSms is a boolean, never a string
buildHitpayPaymentRequest({ amount: '10.00', currency: 'SGD', sendSms: 'true' }, { apiKey: 'k' });
// @ts-expect-error the API key is required
buildHitpayPaymentRequestStatusRequest(id, {});
// @ts-expect-error url may be absent (a QR-flow answer)
const always: string = answer.url;
// @ts-expect-error the amount is a string
const asNumber: number = answer.amount;

void [body, amount, reference, get, eventType, noLine1, always, asNumber];
