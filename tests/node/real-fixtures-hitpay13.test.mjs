// Issue 13, HitPay webhooks: null fields that HitPay signs but leaves out of the body,
// strict mode against re-split bodies, and Hitpay-Signature headers with white space or
// a sha256= prefix. The first tests are the ones tests/node/pending/real-fixtures.mjs
// had written against the real fixtures (tests/fixtures/real/hitpay/: bodies signed by
// HitPay's PHP SDK and encoded by PHP's http_build_query); the others are this project's
// own cases. Independent reference: node:crypto signs every body here from the fields a
// sender had, by HitPay's rule (a null value signs as its key alone).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// payhook's results have no prototype (issue 14): expected values are made alike.
import { prototypeFree } from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import * as payhook from 'payhook';
import {
  loadRealFixtures,
  outcome,
  assertExpected,
  signatureVariants,
  realBytes,
} from './lib/real-fixtures.mjs';

const { verifyHitpayWebhook, HitpayVerifier, diagnoseHitpayWebhook, verifyHitpayEvent, PayhookError } = payhook;
const { hitpay } = loadRealFixtures();

// ------------------------------------------------------------------ from the pending file

describe('HitPay form webhooks whose null fields HitPay signed but did not send', () => {
  for (const [name, entry] of Object.entries(hitpay.manifest.webhooks)) {
    if (!entry.after_issue_13) continue;
    it(`${name}: ${entry.what}`, () => {
      const { body } = hitpay.webhooks.get(name);
      assertExpected(outcome(() => payhook.verifyHitpayWebhook(body, hitpay.salt)), entry.after_issue_13, name);
      const verifier = new payhook.HitpayVerifier(hitpay.salt);
      assertExpected(outcome(() => verifier.verify(new TextEncoder().encode(body))), entry.after_issue_13, `${name} (bytes)`);
      const hints = payhook.diagnoseHitpayWebhook(body, hitpay.salt).hints;
      const hint = hints.find((h) => h.code === entry.after_issue_13.diagnose_hint);
      assert.ok(hint, `${name}: hints ${JSON.stringify(hints.map((h) => h.code))}`);
      assert.equal(hint.confirmed, true);
    });
  }

  it('a body with the null field sent empty still verifies, and one with it sent non-empty does not', () => {
    const w = hitpay.webhooks.get('null-reference');
    const withEmpty = `${w.body.replace('&hmac=', '&reference_number=&hmac=')}`;
    assert.equal(payhook.verifyHitpayWebhook(withEmpty, hitpay.salt).referenceNumber, '');
    const withValue = `${w.body.replace('&hmac=', '&reference_number=X&hmac=')}`;
    assert.equal(outcome(() => payhook.verifyHitpayWebhook(withValue, hitpay.salt)).error?.code, 'SIGNATURE_MISMATCH');
  });
});

describe('HitPay event webhooks: Hitpay-Signature variants', () => {
  for (const event of hitpay.events) {
    for (const [variant, entry] of Object.entries(hitpay.manifest.events.signatures)) {
      if (!entry.after_issue_13) continue;
      it(`${event.file}, signature ${variant}`, () => {
        const header = signatureVariants(event.signature)[variant];
        const payload = payhook.verifyHitpayEvent(realBytes(`hitpay/${event.file}`), header, hitpay.salt);
        assert.deepEqual(payload, prototypeFree(JSON.parse(event.body)));
      });
    }
  }
});

// ------------------------------------------------------------------ own cases

const SALT = 'salt]9;{2}^/=&+ é';
const ID = '92965a2d-ece3-4ace-1245-494050c9a3c1';
const RID = '92965a20-dae5-4d89-a452-5fdfa382dbe1';

/** HitPay's rule (PHP SDK generateSignatureArray), by node:crypto: null signs as the key alone. */
function hitpayHmac(fields, salt = SALT) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHmac('sha256', salt).update(keys.map((k) => k + (fields[k] ?? '')).join(''), 'utf8').digest('hex');
}

