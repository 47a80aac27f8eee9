// The Fetch API functions' declarations, under strict: a global Request (and a
// subclass, as Next.js hands one) is accepted, results are typed, an Express-like
// request object is refused at compile time.
import {
  verifyHitpayRequest, verifyHitpayEventRequest, parseSmartRouterRequest, parsePayexRequest, parseHapiRequest,
  type HitpayWebhook, type HitpayEventRequest, type SmartRouterWebhook, type PayexCallback, type HapiRequest,
  type FetchRequest,
} from 'payhook';

declare const request: Request;
class NextRequest extends Request {}
declare const next: NextRequest;

export async function all(): Promise<void> {
  const hook: HitpayWebhook = await verifyHitpayRequest(request, 'salt');
  const strict: HitpayWebhook = await verifyHitpayRequest(next, 'salt', { strict: true });
  const event: HitpayEventRequest = await verifyHitpayEventRequest(request, 'salt');
  const type: string | null = event.eventType;
  const sr: SmartRouterWebhook = await parseSmartRouterRequest(request, { username: 'u', password: 'p' });
  const payex: PayexCallback = await parsePayexRequest(request);
  const hapi: HapiRequest = await parseHapiRequest(request, 'secret', { now: 1 });
  const orderId: string | undefined = hapi.signed.orderId;
  const amount: string = hapi.amount;
  const asFetch: FetchRequest = request;
  void [hook, strict, type, sr, payex, orderId, amount, asFetch];

  // @ts-expect-error an Express request is not a Fetch API Request
  await verifyHitpayRequest({ body: {}, headers: { 'content-type': 'x' } }, 'salt');
  // @ts-expect-error credentials are required
  await parseSmartRouterRequest(request);
}
