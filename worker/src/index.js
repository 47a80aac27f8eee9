// payhook reference Worker: verifies payment webhooks with payhook (imported
// through its `workerd` entry), stores each event once in D1, fetches follow-ups
// from a Queue consumer and serves the demo (www/) as static assets.
//
//   POST /webhooks/hitpay              HitPay form webhook (hmac in the body)
//   POST /webhooks/hitpay/events       HitPay event webhook (Hitpay-Signature)
//   GET  /hapi/callback-url?…          a signed HAPI callback URL for the front end (rate-limited)
//   POST /webhooks/hapi?…              HAPI Elements callback (signed URL)
//   POST /webhooks/smart-router        Smart Router (basic auth), event fetched later
//   GET  /payex/callback-url?orderReference=…   a signed PayEx callback URL (admin)
//   POST /webhooks/payex/<orderReference>?…     PayEx callback (signed URL), recorded; the event is what the GET confirms
//   GET  /events                       stored events, newest first (admin)
//   anything else                      the static assets (the demo)
//
// Every route: a URL over 8 KiB is 413 before anything else, and what is left of
// a request body is drained (bounded) before the answer goes out.
import { HttpError, URL_LIMIT, drain, errorResponse } from './http.js';
import { hitpayEvent, hitpayWebhook } from './hitpay.js';
import { hapiCallbackUrl, hapiWebhook } from './hapi.js';
import { smartRouterWebhook } from './smart-router.js';
import { PAYEX_PREFIX, payexCallbackUrl, payexWebhook } from './payex.js';
import { events } from './admin.js';
import { consumeFollowUps } from './followups.js';

const ROUTES = {
  '/webhooks/hitpay': hitpayWebhook,
  '/webhooks/hitpay/events': hitpayEvent,
  '/hapi/callback-url': hapiCallbackUrl,
  '/webhooks/hapi': hapiWebhook,
  '/webhooks/smart-router': smartRouterWebhook,
  '/payex/callback-url': payexCallbackUrl,
  '/events': events,
};

// Never served from the assets (wrangler.toml: run_worker_first).
const API_PREFIXES = ['/webhooks/', '/hapi/', '/payex/', '/events'];

function route(pathname) {
  if (Object.hasOwn(ROUTES, pathname)) return ROUTES[pathname];
  if (pathname.startsWith(PAYEX_PREFIX)) return payexWebhook;
  return null;
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const handler = route(pathname);
    // The assets answer first when a file matches; what reaches the Worker
    // otherwise gets the assets' 404 (or 405), or ours under the API prefixes.
    if (handler === null && env.ASSETS && !API_PREFIXES.some((p) => pathname.startsWith(p))) {
      return env.ASSETS.fetch(request);
    }
    let response;
    try {
      // The full URL as received (percent-encoded: one byte per character).
      if (request.url.length > URL_LIMIT) {
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the URL is over ${URL_LIMIT} bytes`);
      }
      if (handler === null) throw new HttpError(404, 'NOT_FOUND', 'no such route');
      response = await handler(request, env);
    } catch (err) {
      response = errorResponse(err);
    }
    // Whatever the answer, what is left of the body is drained (bounded) first: see drain().
    await drain(request);
    // One line per request: method, route, status and code; never a query (it
    // holds signatures), a header or a body.
    const path = pathname.startsWith(PAYEX_PREFIX) ? `${PAYEX_PREFIX}…` : handler === null ? '(none)' : pathname;
    const line = { method: request.method, path, status: response.status };
    if (response.status !== 200) line.code = (await response.clone().json()).code;
    console.log(JSON.stringify(line));
    return response;
  },

  async queue(batch, env) {
    await consumeFollowUps(batch, env);
  },
};
