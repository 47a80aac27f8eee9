// payhook against fixtures from the real world (tests/fixtures/real/, README.md there):
// payloads copied from the providers' SDK tests and documentation, and bodies, signatures
// and requests produced by the providers' own client code (HitPay's PHP SDK and WooCommerce
// plugin, Odoo's HitPay module, the Swedbank Pay PHP SDK, ProcessOut's PHP SDK and curl).
// Each manifest entry's `now` is asserted here, or its `after_issue_13` where that part of
// issue 13 has landed: the HitPay form webhooks and event signatures
// (tests/node/real-fixtures-hitpay13.test.mjs asserts those in more detail), the
// create-payment-request parameters and the PayEx variants (see
// tests/node/real-fixtures-api13.test.mjs); the Fetch API request functions by
// tests/node/real-fixtures-requests.test.mjs.
//
// Independent references: node:crypto recomputes every HitPay signature from the fields the
// sender had, and Buffer decodes the basic credentials; expected results are the manifests',
// written from the sources, never from payhook's output.
import { describe, it } from 'node:test';
import assert from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import {
  verifyHitpayWebhook,
  HitpayVerifier,
  diagnoseHitpayWebhook,
  verifyHitpayEvent,
  buildHitpayPaymentRequest,
  parsePayexCallback,
  buildPayexRequest,
  parseSmartRouterWebhook,
  buildSmartRouterEventRequest,
  buildBasicAuthWebhookUrl,
  checkBasicAuth,
} from 'payhook';
import {
  loadRealFixtures,
  outcome,
  assertExpected,
  normalisedPairs,
  signatureVariants,
  realText,
  realBytes,
} from './lib/real-fixtures.mjs';

const { hitpay, payex, smartRouter } = loadRealFixtures();

/** What payhook does now that issue 13's part for an entry is in. */
const final = (entry) => entry.after_issue_13 ?? entry.now;

/** HitPay's signing rule, from the sender's fields: a null value signs as its key alone. */
function hitpayHmac(fields, salt) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const message = keys.map((k) => k + (fields[k] ?? '')).join('');
  return createHmac('sha256', salt).update(message, 'utf8').digest('hex');
}

describe('HitPay form webhooks signed and encoded by HitPay\'s PHP SDK', () => {
  const entries = Object.entries(hitpay.manifest.webhooks);

  it('covers every generated webhook, and every generated hmac is HitPay\'s rule (node:crypto)', () => {
    assert.deepEqual([...hitpay.webhooks.keys()].sort(), entries.map(([name]) => name).sort());
    for (const [name, w] of hitpay.webhooks) {
      assert.equal(w.hmac.toLowerCase(), hitpayHmac(w.sender_fields, hitpay.salt), name);
      // The body carries every non-null field the sender had, then the hmac.
      const sent = Object.entries(w.sender_fields).filter(([, v]) => v !== null);
      assert.deepEqual([...new URLSearchParams(w.body)], [...sent, ['hmac', w.hmac]], name);
    }
  });

  for (const [name, entry] of entries) {
    it(`${name}: ${entry.what}`, () => {
      const w = hitpay.webhooks.get(name);
      const want = final(entry);
      assertExpected(outcome(() => verifyHitpayWebhook(w.body, hitpay.salt)), want, name);
      // The same through a keyed verifier and from bytes.
      const verifier = new HitpayVerifier(hitpay.salt);
      assertExpected(outcome(() => verifier.verify(new TextEncoder().encode(w.body))), want, `${name} (bytes)`);
      const diagnosis = diagnoseHitpayWebhook(w.body, hitpay.salt);
      assert.equal(diagnosis.valid, !want.error, name);
      if (!want.error) assert.equal(diagnosis.canonical, canonical(w.sender_fields), name);
    });
  }

  it('agrees with the WooCommerce and Odoo receivers on every webhook, except upper-case hex and null fields left out, which payhook accepts on purpose', () => {
    for (const [name, w] of hitpay.webhooks) {
      const accepted = !outcome(() => verifyHitpayWebhook(w.body, hitpay.salt)).error;
      const nullsLeftOut = Object.values(w.sender_fields).some((v) => v === null);
      const deliberate = w.hmac !== w.hmac.toLowerCase() || nullsLeftOut;
      assert.equal(accepted, w.woocommerce_accepts || deliberate, `${name} vs WooCommerce`);
      assert.equal(accepted, w.odoo_accepts || deliberate, `${name} vs Odoo`);
      if (deliberate) assert.equal(w.woocommerce_accepts || w.odoo_accepts, false, name);
    }
  });
});

