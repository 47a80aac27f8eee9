// Issue 13's payment-request API, PayEx variants and Smart Router GET webhooks, against the
// real-world fixtures (tests/fixtures/real/: what HitPay's PHP SDK and WooCommerce plugin send,
// HitPay's documented answers, Swedbank Pay's 2021-2023 documentation, issue 13's GET webhook
// URLs) and against independent references written here (URLSearchParams for bodies and
// queries, JSON.stringify for answers, new URL() for request URLs), never payhook's output.
// The first three describe blocks moved here from tests/node/pending/real-fixtures.mjs as
// written by the fixtures' author; the rest are this file's own cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// payhook's results have no prototype (issue 14): expected values are made alike.
import { prototypeFree } from './lib/strict.mjs';
import * as payhook from 'payhook';
import {
  loadRealFixtures,
  outcome,
  assertExpected,
  normalisedPairs,
  realText,
  realBytes,
  exported,
} from './lib/real-fixtures.mjs';
import { payhookErrorChecks } from './lib/assert.mjs';

const { hitpay, payex, smartRouter } = loadRealFixtures();

const fn = exported;

// ------------------------------------------------------------------ moved from pending

describe('HitPay create-payment-request: the parameters HitPay\'s WooCommerce plugin sends', () => {
  for (const [variant, entry] of Object.entries(hitpay.manifest.payment_requests)) {
    if (!entry.after_issue_13) continue;
    it(`${variant}: ${entry.what}`, () => {
      const captured = hitpay.requests.get(variant).captured[0];
      const req = payhook.buildHitpayPaymentRequest(entry.params, { apiKey: captured.headers['X-BUSINESS-API-KEY'], sandbox: true });
      assert.equal(req.url, `https://api.sandbox.hit-pay.com${captured.uri}`);
      assert.deepEqual(normalisedPairs(req.body), normalisedPairs(captured.body));
    });
  }

  it('an http: webhook (a shop without TLS) is INSECURE_URL, as everywhere else', () => {
    const { params } = hitpay.manifest.payment_requests['php-sdk'];
    const result = outcome(() => payhook.buildHitpayPaymentRequest(
      { ...params, webhook: params.webhook.replace('https:', 'http:') }, { apiKey: 'k', sandbox: true }));
    assertExpected(result, { error: { code: 'INSECURE_URL', field: 'webhook' } }, 'http webhook');
  });
});

describe('HitPay payment-request answers and the status request', () => {
  for (const [file, entry] of Object.entries(hitpay.manifest.responses)) {
    if (!entry.after_issue_13) continue;
    it(`${file}: ${entry.what}`, () => {
      const parse = fn('parseHitpayPaymentRequestResponse');
      assertExpected(outcome(() => parse(realBytes(`hitpay/${file}`))), entry.after_issue_13, file);
    });
  }

  it('agrees with what HitPay\'s PHP SDK reads from the documented create answer', () => {
    const parse = fn('parseHitpayPaymentRequestResponse');
    const read = hitpay.requests.get('php-sdk').sdk_read;
    const result = parse(realBytes('hitpay/create-response.json'));
    assert.deepEqual(
      [result.id, result.url, result.status, result.amount, result.currency, result.referenceNumber],
      [read.id, read.url, read.status, read.amount, read.currency, read.reference_number]);
  });

  it('refuses a checkout url that is not https on a HitPay host', () => {
    const parse = fn('parseHitpayPaymentRequestResponse');
    const doc = JSON.parse(realText('hitpay/create-response.json'));
    // http: on HitPay's host: INVALID_FIELD or INSECURE_URL (the contract names neither);
    // a foreign host: INVALID_FIELD.
    for (const [url, codes] of [
      ['http://securecheckout.sandbox.hit-pay.com/payment-request/x', ['INVALID_FIELD', 'INSECURE_URL']],
      ['https://securecheckout.hit-pay.com.evil.example/x', ['INVALID_FIELD']],
    ]) {
      const { error } = outcome(() => parse(JSON.stringify({ ...doc, url })));
      assert.ok(error && codes.includes(error.code), `${url}: ${error?.code}`);
      assert.equal(error.field, 'url');
    }
  });

  it('builds the status request the PHP SDK\'s getPaymentStatus sends, without its leftover body', () => {
    const build = fn('buildHitpayPaymentRequestStatusRequest');
    const { id, after_issue_13: want } = hitpay.manifest.status_request;
    const captured = hitpay.requests.get('php-sdk').captured.find((r) => r.method === 'GET');
    const req = build(id, { apiKey: captured.headers['X-BUSINESS-API-KEY'], sandbox: true });
    assert.equal(req.method, want.method);
    assert.equal(req.url, want.url);
    assert.equal(new URL(req.url).pathname, captured.uri);
    assert.equal(req.headers['X-BUSINESS-API-KEY'], captured.headers['X-BUSINESS-API-KEY']);
    assert.equal(req.body, undefined);
  });
});

