// HAPI Elements callback URLs, signed callback URLs and the HitPay signature diagnosis,
// as users import them ('payhook', resolved through the `node` export condition).
// Expected values come from the contract (/work/shared/api.md), from the WHATWG URL and
// URLSearchParams of Node, and from node:crypto here; never from payhook itself.
import { describe, it, afterEach } from 'node:test';
import assert from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import {
  PayhookError,
  buildHapiCallbackUrl,
  parseHapiCallback,
  setHapiSuccessCallbackUrl,
  signCallbackUrl,
  verifyCallbackUrl,
  diagnoseHitpayWebhook,
} from 'payhook';
import { payhookErrorChecks, HEX_RUN, SIGNATURE_RUN } from './lib/assert.mjs';

const SECRET = 'cb-secret-Ωmega-for-tests-only';
const OTHER_SECRET = 'another-callback-secret';
const SALT = 'hitpay-salt-for-tests-only';
const HAPI_KEYS = ['draftCampaignId', 'amount', 'walletId'];
const BASE = 'https://ats.example/webhooks/hapi';

// ------------------------------------------------------------------ helpers

const utf8 = (s) => Buffer.from(s, 'utf8');

/** The contract's callback message and signature, written here with node:crypto. */
function callbackMessage(url, { ignoreKeys = [], exp } = {}) {
  const u = url.startsWith('/') ? new URL(url, 'https://x.invalid') : new URL(url);
  const pairs = [...u.searchParams].filter(([k]) => k !== 'sig' && !ignoreKeys.includes(k));
  if (exp !== undefined) pairs.push(['exp', String(exp)]);
  return `${u.pathname}?${new URLSearchParams(pairs).toString()}`;
}
const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const hmacB64url = (secret, message) => b64url(createHmac('sha256', utf8(secret)).update(utf8(message)).digest());
const expectedSig = (url, secret, opts) => hmacB64url(secret, callbackMessage(url, opts));

/** What signCallbackUrl must return for `url` (WHATWG-serialised first). */
function expectedSigned(url, secret, exp) {
  const href = new URL(url).href;
  const sig = expectedSig(href, secret, { exp });
  return `${href}${separator(href)}${exp === undefined ? '' : `exp=${exp}&`}sig=${sig}`;
}

/** The character that goes before an appended pair: `?`, `&`, or nothing after `?`/`&`. */
function separator(href) {
  if (!href.includes('?')) return '?';
  return href.endsWith('?') || href.endsWith('&') ? '' : '&';
}

/** The URL with raw `pairs` ("k=v") inserted in its query before the pair at `index`. */
function insertPairs(url, index, pairs) {
  const at = url.indexOf('?');
  const head = at < 0 ? url : url.slice(0, at);
  const segments = at < 0 ? [] : url.slice(at + 1).split('&');
  segments.splice(index, 0, ...pairs);
  return `${head}?${segments.join('&')}`;
}
const querySegments = (url) => url.slice(url.indexOf('?') + 1).split('&');
const sigOf = (url) => new URL(url, 'https://x.invalid').searchParams.get('sig');

/** What buildHapiCallbackUrl must return: the WHATWG href with the params form-encoded after it. */
function expectedBuild(base, params) {
  const href = new URL(base).href;
  const qs = new URLSearchParams(Object.entries(params ?? {})).toString();
  return qs === '' ? href : href + separator(href) + qs;
}

const hmacHex = (salt, message, algo = 'sha256') => createHmac(algo, utf8(salt)).update(utf8(message)).digest('hex');
const byteOrder = (a, b) => Buffer.compare(utf8(a), utf8(b));
const concat = (entries) => entries.map(([k, v]) => k + v).join('');

// Every secret this file uses: no error message may contain one.
const SECRETS = [SECRET, OTHER_SECRET, SALT];

const GOOD_SIGNED = expectedSigned(`${BASE}?orderId=o-1`, SECRET, undefined);
/** The module keeps working: known-good calls after every error. */
function assertStillWorks() {
  assert.equal(buildHapiCallbackUrl(BASE, { orderId: 'o-1' }), `${BASE}?orderId=o-1`);
  assert.deepEqual(verifyCallbackUrl(GOOD_SIGNED, SECRET), { orderId: 'o-1' });
}

// fails(fn, code, { field, hidden }) and assertPayhookError(err, code, ...): no
// message may hold a secret, a signature (a base64url run of 40+) or 16+ hex digits.
const { fails, assertPayhookError } = payhookErrorChecks({
  secrets: SECRETS,
  forbidden: [SIGNATURE_RUN, HEX_RUN],
  stillWorks: assertStillWorks,
});

const WRONG_TYPES = [
  ['a number', 42],
  ['undefined', undefined],
  ['null', null],
  ['a boolean', true],
  ['a bigint', 10n],
  ['an object', { a: 1 }],
  ['an array', ['https://ats.example/']],
  ['a URL object', new URL(BASE)],
];

// ================================================================== buildHapiCallbackUrl

