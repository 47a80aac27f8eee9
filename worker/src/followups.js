// Follow-up fetches: Smart Router and PayEx webhooks only name what happened;
// the Worker GETs the resource from the provider's API (base URL and credentials
// from the settings) in a Queue consumer, and stores the answer on the event's
// row. A failed fetch is retried by the queue (message.retry(); wrangler.toml
// sets retry_delay, max_retries and a dead-letter queue), so nothing is lost.
//
// A message is { type, provider, key, path? }: it names the stored event and
// what to fetch, never a credential.
import { buildPayexRequest, buildSmartRouterEventRequest } from 'payhook';
import { setting } from './http.js';
import { deleteEvent, saveFetchError, saveFetched } from './store.js';

const FETCH_TIMEOUT_MS = 10_000;
const MAX_STORED_CHARS = 512 * 1024;

const REQUESTS = {
  'smart-router-event': (message, env) => buildSmartRouterEventRequest(message.key, {
    projectId: setting(env, 'SMART_ROUTER_PROJECT_ID'),
    privateKey: setting(env, 'SMART_ROUTER_PRIVATE_KEY'),
    apiBase: env.SMART_ROUTER_API_BASE || undefined,
  }),
  'payex-resource': (message, env) => buildPayexRequest(message.path, {
    token: setting(env, 'PAYEX_TOKEN'),
    apiBase: env.PAYEX_API_BASE || undefined,
  }),
};

/**
 * Queues the follow-up of a freshly stored event. If the queue refuses it, the
 * row is removed again and the error propagates (500): the provider retries the
 * delivery, which then stores and queues it anew.
 */
export async function queueFollowUp(env, id, message) {
  try {
    await env.FOLLOWUPS.send(message, { contentType: 'json' });
  } catch (err) {
    await deleteEvent(env.DB, id);
    throw err;
  }
}

class FetchError extends Error {}

async function runFollowUp(message, env) {
  const build = REQUESTS[message.type];
  if (!build) throw new FetchError(`unknown follow-up type ${message.type}`);
  const { method, url, headers } = build(message, env);
  let res;
  try {
    res = await fetch(url, { method, headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (err) {
    throw new FetchError(`${err.name === 'TimeoutError' ? 'timeout' : 'network error'} (${err.name})`);
  }
  const text = await res.text();
  if (!res.ok) throw new FetchError(`HTTP ${res.status}`);
  if (text.length > MAX_STORED_CHARS) throw new FetchError(`answer over ${MAX_STORED_CHARS} characters`);
  await saveFetched(env.DB, message, text);
}

/** The queue consumer: each message is acked once stored, else retried. */
export async function consumeFollowUps(batch, env) {
  for (const message of batch.messages) {
    const { type, provider, key } = message.body;
    try {
      await runFollowUp(message.body, env);
      message.ack();
      console.log(JSON.stringify({ followUp: type, provider, key, attempts: message.attempts, stored: true }));
    } catch (err) {
      // Never the request itself: its headers hold the credentials. payhook's and
      // our own messages carry no secret; anything else is logged by its name.
      const error = err instanceof FetchError ? err.message : err.code ? `${err.code}: ${err.message}` : err.name;
      console.error(JSON.stringify({ followUp: type, provider, key, attempts: message.attempts, retry: true, error }));
      await saveFetchError(env.DB, message.body, error).catch(() => {});
      message.retry();
    }
  }
}