/** The message HitPay signs for the sender's fields (a null field signs as its key alone). */
function canonical(fields) {
  return Object.keys(fields)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((k) => k + (fields[k] ?? ''))
    .join('');
}

describe('HitPay event webhooks (documented payment_request bodies, raw bytes signed)', () => {
  const variants = Object.entries(hitpay.manifest.events.signatures);

  for (const event of hitpay.events) {
    it(`${event.file}: the generated body is the stored file and its signature is HMAC-SHA256 of its bytes`, () => {
      assert.equal(event.body, realText(`hitpay/${event.file}`));
      assert.equal(event.signature, createHmac('sha256', hitpay.salt).update(realBytes(`hitpay/${event.file}`)).digest('hex'));
    });

    for (const [variant, entry] of variants) {
      it(`${event.file}, signature ${variant}`, () => {
        const header = signatureVariants(event.signature)[variant];
        const want = final(entry);
        const expected = want.ok ? { ok: JSON.parse(event.body) } : want;
        const result = outcome(() => verifyHitpayEvent(realBytes(`hitpay/${event.file}`), header, hitpay.salt));
        assertExpected(result, expected, `${event.file} ${variant}`);
        if (result.value) assert.deepEqual(result.value, JSON.parse(event.body));
        // Where payhook and Odoo's receiver differ, payhook accepts on purpose what Odoo
        // refuses: upper case and a sha256= prefix (Odoo strips white space, as payhook does).
        const odoo = event.odoo_accepts[variant];
        if (odoo !== !result.error) {
          assert.ok(['uppercase', 'sha256_prefix'].includes(variant), variant);
          assert.equal(odoo, false, variant);
        }
      });
    }
  }
});

describe('HitPay create-payment-request: payhook\'s request against the one the PHP SDKs send', () => {
  for (const [variant, entry] of Object.entries(hitpay.manifest.payment_requests)) {
    it(`${variant}: ${entry.what}`, () => {
      const captured = hitpay.requests.get(variant).captured[0];
      assert.equal(captured.method, 'POST');
      assert.equal(captured.uri, '/v1/payment-requests');
      const result = outcome(() => buildHitpayPaymentRequest(entry.params, { apiKey: captured.headers['X-BUSINESS-API-KEY'], sandbox: true }));
      const want = final(entry);
      if (want.error) {
        assertExpected(result, want, variant);
        return;
      }
      assert.ok(!result.error, result.error?.message);
      const req = result.value;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, `https://api.sandbox.hit-pay.com${captured.uri}`);
      assert.deepEqual(normalisedPairs(req.body), normalisedPairs(captured.body));
      for (const name of ['Content-Type', 'X-BUSINESS-API-KEY', 'X-Requested-With']) {
        assert.equal(req.headers[name], captured.headers[name], name);
      }
    });
  }
});