describe('buildHapiCallbackUrl', () => {
  const BASES = [
    BASE,
    'https://ats.example',
    'HTTPS://ATS.Example:443/a/./b/../hapi',
    'https://ats.example:8443/cb',
    'https://bücher.example/pfad/ä?q=ü',
    "https://ats.example/p?q='x'&r=1",
    'https://ats.example/cb?ref=abc&',
    'https://ats.example/cb?',
    'https://ats.example/a%2Fb?x=%7E',
    'http://localhost:3000/cb?job=1',
  ];

  it('returns the WHATWG serialisation of the base when there are no params', () => {
    for (const base of BASES) {
      const href = new URL(base).href;
      assert.equal(buildHapiCallbackUrl(base), href, base);
      assert.equal(buildHapiCallbackUrl(base, {}), href, base);
      assert.equal(buildHapiCallbackUrl(base, undefined), href, base);
      assert.equal(buildHapiCallbackUrl(base, null), href, base);
    }
  });

  it('appends the params in order, form-encoded as URLSearchParams does', () => {
    const params = {
      orderId: 'o-1',
      'a b': 'c d',
      'sym&=?#': "&=+/?#%*-._~!'()",
      'ä€😀': 'ü 😀',
      empty: '',
      jobId: '42',
    };
    for (const base of BASES) {
      const got = buildHapiCallbackUrl(base, params);
      assert.equal(got, expectedBuild(base, params), base);
      // Still the WHATWG serialisation, and a server reads base pairs then params.
      const u = new URL(got);
      assert.equal(u.href, got, base);
      assert.deepEqual([...u.searchParams], [...new URL(base).searchParams, ...Object.entries(params)], base);
    }
  });

  it('keeps the order of Object.entries (integer-like keys first, as JS orders them)', () => {
    const params = { b: '1', 2: 'two', a: '3', 1: 'one' };
    assert.equal(buildHapiCallbackUrl(BASE, params), `${BASE}?1=one&2=two&b=1&a=3`);
    assert.equal(buildHapiCallbackUrl(BASE, params), expectedBuild(BASE, params));
  });

  it('works on an object without prototype', () => {
    const params = Object.create(null);
    params.orderId = 'o 1';
    assert.equal(buildHapiCallbackUrl(BASE, params), `${BASE}?orderId=o+1`);
  });

  describe('reserved keys (RESERVED_QUERY_KEY) in every disguise', () => {
    const PARAM_KEYS = [
      'amount', 'walletId', 'draftCampaignId',
      'Amount', 'AMOUNT', 'aMoUnT', 'walletid', 'WALLETID', 'WalletID', 'draftcampaignid', 'DRAFTCAMPAIGNID',
      'amount[]', 'Amount[]', 'amount[0]', 'WalletID[x]', 'walletId[]', 'draftCampaignId[a][b]', 'amount[',
    ];
    const ENCODED_PARAM_KEYS = ['%61mount', '%41MOUNT', 'walletI%64', '%77%61%6C%6C%65%74%49%64', 'draftCampaign%49d', '%61mount%5B%5D', 'amount%5B%5D'];
    const BASE_QUERIES = [
      'amount=1', 'walletId=w', 'draftCampaignId=d',
      'Amount=1', 'AMOUNT=1', 'walletid=w', 'WalletID=w', 'DRAFTCAMPAIGNID=d',
      'amount', 'WalletID', 'amount=', 'draftCampaignId=',
      '%61mount=1', '%41MOUNT=1', 'walletI%64=w', '%77alletid=w', '%64raftCampaignId=d', '%61%6D%6F%75%6E%74=1',
      'amount[]=1', 'amount%5B%5D=1', '%61mount%5b%5d=1', 'WalletID[x]=w', 'walletId%5Bx%5D=w', 'draftCampaignId[]=d',
      'x=1&amount=1', 'x=1&draftCampaignId%5B%5D=2', 'amount=1&x=2',
    ];

    it('refuses them in params, with the key as field', () => {
      for (const key of PARAM_KEYS) {
        fails(() => buildHapiCallbackUrl(BASE, { [key]: '1' }), 'RESERVED_QUERY_KEY', { field: key });
        fails(() => buildHapiCallbackUrl(BASE, { orderId: 'o-1', [key]: '' }), 'RESERVED_QUERY_KEY');
        fails(() => buildHapiCallbackUrl(`${BASE}?ref=1`, { [key]: '1' }), 'RESERVED_QUERY_KEY');
      }
    });

    it('refuses percent-encoded reserved keys in params (`%61mount`: compared after percent-decoding)', () => {
      for (const key of ENCODED_PARAM_KEYS) {
        fails(() => buildHapiCallbackUrl(BASE, { [key]: '1' }), 'RESERVED_QUERY_KEY');
      }
    });

    it('refuses them already in the base query', () => {
      for (const q of BASE_QUERIES) {
        fails(() => buildHapiCallbackUrl(`${BASE}?${q}`), 'RESERVED_QUERY_KEY');
        fails(() => buildHapiCallbackUrl(`${BASE}?${q}`, { orderId: 'o-1' }), 'RESERVED_QUERY_KEY');
      }
    });

    it('accepts keys that only contain a reserved name', () => {
      const params = { amounts: '1', myamount: '2', walletIds: '3', 'x[amount]': '4', draftCampaign: '5', 'amount_x': '6' };
      assert.equal(buildHapiCallbackUrl(BASE, params), expectedBuild(BASE, params));
      assert.equal(buildHapiCallbackUrl(`${BASE}?amountX=1`), `${BASE}?amountX=1`);
    });
  });

  it('refuses a fragment, even a bare `#` (INVALID_URL)', () => {
    for (const base of [`${BASE}#x`, `${BASE}#`, `${BASE}?a=1#frag`, 'https://ats.example#', `${BASE}#amount=1`]) {
      fails(() => buildHapiCallbackUrl(base), 'INVALID_URL');
      fails(() => buildHapiCallbackUrl(base, { orderId: 'o-1' }), 'INVALID_URL');
    }
  });

  it('refuses userinfo (INVALID_URL)', () => {
    for (const base of ['https://user:S3cr3tPw@ats.example/cb', 'https://user@ats.example/cb', 'https://:S3cr3tPw@ats.example/cb', 'http://u:S3cr3tPw@localhost/cb']) {
      fails(() => buildHapiCallbackUrl(base), 'INVALID_URL', { hidden: ['S3cr3tPw'] });
    }
  });

  it('refuses http: for hosts that are not loopback (INSECURE_URL)', () => {
    for (const base of ['http://ats.example/cb', 'http://127.0.0.2/cb', 'http://10.0.0.1:8080/cb', 'http://localhost.evil.example/cb', 'http://[::2]/cb', 'http://0.0.0.0/cb']) {
      fails(() => buildHapiCallbackUrl(base, { orderId: 'o-1' }), 'INSECURE_URL');
    }
  });

  it('allows http: for localhost, 127.0.0.1 and [::1]', () => {
    for (const base of ['http://localhost/cb', 'http://localhost:3000/cb', 'http://LOCALHOST/cb', 'http://127.0.0.1:8787/cb', 'http://[::1]/cb', 'http://[::1]:8080/cb?x=1']) {
      const params = { orderId: 'o-1' };
      assert.equal(buildHapiCallbackUrl(base, params), expectedBuild(base, params), base);
    }
  });

  it('refuses relative URLs and other schemes (INVALID_URL)', () => {
    for (const base of ['/webhooks/hapi', 'webhooks/hapi', '//ats.example/cb', '?x=1', '', 'ats.example/cb', 'ftp://ats.example/cb', 'javascript:alert(1)', 'data:text/plain,x', 'wss://ats.example/cb', 'https://']) {
      fails(() => buildHapiCallbackUrl(base, { orderId: 'o-1' }), 'INVALID_URL');
    }
  });

  it('refuses a result longer than 2048 characters (INVALID_URL)', () => {
    const base = 'https://ats.example/cb';
    const room = 2048 - `${base}?k=`.length;
    assert.equal(buildHapiCallbackUrl(base, { k: 'v'.repeat(room) }).length, 2048);
    fails(() => buildHapiCallbackUrl(base, { k: 'v'.repeat(room + 1) }), 'INVALID_URL');
    // Length of the encoded result: 'é' is 6 characters once encoded.
    fails(() => buildHapiCallbackUrl(base, { k: 'é'.repeat(Math.ceil(room / 6) + 1) }), 'INVALID_URL');
    // The base alone.
    const longBase = `https://ats.example/${'p'.repeat(2048 - 'https://ats.example/'.length)}`;
    assert.equal(buildHapiCallbackUrl(longBase), longBase);
    fails(() => buildHapiCallbackUrl(`${longBase}q`), 'INVALID_URL');
    fails(() => buildHapiCallbackUrl(longBase, { k: 'v' }), 'INVALID_URL');
    fails(() => buildHapiCallbackUrl(`https://ats.example/${'p'.repeat(9000)}`), 'INVALID_URL');
  });

  it('refuses a malformed base query (INVALID_URL)', () => {
    for (const q of ['a=%ZZ', 'a=%', '=x', 'a=1&=2', 'a=%FF']) {
      fails(() => buildHapiCallbackUrl(`${BASE}?${q}`, { orderId: 'o-1' }), 'INVALID_URL');
    }
  });

  it('refuses a custom key twice (DUPLICATE_FIELD), in the base, across base and params', () => {
    fails(() => buildHapiCallbackUrl(`${BASE}?x=1&x=2`), 'DUPLICATE_FIELD', { field: 'x' });
    fails(() => buildHapiCallbackUrl(`${BASE}?x=1&y=0&x=1`, { z: '1' }), 'DUPLICATE_FIELD', { field: 'x' });
    fails(() => buildHapiCallbackUrl(`${BASE}?x&x`), 'DUPLICATE_FIELD');
    fails(() => buildHapiCallbackUrl(`${BASE}?%78=1&x=2`), 'DUPLICATE_FIELD');
    fails(() => buildHapiCallbackUrl(`${BASE}?x=1`, { x: '2' }), 'DUPLICATE_FIELD', { field: 'x' });
    fails(() => buildHapiCallbackUrl(`${BASE}?x`, { x: '' }), 'DUPLICATE_FIELD');
    // Judged on decoded keys.
    fails(() => buildHapiCallbackUrl(`${BASE}?a+b=1`, { 'a b': '2' }), 'DUPLICATE_FIELD');
    fails(() => buildHapiCallbackUrl(`${BASE}?a%20b=1`, { 'a b': '2' }), 'DUPLICATE_FIELD');
    fails(() => buildHapiCallbackUrl(`${BASE}?%C3%A4=1`, { ä: '2' }), 'DUPLICATE_FIELD');
    fails(() => buildHapiCallbackUrl('https://ats.example/cb?ä=1', { ä: '2' }), 'DUPLICATE_FIELD');
    // Custom keys are case-sensitive.
    assert.equal(buildHapiCallbackUrl(`${BASE}?X=1`, { x: '1' }), `${BASE}?X=1&x=1`);
  });

  it('refuses arguments of the wrong type with INVALID_FIELD, never a TypeError', () => {
    for (const [what, value] of WRONG_TYPES) {
      const e = fails(() => buildHapiCallbackUrl(value, { orderId: 'o-1' }), 'INVALID_FIELD');
      assert.ok(!(e instanceof TypeError), what);
    }
    fails(() => buildHapiCallbackUrl(Symbol('x')), 'INVALID_FIELD');
    for (const params of ['x=1', 42, true, 10n, ['a'], new Map([['x', '1']]), new URLSearchParams('x=1'), new (class P { constructor() { this.x = '1'; } })(), () => {}]) {
      fails(() => buildHapiCallbackUrl(BASE, params), 'INVALID_FIELD');
    }
    for (const value of [1, 0, true, null, undefined, 10n, {}, ['1'], new String('s'), Symbol('v')]) {
      fails(() => buildHapiCallbackUrl(BASE, { orderId: value }), 'INVALID_FIELD');
    }
    fails(() => buildHapiCallbackUrl(BASE, { orderId: 'a\ud800b' }), 'INVALID_FIELD');
    fails(() => buildHapiCallbackUrl(BASE, { ['k\udc00']: 'v' }), 'INVALID_FIELD');
    fails(() => buildHapiCallbackUrl('https://ats.example/\ud800'), ['INVALID_FIELD', 'INVALID_URL']);
  });
});

