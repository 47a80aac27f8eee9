// HAPI Elements callback URL: builds it from the form with payhook and sets it on
// window.hapi.wallet.state the two ways an ATS front end can, against a stand-in
// of the HAPI Elements script (hapi-elements-standin.js: nothing comes from VONQ,
// nothing is sent anywhere). It needs only the HAPI functions, so it imports
// 'payhook/hapi' (the HAPI-only wasm, about a quarter of the full one), which comes
// from the import map in hapi.html (/pkg/hapi.js).

// Loaded the way an ATS loads HAPI's script: a classic <script> added by code.
const STANDIN_SRC = new URL('./hapi-elements-standin.js', import.meta.url).href;
const CLIENT_TOKEN = 'standin-client-token';
const DEFAULT_PARAMS = [['orderId', 'o-1'], ['tenant', 'acme']];
// What HAPI appends to the URL after an example wallet top-up.
const EXAMPLE_PAYMENT = [['amount', '25.00'], ['walletId', 'wal_standin_1']];

const $ = (id) => document.getElementById(id);
const baseInput = $('base');
const baseError = $('base-error');
const paramsBox = $('params');
const loadButton = $('load');
const unloadButton = $('unload');
const badge = $('hapi-badge');
const logList = $('log');

let payhook;
try {
  payhook = await import('payhook/hapi');
} catch (err) {
  badge.className = 'badge error';
  badge.textContent = 'Could not load payhook';
  $('preview').textContent = `${err.message}. Is pkg/ built (make build) and served at /pkg/?`;
  throw err;
}

let busy = false;
let runStarted = 0;
let rowCount = 0;

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

// Text with `code` spans (payhook's messages quote names that way), no innerHTML.
function richText(text) {
  return text.split('`').map((part, i) => (i % 2 === 0 ? document.createTextNode(part) : el('code', '', [part])));
}

const hapiState = () => window.hapi?.wallet?.state;
const mode = () => document.querySelector('input[name="order"]:checked').value;

// ------------------------------------------------------------------ the form

function addRow(key = '', value = '') {
  const keyInput = el('input', 'param-key');
  const valueInput = el('input', 'param-value');
  for (const [input, label, text] of [[keyInput, 'Parameter name', key], [valueInput, 'Parameter value', value]]) {
    input.type = 'text';
    input.spellcheck = false;
    input.value = text;
    input.setAttribute('aria-label', label);
  }
  keyInput.placeholder = 'name';
  valueInput.placeholder = 'value';
  const remove = el('button', 'remove', ['×']);
  remove.type = 'button';
  remove.title = 'Remove this parameter';
  remove.setAttribute('aria-label', 'Remove this parameter');
  const error = el('p', 'field-error');
  error.hidden = true;
  error.id = `param-error-${++rowCount}`;
  keyInput.setAttribute('aria-describedby', error.id);
  valueInput.setAttribute('aria-describedby', error.id);
  const row = el('div', 'param', [el('div', 'param-inputs', [keyInput, el('span', 'eq', ['=']), valueInput, remove]), error]);
  remove.addEventListener('click', () => {
    row.remove();
    refresh();
  });
  paramsBox.append(row);
  return row;
}

function rows() {
  return [...paramsBox.querySelectorAll('.param')].map((row) => ({
    row,
    key: row.querySelector('.param-key'),
    value: row.querySelector('.param-value'),
    error: row.querySelector('.field-error'),
  }));
}

function showFieldError(box, inputs, err) {
  for (const input of inputs) input.setAttribute('aria-invalid', 'true');
  const code = typeof err?.code === 'string' ? err.code : err?.name ?? 'Error';
  const text = String(err?.message ?? err);
  box.replaceChildren(el('code', 'err-code', [code]), ' ', ...richText(text.charAt(0).toUpperCase() + text.slice(1)));
  box.hidden = false;
}

function clearFieldError(box, inputs) {
  for (const input of inputs) input.removeAttribute('aria-invalid');
  box.replaceChildren();
  box.hidden = true;
}

