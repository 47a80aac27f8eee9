// The operator's view of the reference Worker: GET /events with the admin token
// (Authorization: Bearer), shown as a table, filtered by provider and refreshed
// on a timer. The token is kept in sessionStorage (this tab only, gone when it
// closes), sent only in the Authorization header to this origin, never in a URL.
// Everything the Worker stored was sent by someone else: it is shown as text only.

const TOKEN_KEY = 'payhook.adminToken';
// Providers whose events are completed by a follow-up GET (the queue consumer).
const FOLLOWED_UP = new Set(['smart-router', 'payex-callback']);

const $ = (id) => document.getElementById(id);
const tokenForm = $('token-form');
const tokenInput = $('token');
const tokenError = $('token-error');
const card = $('events-card');
const providerSelect = $('provider');
const limitSelect = $('limit');
const everySelect = $('every');
const status = $('status');
const tbody = document.querySelector('#events tbody');
const empty = $('empty');

let timer = null;
let controller = null;
let loads = 0;
let newestSeen = null; // the highest id of the last answer: rows above it are new
const openIds = new Set(); // payload details the operator opened, kept open across refreshes

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function setToken(value) {
  if (value === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
  document.body.dataset.auth = value === null ? 'none' : 'set';
  $('token-entry').hidden = value !== null;
  $('token-set').hidden = value === null;
  card.hidden = value === null;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const word = (v) => (typeof v === 'string' && v !== '') || Number.isFinite(v);

/** What the event says happened: its kind, and the state the provider reported when there is one. */
function statusOf(event) {
  const p = isObject(event.payload) ? event.payload : {};
  const parts = [event.kind];
  if (event.provider === 'hitpay-event') {
    parts.splice(0, 1, p.type, isObject(p.event) ? p.event.status : undefined);
  } else if (event.provider === 'payex') {
    const confirmed = [p.transaction, p.paymentOrder, p.payment].find(isObject);
    parts.push(confirmed?.state);
  } else if (event.provider === 'smart-router' && isObject(event.fetched) && isObject(event.fetched.event)) {
    parts.push(event.fetched.event.name);
  }
  const shown = [...new Set(parts.filter(word).map(String))];
  return shown.length > 0 ? shown.join(' · ') : '—';
}

/** The follow-up's state: fetched, retrying (the last attempt failed), pending, or none for this provider. */
function followUpOf(event) {
  if (event.provider === 'payex') return { state: 'fetched', label: 'from the API' };
  if (!FOLLOWED_UP.has(event.provider)) return { state: 'none', label: '—' };
  if (event.fetched !== null && event.fetched !== undefined) return { state: 'fetched', label: `fetched ${time(event.fetchedAt)}` };
  if (event.fetchError) return { state: 'retrying', label: 'retrying' };
  return { state: 'pending', label: 'pending' };
}

/** `2026-12-01T10:59:03.123Z` as `2026-12-01 10:59:03` (UTC). */
function time(iso) {
  return typeof iso === 'string' ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}

function row(event) {
  const tr = el('tr');
  tr.dataset.id = String(event.id);
  tr.dataset.provider = event.provider;
  if (newestSeen !== null && event.id > newestSeen) tr.classList.add('new');
  const follow = followUpOf(event);
  tr.dataset.followUp = follow.state;
  const key = el('td', 'key', event.key);
  key.title = event.key;
  const state = el('td');
  state.append(el('span', `pill ${follow.state}`, follow.label));
  const details = el('details');
  details.open = openIds.has(event.id);
  details.addEventListener('toggle', () => (details.open ? openIds.add(event.id) : openIds.delete(event.id)));
  const shown = event.fetched === null || event.fetched === undefined
    ? { payload: event.payload } : { payload: event.payload, fetched: event.fetched };
  details.append(el('summary', null, 'JSON'), el('pre', 'code', JSON.stringify(shown, null, 2)));
  const payload = el('td', 'payload');
  payload.append(details);
  tr.append(
    el('td', 'num', String(event.id)),
    el('td', 'provider', event.provider),
    key,
    el('td', 'status', statusOf(event)),
    el('td', 'time', time(event.receivedAt)),
    state,
    el('td', event.fetchError ? 'fetch-error' : 'empty', event.fetchError ?? '—'),
    payload,
  );
  return tr;
}

function showStatus(kind, text) {
  document.body.dataset.state = kind;
  status.className = `meta ${kind}`;
  status.textContent = text;
}

function schedule() {
  clearTimeout(timer);
  const seconds = Number(everySelect.value);
  if (seconds > 0 && storedToken() !== null) timer = setTimeout(refresh, seconds * 1000);
}

/** Loads the events for the current filter; a newer call supersedes (aborts) an older one. */
async function refresh({ reset = false } = {}) {
  const token = storedToken();
  clearTimeout(timer);
  if (token === null) return;
  // A hidden tab does not poll; it catches up when shown again.
  if (document.visibilityState === 'hidden' && !reset) return schedule();
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  if (reset) newestSeen = null;
  const query = new URLSearchParams({ limit: limitSelect.value });
  if (providerSelect.value !== '') query.set('provider', providerSelect.value);
  document.body.dataset.state = 'loading';
  let res;
  let body = null;
  try {
    res = await fetch(`/events?${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
      signal: mine.signal,
    });
    body = await res.json().catch(() => null);
  } catch (err) {
    if (mine.signal.aborted) return;
    showStatus('error', `The Worker did not answer (${err.name}); trying again${Number(everySelect.value) > 0 ? '' : ' on Refresh'}.`);
    return schedule();
  }
  if (mine.signal.aborted) return;
  if (res.status === 401) {
    setToken(null);
    tokenError.hidden = false;
    tokenError.replaceChildren(el('span', 'err-code', body?.code ?? 'UNAUTHORIZED'),
      ` The Worker refused this token (HTTP 401). Type the Worker's ADMIN_TOKEN.`);
    tokenInput.setAttribute('aria-invalid', 'true');
    tokenInput.focus();
    showStatus('unauthorized', '');
    return;
  }
  if (!res.ok || body?.ok !== true || !Array.isArray(body.events)) {
    const what = body?.code ? `${body.code}: ${body.message ?? ''}` : `HTTP ${res.status}`;
    showStatus('error', `GET /events failed (${what}).`);
    return schedule();
  }
  tbody.replaceChildren(...body.events.map(row));
  empty.hidden = body.events.length > 0;
  const ids = body.events.map((e) => e.id);
  if (ids.length > 0) newestSeen = Math.max(newestSeen ?? 0, ...ids);
  else if (newestSeen === null) newestSeen = 0;
  loads += 1;
  document.body.dataset.loads = String(loads);
  const filter = providerSelect.value === '' ? '' : ` from ${providerSelect.value}`;
  const every = Number(everySelect.value);
  showStatus('ready', `${body.events.length} newest event${body.events.length === 1 ? '' : 's'}${filter} · updated ${new Date().toLocaleTimeString()}`
    + (every > 0 ? ` · refreshing every ${every} s` : ''));
  schedule();
}

tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const value = tokenInput.value.trim();
  if (value === '') {
    tokenError.hidden = false;
    tokenError.textContent = 'Type the admin token.';
    return;
  }
  tokenInput.value = '';
  tokenInput.removeAttribute('aria-invalid');
  tokenError.hidden = true;
  setToken(value);
  refresh({ reset: true });
});

$('forget').addEventListener('click', () => {
  controller?.abort();
  clearTimeout(timer);
  setToken(null);
  tbody.replaceChildren();
  status.textContent = '';
  document.body.dataset.state = 'idle';
  tokenInput.focus();
});

providerSelect.addEventListener('change', () => refresh({ reset: true }));
limitSelect.addEventListener('change', () => refresh({ reset: true }));
everySelect.addEventListener('change', () => refresh());
$('refresh').addEventListener('click', () => refresh());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refresh();
});

const saved = storedToken();
setToken(saved);
if (saved === null) {
  document.body.dataset.state = 'idle';
  tokenInput.focus();
} else {
  refresh({ reset: true });
}