/** The MAC of a raw signed message. */
const messageHmac = (message, salt = SALT) => createHmac('sha256', salt).update(message, 'utf8').digest('hex');

/** `http_build_query`: null fields left out. */
function form(fields, hmac) {
  const sent = Object.entries(fields).filter(([, v]) => v !== null);
  return `${new URLSearchParams(sent)}&hmac=${hmac}`;
}

const sample = (over = {}) => ({
  payment_id: ID, payment_request_id: RID, reference_number: 'ABC123', phone: '',
  amount: '599.00', currency: 'SGD', status: 'completed', ...over,
});

function fails(fn, code, field) {
  const { error } = outcome(fn);
  assert.ok(error, `expected ${code}`);
  assert.equal(error.code, code, error.message);
  assert.ok(error instanceof PayhookError);
  if (field !== undefined) assert.equal(error.field, field);
  return error;
}

describe('null fields: what is accepted, what is not', () => {
  for (const [what, over] of [
    ['reference_number null', { reference_number: null }],
    ['phone null', { phone: null }],
    ['both null, phone with a value before', { reference_number: null, phone: null }],
    ['reference_number null, phone set', { reference_number: null, phone: '+6591234567' }],
  ]) {
    it(`${what}: accepted (plain, strict, keyed, bytes), the null fields absent, NULL_FIELD_OMITTED confirmed`, () => {
      const fields = sample(over);
      const body = form(fields, hitpayHmac(fields));
      const nulls = Object.keys(fields).filter((k) => fields[k] === null);
      for (const hook of [
        verifyHitpayWebhook(body, SALT),
        verifyHitpayWebhook(new TextEncoder().encode(body), SALT, { strict: true }),
        new HitpayVerifier(SALT).verify(body),
        new HitpayVerifier(SALT, { strict: true }).verify(body),
      ]) {
        for (const k of nulls) assert.ok(!Object.hasOwn(hook.fields, k), k);
        assert.equal(hook.referenceNumber, fields.reference_number ?? undefined);
        assert.equal(hook.phone, fields.phone ?? undefined);
        assert.equal(hook.amount, '599.00');
      }
      const d = diagnoseHitpayWebhook(body, SALT);
      assert.equal(d.valid, true);
      assert.equal(d.error, null);
      assert.deepEqual(d.hints.map((h) => [h.code, h.confirmed]), [['NULL_FIELD_OMITTED', true]]);
      // canonical: what HitPay signed, null keys included.
      assert.equal(messageHmac(d.canonical), hitpayHmac(fields));
      assert.ok(!d.hints[0].message.includes(hitpayHmac(fields)));
    });
  }

  it('a complete body has no hint; a field that is never null, left out, is a mismatch', () => {
    const fields = sample();
    assert.deepEqual(diagnoseHitpayWebhook(form(fields, hitpayHmac(fields)), SALT).hints, []);
    for (const key of ['payment_id', 'amount', 'currency', 'status', 'payment_request_id']) {
      const f = sample({ [key]: null });
      fails(() => verifyHitpayWebhook(form(f, hitpayHmac(f)), SALT), 'SIGNATURE_MISMATCH');
      assert.equal(diagnoseHitpayWebhook(form(f, hitpayHmac(f)), SALT).valid, false, key);
    }
    // A wrong salt stays a mismatch whatever null fields are tried.
    const f = sample({ reference_number: null });
    fails(() => verifyHitpayWebhook(form(f, hitpayHmac(f, 'other salt')), SALT), 'SIGNATURE_MISMATCH');
  });
});

