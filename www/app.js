// HitPay webhook checker: verifies a pasted form body with payhook, in the page.
// 'payhook' comes from the import map in index.html (/pkg/browser.js).

// The HitPay documentation sample body, signed with a salt chosen for tests
// (see the project's HitPay vectors). Verifies on the first click.
const SAMPLE = {
  salt: 'salt_for_tests_only',
  body:
    'payment_id=92965a2d-ece3-4ace-1245-494050c9a3c1&payment_request_id=92965a20-dae5-4d89-a452-5fdfa382dbe1' +
    '&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed' +
    '&hmac=d8530333b566266dad17531d6a26619a6ef05a53a2351eb1aff764fa7d019a39',
};

const $ = (id) => document.getElementById(id);
const form = $('form');
const bodyInput = $('body');
const saltInput = $('salt');
const verifyButton = $('verify');
const badge = $('badge');
const message = $('message');
const table = $('fields');
const meta = $('meta');

function setBadge(kind, text) {
  badge.className = `badge ${kind}`;
  badge.textContent = text;
  document.body.dataset.state = kind;
}

function showIdle() {
  setBadge('neutral', 'Not verified yet');
  message.textContent = 'Click Verify to check the signature.';
  table.hidden = true;
  meta.textContent = '';
}

function showFields(result, elapsedMs) {
  setBadge('ok', '✓ Signature valid');
  const parts = [result.status, result.amount && result.currency ? `${result.amount} ${result.currency}` : result.amount];
  message.textContent = parts.filter(Boolean).join(' · ') || 'The body is signed with this salt.';
  const rows = Object.entries(result.fields).map(([key, value]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    const td = document.createElement('td');
    th.scope = 'row';
    th.textContent = key;
    if (value === '') {
      td.textContent = 'empty';
      td.className = 'empty';
    } else {
      td.textContent = value;
    }
    tr.append(th, td);
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = false;
  meta.textContent = `${rows.length} field${rows.length === 1 ? '' : 's'} · verified in ${elapsedMs.toFixed(2)} ms`;
}

function showError(err) {
  table.hidden = true;
  meta.textContent = '';
  if (err && typeof err.code === 'string') {
    setBadge('error', err.code);
    const text = err.message.charAt(0).toUpperCase() + err.message.slice(1);
    message.textContent = text + (err.field ? ` (field: ${err.field})` : '');
  } else {
    setBadge('error', 'Error');
    message.textContent = String(err?.message ?? err);
  }
}

let payhook;
try {
  payhook = await import('payhook');
} catch (err) {
  setBadge('error', 'Could not load payhook');
  message.textContent = `${err.message}. Is pkg/ built (make build) and served at /pkg/?`;
  throw err;
}

function verify() {
  // A line break left at the end by copy and paste is not part of the body.
  const body = bodyInput.value.replace(/[\r\n]+$/, '');
  const started = performance.now();
  try {
    const result = payhook.verifyHitpayWebhook(body, saltInput.value);
    showFields(result, performance.now() - started);
  } catch (err) {
    showError(err);
  }
}

function loadSample() {
  bodyInput.value = SAMPLE.body;
  saltInput.value = SAMPLE.salt;
  showIdle();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  verify();
});
form.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    verify();
  }
});
$('sample').addEventListener('click', loadSample);
$('clear').addEventListener('click', () => {
  bodyInput.value = '';
  saltInput.value = '';
  showIdle();
  bodyInput.focus();
});
for (const input of [bodyInput, saltInput]) {
  input.addEventListener('input', () => {
    if (document.body.dataset.state !== 'neutral') showIdle();
  });
}

loadSample();
verifyButton.disabled = false;