// ================================================================== parseHapiCallback

describe('parseHapiCallback', () => {
  it('parses a direct-charge campaign order (draftCampaignId present)', () => {
    const got = parseHapiCallback('/webhooks/hapi?orderId=o-1&draftCampaignId=dc-7&amount=150.00&walletId=w-9');
    assert.deepEqual(got, {
      kind: 'directChargeCampaignOrder',
      amount: '150.00',
      walletId: 'w-9',
      draftCampaignId: 'dc-7',
      params: { orderId: 'o-1' },
    });
  });

  it('parses a wallet top-up (no draftCampaignId), from an absolute URL', () => {
    const got = parseHapiCallback('https://ats.example/webhooks/hapi?orderId=o-1&amount=150&walletId=w-9');
    assert.deepEqual(got, { kind: 'walletTopUp', amount: '150', walletId: 'w-9', params: { orderId: 'o-1' } });
    assert.equal('draftCampaignId' in got, false);
  });

  it('parses what buildHapiCallbackUrl built once HAPI has appended its keys', () => {
    const params = { orderId: 'o 1', 'ä€': '😀&=', empty: '' };
    const built = buildHapiCallbackUrl(BASE, params);
    const called = `${built}&draftCampaignId=d%2F1&amount=0.10&walletId=w%C3%A4`;
    assert.deepEqual(parseHapiCallback(called), { kind: 'directChargeCampaignOrder', amount: '0.10', walletId: 'wä', draftCampaignId: 'd/1', params });
    const path = new URL(called);
    assert.deepEqual(parseHapiCallback(path.pathname + path.search).params, params);
  });

  it('keeps the amount as the decoded string, never a number', () => {
    for (const amount of ['0.10', '150', '150.00', '0', '007', '1.5', '12345678901234567890.12', '0.000001']) {
      const got = parseHapiCallback(`/cb?amount=${amount}&walletId=w`);
      assert.equal(got.amount, amount);
      assert.equal(typeof got.amount, 'string');
    }
    assert.equal(parseHapiCallback('/cb?amount=%31%35%30.%30%30&walletId=w').amount, '150.00');
  });

  it('matches reserved keys case-insensitively and on decoded keys', () => {
    assert.deepEqual(parseHapiCallback('/cb?AMOUNT=5&WalletID=w&DraftCampaignID=d'), {
      kind: 'directChargeCampaignOrder', amount: '5', walletId: 'w', draftCampaignId: 'd', params: {},
    });
    assert.deepEqual(parseHapiCallback('/cb?%61mount=5&walletI%64=w'), { kind: 'walletTopUp', amount: '5', walletId: 'w', params: {} });
  });

  it('decodes the custom params (+, %XX, UTF-8), in order, with __proto__ as an ordinary key', () => {
    const got = parseHapiCallback('/cb?b=%C3%A4+b&a=x%26y%3Dz&e&__proto__=p&amount=1&walletId=w&%F0%9F%98%80=%E2%82%AC');
    assert.deepEqual(Object.entries(got.params), [['b', 'ä b'], ['a', 'x&y=z'], ['e', ''], ['__proto__', 'p'], ['😀', '€']]);
    assert.equal(Object.getPrototypeOf(got.params), null); // prototype-free (issue 14)
    assert.equal(got.params.__proto__, 'p');
  });

  it('requires amount and walletId (MISSING_FIELD)', () => {
    fails(() => parseHapiCallback('/cb?walletId=w'), 'MISSING_FIELD', { field: 'amount' });
    fails(() => parseHapiCallback('/cb?amount=1'), 'MISSING_FIELD', { field: 'walletId' });
    fails(() => parseHapiCallback('/cb?draftCampaignId=d&amount=1'), 'MISSING_FIELD', { field: 'walletId' });
    fails(() => parseHapiCallback('/cb'), 'MISSING_FIELD');
    fails(() => parseHapiCallback('/cb?'), 'MISSING_FIELD');
    fails(() => parseHapiCallback('https://ats.example/cb?orderId=1'), 'MISSING_FIELD');
    // amount[] is not amount, and PHP would read it as amount: refused (issue 14)
    fails(() => parseHapiCallback('/cb?amount[]=1&walletId=w'), 'RESERVED_QUERY_KEY', { field: 'amount[]' });
  });

  it('refuses an empty or malformed amount or walletId (INVALID_FIELD)', () => {
    for (const amount of ['', '1e3', '-1', '+1', '%2B1', '1.', '.5', '1,00', '1.2.3', '0x10', 'abc', '1%20', '%EF%BC%91', 'NaN', 'Infinity', '1_000']) {
      fails(() => parseHapiCallback(`/cb?amount=${amount}&walletId=w`), 'INVALID_FIELD', { field: 'amount' });
    }
    fails(() => parseHapiCallback('/cb?amount&walletId=w'), 'INVALID_FIELD', { field: 'amount' });
    fails(() => parseHapiCallback('/cb?amount=1&walletId='), 'INVALID_FIELD', { field: 'walletId' });
    fails(() => parseHapiCallback('/cb?amount=1&walletId'), 'INVALID_FIELD', { field: 'walletId' });
    fails(() => parseHapiCallback('/cb?amount=1&walletId=%00'), 'INVALID_FIELD', { field: 'walletId' });
  });

  it('refuses an empty draftCampaignId (INVALID_FIELD)', () => {
    fails(() => parseHapiCallback('/cb?draftCampaignId=&amount=1&walletId=w'), 'INVALID_FIELD', { field: 'draftCampaignId' });
    fails(() => parseHapiCallback('/cb?amount=1&walletId=w&draftCampaignId'), 'INVALID_FIELD', { field: 'draftCampaignId' });
  });

  it('refuses a reserved key twice, in any case (DUPLICATE_FIELD)', () => {
    for (const q of [
      'amount=1&Amount=2&walletId=w',
      'amount=1&amount=1&walletId=w',
      'amount=1&%61mount=2&walletId=w',
      'amount=1&walletId=w&WALLETID=v',
      'amount=1&walletId=w&walletid=w',
      'draftCampaignId=d&amount=1&walletId=w&draftcampaignid=e',
      'amount=1&walletId=w&x=1&x=2',
      'amount=1&walletId=w&x=1&%78=1',
      'amount=1&walletId=w&a+b=1&a%20b=2',
    ]) {
      fails(() => parseHapiCallback(`/cb?${q}`), 'DUPLICATE_FIELD');
    }
  });

  it('refuses a malformed query or a URL that is neither absolute nor a path (INVALID_URL)', () => {
    for (const url of ['/cb?amount=%ZZ&walletId=w', '/cb?amount=1&walletId=w&%', '/cb?=x&amount=1&walletId=w', '/cb?amount=1&walletId=%FF', 'cb?amount=1&walletId=w', '', 'ftp://ats.example/cb?amount=1&walletId=w']) {
      fails(() => parseHapiCallback(url), 'INVALID_URL');
    }
  });

  it('refuses URLs over 8 KiB (PAYLOAD_TOO_LARGE), in bytes, before anything else', () => {
    const head = '/cb?amount=1&walletId=w&x=';
    const exact = head + 'a'.repeat(8192 - head.length);
    assert.equal(parseHapiCallback(exact).params.x.length, 8192 - head.length);
    fails(() => parseHapiCallback(`${exact}a`), 'PAYLOAD_TOO_LARGE');
    fails(() => parseHapiCallback(`/cb?=&&${'%ZZ'.repeat(3000)}`), 'PAYLOAD_TOO_LARGE');
    // 4,200 UTF-16 units but 8,400 UTF-8 bytes: checked before the URL is judged.
    fails(() => parseHapiCallback(`/cb?x=${'ä'.repeat(4200)}`), 'PAYLOAD_TOO_LARGE');
  });

  it('refuses arguments of the wrong type with INVALID_FIELD', () => {
    for (const [, value] of WRONG_TYPES) fails(() => parseHapiCallback(value), 'INVALID_FIELD');
    fails(() => parseHapiCallback(new URL('https://ats.example/cb?amount=1&walletId=w')), 'INVALID_FIELD');
  });
});