describe('PayEx / Swedbank Pay: paymentorder, /psp/paymentorders/payments/ and numbers as strings', () => {
  for (const [file, entry] of Object.entries(payex.manifest.callbacks)) {
    if (!entry.after_issue_13) continue;
    it(`${file}`, () => {
      const result = outcome(() => payhook.parsePayexCallback(realBytes(`payex/${file}`)));
      assert.ok(!result.error, result.error?.message);
      assert.deepEqual({ ...result.value }, entry.after_issue_13.ok);
    });
  }
});

describe('Smart Router (ProcessOut) webhooks configured with request method GET', () => {
  for (const [url, entry] of Object.entries(smartRouter.manifest.get_webhooks)) {
    it(url, () => {
      const parse = fn('parseSmartRouterWebhookUrl');
      const result = outcome(() => parse(url));
      assertExpected(result, entry.after_issue_13, url);
      if (result.value && entry.after_issue_13.absent) {
        for (const key of entry.after_issue_13.absent) assert.equal(result.value[key], undefined);
      }
    });
  }
});

// ------------------------------------------------------------------ own cases

const API_KEY = 'hp_test_key_0123456789abcdef';
const { fails } = payhookErrorChecks({ secrets: [API_KEY] });
const MIN = { amount: '10.00', currency: 'SGD' };
const UUID = '98888a24-d6b2-430d-9063-d2be76d443cd';
const LOCATION = '9dd07721-d215-4947-9c79-2b8ec25f69db';
const build = (params) => payhook.buildHitpayPaymentRequest({ ...MIN, ...params }, { apiKey: API_KEY });
/** The body a form server must read: URLSearchParams of the expected pairs. */
const form = (pairs) => new URLSearchParams([['amount', '10.00'], ['currency', 'SGD'], ...pairs]).toString();