describe('strict mode', () => {
  it('every real webhook HitPay\'s PHP SDK signed passes strict mode with the same result', () => {
    for (const [name, w] of hitpay.webhooks) {
      assert.deepEqual(
        { ...verifyHitpayWebhook(w.body, hitpay.salt, { strict: true }), fields: { ...verifyHitpayWebhook(w.body, hitpay.salt, { strict: true }).fields } },
        { ...verifyHitpayWebhook(w.body, hitpay.salt), fields: { ...verifyHitpayWebhook(w.body, hitpay.salt).fields } },
        name,
      );
    }
  });

  // The genuine documented sample's message, re-split: the same hmac, other fields.
  const genuine = sample();
  const hmac = hitpayHmac(genuine);
  const resplits = [
    ['payment_id swallows payment_request_id', `payment_id=${ID}payment_request_id${RID}&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed`, 'payment_id'],
    ['status folded into reference_number', `payment_id=${ID}&payment_request_id=${RID}&reference_number=ABC123statuscompleted&phone=&amount=599.00&currency=SGD`, 'status'],
    ['amount replaced by a field amount5', `payment_id=${ID}&payment_request_id=${RID}&reference_number=ABC123&phone=&amount5=99.00&currency=SGD&status=completed`, 'amount5'],
    ['phone swallows reference_number', `payment_id=${ID}&payment_request_id=${RID}&phone=reference_numberABC123&amount=599.00&currency=SGD&status=completed`, 'phone'],
  ];
  for (const [what, resplit, field] of resplits) {
    it(`${what}: verifies without strict, INVALID_FIELD (${field}) with it`, () => {
      const body = `${resplit}&hmac=${hmac}`;
      // node:crypto: the re-split body's own message has the genuine hmac.
      const fields = Object.fromEntries(new URLSearchParams(resplit));
      assert.equal(hitpayHmac(fields), hmac);
      assert.ok(verifyHitpayWebhook(body, SALT));
      fails(() => verifyHitpayWebhook(body, SALT, { strict: true }), 'INVALID_FIELD', field);
      fails(() => new HitpayVerifier(SALT, { strict: true }).verify(body), 'INVALID_FIELD', field);
      // `strict: false` is the default.
      assert.deepEqual({ ...verifyHitpayWebhook(body, SALT, { strict: false }).fields }, { ...verifyHitpayWebhook(body, SALT).fields });
    });
  }

  it('checks each field of a payment webhook', () => {
    const cases = [
      [{ payment_id: 'pay_1' }, 'payment_id'],
      [{ payment_request_id: `${RID}x` }, 'payment_request_id'],
      [{ amount: '599,00' }, 'amount'],
      [{ amount: '-1' }, 'amount'],
      [{ currency: 'SGDX' }, 'currency'],
      [{ status: 'paid' }, 'status'],
      [{ status: null }, 'status'],
      [{ amount: null }, 'amount'],
      [{ phone: 'call me' }, 'phone'],
      [{ recurring_billing_id: ID }, 'recurring_billing_id'],
      [{ hmac_extra: '' }, 'hmac_extra'],
    ];
    for (const [over, field] of cases) {
      const fields = sample(over);
      const body = form(fields, hitpayHmac(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null))));
      assert.ok(verifyHitpayWebhook(body, SALT), JSON.stringify(over));
      const e = fails(() => verifyHitpayWebhook(body, SALT, { strict: true }), 'INVALID_FIELD', field);
      assert.ok(!e.message.includes(SALT));
    }
    for (const over of [{ status: 'failed' }, { status: 'pending' }, { currency: 'sgd' }, { amount: '10' }, { phone: '+65 9123-4567' }, { reference_number: 'Order #1 / é & +' }]) {
      const fields = sample(over);
      assert.ok(verifyHitpayWebhook(form(fields, hitpayHmac(fields)), SALT, { strict: true }), JSON.stringify(over));
    }
  });

  it('the signature is checked before the shape', () => {
    fails(() => verifyHitpayWebhook(`status=paid&hmac=${'0'.repeat(64)}`, SALT, { strict: true }), 'SIGNATURE_MISMATCH');
    fails(() => verifyHitpayWebhook('status=paid', SALT, { strict: true }), 'MISSING_SIGNATURE');
    fails(() => verifyHitpayWebhook('status=paid', '', { strict: true }), 'INVALID_SECRET');
    fails(() => new HitpayVerifier('', { strict: true }), 'INVALID_SECRET');
  });

  it('options: a plain object with a boolean strict, own properties only', () => {
    const fields = sample({ extra: 'x' });
    const body = form(fields, hitpayHmac(fields));
    for (const options of [undefined, null, {}, { strict: false }, { other: 1 }]) {
      assert.equal(verifyHitpayWebhook(body, SALT, options).fields.extra, 'x');
      assert.equal(new HitpayVerifier(SALT, options).verify(body).fields.extra, 'x');
    }
    for (const strict of ['true', 1, null, {}]) {
      fails(() => verifyHitpayWebhook(body, SALT, { strict }), 'INVALID_FIELD', 'strict');
      fails(() => new HitpayVerifier(SALT, { strict }), 'INVALID_FIELD', 'strict');
    }
    fails(() => verifyHitpayWebhook(body, SALT, 'strict'), 'INVALID_FIELD', 'options');
    fails(() => verifyHitpayWebhook(body, SALT, { get strict() { throw new Error('hostile'); } }), 'INVALID_FIELD', 'options');
    // A polluted Object.prototype does not turn strict mode on.
    Object.prototype.strict = true;
    try {
      assert.equal(verifyHitpayWebhook(body, SALT, {}).fields.extra, 'x');
      assert.equal(new HitpayVerifier(SALT, {}).verify(body).fields.extra, 'x');
    } finally {
      delete Object.prototype.strict;
    }
    // The keyed salt kept between calls does not carry the mode over.
    fails(() => verifyHitpayWebhook(body, SALT, { strict: true }), 'INVALID_FIELD', 'extra');
    assert.equal(verifyHitpayWebhook(body, SALT).fields.extra, 'x');
  });
});