// Reads the form and checks it with payhook. Each error is put next to the field
// that causes it: the base alone first, then one parameter at a time (each added
// to the URL built so far, so that payhook also sees a name used twice).
function readForm() {
  const base = baseInput.value.trim();
  const entries = [];
  let firstError = null;
  let url;
  clearFieldError(baseError, [baseInput]);
  try {
    url = payhook.buildHapiCallbackUrl(base);
  } catch (err) {
    showFieldError(baseError, [baseInput], err);
    firstError = err;
  }
  for (const r of rows()) {
    clearFieldError(r.error, [r.key, r.value]);
    if (r.key.value === '' && r.value.value === '') continue; // a blank row
    entries.push([r.key.value, r.value.value]);
    if (firstError) continue;
    try {
      url = payhook.buildHapiCallbackUrl(url, { [r.key.value]: r.value.value });
    } catch (err) {
      showFieldError(r.error, [r.key], err);
      firstError = err;
    }
  }
  // Object.fromEntries makes own properties, so even a `__proto__` name is a parameter.
  const params = Object.fromEntries(entries);
  let built = null;
  if (!firstError) {
    try {
      built = payhook.buildHapiCallbackUrl(base, params);
    } catch (err) {
      showFieldError(baseError, [baseInput], err);
      firstError = err;
    }
  }
  return { base, params, url: built, error: firstError };
}

// A JavaScript literal for the snippet.
function literal(value) {
  return `'${value.replace(/[\\']/g, '\\$&').replace(/\n/g, '\\n')}'`;
}

// `fn(base, params)`, one argument a line, indented by `indent`; the
// parameters on one line when they fit, else one a line.
function callLiteral(fn, form, indent) {
  const entries = Object.entries(form.params);
  const args = [literal(form.base)];
  if (entries.length > 0) {
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) && k !== '__proto__' ? k : literal(k));
    const pairs = entries.map(([k, v]) => `${key(k)}: ${literal(v)}`);
    const inline = `{ ${pairs.join(', ')} }`;
    args.push(inline.length <= 48
      ? inline
      : `{\n${pairs.map((p) => `${indent}    ${p},`).join('\n')}\n${indent}  }`);
  }
  return `${fn}(\n${args.map((a) => `${indent}  ${a},`).join('\n')}\n${indent})`;
}

function renderSnippet(form) {
  $('snippet').textContent = mode() === 'after-inject'
    ? [
      "window.hapiInjector.setConfig('clientToken', clientToken);",
      'await window.hapiInjector.inject();',
      'window.hapi.wallet.state.paymentIntentSuccessCallbackUrl =',
      `  ${callLiteral('buildHapiCallbackUrl', form, '  ')};`,
    ].join('\n')
    : [
      '// Before HAPI has loaded: sets the URL when HAPI fires',
      '// hapi:load:script (at once if window.hapi.wallet.state exists).',
      `await ${callLiteral('setHapiSuccessCallbackUrl', form, '')};`,
    ].join('\n');
}

function refresh() {
  const form = readForm();
  const preview = $('preview');
  preview.classList.toggle('muted-code', form.url === null);
  preview.textContent = form.url ?? 'Fix the form: nothing would be set.';
  renderSnippet(form);
  return form;
}

// ------------------------------------------------------------------ HAPI's state

function renderState() {
  const state = hapiState();
  const loading = !state && document.body.dataset.hapi === 'loading';
  document.body.dataset.hapi = state ? 'loaded' : loading ? 'loading' : 'absent';
  const stateUrl = $('state-url');
  const value = state?.paymentIntentSuccessCallbackUrl;
  if (!state) {
    badge.className = 'badge neutral';
    badge.textContent = loading ? 'Loading HAPI (stand-in)…' : 'HAPI not loaded';
    stateUrl.textContent = 'window.hapi is undefined';
  } else if (typeof value === 'string') {
    badge.className = 'badge ok';
    badge.textContent = '✓ Callback URL set';
    stateUrl.textContent = value;
  } else {
    badge.className = 'badge warn';
    badge.textContent = 'HAPI loaded, no callback URL';
    stateUrl.textContent = `${value} (not set)`;
  }
  stateUrl.classList.toggle('muted-code', typeof value !== 'string');
  document.body.dataset.urlSet = String(typeof value === 'string');
  renderCallback(typeof value === 'string' ? value : null);
  loadButton.textContent = state ? 'Set the URL again' : 'Load HAPI (stand-in) now';
  loadButton.disabled = busy;
  unloadButton.disabled = busy || !(state || window.hapiInjector);
}

// The request HAPI makes after an example payment, read back by parseHapiCallback.
function renderCallback(url) {
  const box = $('callback-box');
  box.hidden = url === null;
  if (url === null) return;
  const appended = EXAMPLE_PAYMENT.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const called = url + (new URL(url).search ? '&' : '?') + appended;
  $('callback-url').textContent = `POST ${called}`;
  try {
    $('callback-parsed').textContent = JSON.stringify(payhook.parseHapiCallback(called), null, 2);
  } catch (err) {
    $('callback-parsed').textContent = `${err.code}: ${err.message}`;
  }
}