describe('buildHitpayPaymentRequest: the parameters added by issue 13', () => {
  it('every one at once, under HitPay\'s wire names, address as address[…]', () => {
    const req = build({
      paymentMethods: ['wifi_card_reader'],
      expiresAfter: '5 minutes',
      addAdminFee: true,
      sendEmail: false,
      sendSms: true,
      wifiTerminalId: 'tmr_FDOt2wlRZEdpd7',
      staffId: UUID,
      locationId: LOCATION,
      channel: 'api_woocomm',
      address: { line1: '177 River Valley Road', line2: '#01-01 & Co', city: 'Singapore', state: 'Central', postalCode: '179030', country: 'SG' },
    });
    assert.deepEqual(normalisedPairs(req.body), normalisedPairs(form([
      ['payment_methods[]', 'wifi_card_reader'],
      ['expires_after', '5 minutes'],
      ['add_admin_fee', 'true'],
      ['send_email', 'false'],
      ['send_sms', 'true'],
      ['wifi_terminal_id', 'tmr_FDOt2wlRZEdpd7'],
      ['staff_id', UUID],
      ['location_id', LOCATION],
      ['channel', 'api_woocomm'],
      ['address[line1]', '177 River Valley Road'],
      ['address[line2]', '#01-01 & Co'],
      ['address[city]', 'Singapore'],
      ['address[state]', 'Central'],
      ['address[postal_code]', '179030'],
      ['address[country]', 'SG'],
    ])));
  });

  it('booleans are written true/false', () => {
    for (const v of [true, false]) {
      assert.equal(build({ addAdminFee: v, sendEmail: v, sendSms: v }).body,
        form([['add_admin_fee', String(v)], ['send_email', String(v)], ['send_sms', String(v)]]));
    }
  });

  it('an address with line1 only; parts set to undefined are left out', () => {
    assert.equal(build({ address: { line1: '1 Road', city: undefined } }).body, form([['address[line1]', '1 Road']]));
  });

  describe('expiresAfter: <1 to 999999> <min|mins|minute|minutes|hour|hours|day|days>', () => {
    for (const ok of ['5 minutes', '6 mins', '1 min', '1 minute', '2 hours', '1 hour', '7 days', '1 day', '999999 mins']) {
      it(`accepts ${JSON.stringify(ok)}`, () => assert.equal(build({ expiresAfter: ok }).body, form([['expires_after', ok]])));
    }
    for (const bad of ['', '5', 'minutes', '0 minutes', '05 minutes', '-5 minutes', '5  minutes', ' 5 minutes', '5 minutes ',
      '5 Minutes', '5 weeks', '5 seconds', '5minutes', '1000000 days', '1.5 hours', 'PT5M']) {
      it(`refuses ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ expiresAfter: bad }), 'INVALID_FIELD', { field: 'expiresAfter' }));
    }
    it('not together with expiryDate -> INVALID_FIELD', () => {
      fails(() => build({ expiresAfter: '5 minutes', expiryDate: '2030-01-01 00:00:00' }), 'INVALID_FIELD', { field: 'expiresAfter' });
    });
  });

  describe('staffId and locationId: UUIDs', () => {
    for (const [param, wire] of [['staffId', 'staff_id'], ['locationId', 'location_id']]) {
      it(`${param}: a UUID, either case`, () => {
        assert.equal(build({ [param]: UUID.toUpperCase() }).body, form([[wire, UUID.toUpperCase()]]));
      });
      for (const bad of ['', '98888a24', `${UUID}0`, UUID.replaceAll('-', ''), `{${UUID}}`, UUID.replace('a', 'g'), 42]) {
        it(`${param}: ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ [param]: bad }), 'INVALID_FIELD', { field: param }));
      }
    }
  });

  describe('channel, wifiTerminalId', () => {
    for (const ok of ['api_woocomm', 'point_of_sale', 'a', 'x'.repeat(64)]) {
      it(`channel ${JSON.stringify(ok.slice(0, 20))} is sent`, () => assert.equal(build({ channel: ok }).body, form([['channel', ok]])));
    }
    for (const bad of ['', 'Api_Woocomm', 'api-woocomm', 'api woocomm', 'x'.repeat(65), 'é']) {
      it(`channel ${JSON.stringify(bad.slice(0, 20))} -> INVALID_FIELD`, () => fails(() => build({ channel: bad }), 'INVALID_FIELD', { field: 'channel' }));
    }
    for (const bad of ['', 'tmr 1', 'tmr/1', 'x'.repeat(256), 'tmr\n']) {
      it(`wifiTerminalId ${JSON.stringify(bad.slice(0, 20))} -> INVALID_FIELD`, () => fails(() => build({ wifiTerminalId: bad }), 'INVALID_FIELD', { field: 'wifiTerminalId' }));
    }
    it('wifi_card_reader without wifiTerminalId -> MISSING_FIELD', () => {
      fails(() => build({ paymentMethods: ['card', 'wifi_card_reader'] }), 'MISSING_FIELD', { field: 'wifiTerminalId' });
    });
    it('booleans given as strings -> INVALID_FIELD', () => {
      for (const param of ['addAdminFee', 'sendEmail', 'sendSms']) fails(() => build({ [param]: 'true' }), 'INVALID_FIELD', { field: param });
    });
  });

  describe('address', () => {
    it('without line1 -> MISSING_FIELD address.line1', () => fails(() => build({ address: { city: 'Singapore' } }), 'MISSING_FIELD', { field: 'address.line1' }));
    it('an empty object -> MISSING_FIELD address.line1', () => fails(() => build({ address: {} }), 'MISSING_FIELD', { field: 'address.line1' }));
    it('an empty line1 -> INVALID_FIELD', () => fails(() => build({ address: { line1: '' } }), 'INVALID_FIELD', { field: 'address.line1' }));
    for (const part of ['line1', 'line2', 'city', 'state', 'postalCode']) {
      it(`${part}: 255 characters ok, 256 -> INVALID_FIELD, a number -> INVALID_FIELD`, () => {
        const address = (v) => ({ line1: 'x', [part]: v });
        assert.ok(build({ address: address('é'.repeat(255)) }).body.length > 0);
        fails(() => build({ address: address('é'.repeat(256)) }), 'INVALID_FIELD', { field: `address.${part}` });
        fails(() => build({ address: address(7) }), 'INVALID_FIELD', { field: `address.${part}` });
      });
    }
    for (const bad of ['SGP', 'S', 'S1', '', 'ÄÖ']) {
      it(`country ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ address: { line1: 'x', country: bad } }), 'INVALID_FIELD', { field: 'address.country' }));
    }
    it('a part that is not an address part -> INVALID_FIELD naming it (postal_code is the wire name, not the parameter)', () => {
      fails(() => build({ address: { line1: 'x', postal_code: '1' } }), 'INVALID_FIELD', { field: 'address.postal_code' });
      fails(() => build({ address: { line1: 'x', __proto__x: '1' } }), 'INVALID_FIELD', { field: 'address.__proto__x' });
    });
    for (const [what, value] of [['a string', '177 River Valley Road'], ['an array', ['x']], ['null', null], ['a Map', new Map([['line1', 'x']])]]) {
      it(`${what} -> INVALID_FIELD`, () => fails(() => build({ address: value }), 'INVALID_FIELD', { field: 'address' }));
    }
    it('a polluted Object.prototype adds no address part', () => {
      Object.prototype.city = 'Polluted';
      try {
        assert.equal(build({ address: { line1: 'x' } }).body, form([['address[line1]', 'x']]));
      } finally {
        delete Object.prototype.city;
      }
    });
  });
});

describe('buildHitpayPaymentRequest: http: URLs are INSECURE_URL, as in every other function', () => {
  for (const [param, wire] of [['redirectUrl', 'redirect_url'], ['webhook', 'webhook']]) {
    for (const url of ['http://shop.example/hitpay', 'http://192.168.1.10/hook', 'HTTP://SHOP.EXAMPLE/']) {
      it(`${param} ${url} -> INSECURE_URL`, () => fails(() => build({ [param]: url }), 'INSECURE_URL', { field: param }));
    }
    for (const url of ['http://localhost:3000/return', 'http://127.0.0.1/hook', 'http://[::1]:8080/hook']) {
      it(`${param} ${url} (loopback) is sent`, () => assert.equal(build({ [param]: url }).body, form([[wire, url]])));
    }
    it(`${param}: userinfo stays INVALID_FIELD`, () => fails(() => build({ [param]: 'https://u:p@shop.example/' }), 'INVALID_FIELD', { field: param }));
  }
});

// ------------------------------------------------------------------ parseHitpayPaymentRequestResponse

const ID = '9ef68e2e-3569-4f69-9f68-04c7e4bb007c';
const CHECKOUT = `https://securecheckout.sandbox.hit-pay.com/payment-request/@qasg/${ID}/checkout`;
const ANSWER = { id: ID, amount: '10.00', currency: 'sgd', status: 'pending', url: CHECKOUT, reference_number: 'R-1' };
const parse = (doc) => payhook.parseHitpayPaymentRequestResponse(typeof doc === 'string' ? doc : JSON.stringify(doc));

describe('parseHitpayPaymentRequestResponse', () => {
  it('returns exactly id, url, status, amount, currency, referenceNumber, qrCode as sent', () => {
    const got = parse({ ...ANSWER, name: 'x', payment_methods: ['card'], address: { line1: 'y' } });
    assert.deepEqual({ ...got }, { id: ID, url: CHECKOUT, status: 'pending', amount: '10.00', currency: 'sgd', referenceNumber: 'R-1' });
    assert.equal(Object.getPrototypeOf(got), null); // prototype-free (issue 14)
  });

  it('reads a string, a Uint8Array and an ArrayBuffer alike', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(ANSWER));
    for (const body of [JSON.stringify(ANSWER), bytes, bytes.buffer]) assert.equal(payhook.parseHitpayPaymentRequestResponse(body).id, ID);
  });

  it('every status HitPay documents', () => {
    for (const status of ['pending', 'completed', 'failed', 'expired', 'canceled', 'inactive']) assert.equal(parse({ ...ANSWER, status }).status, status);
  });

  it('null members are absent; a JSON number amount keeps its literal text', () => {
    const got = parse(`{"id":"${ID}","amount":10.50,"currency":"SGD","status":"pending","url":"${CHECKOUT}","reference_number":null,"qr_code_data":null}`);
    assert.equal(got.amount, '10.50');
    assert.ok(!Object.hasOwn(got, 'referenceNumber') && !Object.hasOwn(got, 'qrCode'));
  });

  it('the QR flow: qr_code_data as a string or as { qr_code }, url then optional', () => {
    const { url, ...noUrl } = ANSWER;
    assert.equal(url, CHECKOUT);
    const a = parse({ ...noUrl, qr_code_data: '000201010212' });
    assert.equal(a.qrCode, '000201010212');
    assert.ok(!Object.hasOwn(a, 'url'));
    assert.equal(parse({ ...noUrl, qr_code_data: { qr_code: '0002', qr_code_expiry: null } }).qrCode, '0002');
    assert.equal(parse({ ...ANSWER, qr_code_data: '0002' }).url, CHECKOUT);
    fails(() => parse(noUrl), 'MISSING_FIELD', { field: 'url' });
    fails(() => parse({ ...noUrl, qr_code_data: '' }), 'INVALID_FIELD', { field: 'qr_code_data' });
    fails(() => parse({ ...noUrl, qr_code_data: 5 }), 'INVALID_FIELD', { field: 'qr_code_data' });
  });

  describe('url: https: on hit-pay.com or a name under it', () => {
    for (const ok of ['https://securecheckout.hit-pay.com/payment-request/@shop/x/checkout', 'https://hit-pay.com/x', 'https://SECURECHECKOUT.HIT-PAY.COM/x']) {
      it(`accepts ${ok}`, () => assert.equal(parse({ ...ANSWER, url: ok }).url, ok));
    }
    for (const [url, code] of [
      ['http://securecheckout.hit-pay.com/x', 'INSECURE_URL'],
      ['https://securecheckout.hit-pay.com.evil.example/x', 'INVALID_FIELD'],
      ['https://evilhit-pay.com/x', 'INVALID_FIELD'],
      ['https://hitpay.com/x', 'INVALID_FIELD'],
      ['https://evil.example/?https://securecheckout.hit-pay.com/', 'INVALID_FIELD'],
      ['https://securecheckout.hit-pay.com@evil.example/x', 'INVALID_FIELD'],
      ['https://x@securecheckout.hit-pay.com/x', 'INVALID_FIELD'],
      ['https://securecheckout.hit-pay.com:444/x', 'INVALID_FIELD'],
      ['//securecheckout.hit-pay.com/x', 'INVALID_FIELD'],
      ['javascript:alert(1)//hit-pay.com', 'INVALID_FIELD'],
      ['', 'INVALID_FIELD'],
    ]) {
      it(`${JSON.stringify(url)} -> ${code}`, () => fails(() => parse({ ...ANSWER, url }), code, { field: 'url' }));
    }
    it('a url that is not a string -> INVALID_FIELD', () => fails(() => parse({ ...ANSWER, url: ['x'] }), 'INVALID_FIELD', { field: 'url' }));
  });

  describe('errors', () => {
    const without = (key) => Object.fromEntries(Object.entries(ANSWER).filter(([k]) => k !== key));
    for (const key of ['id', 'status', 'amount', 'currency']) {
      it(`no ${key} -> MISSING_FIELD`, () => fails(() => parse(without(key)), 'MISSING_FIELD', { field: key }));
    }
    for (const [what, doc, code, field] of [
      ['an id that is not a UUID', { ...ANSWER, id: '123' }, 'INVALID_FIELD', 'id'],
      ['a numeric id', { ...ANSWER, id: 123 }, 'INVALID_FIELD', 'id'],
      ['a status in capitals', { ...ANSWER, status: 'PENDING' }, 'INVALID_FIELD', 'status'],
      ['an amount with a sign', { ...ANSWER, amount: '-10.00' }, 'INVALID_AMOUNT', 'amount'],
      ['an amount with an exponent', { ...ANSWER, amount: '1e3' }, 'INVALID_AMOUNT', 'amount'],
      ['an amount as a boolean', { ...ANSWER, amount: true }, 'INVALID_AMOUNT', 'amount'],
      ['a currency of 2 letters', { ...ANSWER, currency: 'sg' }, 'INVALID_CURRENCY', 'currency'],
      ['a numeric reference_number', { ...ANSWER, reference_number: 5 }, 'INVALID_FIELD', 'reference_number'],
    ]) {
      it(`${what} -> ${code}`, () => fails(() => parse(doc), code, { field }));
    }
    for (const body of ['', 'null', '[]', '"x"', '{', `{"id":"${ID}","id":"${ID}"}`, '\uFEFF{}']) {
      it(`body ${JSON.stringify(body)} -> MALFORMED_BODY`, () => fails(() => payhook.parseHitpayPaymentRequestResponse(body), 'MALFORMED_BODY'));
    }
    it('64 KiB is read, one byte more is PAYLOAD_TOO_LARGE', () => {
      const base = JSON.stringify({ ...ANSWER, pad: '' });
      const padded = (n) => base.replace('"pad":""', `"pad":"${'x'.repeat(n - base.length)}"`);
      assert.equal(parse(padded(64 * 1024)).id, ID);
      fails(() => parse(padded(64 * 1024 + 1)), 'PAYLOAD_TOO_LARGE');
    });
    for (const [what, value] of [['a number', 1], ['undefined', undefined], ['an object', ANSWER]]) {
      it(`a body that is ${what} -> MALFORMED_BODY`, () => fails(() => payhook.parseHitpayPaymentRequestResponse(value), 'MALFORMED_BODY'));
    }
  });

  it('the status call\'s documented answer reads the same way (HitPay documents one shape for both)', () => {
    const create = payhook.parseHitpayPaymentRequestResponse(realBytes('hitpay/create-response.json'));
    const status = payhook.parseHitpayPaymentRequestResponse(realBytes('hitpay/status-response.json'));
    assert.deepEqual({ ...status }, { ...create });
    assert.equal(status.id, JSON.parse(realText('hitpay/status-response.json')).id);
  });
});

// ------------------------------------------------------------------ buildHitpayPaymentRequestStatusRequest

describe('buildHitpayPaymentRequestStatusRequest', () => {
  const status = (id, options = { apiKey: API_KEY }) => payhook.buildHitpayPaymentRequestStatusRequest(id, options);

  it('GET on the live or the sandbox API, the key in X-BUSINESS-API-KEY, no body', () => {
    for (const [sandbox, host] of [[undefined, 'api.hit-pay.com'], [false, 'api.hit-pay.com'], [true, 'api.sandbox.hit-pay.com']]) {
      const req = status(ID, { apiKey: API_KEY, sandbox });
      const url = new URL(req.url);
      assert.deepEqual([url.protocol, url.host, url.pathname, url.search], ['https:', host, `/v1/payment-requests/${ID}`, '']);
      assert.equal(req.url, url.href);
      assert.deepEqual(req, prototypeFree({ method: 'GET', url: req.url, headers: { 'X-BUSINESS-API-KEY': API_KEY, 'X-Requested-With': 'XMLHttpRequest' } }));
      assert.ok(!('body' in req));
    }
  });

  it('the id of a created request, read from its answer, round-trips', () => {
    const { id } = payhook.parseHitpayPaymentRequestResponse(realBytes('hitpay/create-response.json'));
    assert.ok(status(id).url.endsWith(`/${id}`));
  });

  for (const bad of ['', '9ef68e2e', `${ID}/refunds`, `../${ID}`, `${ID}?x=1`, `${ID}#x`, ` ${ID}`, encodeURIComponent(`${ID}/`), ID.replaceAll('-', '')]) {
    it(`id ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => status(bad), 'INVALID_FIELD', { field: 'id' }));
  }
  it('an id that is not a string -> INVALID_FIELD', () => fails(() => status(42), 'INVALID_FIELD', { field: 'id' }));
  for (const [what, options] of [['no options', undefined], ['no apiKey', {}], ['an empty apiKey', { apiKey: '' }], ['a key with a newline', { apiKey: 'a\nb' }]]) {
    it(`${what} -> INVALID_SECRET`, () => fails(() => payhook.buildHitpayPaymentRequestStatusRequest(ID, options), 'INVALID_SECRET'));
  }
  it('sandbox that is not a boolean -> INVALID_FIELD', () => fails(() => status(ID, { apiKey: API_KEY, sandbox: 'yes' }), 'INVALID_FIELD', { field: 'sandbox' }));
  it('a polluted Object.prototype sets no sandbox', () => {
    Object.prototype.sandbox = true;
    try {
      assert.equal(new URL(status(ID).url).host, 'api.hit-pay.com');
    } finally {
      delete Object.prototype.sandbox;
    }
  });
});

// ------------------------------------------------------------------ PayEx

describe('parsePayexCallback: what the 2021-2023 documentation shows', () => {
  const PO = '/psp/paymentorders/7e6cdfc3-1276-44e9-9992-7cf4419750e1';
  const PAY = '/psp/paymentorders/payments/7e6cdfc3-1276-44e9-9992-7cf4419750e1';
  const TX = `${PAY}/captures/ec2a9b09-601a-42ae-8e33-a5737e1cf177`;
  const p = (doc) => payhook.parsePayexCallback(JSON.stringify(doc));

  it('paymentorder (lowercase o) reads as paymentOrder; both at once -> DUPLICATE_FIELD', () => {
    const lower = p({ paymentorder: { id: PO, instrument: 'Invoice', number: 5 } });
    const upper = p({ paymentOrder: { id: PO, instrument: 'Invoice', number: 5 } });
    assert.deepEqual({ ...lower }, { ...upper });
    fails(() => p({ paymentOrder: { id: PO }, paymentorder: { id: PO } }), 'DUPLICATE_FIELD', { field: 'paymentOrder' });
    fails(() => p({ paymentorder: { id: PAY } }), 'INVALID_FIELD', { field: 'paymentorder.id' });
  });

  it('payments of a payment order, their transactions, and the follow-up GET for each', () => {
    const c = p({ payment: { id: PAY, number: 1 }, transaction: { id: TX, number: 2 } });
    assert.deepEqual([c.instrument, c.paymentUrl, c.transactionUrl, c.transactionId], [
      'paymentorders', PAY, TX, 'ec2a9b09-601a-42ae-8e33-a5737e1cf177']);
    for (const path of [PAY, TX]) assert.equal(payhook.buildPayexRequest(path, { token: 't' }).url, `https://api.payex.com${path}`);
    for (const bad of [`${PAY}/x`, PAY.replace('payments', 'Payments'), `/psp/paymentorders/payments/payments/${PAY.slice(-36)}`]) {
      fails(() => payhook.buildPayexRequest(bad, { token: 't' }), 'INVALID_FIELD', { field: 'path' });
    }
  });

  it('numbers as strings of digits are JS numbers, with the same range; never rounded', () => {
    const c = p({ payment: { id: PAY, number: '222222222' }, paymentOrder: { id: PO, number: '9007199254740991' } });
    assert.equal(c.paymentNumber, 222222222);
    assert.equal(c.paymentOrderNumber, Number.MAX_SAFE_INTEGER);
    for (const bad of ['9007199254740992', '0', '01', '', ' 1', '1.0', '1e3', '-1', '٣']) {
      fails(() => p({ payment: { id: PAY, number: bad } }), 'INVALID_FIELD', { field: 'payment.number' });
    }
  });
});

// ------------------------------------------------------------------ Smart Router GET webhooks

describe('parseSmartRouterWebhookUrl against URLSearchParams', () => {
  /** The contract's rules, applied to URLSearchParams' reading of the query. */
  function reference(url) {
    const params = new URL(url, 'https://base.example').searchParams;
    const ids = params.getAll('event_id');
    const types = params.getAll('event_type');
    if (ids.length > 1) return { error: 'DUPLICATE_FIELD', field: 'event_id' };
    if (types.length > 1) return { error: 'DUPLICATE_FIELD', field: 'event_type' };
    if (ids.length === 0) return { error: 'MISSING_FIELD', field: 'event_id' };
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(ids[0])) return { error: 'INVALID_FIELD', field: 'event_id' };
    return { value: types.length ? { eventId: ids[0], eventType: types[0] } : { eventId: ids[0] } };
  }
  const E = 'ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C';
  for (const url of [
    `https://shop.example/sr?event_id=${E}&event_type=transaction.failed`,
    `/sr?event_id=${E}`,
    `/sr?event_type=&event_id=${E}`,
    `/sr?event_type=a+b%20c%2Fd&event_id=${E}&x=1&x=2`,
    '/sr?event_id=%65v_1',
    '/sr?event_id=',
    '/sr?event_id=ev.1',
    '/sr?event_id=ev%2F1',
    `/sr?event_id=${'a'.repeat(255)}`,
    `/sr?event_id=${'a'.repeat(256)}`,
    `/sr?event_id=${E}&event_id=${E}`,
    `/sr?event_id=${E}&event_type=a&event_type=a`,
    '/sr?event_type=x',
    '/sr',
    'http://localhost:8787/sr?event_id=ev_1',
  ]) {
    it(url.slice(0, 90), () => {
      const want = reference(url);
      if (want.error) {
        fails(() => payhook.parseSmartRouterWebhookUrl(url), want.error, { field: want.field });
      } else {
        assert.deepEqual({ ...payhook.parseSmartRouterWebhookUrl(url) }, want.value);
      }
    });
  }

  it('agrees with parseSmartRouterWebhook on the same event as a POST body', () => {
    const posted = payhook.parseSmartRouterWebhook(realBytes('smart-router/docs-webhook-body.json'));
    const doc = JSON.parse(realText('smart-router/docs-webhook-body.json'));
    const query = new URLSearchParams({ event_id: doc.event_id, event_type: doc.event_type });
    assert.deepEqual({ ...payhook.parseSmartRouterWebhookUrl(`/webhooks/sr?${query}`) }, { ...posted });
  });

  for (const [url, code] of [['/sr?event_id=%zz', 'INVALID_URL'], ['/sr?event_id=%FF', 'INVALID_URL'], ['sr?event_id=a', 'INVALID_URL'],
    ['ftp://x.example/?event_id=a', 'INVALID_URL'], [`/sr?event_id=a&pad=${'x'.repeat(8192)}`, 'PAYLOAD_TOO_LARGE']]) {
    it(`${url.slice(0, 40)} -> ${code}`, () => fails(() => payhook.parseSmartRouterWebhookUrl(url), code));
  }
  for (const [what, value] of [['a number', 1], ['null', null], ['a URL object', new URL('https://x.example/?event_id=a')]]) {
    it(`a url that is ${what} -> INVALID_FIELD`, () => fails(() => payhook.parseSmartRouterWebhookUrl(value), 'INVALID_FIELD'));
  }
});
