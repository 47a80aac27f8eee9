// GET /events: what was stored, newest first, for the admin (ADMIN_TOKEN).
// ?provider=hitpay|hitpay-event|hapi|smart-router|payex|payex-callback filters, ?limit= (1 to 200, default 50).
import { PayhookError } from 'payhook';
import { allowMethods, json, requireAdmin } from './http.js';
import { listEvents } from './store.js';

export async function events(request, env) {
  allowMethods(request, 'GET');
  await requireAdmin(request, env);
  const query = new URL(request.url).searchParams;
  const limit = Number(query.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new PayhookError('INVALID_FIELD', 'limit must be an integer from 1 to 200', 'limit');
  }
  return json(200, { ok: true, events: await listEvents(env.DB, { provider: query.get('provider'), limit }) });
}