// ================================================================== setHapiSuccessCallbackUrl

describe('setHapiSuccessCallbackUrl (fake window in Node)', () => {
  afterEach(() => {
    delete globalThis.window;
  });
  const tick = () => new Promise((r) => setTimeout(r, 10));
  const params = { orderId: 'o 1' };
  const url = expectedBuild(BASE, params);

  it('sets the URL now when window.hapi.wallet.state exists', async () => {
    const w = new EventTarget();
    w.hapi = { wallet: { state: { other: 1 } } };
    globalThis.window = w;
    const p = setHapiSuccessCallbackUrl(BASE, params);
    assert.ok(p instanceof Promise);
    // set synchronously, before the promise settles
    assert.equal(w.hapi.wallet.state.paymentIntentSuccessCallbackUrl, url);
    assert.equal(await p, url);
    assert.equal(w.hapi.wallet.state.other, 1);
  });

  it('waits for `hapi:load:script` when window.hapi.wallet.state does not exist yet', async () => {
    for (const initial of [undefined, {}, { wallet: {} }]) {
      const w = new EventTarget();
      if (initial !== undefined) w.hapi = initial;
      globalThis.window = w;
      let settled = false;
      const p = setHapiSuccessCallbackUrl(BASE, params).then((v) => {
        settled = true;
        return v;
      });
      await tick();
      assert.equal(settled, false);
      // HAPI loads: creates its state, then fires the event.
      const state = {};
      w.hapi = { wallet: { state } };
      assert.equal(state.paymentIntentSuccessCallbackUrl, undefined);
      w.dispatchEvent(new Event('hapi:load:script'));
      assert.equal(await p, url);
      assert.equal(state.paymentIntentSuccessCallbackUrl, url);
      // the listener is gone: a later event does not touch a new state
      const later = {};
      w.hapi.wallet.state = later;
      w.dispatchEvent(new Event('hapi:load:script'));
      assert.equal(later.paymentIntentSuccessCallbackUrl, undefined);
      delete globalThis.window;
    }
  });

  it('ignores other events and keeps waiting', async () => {
    const w = new EventTarget();
    globalThis.window = w;
    let settled = false;
    const p = setHapiSuccessCallbackUrl(BASE).then((v) => {
      settled = true;
      return v;
    });
    w.hapi = { wallet: { state: {} } };
    w.dispatchEvent(new Event('load'));
    w.dispatchEvent(new Event('hapi:load'));
    await tick();
    assert.equal(settled, false);
    w.dispatchEvent(new Event('hapi:load:script'));
    assert.equal(await p, BASE);
    assert.equal(w.hapi.wallet.state.paymentIntentSuccessCallbackUrl, BASE);
  });

  it('rejects with the PayhookError for an invalid base or params (never throws synchronously)', async () => {
    const w = new EventTarget();
    w.hapi = { wallet: { state: {} } };
    globalThis.window = w;
    const cases = [
      [`${BASE}#x`, undefined, 'INVALID_URL'],
      ['http://ats.example/cb', undefined, 'INSECURE_URL'],
      ['/relative', undefined, 'INVALID_URL'],
      [BASE, { amount: '1' }, 'RESERVED_QUERY_KEY'],
      [`${BASE}?WalletID=1`, undefined, 'RESERVED_QUERY_KEY'],
      [`${BASE}?x=1`, { x: '2' }, 'DUPLICATE_FIELD'],
      [42, undefined, 'INVALID_FIELD'],
      [BASE, 'x=1', 'INVALID_FIELD'],
    ];
    for (const [base, ps, code] of cases) {
      let p;
      assert.doesNotThrow(() => {
        p = setHapiSuccessCallbackUrl(base, ps);
      });
      assert.ok(p instanceof Promise);
      await assert.rejects(p, (e) => {
        assertPayhookError(e, code);
        return true;
      });
      assert.equal(w.hapi.wallet.state.paymentIntentSuccessCallbackUrl, undefined);
    }
  });
});

// ================================================================== signCallbackUrl

