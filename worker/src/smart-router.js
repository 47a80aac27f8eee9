// Smart Router (ProcessOut). The webhook carries only an event id and no
// signature; it is authenticated by basic auth (the credentials are part of the
// webhook URL configured at ProcessOut, see buildBasicAuthWebhookUrl), and the
// event itself is fetched from the API by the queue consumer (followups.js).
import { PayhookError, parseSmartRouterRequest } from 'payhook';
import { HttpError, allowMethods, forPayhook, ok, requireContentType, setting } from './http.js';
import { queueFollowUp } from './followups.js';
import { insertEvent } from './store.js';

/** POST /webhooks/smart-router with `Authorization: Basic …`. Keyed by event_id. */
export async function smartRouterWebhook(request, env) {
  allowMethods(request, 'POST');
  requireContentType(request, 'application/json');
  const user = setting(env, 'SMART_ROUTER_WEBHOOK_USER');
  const password = setting(env, 'SMART_ROUTER_WEBHOOK_PASSWORD');
  let webhook;
  try {
    // Basic auth first (UNAUTHORIZED before the body is read), then the JSON body.
    webhook = await parseSmartRouterRequest(forPayhook(request), { username: user, password });
  } catch (err) {
    if (!(err instanceof PayhookError) || err.code !== 'UNAUTHORIZED') throw err;
    throw new HttpError(401, 'UNAUTHORIZED', 'wrong or missing basic auth credentials', {
      'www-authenticate': 'Basic realm="payhook", charset="UTF-8"',
    });
  }
  const { eventId, eventType } = webhook;
  const event = { provider: 'smart-router', key: eventId, kind: eventType ?? 'event', payload: { eventId, eventType } };
  const { id, duplicate } = await insertEvent(env.DB, event);
  if (!duplicate) await queueFollowUp(env, id, { type: 'smart-router-event', provider: event.provider, key: eventId });
  return ok(duplicate);
}