describe('Hitpay-Signature: white space and sha256= (node:crypto signatures)', () => {
  const body = '{"id":"9ef68e2e-3569-4f69-9f68-04c7e4bb007c","status":"completed"}';
  const sig = createHmac('sha256', SALT).update(body).digest('hex');
  for (const header of [` ${sig}`, `${sig}\r\n`, `\t${sig} `, `sha256=${sig}`, `SHA256=${sig.toUpperCase()}`, `  sha256=${sig}\n`]) {
    it(`accepts ${JSON.stringify(header.replace(sig, '<hex>').replace(sig.toUpperCase(), '<HEX>'))}`, () => {
      assert.deepEqual(verifyHitpayEvent(body, header, SALT), prototypeFree(JSON.parse(body)));
      assert.deepEqual(verifyHitpayEvent(new TextEncoder().encode(body), header, SALT), prototypeFree(JSON.parse(body)));
    });
  }
  for (const [header, code] of [
    [`sha256= ${sig}`, 'MALFORMED_SIGNATURE'],
    [`sha256=sha256=${sig}`, 'MALFORMED_SIGNATURE'],
    [`sha512=${sig}`, 'MALFORMED_SIGNATURE'],
    [`sha256:${sig}`, 'MALFORMED_SIGNATURE'],
    [`${sig.slice(0, 32)} ${sig.slice(32)}`, 'MALFORMED_SIGNATURE'],
    ['sha256=', 'MISSING_SIGNATURE'],
    ['  ', 'MISSING_SIGNATURE'],
    [`sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`, 'SIGNATURE_MISMATCH'],
  ]) {
    it(`refuses ${JSON.stringify(header.replace(sig, '<hex>'))} with ${code}`, () => {
      const e = fails(() => verifyHitpayEvent(body, header, SALT), code);
      if (code !== 'SIGNATURE_MISMATCH') assert.equal(e.field, 'Hitpay-Signature');
      assert.ok(!e.message.includes(sig));
    });
  }
});
