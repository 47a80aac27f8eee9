// GET /events: what was stored, newest first, for the admin (ADMIN_TOKEN).
// ?provider=hitpay|hitpay-event|hapi|smart-router|payex|payex-callback filters, ?limit= (1 to 200, default 50),
// ?before=<id> pages back (only events with a smaller id: pass the last id of the page before).
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
  const before = query.has('before') ? Number(query.get('before')) : null;
  if (before !== null && !(Number.isSafeInteger(before) && before > 0)) {
    throw new PayhookError('INVALID_FIELD', 'before must be a positive integer (an event id)', 'before');
  }
  return json(200, { ok: true, events: await listEvents(env.DB, { provider: query.get('provider'), limit, before }) });
}