describe('signCallbackUrl', () => {
  const URLS = [
    `${BASE}?orderId=o-1`,
    BASE,
    'https://ats.example',
    `${BASE}?`,
    `${BASE}?orderId=o-1&`,
    `${BASE}?order=o%201&name=J%C3%BCrgen+M&sym=a%2Bb%26c%3Dd&tilde=~&empty=&flag`,
    'https://bücher.example/pfad/ä?q=ü&r=%7E',
    "https://ats.example/p?q='x'",
    'http://127.0.0.1:8787/cb?x=1',
    buildHapiCallbackUrl(BASE, { orderId: 'o-1', 'ä b': '€ &=' }),
  ];

  it('appends sig: base64url HMAC-SHA256 of path?re-serialised query, 43 characters, no exp without expiresAt', () => {
    for (const url of URLS) {
      const got = signCallbackUrl(url, SECRET);
      assert.equal(got, expectedSigned(url, SECRET, undefined), url);
      assert.match(sigOf(got), /^[A-Za-z0-9_-]{43}$/);
      assert.equal(new URL(got).searchParams.has('exp'), false);
      assert.equal(querySegments(got).at(-1), `sig=${sigOf(got)}`);
    }
  });

  it('signs path and "?" even with no query (message "/webhooks/hapi?")', () => {
    assert.equal(signCallbackUrl(BASE, SECRET), `${BASE}?sig=${hmacB64url(SECRET, '/webhooks/hapi?')}`);
    assert.equal(signCallbackUrl('https://ats.example', SECRET), `https://ats.example/?sig=${hmacB64url(SECRET, '/?')}`);
  });

  it('matches a message written out by hand', () => {
    const got = signCallbackUrl(`${BASE}?order=o%201&n=%C3%A4%7E`, SECRET, { expiresAt: 2000000000 });
    const sig = hmacB64url(SECRET, '/webhooks/hapi?order=o+1&n=%C3%A4%7E&exp=2000000000');
    assert.equal(got, `${BASE}?order=o%201&n=%C3%A4%7E&exp=2000000000&sig=${sig}`);
  });

  it('appends exp (decimal unix seconds) before sig with expiresAt, and signs it', () => {
    for (const url of URLS) {
      for (const exp of [0, 1, 1700000000, 4102444800, Number.MAX_SAFE_INTEGER]) {
        const got = signCallbackUrl(url, SECRET, { expiresAt: exp });
        assert.equal(got, expectedSigned(url, SECRET, exp), `${url} ${exp}`);
        assert.deepEqual(querySegments(got).slice(-2), [`exp=${exp}`, `sig=${sigOf(got)}`]);
      }
    }
  });

  it('accepts options undefined, null or {}', () => {
    const expected = expectedSigned(URLS[0], SECRET, undefined);
    assert.equal(signCallbackUrl(URLS[0], SECRET, undefined), expected);
    assert.equal(signCallbackUrl(URLS[0], SECRET, null), expected);
    assert.equal(signCallbackUrl(URLS[0], SECRET, {}), expected);
  });

  it('uses the secret as UTF-8 bytes, never trimmed', () => {
    for (const secret of ['ä€😀', ' padded ', 'line\n', 'x']) {
      assert.equal(signCallbackUrl(URLS[0], secret), expectedSigned(URLS[0], secret, undefined), JSON.stringify(secret));
    }
    assert.notEqual(signCallbackUrl(URLS[0], 's\n'), signCallbackUrl(URLS[0], 's'));
  });

  it('refuses a URL that already has sig or exp (INVALID_URL)', () => {
    for (const q of ['sig=abc', 'exp=1', 'x=1&sig=', 'sig', 'exp', 'x=1&exp=99&y=2', '%73ig=1', '%65xp=1']) {
      fails(() => signCallbackUrl(`${BASE}?${q}`, SECRET), 'INVALID_URL', { hidden: [SECRET] });
      fails(() => signCallbackUrl(`${BASE}?${q}`, SECRET, { expiresAt: 5 }), 'INVALID_URL');
    }
  });

  it('refuses an empty secret (INVALID_SECRET)', () => {
    fails(() => signCallbackUrl(URLS[0], ''), 'INVALID_SECRET');
  });

  it('refuses URLs that are not absolute, have a fragment, or would be over 2048 characters (INVALID_URL)', () => {
    for (const url of ['/webhooks/hapi?x=1', 'webhooks', '', `${BASE}#f`, `${BASE}?x=1#`, 'ftp://ats.example/x']) {
      fails(() => signCallbackUrl(url, SECRET), 'INVALID_URL');
    }
    const head = `${BASE}?k=`;
    const fits = `${head}${'v'.repeat(2048 - head.length - '&sig='.length - 43)}`;
    assert.equal(signCallbackUrl(fits, SECRET).length, 2048);
    fails(() => signCallbackUrl(`${fits}v`, SECRET), 'INVALID_URL');
    fails(() => signCallbackUrl(fits, SECRET, { expiresAt: 1 }), 'INVALID_URL');
  });

  it('refuses a signed key twice (DUPLICATE_FIELD)', () => {
    fails(() => signCallbackUrl(`${BASE}?x=1&x=2`, SECRET), 'DUPLICATE_FIELD');
  });

  it('refuses arguments of the wrong type with INVALID_FIELD', () => {
    for (const [, value] of WRONG_TYPES) {
      fails(() => signCallbackUrl(value, SECRET), 'INVALID_FIELD');
      if (value !== undefined && value !== null && typeof value !== 'string') {
        // a secret that is not a string
        fails(() => signCallbackUrl(URLS[0], value), 'INVALID_FIELD');
      }
    }
    fails(() => signCallbackUrl(URLS[0], undefined), ['INVALID_FIELD', 'INVALID_SECRET']);
    fails(() => signCallbackUrl(URLS[0], null), ['INVALID_FIELD', 'INVALID_SECRET']);
    for (const expiresAt of ['1700000000', -1, 1.5, NaN, Infinity, 2 ** 53, null, {}, 10n]) {
      fails(() => signCallbackUrl(URLS[0], SECRET, { expiresAt }), 'INVALID_FIELD');
    }
    for (const opts of ['x', 42, ['expiresAt'], new Map()]) {
      fails(() => signCallbackUrl(URLS[0], SECRET, opts), 'INVALID_FIELD');
    }
  });
});

// ================================================================== verifyCallbackUrl