describe('PayEx / Swedbank Pay callbacks from the SDKs\' tests and the developer portal', () => {
  for (const [file, entry] of Object.entries(payex.manifest.callbacks)) {
    it(`${file} (${entry.source}${entry.derived ? ', derived' : ''})`, () => {
      const result = outcome(() => parsePayexCallback(realBytes(`payex/${file}`)));
      const want = final(entry);
      if (want.ok) {
        assert.ok(!result.error, result.error?.message);
        assert.deepEqual(result.value, want.ok);
      } else {
        assertExpected(result, want, file);
      }
    });
  }

  it('reads the payment order, its number and the order reference as the Swedbank Pay PHP SDK does, wherever both read one', () => {
    let compared = 0;
    for (const [file, sdk] of Object.entries(payex.sdkReads)) {
      const result = outcome(() => parsePayexCallback(realBytes(`payex/${file}`)));
      if (result.error || !sdk.paymentOrder) continue;
      compared += 1;
      assert.equal(result.value.paymentOrderUrl, sdk.paymentOrder.id, file);
      assert.equal(result.value.instrument, sdk.paymentOrder.instrument, file);
      assert.equal(result.value.paymentOrderNumber, sdk.paymentOrder.number ?? undefined, file);
      assert.equal(result.value.orderReference, sdk.orderReference ?? undefined, file);
    }
    assert.equal(compared, 5);
  });

  it('builds the follow-up GET for every path a real callback names', () => {
    for (const [file, entry] of Object.entries(payex.manifest.callbacks)) {
      const want = final(entry);
      if (!want.ok) continue;
      for (const key of ['paymentOrderUrl', 'paymentUrl', 'transactionUrl']) {
        const path = want.ok[key];
        if (!path) continue;
        const req = buildPayexRequest(path, { token: 'fixture-token' });
        assert.equal(req.url, `https://api.payex.com${path}`, `${file} ${key}`);
        assert.equal(req.headers.Authorization, 'Bearer fixture-token');
      }
    }
  });
});

describe('Smart Router (ProcessOut): documented webhook, ProcessOut\'s PHP SDK and curl', () => {
  it('parses the documented webhook body', () => {
    for (const [file, entry] of Object.entries(smartRouter.manifest.webhooks)) {
      assertExpected(outcome(() => parseSmartRouterWebhook(realBytes(`smart-router/${file}`))), entry.now, file);
    }
  });

  it('asks for the event as the PHP SDK\'s Event::find does: same path, same basic credentials', () => {
    const { requests } = smartRouter;
    const sdkGet = requests.captured.find((r) => r.method === 'GET');
    assert.equal(requests.sdk_read.id, smartRouter.manifest.event_request.event_id);
    const req = buildSmartRouterEventRequest(smartRouter.manifest.event_request.event_id, {
      projectId: requests.project_id,
      privateKey: requests.project_secret,
    });
    assert.equal(req.method, 'GET');
    const url = new URL(req.url);
    assert.equal(url.origin, 'https://api.processout.com');
    // The SDK always appends '?' and its (here empty) query; payhook sends no query.
    assert.equal(url.pathname + url.search, sdkGet.uri.replace(/\?$/, ''));
    assert.equal(req.headers.Authorization, sdkGet.headers.Authorization);
    assert.equal(Buffer.from(req.headers.Authorization.slice('Basic '.length), 'base64').toString('utf8'),
      `${requests.project_id}:${requests.project_secret}`);
  });

  it('accepts the Authorization header curl derives from a URL built by buildBasicAuthWebhookUrl', () => {
    const { requests } = smartRouter;
    const post = requests.captured.find((r) => r.method === 'POST');
    const base = new URL(requests.webhook_url);
    base.username = '';
    base.password = '';
    assert.equal(buildBasicAuthWebhookUrl(base.href, requests.webhook_username, requests.webhook_password), requests.webhook_url);
    const header = post.headers.Authorization;
    assert.equal(Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8'),
      `${requests.webhook_username}:${requests.webhook_password}`);
    assert.equal(checkBasicAuth(header, requests.webhook_username, requests.webhook_password), true);
    assert.equal(checkBasicAuth(header, requests.webhook_username, `${requests.webhook_password}x`), false);
    assert.deepEqual(parseSmartRouterWebhook(post.body), {
      eventId: 'ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C', eventType: 'transaction.failed',
    });
  });
});
