// Follow-up fetches: Smart Router and PayEx webhooks only name what happened;
// the Worker GETs the resource from the provider's API (base URL and credentials
// from the settings) in a Queue consumer, and stores the answer on the event's
// row. A failed fetch is retried by the queue (message.retry(); wrangler.toml
// sets retry_delay, max_retries and a dead-letter queue), so nothing is lost.
//
// A message is { type, provider, key, path?, orderReference? }: it names the
// stored row and what to fetch, never a credential.
//
// PayEx: the row is the recorded callback (`payex-callback`); the event itself
// (`payex`) is made here from the API's answer and keyed by what the API
// confirmed (see payexEvent), never by what the callback body claimed.
import { buildPayexRequest, buildSmartRouterEventRequest } from 'payhook';
import { setting } from './http.js';
import { deleteEvent, insertEvent, saveFetchError, saveFetched } from './store.js';

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
  if (message.type === 'payex-resource') {
    // The event first: if that fails, the message is retried and the callback row
    // still shows no answer. Both writes are idempotent.
    await insertEvent(env.DB, payexEvent(message, text));
  }
  await saveFetched(env.DB, message, text);
}

// What a PayEx GET answers: a transaction as `{ transaction: {…} }` or under its
// kind (`{ capture: { transaction: {…} } }`), else `{ paymentOrder: {…} }` or
// `{ payment: {…} }`.
const TRANSACTION_KINDS = ['authorization', 'capture', 'cancellation', 'reversal', 'sale', 'verification'];
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKeyPart = (v) => (typeof v === 'string' && v !== '') || Number.isSafeInteger(v);

/**
 * The `payex` event of a fetched resource, keyed by what the API confirmed: the
 * transaction number, else the payment order's or payment's number (or id) and
 * its state, so a later state is a new event. The order reference of the URL the
 * callback came through is part of the key: a callback posted through another
 * order's URL naming this transaction makes an event of its own and cannot
 * claim the genuine one.
 */
function payexEvent(message, text) {
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new FetchError('the answer is not JSON');
  }
  if (!isObject(answer)) throw new FetchError('the answer is not a JSON object');
  const { orderReference, path } = message;
  const payload = (confirmed) => ({ orderReference, resource: path, callback: message.key, ...confirmed });
  const transaction = [answer.transaction, ...TRANSACTION_KINDS.map((k) => answer[k]?.transaction)].find(isObject);
  if (transaction && isKeyPart(transaction.number)) {
    const { id, number, type, state, amount } = transaction;
    return {
      provider: 'payex',
      key: `transaction:${number}:order:${orderReference}`,
      kind: typeof type === 'string' ? type : 'transaction',
      payload: payload({ transaction: { id, number, type, state, amount } }),
      fetched: text,
    };
  }
  for (const [name, value] of [['paymentOrder', answer.paymentOrder ?? answer.paymentorder], ['payment', answer.payment]]) {
    if (!isObject(value)) continue;
    const ref = [value.number, value.id].find(isKeyPart);
    if (ref === undefined) continue;
    if (typeof value.orderReference === 'string' && value.orderReference !== orderReference) {
      throw new FetchError('the resource belongs to another order reference than its callback URL');
    }
    const state = [value.status, value.state].find(isKeyPart) ?? '';
    return {
      provider: 'payex',
      key: `${name}:${ref}:${state}:order:${orderReference}`,
      kind: name,
      payload: payload({ [name]: { id: value.id, number: value.number, state } }),
      fetched: text,
    };
  }
  throw new FetchError('the answer names no transaction, payment order or payment');
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