describe('verifyCallbackUrl', () => {
  const ISSUED = buildHapiCallbackUrl(BASE, { orderId: 'o-1', 'ä b': '€ &=', empty: '' });
  const PARAMS = { orderId: 'o-1', 'ä b': '€ &=', empty: '' };
  const EXP = 1900000000;
  const SIGNED = signCallbackUrl(ISSUED, SECRET, { expiresAt: EXP });
  const SIG = sigOf(SIGNED);
  const opts = (extra = {}) => ({ ignoreKeys: HAPI_KEYS, now: EXP - 100, ...extra });
  const hidden = [SECRET, SIG, expectedSig(SIGNED, SECRET, {})];

  it('returns the signed params without sig and exp', () => {
    assert.equal(SIGNED, expectedSigned(ISSUED, SECRET, EXP));
    assert.deepEqual(verifyCallbackUrl(SIGNED, SECRET, opts()), PARAMS);
    assert.deepEqual(verifyCallbackUrl(SIGNED, SECRET, { now: EXP }), PARAMS);
    const noExp = signCallbackUrl(ISSUED, SECRET);
    assert.deepEqual(verifyCallbackUrl(noExp, SECRET), PARAMS);
    assert.deepEqual(verifyCallbackUrl(noExp, SECRET, { now: Number.MAX_SAFE_INTEGER }), PARAMS);
    assert.deepEqual(verifyCallbackUrl(signCallbackUrl(BASE, SECRET), SECRET), {});
    const proto = signCallbackUrl(`${BASE}?__proto__=x`, SECRET);
    const got = verifyCallbackUrl(proto, SECRET);
    assert.deepEqual(Object.entries(got), [['__proto__', 'x']]);
    assert.equal(Object.getPrototypeOf(got), null); // prototype-free (issue 14)
  });

  it('verifies a URL signed independently with node:crypto (decoded, re-serialised query)', () => {
    const url = `https://ats.example/cb?a=x%20y%7E&b=%C3%A4&c&exp=${EXP}`;
    const sig = hmacB64url(SECRET, `/cb?a=x+y%7E&b=%C3%A4&c=&exp=${EXP}`);
    assert.deepEqual(verifyCallbackUrl(`${url}&sig=${sig}`, SECRET, { now: EXP }), { a: 'x y~', b: 'ä', c: '' });
    // Other encodings of the same decoded pairs verify too.
    assert.deepEqual(verifyCallbackUrl(`/cb?a=x+y~&b=%c3%a4&c=&exp=${EXP}&sig=${sig}`, SECRET, { now: EXP }), { a: 'x y~', b: 'ä', c: '' });
    assert.deepEqual(verifyCallbackUrl(`/cb?&a=x%20y%7e&&b=ä&c&exp=${EXP}&&sig=${sig}&`, SECRET, { now: EXP }), { a: 'x y~', b: 'ä', c: '' });
  });

  it("ignores HAPI's keys appended in any order and at any position (ignoreKeys)", () => {
    const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    const values = { draftCampaignId: 'dc%207', amount: '150.00', walletId: 'w%C3%A4' };
    const n = querySegments(SIGNED).length;
    let checked = 0;
    for (const perm of perms) {
      const pairs = perm.map((i) => `${HAPI_KEYS[i]}=${values[HAPI_KEYS[i]]}`);
      for (let pos = 0; pos <= n; pos++) {
        // together at one position
        const together = insertPairs(SIGNED, pos, pairs);
        assert.deepEqual(verifyCallbackUrl(together, SECRET, opts()), PARAMS, together);
        // scattered
        let scattered = SIGNED;
        pairs.forEach((p, i) => {
          scattered = insertPairs(scattered, (pos + 2 * i) % (n + i + 1), [p]);
        });
        assert.deepEqual(verifyCallbackUrl(scattered, SECRET, opts()), PARAMS, scattered);
        checked += 2;
      }
    }
    assert.ok(checked >= 60);
    // Only two of them (wallet top-up), as a path, and in ignoreKeys' own order.
    const topUp = new URL(`${SIGNED}&amount=5&walletId=w`);
    assert.deepEqual(verifyCallbackUrl(topUp.pathname + topUp.search, SECRET, opts({ ignoreKeys: ['walletId', 'amount', 'draftCampaignId'] })), PARAMS);
    // Ignored keys are not signed keys: twice is not a duplicate.
    assert.deepEqual(verifyCallbackUrl(`${SIGNED}&amount=1&amount=2`, SECRET, opts()), PARAMS);
    // Ignored keys are matched decoded.
    assert.deepEqual(verifyCallbackUrl(`${SIGNED}&%61mount=1&walletI%64=w`, SECRET, opts()), PARAMS);
  });

  it('signs what is not ignored: appended keys without ignoreKeys, or in another case, do not verify', () => {
    fails(() => verifyCallbackUrl(`${SIGNED}&amount=5&walletId=w`, SECRET, { now: EXP }), 'SIGNATURE_MISMATCH', { hidden });
    fails(() => verifyCallbackUrl(`${SIGNED}&Amount=5&walletId=w`, SECRET, opts()), 'SIGNATURE_MISMATCH', { hidden });
    fails(() => verifyCallbackUrl(`${SIGNED}&amount=5`, SECRET, opts({ ignoreKeys: ['Amount'] })), 'SIGNATURE_MISMATCH', { hidden });
  });

  it('does not sign scheme and host: the same sig verifies on another host and as a path', () => {
    const q = SIGNED.slice(SIGNED.indexOf('?'));
    for (const url of [
      `https://other.example/webhooks/hapi${q}`,
      `http://10.0.0.1:8080/webhooks/hapi${q}`,
      `HTTPS://ATS.EXAMPLE:443/webhooks/hapi${q}`,
      `/webhooks/hapi${q}`,
      `/webhooks/hapi${q}&amount=1&walletId=w`,
    ]) {
      assert.deepEqual(verifyCallbackUrl(url, SECRET, opts()), PARAMS, url);
    }
  });

  it('expires when now > exp (now == exp is still valid), and defaults now to the clock', () => {
    assert.deepEqual(verifyCallbackUrl(SIGNED, SECRET, opts({ now: EXP })), PARAMS);
    assert.deepEqual(verifyCallbackUrl(SIGNED, SECRET, opts({ now: 0 })), PARAMS);
    fails(() => verifyCallbackUrl(SIGNED, SECRET, opts({ now: EXP + 1 })), 'EXPIRED', { hidden });
    fails(() => verifyCallbackUrl(SIGNED, SECRET, opts({ now: Number.MAX_SAFE_INTEGER })), 'EXPIRED', { hidden });
    const now = Math.floor(Date.now() / 1000);
    const fresh = signCallbackUrl(ISSUED, SECRET, { expiresAt: now + 3600 });
    assert.deepEqual(verifyCallbackUrl(fresh, SECRET, { ignoreKeys: HAPI_KEYS }), PARAMS);
    const stale = signCallbackUrl(ISSUED, SECRET, { expiresAt: now - 60 });
    fails(() => verifyCallbackUrl(stale, SECRET, { ignoreKeys: HAPI_KEYS }), 'EXPIRED');
    // exp is signed: moving it is a mismatch, not an extension.
    fails(() => verifyCallbackUrl(SIGNED.replace(`exp=${EXP}`, `exp=${EXP + 1000}`), SECRET, opts({ now: EXP + 1 })), 'SIGNATURE_MISMATCH', { hidden });
    fails(() => verifyCallbackUrl(SIGNED.replace(`exp=${EXP}&`, ''), SECRET, opts({ now: EXP + 1 })), 'SIGNATURE_MISMATCH', { hidden });
    // An exp that is not unix seconds, even when signed, is never accepted.
    const badExp = `/cb?x=1&exp=soon&sig=${hmacB64url(SECRET, '/cb?x=1&exp=soon')}`;
    assert.throws(() => verifyCallbackUrl(badExp, SECRET, { now: 0 }), PayhookError);
  });

  it('MISSING_SIGNATURE: no sig, or an empty one', () => {
    for (const url of [ISSUED, `${ISSUED}&exp=${EXP}`, `${ISSUED}&sig=`, `${ISSUED}&sig`, '/cb', SIGNED.replace(/sig=[^&]*/, 'sig=')]) {
      fails(() => verifyCallbackUrl(url, SECRET, opts()), 'MISSING_SIGNATURE', { hidden });
    }
    // a Sig in another case is not sig
    fails(() => verifyCallbackUrl(SIGNED.replace('sig=', 'Sig='), SECRET, opts()), 'MISSING_SIGNATURE', { hidden });
  });

  it('MALFORMED_SIGNATURE: wrong length, characters outside base64url, padding', () => {
    const replaceSig = (s) => SIGNED.replace(`sig=${SIG}`, `sig=${s}`);
    const std = Buffer.from(SIG, 'base64url').toString('base64');
    const cases = [
      SIG.slice(0, 42),
      `${SIG}A`,
      SIG.slice(0, 40),
      `${SIG}${SIG}`,
      'abc',
      `${SIG.slice(0, 42)}!`,
      `${SIG.slice(0, 42)}.`,
      `${SIG.slice(0, 42)}%2B`,
      `${SIG.slice(0, 42)}/`,
      `${SIG.slice(0, 42)}%2F`,
      `${SIG.slice(0, 20)}%C3%A4${SIG.slice(21)}`,
      `${SIG}=`,
      `${SIG}%3D`,
      `${SIG.slice(0, 42)}=`,
      encodeURIComponent(std),
      Buffer.from(SIG, 'base64url').toString('hex'),
    ];
    for (const s of cases) {
      fails(() => verifyCallbackUrl(replaceSig(s), SECRET, opts()), 'MALFORMED_SIGNATURE', { hidden, field: 'sig' });
    }
    // 43 characters whose last one has unused bits set: not the canonical encoding.
    const last = 'AEIMQUYcgkosw048'.includes(SIG.at(-1)) ? SIG.at(-1) : null;
    assert.ok(last !== null, 'a 32-byte base64url value ends with a canonical character');
    const nonCanonical = SIG.slice(0, 42) + String.fromCharCode(last.charCodeAt(0) + 1);
    assert.deepEqual(Buffer.from(nonCanonical, 'base64url'), Buffer.from(SIG, 'base64url'));
    fails(() => verifyCallbackUrl(replaceSig(nonCanonical), SECRET, opts()), 'MALFORMED_SIGNATURE', { hidden });
  });

  it('SIGNATURE_MISMATCH: changed value, path, extra or missing signed key, order, other secret', () => {
    const changed = [
      SIGNED.replace('orderId=o-1', 'orderId=o-2'),
      SIGNED.replace('orderId=o-1', 'orderId=o-1x'),
      SIGNED.replace('orderId=o-1', 'orderid=o-1'),
      SIGNED.replace('orderId=o-1', 'orderId=O-1'),
      SIGNED.replace('%E2%82%AC', '%E2%82%AD'),
      SIGNED.replace('empty=', 'empty=x'),
      SIGNED.replace('/webhooks/hapi', '/webhooks/hapi2'),
      SIGNED.replace('/webhooks/hapi', '/webhooks/HAPI'),
      SIGNED.replace('/webhooks/hapi', '/webhooks/hapi/'),
      SIGNED.replace('/webhooks/hapi', '/webhooks/h%61pi'),
      insertPairs(SIGNED, 0, ['y=1']),
      `${SIGNED}&y=1`,
      `${SIGNED}&y`,
      SIGNED.replace('orderId=o-1&', ''),
      SIGNED.replace('empty=&', ''),
      insertPairs(SIGNED.replace('orderId=o-1&', ''), 1, ['orderId=o-1']),
      SIGNED.replace(`sig=${SIG}`, `sig=${expectedSig(SIGNED, OTHER_SECRET, {})}`),
      SIGNED.replace(`sig=${SIG}`, `sig=${SIG.slice(0, 10)}${SIG[10] === 'A' ? 'B' : 'A'}${SIG.slice(11)}`),
    ];
    for (const url of changed) {
      assert.notEqual(url, SIGNED);
      fails(() => verifyCallbackUrl(url, SECRET, opts()), 'SIGNATURE_MISMATCH', { hidden });
    }
    for (const secret of [OTHER_SECRET, `${SECRET}\n`, ` ${SECRET}`, SECRET.toUpperCase(), SECRET.slice(0, -1)]) {
      fails(() => verifyCallbackUrl(SIGNED, secret, opts()), 'SIGNATURE_MISMATCH', { hidden: [...hidden, secret] });
    }
  });

  it('DUPLICATE_FIELD: a signed key twice, or sig twice', () => {
    fails(() => verifyCallbackUrl(`${SIGNED}&orderId=o-1`, SECRET, opts()), 'DUPLICATE_FIELD', { hidden, field: 'orderId' });
    fails(() => verifyCallbackUrl(insertPairs(SIGNED, 0, ['orderId=o-2']), SECRET, opts()), 'DUPLICATE_FIELD', { hidden });
    fails(() => verifyCallbackUrl(`${SIGNED}&%6FrderId=o-1`, SECRET, opts()), 'DUPLICATE_FIELD', { hidden });
    fails(() => verifyCallbackUrl(`${SIGNED}&exp=${EXP}`, SECRET, opts()), 'DUPLICATE_FIELD', { hidden });
    fails(() => verifyCallbackUrl(`${SIGNED}&sig=${SIG}`, SECRET, opts()), 'DUPLICATE_FIELD', { hidden });
    fails(() => verifyCallbackUrl(`${SIGNED}&sig=`, SECRET, opts()), 'DUPLICATE_FIELD', { hidden });
    // signed by someone with the secret, still ambiguous
    const dupSigned = `/cb?x=1&x=2&sig=${hmacB64url(SECRET, '/cb?x=1&x=2')}`;
    fails(() => verifyCallbackUrl(dupSigned, SECRET), 'DUPLICATE_FIELD', { hidden });
  });

  it('INVALID_SECRET: an empty secret', () => {
    fails(() => verifyCallbackUrl(SIGNED, '', opts()), 'INVALID_SECRET', { hidden });
  });

  it('refuses URLs over 8 KiB (PAYLOAD_TOO_LARGE) and malformed ones (INVALID_URL)', () => {
    fails(() => verifyCallbackUrl(`${SIGNED}&pad=${'a'.repeat(8192)}`, SECRET, opts()), 'PAYLOAD_TOO_LARGE', { hidden });
    fails(() => verifyCallbackUrl(`/cb?x=${'ä'.repeat(4200)}&sig=${SIG}`, SECRET, opts()), 'PAYLOAD_TOO_LARGE', { hidden });
    for (const url of [`cb?x=1&sig=${SIG}`, `/cb?x=%ZZ&sig=${SIG}`, `/cb?=1&sig=${SIG}`, `//evil.example/cb?sig=${SIG}`, `mailto:x?sig=${SIG}`]) {
      fails(() => verifyCallbackUrl(url, SECRET, opts()), 'INVALID_URL', { hidden });
    }
  });

  it('applies the 8 KiB limit to the URL given, not to its re-encoded form', () => {
    // 2,882 and 3,082 bytes as given; percent-encoding `'` and `ä` would triple them.
    for (const extra of [`&walletId=${"'".repeat(2800)}`, `&walletId=${'ä'.repeat(1500)}`]) {
      const url = SIGNED + extra;
      assert.ok(utf8(url).length < 8192);
      assert.deepEqual(verifyCallbackUrl(url, SECRET, opts()), PARAMS);
    }
  });

  it('refuses an absolute URL with a scheme other than http(s) (INVALID_URL: bad scheme), as parseHapiCallback does', () => {
    const q = SIGNED.slice(SIGNED.indexOf('?'));
    for (const url of [`ftp://ats.example/webhooks/hapi${q}`, `file:///webhooks/hapi${q}`, `javascript:/webhooks/hapi${q}`, `blob:https://ats.example/webhooks/hapi${q}`]) {
      fails(() => verifyCallbackUrl(url, SECRET, opts()), 'INVALID_URL', { hidden });
    }
    fails(() => parseHapiCallback('ftp://ats.example/cb?amount=1&walletId=w'), 'INVALID_URL');
  });

  it('refuses arguments of the wrong type with INVALID_FIELD', () => {
    for (const [, value] of WRONG_TYPES) fails(() => verifyCallbackUrl(value, SECRET, opts()), 'INVALID_FIELD');
    for (const secret of [42, {}, ['s'], 10n]) fails(() => verifyCallbackUrl(SIGNED, secret, opts()), 'INVALID_FIELD');
    for (const now of ['1', -1, 1.5, NaN, null, {}, 10n]) fails(() => verifyCallbackUrl(SIGNED, SECRET, opts({ now })), 'INVALID_FIELD');
    for (const ignoreKeys of ['amount', 42, {}, [1], [null], new Set(['amount'])]) {
      fails(() => verifyCallbackUrl(SIGNED, SECRET, opts({ ignoreKeys })), 'INVALID_FIELD');
    }
    for (const o of ['x', 42, ['now']]) fails(() => verifyCallbackUrl(SIGNED, SECRET, o), 'INVALID_FIELD');
  });
});

