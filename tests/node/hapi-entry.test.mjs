// `payhook/hapi` (the HAPI-only build: pkg/hapi-node.js over pkg/gen/payhook_hapi*)
// as users import it in Node, against 'payhook': for every input below both entries
// return the same result or throw the same error (class, name, code, field, message),
// and PayhookError is one class across them. What the results should be is tested
// in hapi.test.mjs; this file pins that the small build does not drift from it.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as full from 'payhook';
import * as hapi from 'payhook/hapi';

const BASE = 'https://ats.example/webhooks/hapi';
const HAPI_EXPORTS = ['PayhookError', 'buildHapiCallbackUrl', 'parseHapiCallback', 'setHapiSuccessCallbackUrl'];

/** What a call did: its result, or the error it threw, as plain data. */
function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: describeError(e) };
  }
}

function describeError(e) {
  return {
    payhookError: e instanceof full.PayhookError,
    ownClass: e instanceof hapi.PayhookError,
    name: e?.name,
    code: e?.code,
    field: e?.field,
    hasField: Object.hasOwn(Object(e), 'field'),
    message: e?.message,
  };
}

async function settled(promise) {
  try {
    return { ok: await promise };
  } catch (e) {
    return { error: describeError(e) };
  }
}

/** Checks that both entries agree on `args`, and returns the shared outcome. */
function same(name, ...args) {
  const a = outcome(() => full[name](...args));
  const b = outcome(() => hapi[name](...args));
  assert.deepEqual(b, a, `${name}(${args.map(label).join(', ')})`);
  return a;
}

const code = (o) => o.error?.code;

// An argument for a failure message (a throwing getter or a revoked Proxy included).
function label(x) {
  try {
    return String(JSON.stringify(x)).slice(0, 80);
  } catch {
    return typeof x;
  }
}