function log(step, text, kind = '') {
  const ms = Math.round(performance.now() - runStarted);
  const item = el('li', kind, [el('span', 'time', [`+${ms} ms`]), el('span', 'what', richText(text))]);
  item.dataset.step = step;
  logList.append(item);
  $('log-box').hidden = false;
}

// Every time the stand-in's state changes (a stand-in-only event).
window.addEventListener('hapi-standin:state', (event) => {
  if (event.detail.key !== 'paymentIntentSuccessCallbackUrl') return;
  log('state-set', event.detail.duringLoadEvent
    ? '`paymentIntentSuccessCallbackUrl` set, during `hapi:load:script`'
    : '`paymentIntentSuccessCallbackUrl` set, after HAPI had loaded', 'ok');
  renderState();
});
// Registered before any setHapiSuccessCallbackUrl call, so it is logged first.
window.addEventListener('hapi:load:script', () => {
  log('load-event', '`hapi:load:script` fired: `window.hapi.wallet.state` exists');
  renderState();
});

function addStandinScript(autoload) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STANDIN_SRC;
    script.dataset.standin = '';
    if (autoload) {
      script.dataset.hapiAutoload = '';
      script.dataset.clientToken = CLIENT_TOKEN;
    }
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${STANDIN_SRC}`));
    document.head.append(script);
  });
}

const nextLoadEvent = () => new Promise((resolve) => {
  window.addEventListener('hapi:load:script', resolve, { once: true });
});

// 1. HAPI loaded by the page's code; the URL set once inject() has resolved.
async function setAfterInject(form) {
  if (!hapiState()) {
    if (!window.hapiInjector) {
      await addStandinScript(false);
      log('injector', 'Injector script added (stand-in): `window.hapiInjector` exists');
    }
    window.hapiInjector.setConfig('clientToken', CLIENT_TOKEN);
    log('inject-called', '`hapiInjector.inject()` called');
    await window.hapiInjector.inject();
    log('inject-resolved', '`inject()` resolved');
  }
  try {
    window.hapi.wallet.state.paymentIntentSuccessCallbackUrl = payhook.buildHapiCallbackUrl(form.base, form.params);
  } catch (err) {
    log('build-threw', `\`buildHapiCallbackUrl\` threw ${err.code ?? err.name}: nothing set`, 'error');
  }
}

// 2. setHapiSuccessCallbackUrl called first; HAPI added with a <script> tag, and
// the URL set when it fires hapi:load:script.
async function setOnLoadEvent(form) {
  const loaded = Boolean(hapiState());
  log('helper-called', loaded
    ? '`setHapiSuccessCallbackUrl()` called: `window.hapi.wallet.state` exists, so it sets the URL now'
    : '`setHapiSuccessCallbackUrl()` called: `window.hapi` is undefined, so it waits for `hapi:load:script`');
  const settled = payhook.setHapiSuccessCallbackUrl(form.base, form.params).then(
    () => log('helper-resolved', '`setHapiSuccessCallbackUrl()` resolved', 'ok'),
    (err) => log('helper-rejected', `\`setHapiSuccessCallbackUrl()\` rejected with ${err.code ?? err.name}: nothing will be set`, 'error'),
  );
  if (!loaded) {
    const loadEvent = nextLoadEvent();
    await addStandinScript(true);
    log('script-added', 'HAPI script added with a `<script>` tag (stand-in, loads itself)');
    await loadEvent;
  }
  await settled;
}

async function run() {
  if (busy) return;
  const form = refresh();
  busy = true;
  runStarted = performance.now();
  logList.replaceChildren();
  if (!hapiState()) document.body.dataset.hapi = 'loading';
  renderState();
  try {
    if (mode() === 'after-inject') await setAfterInject(form);
    else await setOnLoadEvent(form);
  } catch (err) {
    log('failed', `${err.message}`, 'error');
  } finally {
    busy = false;
    if (!hapiState()) document.body.dataset.hapi = 'absent';
    renderState();
  }
}

// Back to a page without HAPI, to try the other loading order.
function unload() {
  delete window.hapi;
  delete window.hapiInjector;
  for (const script of document.querySelectorAll('script[data-standin]')) script.remove();
  logList.replaceChildren();
  $('log-box').hidden = true;
  renderState();
}

$('hapi-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run();
});
$('hapi-form').addEventListener('input', () => refresh());
$('hapi-form').addEventListener('change', () => refresh());
$('add-param').addEventListener('click', () => {
  addRow().querySelector('.param-key').focus();
  refresh();
});
unloadButton.addEventListener('click', unload);

for (const [key, value] of DEFAULT_PARAMS) addRow(key, value);
refresh();
renderState();
document.body.dataset.state = 'ready';
