// HitPay webhook checker: verifies a pasted form body with payhook, in the page,
// and when it fails shows what diagnoseHitpayWebhook finds (nothing is sent anywhere).
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
const diagnosis = $('diagnosis');

function setBadge(kind, text) {
  badge.className = `badge ${kind}`;
  badge.textContent = text;
  document.body.dataset.state = kind;
}

// Text with `code` spans (payhook's messages quote names that way), built
// without innerHTML: messages can quote parts of the pasted body.
function richText(text) {
  return text.split('`').map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement('code');
    code.textContent = part;
    return code;
  });
}

function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

function showIdle() {
  setBadge('neutral', 'Not verified yet');
  message.textContent = 'Click Verify to check the signature.';
  table.hidden = true;
  diagnosis.hidden = true;
  meta.textContent = '';
}

function showFields(result, elapsedMs) {
  setBadge('ok', '✓ Signature valid');
  diagnosis.hidden = true;
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
  diagnosis.hidden = true;
  meta.textContent = '';
  if (err && typeof err.code === 'string') {
    setBadge('error', err.code);
    message.replaceChildren(...richText(sentence(err.message)));
    if (err.field) message.append(' (field: ', el('code', '', [err.field]), ')');
  } else {
    setBadge('error', 'Error');
    message.textContent = String(err?.message ?? err);
  }
}

// Sorts keys the way HitPay does: by their UTF-8 bytes.
const utf8 = new TextEncoder();
function byUtf8(a, b) {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

// The canonical message with keys and values told apart, when the fields
// rebuild it exactly; else the plain text.
function canonicalNodes(canonical, fields) {
  const keys = fields ? Object.keys(fields).sort(byUtf8) : [];
  if (keys.map((k) => k + fields[k]).join('') !== canonical) return [document.createTextNode(canonical)];
  return keys.map((k) => el('span', 'pair', [el('span', 'k', [k]), el('span', 'v', [fields[k]])]));
}

// What diagnoseHitpayWebhook found: confirmed causes first and loud, the other
// hints as a checklist, then the exact message HitPay signs.
function showDiagnosis(body, salt) {
  let d;
  try {
    d = payhook.diagnoseHitpayWebhook(body, salt);
  } catch {
    return; // only arguments of the wrong type throw, and these are strings
  }
  const confirmed = d.hints.filter((h) => h.confirmed);
  const others = d.hints.filter((h) => !h.confirmed);

  $('causes').replaceChildren(...confirmed.map((h) => el('div', 'cause', [
    el('div', 'cause-head', [el('span', 'cause-label', ['Found the cause']), el('code', '', [h.code])]),
    el('p', '', richText(h.message)),
  ])));

  $('check-list').replaceChildren(...others.map((h) => el('li', '', [
    el('code', '', [h.code]), ' ', ...richText(h.message),
  ])));
  $('checks').hidden = others.length === 0;

  const box = $('canonical-box');
  box.hidden = d.canonical === null;
  if (d.canonical !== null) {
    $('canonical').replaceChildren(...canonicalNodes(d.canonical, d.fields));
    const count = d.fields ? Object.keys(d.fields).length : 0;
    $('canonical-meta').textContent =
      `${count} field${count === 1 ? '' : 's'} sorted by the UTF-8 bytes of the key, key + value, no separators · ` +
      `${utf8.encode(d.canonical).length} bytes. HMAC-SHA256 of exactly these bytes, keyed with the salt, is the hmac.`;
  }
  diagnosis.hidden = confirmed.length === 0 && others.length === 0 && d.canonical === null;
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
    if (err instanceof payhook.PayhookError) showDiagnosis(body, saltInput.value);
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
$('copy-canonical').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  try {
    await navigator.clipboard.writeText($('canonical').textContent);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
});
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