describe("'payhook/hapi' (Node)", () => {
  it('resolves to pkg/hapi-node.js and exports exactly the HAPI functions and PayhookError', () => {
    assert.match(fileURLToPath(import.meta.resolve('payhook/hapi')), /[\\/]pkg[\\/]hapi-node\.js$/);
    assert.deepEqual(Object.keys(hapi).sort(), HAPI_EXPORTS);
    for (const name of HAPI_EXPORTS) assert.equal(typeof hapi[name], 'function', name);
  });

  it("PayhookError is the same class as 'payhook' exports", () => {
    assert.equal(hapi.PayhookError, full.PayhookError);
    const thrown = outcome(() => hapi.buildHapiCallbackUrl(BASE, { amount: '1' }));
    assert.equal(thrown.error.payhookError, true);
    assert.equal(thrown.error.ownClass, true);
    assert.equal(thrown.error.name, 'PayhookError');
    // And the other way: an error of the full build is an instance of the small build's class.
    try {
      full.parseHapiCallback('/cb');
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof hapi.PayhookError);
    }
  });

  describe('buildHapiCallbackUrl: same results and errors as payhook', () => {
    const cases = [
      // [base, params, expected code (undefined: a URL)]
      [BASE, undefined],
      [BASE, null],
      [BASE, {}],
      [BASE, { orderId: 'o-1', tenant: 'acme' }],
      [`${BASE}?ref=1`, { orderId: 'o-1' }],
      [`${BASE}?`, { orderId: 'o-1' }],
      ['HTTPS://ATS.example:443/a/../cb', { note: 'a b&c/ä', emoji: '👍', empty: '' }],
      [BASE, { __proto__: null, 'weird key=&': 'v=1&x', ['__proto__']: 'p' }],
      ['http://127.0.0.1:8787/webhooks/hapi', { orderId: 'o-1' }],
      ['http://localhost/cb', undefined],
      ['https://ats.example/cb?x=%zz', undefined, 'INVALID_URL'],
      // reserved keys, in params and in the base, in disguise
      [BASE, { amount: '1' }, 'RESERVED_QUERY_KEY'],
      [BASE, { walletId: '' }, 'RESERVED_QUERY_KEY'],
      [BASE, { orderId: 'o-1', draftCampaignId: 'd' }, 'RESERVED_QUERY_KEY'],
      [BASE, { Amount: '1' }, 'RESERVED_QUERY_KEY'],
      [BASE, { WALLETID: '1' }, 'RESERVED_QUERY_KEY'],
      [BASE, { '%61mount': '1' }, 'RESERVED_QUERY_KEY'],
      [BASE, { 'amount[]': '1' }, 'RESERVED_QUERY_KEY'],
      [`${BASE}?WalletID=1`, undefined, 'RESERVED_QUERY_KEY'],
      [`${BASE}?draftCampaign%49d=1`, { orderId: 'o-1' }, 'RESERVED_QUERY_KEY'],
      // duplicates
      [`${BASE}?orderId=o-0`, { orderId: 'o-1' }, 'DUPLICATE_FIELD'],
      // bad URLs
      ['http://ats.example/cb', { orderId: 'o-1' }, 'INSECURE_URL'],
      ['ftp://ats.example/cb', undefined, 'INVALID_URL'],
      [`${BASE}#top`, undefined, 'INVALID_URL'],
      [`${BASE}#`, { orderId: 'o-1' }, 'INVALID_URL'],
      ['https://user:S3cr3tPw@ats.example/cb', undefined, 'INVALID_URL'],
      ['/relative/cb', undefined, 'INVALID_URL'],
      ['ats.example/webhooks/hapi', undefined, 'INVALID_URL'],
      ['https://ats.example/a b', undefined, 'INVALID_URL'],
      ['https://ats.example/\u0000', undefined, 'INVALID_URL'],
      ['', undefined, 'INVALID_URL'],
      [`https://ats.example/${'p'.repeat(9000)}`, undefined, 'INVALID_URL'],
      [`https://ats.example/${'p'.repeat(2040)}`, { k: 'v'.repeat(20) }, 'INVALID_URL'],
      [BASE, { k: 'é'.repeat(400) }, 'INVALID_URL'],
      // argument types and text
      [42, undefined, 'INVALID_FIELD'],
      [null, undefined, 'INVALID_FIELD'],
      [undefined, undefined, 'INVALID_FIELD'],
      [BASE, new Map([['a', 'b']]), 'INVALID_FIELD'],
      [BASE, ['a', 'b'], 'INVALID_FIELD'],
      [BASE, 'a=b', 'INVALID_FIELD'],
      [BASE, { a: 1 }, 'INVALID_FIELD'],
      [BASE, { a: undefined }, 'INVALID_FIELD'],
      [BASE, { a: '\ud800' }, 'INVALID_FIELD'],
      [BASE, { '\udc00': 'x' }, 'INVALID_FIELD'],
      ['https://ats.example/\ud800', undefined, 'INVALID_FIELD'],
    ];
    for (const [base, params, expected] of cases) {
      it(`${String(base).slice(0, 60)} ${JSON.stringify(params) ?? ''}`.trim(), () => {
        const o = same('buildHapiCallbackUrl', base, params);
        if (expected === undefined) assert.equal(typeof o.ok, 'string', JSON.stringify(o.error));
        else assert.equal(code(o), expected);
      });
    }

    it('a getter that throws, and a Proxy, fail the same way', () => {
      const getter = Object.defineProperty({}, 'a', { enumerable: true, get() { throw new Error('boom'); } });
      assert.equal(code(same('buildHapiCallbackUrl', BASE, getter)), 'INVALID_FIELD');
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      assert.equal(code(same('buildHapiCallbackUrl', BASE, proxy)), 'INVALID_FIELD');
    });

    it('too many parameters fail the same way', () => {
      const many = Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`k${i}`, '']));
      assert.equal(code(same('buildHapiCallbackUrl', BASE, many)), 'INVALID_URL');
    });
  });

  describe('parseHapiCallback: same results and errors as payhook', () => {
    const cases = [
      ['/webhooks/hapi?orderId=o-1&amount=25.00&walletId=wal_1'],
      [`${BASE}?orderId=o-1&draftCampaignId=d-1&amount=10&walletId=w`],
      ['/cb?__proto__=x&note=a+b%26c&amount=1&walletId=w'],
      ['/cb?amount=1&walletId=w&Amount=2', 'DUPLICATE_FIELD'],
      ['/cb?walletId=w', 'MISSING_FIELD'],
      ['/cb?amount=1', 'MISSING_FIELD'],
      ['/cb?amount=1.2.3&walletId=w', 'INVALID_FIELD'],
      ['/cb?amount=&walletId=w', 'INVALID_FIELD'],
      ['/cb?amount=1&walletId=w&draftCampaignId=', 'INVALID_FIELD'],
      ['/cb?amount=%zz&walletId=w', 'INVALID_URL'],
      ['cb?amount=1&walletId=w', 'INVALID_URL'],
      ['', 'INVALID_URL'],
      [`/cb?${'a'.repeat(9000)}`, 'PAYLOAD_TOO_LARGE'],
      [42, 'INVALID_FIELD'],
      [undefined, 'INVALID_FIELD'],
      ['/cb?amount=1&walletId=\ud800', 'INVALID_FIELD'],
    ];
    for (const [url, expected] of cases) {
      it(String(url).slice(0, 70), () => {
        const o = same('parseHapiCallback', url);
        if (expected === undefined) assert.equal(typeof o.ok, 'object', JSON.stringify(o.error));
        else assert.equal(code(o), expected);
      });
    }
  });

  describe('setHapiSuccessCallbackUrl: same results and errors as payhook', () => {
    afterEach(() => {
      delete globalThis.hapi;
    });

    it('rejects an invalid URL the same way', async () => {
      for (const [base, params] of [[BASE, { amount: '1' }], ['http://ats.example/cb'], [42]]) {
        const a = await settled(full.setHapiSuccessCallbackUrl(base, params));
        const b = await settled(hapi.setHapiSuccessCallbackUrl(base, params));
        assert.deepEqual(b, a);
        assert.equal(b.error.ownClass, true);
      }
    });

    it('rejects the same way when there is no window to wait on (Node)', async () => {
      assert.equal(typeof globalThis.addEventListener, 'undefined', 'this test needs a global without addEventListener');
      const a = await settled(full.setHapiSuccessCallbackUrl(BASE));
      const b = await settled(hapi.setHapiSuccessCallbackUrl(BASE));
      assert.deepEqual(b, a);
      assert.equal(b.error.code, 'INVALID_FIELD');
      assert.equal(b.error.field, 'window');
    });

    it('sets window.hapi.wallet.state the same way when it exists', async () => {
      const params = { orderId: 'o-1', note: 'a b' };
      globalThis.hapi = { wallet: { state: {} } };
      const a = await hapi.setHapiSuccessCallbackUrl(BASE, params);
      const setBySmall = globalThis.hapi.wallet.state.paymentIntentSuccessCallbackUrl;
      globalThis.hapi = { wallet: { state: {} } };
      const b = await full.setHapiSuccessCallbackUrl(BASE, params);
      assert.equal(a, b);
      assert.equal(setBySmall, b);
      assert.equal(globalThis.hapi.wallet.state.paymentIntentSuccessCallbackUrl, b);
      assert.equal(b, `${BASE}?orderId=o-1&note=a+b`);
    });
  });

  it('keeps working after errors (no state left behind in the small build)', () => {
    for (let i = 0; i < 200; i += 1) {
      assert.equal(code(outcome(() => hapi.buildHapiCallbackUrl(BASE, { amount: String(i) }))), 'RESERVED_QUERY_KEY');
      assert.equal(code(outcome(() => hapi.parseHapiCallback('/cb?amount=x&walletId=w'))), 'INVALID_FIELD');
    }
    assert.equal(hapi.buildHapiCallbackUrl(BASE, { orderId: 'o-9' }), full.buildHapiCallbackUrl(BASE, { orderId: 'o-9' }));
    assert.deepEqual(hapi.parseHapiCallback('/cb?amount=1&walletId=w'), full.parseHapiCallback('/cb?amount=1&walletId=w'));
  });
});