// ================================================================== diagnoseHitpayWebhook

describe('diagnoseHitpayWebhook', () => {
  // Keys whose UTF-8 byte order (Amount, _x, b) differs from locale order (_x, Amount, b).
  const FIELDS = [['b', '2 x'], ['Amount', '10.00'], ['_x', 'ä'], ['payment_id', 'p-1']];
  const FORM = 'b=2+x&Amount=10.00&_x=%C3%A4&payment_id=p-1';
  const sorted = [...FIELDS].sort(([a], [b]) => byteOrder(a, b));
  const CANONICAL = concat(sorted);
  const EXPECTED = hmacHex(SALT, CANONICAL);
  const fieldsObject = Object.fromEntries(FIELDS);

  function diagnose(body, salt = SALT) {
    const d = diagnoseHitpayWebhook(body, salt);
    const dump = JSON.stringify(d);
    // Never the salt, nor the signature that would verify.
    for (const s of [salt, salt.trim(), EXPECTED, EXPECTED.toUpperCase()]) {
      if (s.length >= 6) assert.ok(!dump.includes(s), `the diagnosis contains ${s}: ${dump}`);
    }
    assert.equal(typeof d.valid, 'boolean');
    assert.ok(Array.isArray(d.hints));
    for (const h of d.hints) {
      assert.deepEqual(Object.keys(h).sort(), ['code', 'confirmed', 'message']);
      assert.equal(typeof h.message, 'string');
      assert.equal(typeof h.confirmed, 'boolean');
    }
    return d;
  }
  const confirmed = (d) => d.hints.filter((h) => h.confirmed).map((h) => h.code);
  /** A body signed with the wrong message `message` (hmac last). */
  const wrongBody = (message, salt = SALT) => `${FORM}&hmac=${hmacHex(salt, message)}`;

  function assertMismatch(d, code) {
    assert.equal(d.valid, false);
    assert.equal(d.error.code, 'SIGNATURE_MISMATCH');
    assert.equal(d.canonical, CANONICAL);
    assert.deepEqual(d.fields, fieldsObject);
    assert.deepEqual(confirmed(d), [code]);
  }

  it('a valid body: valid, no error, no hints, the canonical message and fields', () => {
    for (const body of [`${FORM}&hmac=${EXPECTED}`, `hmac=${EXPECTED.toUpperCase()}&${FORM}`, utf8(`${FORM}&hmac=${EXPECTED}`)]) {
      const d = diagnose(body);
      assert.deepEqual(d, { valid: true, error: null, canonical: CANONICAL, fields: fieldsObject, hints: [] });
    }
  });

  it('keys sorted with localeCompare: KEYS_LOCALE_SORTED', () => {
    const locale = [...FIELDS].sort(([a], [b]) => a.localeCompare(b));
    assert.notDeepEqual(locale.map(([k]) => k), sorted.map(([k]) => k));
    assert.notDeepEqual(locale.map(([k]) => k), FIELDS.map(([k]) => k));
    assertMismatch(diagnose(wrongBody(concat(locale))), 'KEYS_LOCALE_SORTED');
  });

  it('the hmac field included in the signed fields: HMAC_FIELD_INCLUDED', () => {
    const withHmac = [...FIELDS, ['hmac', '']].sort(([a], [b]) => byteOrder(a, b));
    assertMismatch(diagnose(wrongBody(concat(withHmac))), 'HMAC_FIELD_INCLUDED');
  });

  it('values signed still URL-encoded: VALUES_NOT_URL_DECODED', () => {
    const raw = FORM.split('&').map((p) => p.split('=')).sort(([a], [b]) => byteOrder(a, b));
    assert.notEqual(concat(raw), CANONICAL);
    assertMismatch(diagnose(wrongBody(concat(raw))), 'VALUES_NOT_URL_DECODED');
  });

  it('a salt with a trailing newline on the receiving side: SALT_WHITESPACE', () => {
    for (const salt of [`${SALT}\n`, `${SALT}\r\n`, ` ${SALT} `]) {
      const d = diagnose(`${FORM}&hmac=${EXPECTED}`, salt);
      assertMismatch(d, 'SALT_WHITESPACE');
    }
  });

  it('the raw body signed: RAW_BODY_SIGNED', () => {
    assertMismatch(diagnose(wrongBody(FORM)), 'RAW_BODY_SIGNED');
  });

  it('keys not sorted: KEYS_NOT_SORTED', () => {
    assertMismatch(diagnose(wrongBody(concat(FIELDS))), 'KEYS_NOT_SORTED');
  });

  it("keys in JavaScript's UTF-16 order: KEYS_UTF16_SORTED", () => {
    const fields = [['\uff61', '1'], ['😀', '2'], ['a', '3']];
    const form = fields.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
    const utf16 = [...fields].sort(([a], [b]) => (a < b ? -1 : 1));
    const bytes = [...fields].sort(([a], [b]) => byteOrder(a, b));
    assert.notDeepEqual(utf16, bytes);
    const d = diagnose(`${form}&hmac=${hmacHex(SALT, concat(utf16))}`);
    assert.equal(d.valid, false);
    assert.equal(d.canonical, concat(bytes));
    assert.deepEqual(confirmed(d), ['KEYS_UTF16_SORTED']);
  });

  it('a JSON body: JSON_BODY', () => {
    for (const body of ['{"payment_id":"p-1","amount":"10.00"}', ' {"a":1}', '[1]']) {
      const d = diagnose(body);
      assert.equal(d.valid, false);
      assert.ok(d.error !== null);
      assert.ok(d.hints.some((h) => h.code === 'JSON_BODY' && h.confirmed === false), JSON.stringify(d));
    }
  });

  it('a 40-hex hmac: SHA1_INSTEAD_OF_SHA256', () => {
    const d = diagnose(`${FORM}&hmac=${hmacHex(SALT, CANONICAL, 'sha1')}`);
    assert.equal(d.valid, false);
    assert.equal(d.error.code, 'MALFORMED_SIGNATURE');
    assert.ok(d.hints.some((h) => h.code === 'SHA1_INSTEAD_OF_SHA256' && h.confirmed === false), JSON.stringify(d));
    assert.deepEqual(confirmed(d), []);
    const d512 = diagnose(`${FORM}&hmac=${hmacHex(SALT, CANONICAL, 'sha512')}`);
    assert.ok(d512.hints.some((h) => h.code === 'SHA512_INSTEAD_OF_SHA256'), JSON.stringify(d512));
  });

  it('another salt: no confirmed hint, SALT_OR_BODY_CHANGED, and neither salt nor expected hmac', () => {
    const d = diagnose(wrongBody(CANONICAL, 'some-other-salt'));
    assert.equal(d.valid, false);
    assert.equal(d.error.code, 'SIGNATURE_MISMATCH');
    assert.deepEqual(confirmed(d), []);
    assert.ok(d.hints.some((h) => h.code === 'SALT_OR_BODY_CHANGED'));
  });

  it('never throws on a bad body; reports the error verifyHitpayWebhook would throw', () => {
    const cases = [
      ['a=%ZZ&hmac=00', 'MALFORMED_BODY'],
      ['a=1&a=2', 'DUPLICATE_FIELD'],
      ['a=1', 'MISSING_SIGNATURE'],
      ['a=1&hmac=xyz', 'MALFORMED_SIGNATURE'],
      [`a=${'x'.repeat(70000)}`, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [body, code] of cases) {
      const d = diagnose(body);
      assert.equal(d.valid, false);
      assert.equal(d.error.code, code, JSON.stringify(d).slice(0, 300));
    }
  });
});
