// HAPI Elements (VONQ). HAPI calls the page's paymentIntentSuccessCallbackUrl
// after a payment, appending draftCampaignId (direct charge only), amount and
// walletId, and signs nothing. So the front end asks this Worker for a URL that
// the Worker signed (CALLBACK_SECRET); the callback must carry that signature.
import { PayhookError, buildHapiCallbackUrl, parseHapiRequest, signCallbackUrl } from 'payhook';
import { HttpError, allowMethods, json, ok, publicUrl, seconds, setting } from './http.js';
import { insertEvent } from './store.js';

// Set by this Worker, never taken from the query.
const OWN_KEYS = new Set(['cbid', 'exp', 'sig']);

/**
 * GET /hapi/callback-url?orderId=…: `{ ok, url, expiresAt }`, a fresh signed
 * callback URL carrying the query's parameters (signed) and `cbid`, a random id
 * that names the issued URL: one event per issued URL. Public (the front end
 * asks for it), so rate-limited per client IP (the HAPI_URL_RATE_LIMIT binding).
 */
export async function hapiCallbackUrl(request, env) {
  allowMethods(request, 'GET');
  const secret = setting(env, 'CALLBACK_SECRET');
  await rateLimit(request, env);
  const params = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    if (OWN_KEYS.has(key)) throw new PayhookError('RESERVED_QUERY_KEY', `${key} is set by the Worker`, key);
    if (Object.hasOwn(params, key)) throw new PayhookError('DUPLICATE_FIELD', `${key} is given twice`, key);
    params[key] = value;
  }
  params.cbid = crypto.randomUUID();
  const expiresAt = Math.floor(Date.now() / 1000) + seconds(env, 'HAPI_CALLBACK_TTL_SECONDS', 3600);
  const base = buildHapiCallbackUrl(publicUrl(env, request, '/webhooks/hapi'), params);
  const url = signCallbackUrl(base, secret, { expiresAt });
  return json(200, { ok: true, url, expiresAt });
}

/**
 * POST /webhooks/hapi?…&exp=…&sig=…&amount=…&walletId=…[&draftCampaignId=…]
 * The body is not used. Keyed by the issued URL (`cbid`): the first call of an
 * issued URL is its event, any later call is a duplicate, whatever it claims.
 * amount, walletId and draftCampaignId are not covered by the signature: they
 * are HAPI's claims, stored as such (confirm with HAPI before crediting anything).
 */
export async function hapiWebhook(request, env) {
  allowMethods(request, 'POST');
  const secret = setting(env, 'CALLBACK_SECRET');
  const { signed, ...hapi } = await parseHapiRequest(request, secret);
  if (!signed.cbid) {
    throw new PayhookError('MISSING_FIELD', 'the callback URL was not issued by GET /hapi/callback-url', 'cbid');
  }
  const { duplicate } = await insertEvent(env.DB, {
    provider: 'hapi',
    key: signed.cbid,
    kind: hapi.kind,
    payload: {
      kind: hapi.kind,
      claims: { amount: hapi.amount, walletId: hapi.walletId, draftCampaignId: hapi.draftCampaignId ?? null },
      params: signed,
    },
  });
  return ok(duplicate);
}

/**
 * Issuance per client IP (CF-Connecting-IP) through the Workers Rate Limiting
 * binding (wrangler.toml [[ratelimits]]): counted per Cloudflare location and
 * only roughly, which is what throttling needs; no storage write per request.
 */
async function rateLimit(request, env) {
  const limiter = env.HAPI_URL_RATE_LIMIT;
  if (!limiter || typeof limiter.limit !== 'function') {
    throw new HttpError(500, 'NOT_CONFIGURED', 'the Worker binding HAPI_URL_RATE_LIMIT is not set');
  }
  const ip = request.headers.get('cf-connecting-ip') ?? '';
  const { success } = await limiter.limit({ key: `hapi-url:${ip}` });
  if (!success) {
    throw new HttpError(429, 'RATE_LIMITED', 'too many callback URLs from this client; try again in a minute', {
      'retry-after': '60',
    });
  }
}
