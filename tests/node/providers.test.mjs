// The Smart Router (ProcessOut) and PayEx / Swedbank Pay functions of the package as
// users import them ('payhook', resolved through the `node` export condition).
// Expected values are written from the contract (/work/shared/api.md, sections "Common
// rules", "Errors", "Smart Router (ProcessOut)" and "PayEx / Swedbank Pay"), from the
// fixtures in tests/vectors/ and, where the contract is silent, from the rules stated in
// the module docs of src/smart_router.rs and src/payex.rs; never from payhook's output.
import { describe, it, before, after } from 'node:test';
import assert from './lib/strict.mjs';
// For values that do not come from payhook (what a local server received).
import nodeAssert from 'node:assert/strict';
import { createServer } from 'node:http';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import {
  PayhookError,
  parseSmartRouterWebhook,
  checkBasicAuth,
  buildBasicAuthWebhookUrl,
  buildSmartRouterEventRequest,
  parsePayexCallback,
  buildPayexRequest,
} from 'payhook';
import { payhookErrorChecks } from './lib/assert.mjs';

const PAYEX = JSON.parse(readFileSync(new URL('../vectors/payex.json', import.meta.url), 'utf8'));
const SMART = JSON.parse(readFileSync(new URL('../vectors/smart-router.json', import.meta.url), 'utf8'));

const KiB = 1024;
const LIMIT = 64 * KiB;

// ------------------------------------------------------------------ secrets

const USER = 'webhook-user';
const PASS = 'Pw-7xQ!zz_k9';
const TOKEN = 'tok_live_9f8e7d6c5b4a';
const PROJECT = 'proj_Zx81Qa';
const PRIVATE_KEY = 'key_priv_Zq81-Lm40';
// Every distinctive secret this file uses: no error message may contain one.
const SECRETS = [PASS, TOKEN, PRIVATE_KEY, 'S3cretP@ss', 'hunter2-x9', 'tok-in-base'];

// ------------------------------------------------------------------ helpers

const utf8 = (s) => Buffer.from(s, 'utf8');
const b64 = (s) => utf8(s).toString('base64');
const basic = (user, pass) => `Basic ${b64(`${user}:${pass}`)}`;
const json = (v) => JSON.stringify(v);

/** The same bytes as a string, a Buffer, a plain Uint8Array and a Uint8Array view at an offset. */
function bodyForms(text) {
  const bytes = utf8(text);
  const big = new Uint8Array(bytes.length + 11);
  big.fill(0x7b); // '{' around it: a view that ignored its offset would read these
  big.set(bytes, 5);
  return [
    ['string', text],
    ['Buffer', Buffer.from(bytes)],
    ['Uint8Array', new Uint8Array(bytes)],
    ['Uint8Array view at an offset', big.subarray(5, 5 + bytes.length)],
  ];
}

// PayEx ids and paths used throughout.
const G1 = '5adc265f-f87f-4313-577e-08d3dca1a26c';
const G2 = '5adc265f-f87f-4313-577e-08d3dca1a26d';
const G3 = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const PO_G = 'a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba';
const P = `/psp/creditcard/payments/${G1}`;
const T = `${P}/transactions/${G2}`;
const PO = `/psp/paymentorders/${PO_G}`;
const KINDS = ['transactions', 'authorizations', 'captures', 'cancellations', 'reversals', 'sales', 'verifications'];

const FLAT = { payment: P, paymentNumber: 123456, transaction: T, transactionNumber: 12345678 };
const FLAT_RESULT = {
  paymentId: G1,
  transactionId: G2,
  instrument: 'creditcard',
  paymentNumber: 123456,
  transactionNumber: 12345678,
  paymentUrl: P,
  transactionUrl: T,
};
const SR_BODY = '{"event_id":"ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C","event_type":"transaction.failed"}';

/** The module keeps working: known-good calls after every error. */
function assertStillWorks() {
  assert.deepEqual(parsePayexCallback(json(FLAT)), FLAT_RESULT);
  assert.deepEqual(parseSmartRouterWebhook(SR_BODY), {
    eventId: 'ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C',
    eventType: 'transaction.failed',
  });
  assert.equal(checkBasicAuth(basic(USER, PASS), USER, PASS), true);
  assert.equal(buildPayexRequest(P, { token: TOKEN }).url, `https://api.payex.com${P}`);
}

// fails(fn, code, { field, hidden }): no message may hold a secret (field may be a list).
const { fails } = payhookErrorChecks({ secrets: SECRETS, stillWorks: assertStillWorks });

const WRONG_TYPES = [
  ['a number', 42],
  ['undefined', undefined],
  ['null', null],
  ['a boolean', true],
  ['an object', { a: 1 }],
  ['an array', ['x']],
  ['a bigint', 1n],
  ['a symbol', Symbol('s')],
  ['a function', () => 'x'],
];
// Wrong types for a body: not a string, not bytes.
const WRONG_BODIES = [
  ...WRONG_TYPES,
  ['a Uint16Array', new Uint16Array([0x7b, 0x7d])],
  ['a DataView', new DataView(new ArrayBuffer(2))],
  ['a Map', new Map([['event_id', 'ev_1']])],
];

/** A JSON object body of exactly `bytes` UTF-8 bytes: `prefix` members, then a `pad` string member. */
function paddedBody(members, bytes, padChar = 'x') {
  const head = json(members).slice(0, -1) + ',"pad":"';
  const tail = '"}';
  const room = bytes - utf8(head).length - tail.length;
  const per = utf8(padChar).length;
  const value = padChar.repeat(Math.floor(room / per)) + 'x'.repeat(room % per);
  const body = head + value + tail;
  assert.equal(utf8(body).length, bytes);
  return body;
}

// ------------------------------------------------------------------ local stand-in API

/** An HTTP server on 127.0.0.1 (random port) that records what it received. */
function standIn() {
  const received = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  return {
    received,
    server,
    async start() {
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${server.address().port}`;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// ================================================================== Smart Router

describe('Smart Router fixtures (tests/vectors/smart-router.json)', () => {
  it('has the documented cases', () => {
    assert.ok(SMART.valid.length >= 2);
  });
  for (const c of SMART.valid) {
    it(c.name, () => {
      // Expected from the contract: eventId = event_id, eventType = event_type when present.
      const expected = { eventId: c.body.event_id };
      if (typeof c.body.event_type === 'string') expected.eventType = c.body.event_type;
      for (const [form, body] of bodyForms(json(c.body))) {
        assert.deepEqual(parseSmartRouterWebhook(body), expected, form);
      }
    });
  }
});

describe('parseSmartRouterWebhook', () => {
  it('documented body', () => {
    assert.deepEqual(parseSmartRouterWebhook(SR_BODY), {
      eventId: 'ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C',
      eventType: 'transaction.failed',
    });
  });

  it('id only: no eventType', () => {
    const r = parseSmartRouterWebhook('{"event_id":"ev_1"}');
    assert.deepEqual(r, { eventId: 'ev_1' });
    assert.ok(!('eventType' in r));
  });

  it('extra fields (of every JSON type) are tolerated', () => {
    const body = json({
      project_id: 'proj_1',
      event_id: 'ev_A-b_9',
      data: { transaction: { id: 'tr_1', amount: '10.00' } },
      list: [1, 2, { a: null }],
      flag: false,
      n: 1.5e10,
      nothing: null,
      event_type: 'transaction.captured',
      sandbox: true,
    });
    assert.deepEqual(parseSmartRouterWebhook(body), { eventId: 'ev_A-b_9', eventType: 'transaction.captured' });
  });

  it('whitespace around and inside the JSON, and escaped characters, are fine', () => {
    assert.deepEqual(
      parseSmartRouterWebhook(' \n{ "event_id" : "ev\\u005f1" ,\t"event_type":"a\\/b" }\r\n'),
      { eventId: 'ev_1', eventType: 'a/b' },
    );
  });

  it('event_type may be any string, the empty one included (module doc)', () => {
    assert.deepEqual(parseSmartRouterWebhook('{"event_id":"e","event_type":""}'), { eventId: 'e', eventType: '' });
    assert.deepEqual(parseSmartRouterWebhook('{"event_id":"e","event_type":"é ✓ 🔑"}'), { eventId: 'e', eventType: 'é ✓ 🔑' });
  });

  it('"event_type": null is no event type (module doc)', () => {
    assert.deepEqual(parseSmartRouterWebhook('{"event_id":"e","event_type":null}'), { eventId: 'e' });
  });

  it('event_id of 1 and of 255 characters, every allowed character', () => {
    assert.deepEqual(parseSmartRouterWebhook('{"event_id":"a"}'), { eventId: 'a' });
    const id255 = 'e'.repeat(255);
    assert.deepEqual(parseSmartRouterWebhook(json({ event_id: id255 })), { eventId: id255 });
    const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    assert.deepEqual(parseSmartRouterWebhook(json({ event_id: all })), { eventId: all });
  });

  it('event_id missing -> MISSING_FIELD', () => {
    fails(() => parseSmartRouterWebhook('{}'), 'MISSING_FIELD', { field: 'event_id' });
    fails(() => parseSmartRouterWebhook('{"event_type":"transaction.failed"}'), 'MISSING_FIELD', { field: 'event_id' });
    fails(() => parseSmartRouterWebhook('{"eventId":"ev_1"}'), 'MISSING_FIELD', { field: 'event_id' });
    fails(() => parseSmartRouterWebhook('{"EVENT_ID":"ev_1"}'), 'MISSING_FIELD', { field: 'event_id' });
  });

  it('"event_id": null counts as absent -> MISSING_FIELD (module doc)', () => {
    fails(() => parseSmartRouterWebhook('{"event_id":null}'), 'MISSING_FIELD', { field: 'event_id' });
  });

  it('event_id of 256 characters -> INVALID_FIELD', () => {
    fails(() => parseSmartRouterWebhook(json({ event_id: 'e'.repeat(256) })), 'INVALID_FIELD', { field: 'event_id' });
  });

  for (const bad of ['', ' ', 'ev 1', ' ev_1', 'ev_1 ', 'ev.1', 'ev/1', '../events', 'ev%201', 'ev:1', 'ev+1', 'évent',
    'ev_１', 'ev\n1', 'ev\u00001', 'ev?x=1', 'ev#1', 'ev\\1', 'ev\u{1F511}']) {
    it(`event_id ${JSON.stringify(bad)} -> INVALID_FIELD`, () => {
      fails(() => parseSmartRouterWebhook(json({ event_id: bad })), 'INVALID_FIELD', { field: 'event_id' });
    });
  }

  for (const [what, v] of [['a number', 123], ['true', true], ['false', false], ['an object', { id: 'ev_1' }], ['an array', ['ev_1']], ['0', 0]]) {
    it(`event_id as ${what} -> INVALID_FIELD`, () => {
      fails(() => parseSmartRouterWebhook(json({ event_id: v })), 'INVALID_FIELD', { field: 'event_id' });
    });
  }

  for (const [what, v] of [['a number', 1], ['true', true], ['an object', { a: 'b' }], ['an array', ['transaction.failed']]]) {
    it(`event_type as ${what} -> INVALID_FIELD`, () => {
      fails(() => parseSmartRouterWebhook(json({ event_id: 'ev_1', event_type: v })), 'INVALID_FIELD', { field: 'event_type' });
    });
  }

  const MALFORMED = [
    ['empty body', ''],
    ['whitespace only', '  \n'],
    ['not JSON', 'event_id=ev_1'],
    ['truncated', '{"event_id":"ev_1"'],
    ['trailing comma', '{"event_id":"ev_1",}'],
    ['single quotes', "{'event_id':'ev_1'}"],
    ['two objects', '{"event_id":"ev_1"}{"event_id":"ev_2"}'],
    ['trailing garbage', '{"event_id":"ev_1"} x'],
    ['duplicate key', '{"event_id":"ev_1","event_id":"ev_2"}'],
    ['duplicate key, same value', '{"event_id":"ev_1","event_id":"ev_1"}'],
    ['duplicate event_type', '{"event_id":"ev_1","event_type":"a","event_type":"b"}'],
    ['duplicate key in a nested object', '{"event_id":"ev_1","data":{"a":1,"a":2}}'],
    ['duplicate key written with an escape', '{"event_id":"ev_1","event\\u005fid":"ev_2"}'],
    ['an array', '[{"event_id":"ev_1"}]'],
    ['a string', '"ev_1"'],
    ['a number', '1'],
    ['null', 'null'],
    ['true', 'true'],
    ['a byte-order mark', '\uFEFF{"event_id":"ev_1"}'],
    ['a lone surrogate', '{"event_id":"ev_1","x":"\uD800"}'],
  ];
  for (const [what, body] of MALFORMED) {
    it(`malformed: ${what} -> MALFORMED_BODY`, () => {
      fails(() => parseSmartRouterWebhook(body), 'MALFORMED_BODY');
    });
  }

  it('bytes that are not UTF-8 -> MALFORMED_BODY', () => {
    const bytes = Buffer.concat([utf8('{"event_id":"ev_1","x":"'), Buffer.from([0xff, 0xfe]), utf8('"}')]);
    fails(() => parseSmartRouterWebhook(new Uint8Array(bytes)), 'MALFORMED_BODY');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"event_id":"ev_1"}')]);
    fails(() => parseSmartRouterWebhook(new Uint8Array(bom)), 'MALFORMED_BODY');
  });

  it('exactly 64 KiB is accepted; one byte more -> PAYLOAD_TOO_LARGE (string and bytes)', () => {
    const ok = paddedBody({ event_id: 'ev_1' }, LIMIT);
    assert.deepEqual(parseSmartRouterWebhook(ok), { eventId: 'ev_1' });
    assert.deepEqual(parseSmartRouterWebhook(new Uint8Array(utf8(ok))), { eventId: 'ev_1' });
    const big = paddedBody({ event_id: 'ev_1' }, LIMIT + 1);
    fails(() => parseSmartRouterWebhook(big), 'PAYLOAD_TOO_LARGE');
    fails(() => parseSmartRouterWebhook(new Uint8Array(utf8(big))), 'PAYLOAD_TOO_LARGE');
  });

  it('the limit is in UTF-8 bytes: 64 KiB of bytes in fewer UTF-16 units', () => {
    const ok = paddedBody({ event_id: 'ev_1' }, LIMIT, 'é');
    assert.deepEqual(parseSmartRouterWebhook(ok), { eventId: 'ev_1' });
    const big = paddedBody({ event_id: 'ev_1' }, LIMIT + 1, 'é');
    assert.ok(big.length < LIMIT);
    fails(() => parseSmartRouterWebhook(big), 'PAYLOAD_TOO_LARGE');
  });

  it('the limit is checked before any other work (invalid JSON over the limit)', () => {
    fails(() => parseSmartRouterWebhook('x'.repeat(LIMIT + 1)), 'PAYLOAD_TOO_LARGE');
    fails(() => parseSmartRouterWebhook(new Uint8Array(LIMIT + 1).fill(0xff)), 'PAYLOAD_TOO_LARGE');
    fails(() => parseSmartRouterWebhook('{}' + ' '.repeat(LIMIT)), 'PAYLOAD_TOO_LARGE');
  });

  for (const [what, v] of WRONG_BODIES) {
    it(`a body that is ${what} -> MALFORMED_BODY (a PayhookError, not a TypeError)`, () => {
      fails(() => parseSmartRouterWebhook(v), 'MALFORMED_BODY');
    });
  }
  it('no argument at all -> MALFORMED_BODY', () => {
    fails(() => parseSmartRouterWebhook(), 'MALFORMED_BODY');
  });
});

describe('checkBasicAuth', () => {
  const t = (header, user = USER, pass = PASS) => {
    let result;
    assert.doesNotThrow(() => { result = checkBasicAuth(header, user, pass); }, `threw for ${JSON.stringify(header)}`);
    return result;
  };

  it('a valid header is true', () => {
    assert.equal(t(basic(USER, PASS)), true);
    assert.equal(t('Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64')), true);
  });

  it('`:` in the password: split at the first `:`', () => {
    assert.equal(t(basic('user', 'pa:ss:word'), 'user', 'pa:ss:word'), true);
    assert.equal(t(basic('user', ':'), 'user', ':'), true);
    // The header "user:pa:ss" is user "user", never user "user:pa".
    assert.equal(t(basic('user', 'pa:ss'), 'user:pa', 'ss'), false);
  });

  it('non-ASCII credentials are compared as their UTF-8 bytes', () => {
    const user = 'Jürgen Ωmega';
    const pass = 'pässwörd ✓ 🔑 日本';
    assert.equal(t('Basic ' + Buffer.from(`${user}:${pass}`, 'utf8').toString('base64'), user, pass), true);
    // The same characters encoded as Latin-1 are other bytes.
    assert.equal(t('Basic ' + Buffer.from('Jürgen:pässwörd', 'latin1').toString('base64'), 'Jürgen', 'pässwörd'), false);
    // Composed and decomposed forms are different bytes: never normalised.
    assert.equal(t(basic('Jürgen', 'x-pass'), 'Ju\u0308rgen', 'x-pass'), false);
  });

  it('the scheme is case-insensitive', () => {
    for (const scheme of ['basic', 'BASIC', 'bAsIc', 'Basic']) {
      assert.equal(t(`${scheme} ${b64(`${USER}:${PASS}`)}`), true, scheme);
    }
  });

  it('one or more spaces after the scheme', () => {
    for (const n of [1, 2, 3, 8]) {
      assert.equal(t(`Basic${' '.repeat(n)}${b64(`${USER}:${PASS}`)}`), true, `${n} spaces`);
    }
  });

  it('no space, or a tab instead of spaces, is false', () => {
    assert.equal(t(`Basic${b64(`${USER}:${PASS}`)}`), false);
    assert.equal(t(`Basic\t${b64(`${USER}:${PASS}`)}`), false);
  });

  it('unpadded base64 is false', () => {
    const padded = b64('user:pas');
    assert.equal(padded, 'dXNlcjpwYXM=');
    assert.equal(t(`Basic ${padded}`, 'user', 'pas'), true);
    assert.equal(t(`Basic ${padded.replace(/=+$/, '')}`, 'user', 'pas'), false);
    const padded2 = b64('user:pass1');
    assert.ok(padded2.endsWith('=='));
    assert.equal(t(`Basic ${padded2}`, 'user', 'pass1'), true);
    assert.equal(t(`Basic ${padded2.slice(0, -2)}`, 'user', 'pass1'), false);
    assert.equal(t(`Basic ${padded2.slice(0, -1)}`, 'user', 'pass1'), false);
  });

  it('the base64url alphabet is false', () => {
    // Credentials whose standard base64 has both `+` and `/`.
    const user = 'user';
    const pass = '~~~~ÿÿÿ?';
    const std = b64(`${user}:${pass}`);
    assert.match(std, /[+/]/);
    assert.equal(t(`Basic ${std}`, user, pass), true);
    const url = std.replace(/\+/g, '-').replace(/\//g, '_');
    assert.notEqual(url, std);
    assert.equal(t(`Basic ${url}`, user, pass), false);
    assert.equal(t(`Basic ${url.replace(/=+$/, '')}`, user, pass), false);
  });

  it('garbage base64 is false', () => {
    for (const g of ['!!!!', '====', 'a', 'ab', 'abc', 'a===', '****', 'dXNl cjpw', 'dXNlcjpwYXM=dXNl', 'dXNlcjpwYXM=\n',
      '%64%58', '\u00e9\u00e9\u00e9\u00e9', 'dXNlcjpwYXM==']) {
      assert.equal(t(`Basic ${g}`, 'user', 'pas'), false, g);
    }
  });

  it('missing header (null, undefined, empty) is false', () => {
    assert.equal(t(null), false);
    assert.equal(t(undefined), false);
    assert.equal(t(''), false);
    assert.equal(t('Basic'), false);
    assert.equal(t('Basic '), false);
    assert.equal(t('Basic    '), false);
  });

  it('wrong user or wrong password is false', () => {
    assert.equal(t(basic('other-user', PASS)), false);
    assert.equal(t(basic(USER, 'wrong-password')), false);
    assert.equal(t(basic(USER.toUpperCase(), PASS)), false);
    assert.equal(t(basic(USER, PASS.toLowerCase())), false);
    assert.equal(t(basic(USER.slice(0, -1), PASS)), false);
    assert.equal(t(basic(USER, PASS.slice(0, -1))), false);
    assert.equal(t(basic(USER, PASS + 'x')), false);
    // Never trimmed: a space is part of the password.
    assert.equal(t(basic(USER, `${PASS} `)), false);
    assert.equal(t(basic(USER, PASS), USER, ` ${PASS}`), false);
    assert.equal(t(basic(PASS, USER)), false);
    assert.equal(t(basic('', PASS)), false);
    assert.equal(t(basic(USER, '')), false);
  });

  it('a header with no `:` in the credentials is false', () => {
    assert.equal(t(`Basic ${b64(USER + PASS)}`), false);
    assert.equal(t(`Basic ${b64('')}`), false);
  });

  it('other schemes and shapes are false', () => {
    const token = b64(`${USER}:${PASS}`);
    for (const h of [`Bearer ${token}`, `Digest ${token}`, `Basi ${token}`, `Basicc ${token}`, `XBasic ${token}`, token,
      `Basic ${token} ${token}`, `Basic ${token},Basic ${token}`]) {
      assert.equal(t(h), false, h);
    }
  });

  it('a very long header is false, not an error', () => {
    assert.equal(t(`Basic ${'A'.repeat(100 * KiB)}`), false);
    assert.equal(t('Basic ' + b64(`${USER}:${'x'.repeat(50 * KiB)}`)), false);
  });

  it('a header with a lone surrogate is false, not an error', () => {
    assert.equal(t('Basic \uD800'), false);
  });

  it('empty configured username or password -> INVALID_SECRET, whatever the header', () => {
    for (const header of [basic(USER, PASS), null, undefined, 'garbage']) {
      fails(() => checkBasicAuth(header, '', PASS), 'INVALID_SECRET', { field: 'username' });
      fails(() => checkBasicAuth(header, USER, ''), 'INVALID_SECRET', { field: 'password' });
      fails(() => checkBasicAuth(header, '', ''), 'INVALID_SECRET');
    }
    fails(() => checkBasicAuth(basic('', ''), '', 'S3cretP@ss'), 'INVALID_SECRET', { field: 'username' });
  });

  for (const [what, v] of WRONG_TYPES) {
    it(`a configured username or password that is ${what} -> INVALID_FIELD`, () => {
      fails(() => checkBasicAuth(basic(USER, PASS), v, PASS), 'INVALID_FIELD', { field: 'username' });
      fails(() => checkBasicAuth(basic(USER, PASS), USER, v), 'INVALID_FIELD', { field: 'password' });
    });
  }

  for (const [what, v] of WRONG_TYPES.filter(([, x]) => x !== null && x !== undefined)) {
    it(`a header that is ${what}: false or a PayhookError, never a TypeError`, () => {
      try {
        assert.equal(checkBasicAuth(v, USER, PASS), false);
      } catch (e) {
        assert.ok(e instanceof PayhookError, `${e?.name}: ${e?.message}`);
        assert.equal(e.code, 'INVALID_FIELD');
      }
      assertStillWorks();
    });
  }
});

describe('buildBasicAuthWebhookUrl', () => {
  const ROUND_TRIPS = [
    ['plain', 'user', 'pass-word'],
    ['@ : / # ? % in both', 'a@b:c/d#e?f%g', 'p@ss:w/rd#x?y%z'],
    ['percent sequences stay literal', '%41%2F', '%3A%40%25'],
    ['spaces', 'john doe', ' two  spaces '],
    ['non-ASCII', 'Jürgen Ωmega', 'pässwörd ✓ 🔑 日本'],
    ['every printable ASCII character', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'],
    ['plus and ampersand', 'a+b&c=d', 'x+y&z=1'],
    ['unreserved only', 'AZaz09-._~', 'AZaz09-._~'],
  ];
  const BASES = [
    'https://shop.example/hooks/smart-router',
    'https://shop.example:8443/hooks/smart-router?tenant=7&x=a@b',
    'https://shop.example',
    'https://shop.example/',
    'http://localhost:8787/hook',
    'http://127.0.0.1/hook',
    'http://[::1]:3000/hook?x=1',
  ];

  for (const [what, username, password] of ROUND_TRIPS) {
    for (const base of BASES) {
      it(`${what} round-trip through new URL() with ${base}`, () => {
        const out = buildBasicAuthWebhookUrl(base, username, password);
        assert.equal(typeof out, 'string');
        const u = new URL(out);
        const b = new URL(base);
        assert.equal(decodeURIComponent(u.username), username);
        assert.equal(decodeURIComponent(u.password), password);
        assert.equal(u.protocol, b.protocol);
        assert.equal(u.host, b.host);
        assert.equal(u.hostname, b.hostname);
        assert.equal(u.port, b.port);
        assert.equal(u.pathname, b.pathname);
        assert.equal(u.search, b.search);
        assert.equal(u.hash, '');
        // The URL as returned is already in its WHATWG form: parsers agree on it.
        assert.equal(u.href, out);
        // The raw userinfo has nothing that could end it early.
        const rest = out.slice(out.indexOf('//') + 2);
        const end = rest.search(/[/?#]/);
        const authority = end === -1 ? rest : rest.slice(0, end);
        assert.equal(authority.split('@').length, 2, authority);
        const userinfo = authority.slice(0, authority.indexOf('@'));
        assert.equal(userinfo.split(':').length, 2, userinfo);
        assert.doesNotMatch(userinfo, /[@/#?\s\\]/);
        assert.equal(authority.slice(authority.indexOf('@') + 1), b.host);
      });
    }
  }

  it('the credentials are not in the host: Node http sends them as basic auth', async () => {
    // A stand-in webhook receiver: what ProcessOut would do with the URL.
    // No `:` in the user name: basic auth splits at the first `:` (RFC 7617).
    const username = 'ho@k us/er#?%é';
    const password = 'p@ss:w/rd#?% é';
    const seen = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, ok: checkBasicAuth(req.headers.authorization, username, password) });
      res.end('ok');
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const out = buildBasicAuthWebhookUrl(`http://127.0.0.1:${server.address().port}/hooks/sr?x=1`, username, password);
      await new Promise((resolve, reject) => {
        const req = httpRequest(new URL(out), { method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
        req.on('error', reject);
        req.end('{"event_id":"ev_1"}');
      });
      nodeAssert.deepEqual(seen, [{ url: '/hooks/sr?x=1', ok: true }]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('http: for a host that is not loopback -> INSECURE_URL', () => {
    for (const url of ['http://shop.example/hook', 'http://localhost.evil.example/hook', 'http://127.0.0.2/hook',
      'http://10.0.0.1/hook', 'http://[::2]/hook', 'http://0.0.0.0/hook']) {
      fails(() => buildBasicAuthWebhookUrl(url, USER, PASS), 'INSECURE_URL', { hidden: [encodeURIComponent(PASS)] });
    }
  });

  it('a URL that already has userinfo -> INVALID_URL (and its password is not echoed)', () => {
    for (const url of ['https://someone:S3cretP@ss@shop.example/hook', 'https://someone@shop.example/hook',
      'https://:hunter2-x9@shop.example/hook', `https://${USER}:${PASS}@shop.example/hook`]) {
      fails(() => buildBasicAuthWebhookUrl(url, USER, PASS), 'INVALID_URL', { hidden: [encodeURIComponent(PASS), 'hunter2-x9'] });
    }
  });

  it('empty username or password -> INVALID_SECRET', () => {
    fails(() => buildBasicAuthWebhookUrl('https://shop.example/hook', '', PASS), 'INVALID_SECRET', { field: 'username' });
    fails(() => buildBasicAuthWebhookUrl('https://shop.example/hook', USER, ''), 'INVALID_SECRET', { field: 'password' });
    fails(() => buildBasicAuthWebhookUrl('https://shop.example/hook', '', ''), 'INVALID_SECRET');
  });

  it('not an absolute URL, a bad scheme, a fragment -> INVALID_URL', () => {
    for (const url of ['', 'shop.example/hook', '/hook', '//shop.example/hook', 'ftp://shop.example/hook',
      'javascript:alert(1)', 'mailto:a@shop.example', 'https://', 'https://shop.example/hook#frag', 'https://shop .example/']) {
      fails(() => buildBasicAuthWebhookUrl(url, USER, PASS), 'INVALID_URL', { field: undefined });
    }
  });

  it('a result longer than 2048 characters -> INVALID_URL; 2048 is fine', () => {
    const base = 'https://shop.example/';
    // user "u" and password "p": "https://u:p@shop.example/" + path
    const fixed = 'https://u:p@shop.example/'.length;
    const ok = buildBasicAuthWebhookUrl(base + 'a'.repeat(2048 - fixed), 'u', 'p');
    assert.equal(ok.length, 2048);
    fails(() => buildBasicAuthWebhookUrl(base + 'a'.repeat(2049 - fixed), 'u', 'p'), 'INVALID_URL');
    // The credentials count, percent-encoded.
    fails(() => buildBasicAuthWebhookUrl('https://shop.example/hook', 'u', '@'.repeat(700)), 'INVALID_URL', { hidden: ['@'.repeat(700)] });
    fails(() => buildBasicAuthWebhookUrl(base + 'a'.repeat(9000), 'u', 'p'), 'INVALID_URL');
  });

  for (const [what, v] of WRONG_TYPES) {
    it(`an argument that is ${what} -> INVALID_FIELD`, () => {
      fails(() => buildBasicAuthWebhookUrl(v, USER, PASS), 'INVALID_FIELD');
      fails(() => buildBasicAuthWebhookUrl('https://shop.example/hook', v, PASS), 'INVALID_FIELD', { field: 'username' });
      fails(() => buildBasicAuthWebhookUrl('https://shop.example/hook', USER, v), 'INVALID_FIELD', { field: 'password' });
    });
  }
});

describe('buildSmartRouterEventRequest', () => {
  const OPTS = { projectId: PROJECT, privateKey: PRIVATE_KEY };
  const decodeBasic = (h) => {
    const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(h);
    assert.ok(m, `not a basic header: ${h}`);
    return Buffer.from(m[1], 'base64').toString('utf8');
  };

  it('GET <base>/events/<id> with basic auth projectId:privateKey and Accept', () => {
    const r = buildSmartRouterEventRequest('ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C', { ...OPTS, apiBase: 'https://api.processout.com' });
    assert.equal(r.method, 'GET');
    assert.equal(r.url, 'https://api.processout.com/events/ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C');
    assert.equal(decodeBasic(r.headers.Authorization), `${PROJECT}:${PRIVATE_KEY}`);
    assert.equal(r.headers.Accept, 'application/json');
    assert.equal(r.body, undefined);
  });

  it('the default base is https://api.processout.com (index.d.ts)', () => {
    const r = buildSmartRouterEventRequest('ev_1', OPTS);
    assert.equal(r.url, 'https://api.processout.com/events/ev_1');
    assert.equal(decodeBasic(r.headers.Authorization), `${PROJECT}:${PRIVATE_KEY}`);
  });

  it('a private key with `:` and non-ASCII is sent as its UTF-8 bytes', () => {
    const key = 'key:with:colons é ✓';
    const r = buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: key });
    assert.equal(decodeBasic(r.headers.Authorization), `${PROJECT}:${key}`);
    assert.equal(r.headers.Authorization, `Basic ${b64(`${PROJECT}:${key}`)}`);
  });

  it('custom bases: loopback http:, https: with a path, trailing slash', () => {
    assert.equal(buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase: 'http://127.0.0.1:8080' }).url, 'http://127.0.0.1:8080/events/ev_1');
    assert.equal(buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase: 'http://localhost:8080/' }).url, 'http://localhost:8080/events/ev_1');
    assert.equal(buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase: 'http://[::1]:8080' }).url, 'http://[::1]:8080/events/ev_1');
    assert.equal(buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase: 'https://proxy.example/processout' }).url, 'https://proxy.example/processout/events/ev_1');
    assert.equal(buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase: 'https://proxy.example/processout/' }).url, 'https://proxy.example/processout/events/ev_1');
  });

  it('an event id of 255 characters is fine', () => {
    const id = 'E'.repeat(255);
    assert.equal(buildSmartRouterEventRequest(id, OPTS).url, `https://api.processout.com/events/${id}`);
  });

  for (const bad of ['', 'ev 1', '../customers', '..', 'ev/../../x', 'ev_1?expand=all', 'ev_1#x', 'ev%2F1', 'évent', 'e'.repeat(256), 'ev_1\r\nX: y']) {
    it(`event id ${JSON.stringify(bad.length > 40 ? bad.slice(0, 20) + '…' : bad)} -> INVALID_FIELD`, () => {
      fails(() => buildSmartRouterEventRequest(bad, OPTS), 'INVALID_FIELD', { field: ['eventId', 'event_id'] });
    });
  }

  it('empty project id or private key -> INVALID_SECRET', () => {
    fails(() => buildSmartRouterEventRequest('ev_1', { projectId: '', privateKey: PRIVATE_KEY }), 'INVALID_SECRET', { field: 'projectId' });
    fails(() => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: '' }), 'INVALID_SECRET', { field: 'privateKey' });
    fails(() => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT }), ['INVALID_SECRET', 'INVALID_FIELD'], { field: 'privateKey' });
    fails(() => buildSmartRouterEventRequest('ev_1', { privateKey: PRIVATE_KEY }), ['INVALID_SECRET', 'INVALID_FIELD'], { field: 'projectId' });
  });

  it('a project id with `:` -> INVALID_SECRET (module doc: basic auth could not carry it)', () => {
    fails(() => buildSmartRouterEventRequest('ev_1', { projectId: 'proj:1', privateKey: PRIVATE_KEY }), 'INVALID_SECRET', { field: 'projectId' });
  });

  it('http: base for a host that is not loopback -> INSECURE_URL', () => {
    for (const apiBase of ['http://api.processout.com', 'http://proxy.example:8080', 'http://127.0.0.2']) {
      fails(() => buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase }), 'INSECURE_URL');
    }
  });

  it('a bad base -> INVALID_URL (and no secret in the message)', () => {
    for (const apiBase of ['', 'api.processout.com', '/v1', 'ftp://api.processout.com', 'https://api.processout.com?x=1',
      'https://api.processout.com#x', `https://${PROJECT}:${PRIVATE_KEY}@api.processout.com`, 'https://u:tok-in-base@api.processout.com',
      'https://api.processout.com//x', 'https://api processout.com', `https://api.processout.com/${'a'.repeat(2100)}`]) {
      fails(() => buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase }), 'INVALID_URL');
    }
  });

  it('a request URL over 2048 characters -> INVALID_URL', () => {
    const apiBase = `https://api.processout.com/${'a'.repeat(2048 - 'https://api.processout.com/'.length - '/events/'.length - 4)}`;
    assert.equal(buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase }).url.length, 2048);
    fails(() => buildSmartRouterEventRequest('ev_12', { ...OPTS, apiBase }), 'INVALID_URL');
  });

  for (const [what, v] of WRONG_TYPES) {
    it(`an argument that is ${what} -> PayhookError (INVALID_FIELD)`, () => {
      fails(() => buildSmartRouterEventRequest(v, OPTS), 'INVALID_FIELD', { field: ['eventId', 'event_id'] });
      if (v === undefined || v === null) {
        fails(() => buildSmartRouterEventRequest('ev_1', v), ['INVALID_FIELD', 'INVALID_SECRET']);
        fails(() => buildSmartRouterEventRequest('ev_1', { projectId: v, privateKey: PRIVATE_KEY }), ['INVALID_FIELD', 'INVALID_SECRET'], { field: 'projectId' });
        fails(() => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: v }), ['INVALID_FIELD', 'INVALID_SECRET'], { field: 'privateKey' });
      } else {
        // A plain object is options without the credentials.
        fails(() => buildSmartRouterEventRequest('ev_1', v), Object.getPrototypeOf(v) === Object.prototype ? 'INVALID_SECRET' : 'INVALID_FIELD');
        fails(() => buildSmartRouterEventRequest('ev_1', { projectId: v, privateKey: PRIVATE_KEY }), 'INVALID_FIELD', { field: 'projectId' });
        fails(() => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: v }), 'INVALID_FIELD', { field: 'privateKey' });
        fails(() => buildSmartRouterEventRequest('ev_1', { ...OPTS, apiBase: v }), 'INVALID_FIELD', { field: 'apiBase' });
      }
    });
  }

  describe('end to end against a local stand-in API', () => {
    const api = standIn();
    let base;
    before(async () => { base = await api.start(); });
    after(() => api.stop());

    it('webhook body -> event request -> fetch: the stand-in gets the path and the credentials', async () => {
      const hook = parseSmartRouterWebhook(new Uint8Array(utf8(json(SMART.valid[0].body))));
      const key = 'key:priv é';
      const req = buildSmartRouterEventRequest(hook.eventId, { projectId: PROJECT, privateKey: key, apiBase: base });
      assert.equal(req.url, `${base}/events/${SMART.valid[0].body.event_id}`);
      const res = await fetch(req.url, { method: req.method, headers: req.headers });
      assert.equal(res.status, 200);
      nodeAssert.deepEqual(await res.json(), { ok: true });
      assert.equal(api.received.length, 1);
      const got = api.received[0];
      assert.equal(got.method, 'GET');
      assert.equal(got.url, `/events/${SMART.valid[0].body.event_id}`);
      const m = /^Basic (.+)$/.exec(got.headers.authorization);
      assert.ok(m, got.headers.authorization);
      assert.equal(Buffer.from(m[1], 'base64').toString('utf8'), `${PROJECT}:${key}`);
      assert.equal(got.headers.accept, 'application/json');
    });
  });
});

// ================================================================== PayEx

/** The contract's normalised result, written from a callback object (not from payhook). */
function expectedPayex(body) {
  const out = {};
  const pathId = (p) => p.slice(p.lastIndexOf('/') + 1);
  const pathInstrument = (p) => p.split('/')[2];
  let payment;
  let transaction;
  if (typeof body.payment === 'string') {
    payment = { id: body.payment, number: body.paymentNumber };
  } else if (body.payment) payment = body.payment;
  if (typeof body.transaction === 'string') {
    transaction = { id: body.transaction, number: body.transactionNumber };
  } else if (body.transaction) transaction = body.transaction;
  const po = body.paymentOrder;
  if (po) out.paymentOrderId = pathId(po.id);
  if (payment) out.paymentId = pathId(payment.id);
  if (transaction) out.transactionId = pathId(transaction.id);
  if (po && po.instrument !== undefined) out.instrument = po.instrument;
  else if (payment) out.instrument = pathInstrument(payment.id);
  if (payment) out.paymentNumber = payment.number;
  if (transaction) out.transactionNumber = transaction.number;
  if (po && po.number !== undefined) out.paymentOrderNumber = po.number;
  if (body.orderReference !== undefined) out.orderReference = body.orderReference;
  if (payment) out.paymentUrl = payment.id;
  if (transaction) out.transactionUrl = transaction.id;
  if (po) out.paymentOrderUrl = po.id;
  return out;
}

describe('PayEx fixtures (tests/vectors/payex.json)', () => {
  it('has the four documented cases', () => {
    assert.equal(PAYEX.valid.length, 4);
  });

  it('flat form: exact values', () => {
    assert.deepEqual(parsePayexCallback(json(PAYEX.valid[0].body)), {
      paymentId: '5adc265f-f87f-4313-577e-08d3dca1a26c',
      transactionId: '5adc265f-f87f-4313-577e-08d3dca1a26d',
      instrument: 'creditcard',
      paymentNumber: 123456,
      transactionNumber: 12345678,
      paymentUrl: '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c',
      transactionUrl: '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c/transactions/5adc265f-f87f-4313-577e-08d3dca1a26d',
    });
  });

  it('nested form: exact values', () => {
    assert.deepEqual(parsePayexCallback(json(PAYEX.valid[1].body)), {
      paymentId: '5adc265f-f87f-4313-577e-08d3dca1a26c',
      transactionId: '5adc265f-f87f-4313-577e-08d3dca1a26d',
      instrument: 'creditcard',
      paymentNumber: 222222222,
      transactionNumber: 333333333,
      paymentUrl: '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c',
      transactionUrl: '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c/authorizations/5adc265f-f87f-4313-577e-08d3dca1a26d',
    });
  });

  it('payment order v3.1 with orderReference: exact values', () => {
    assert.deepEqual(parsePayexCallback(json(PAYEX.valid[2].body)), {
      paymentOrderId: 'a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba',
      instrument: 'CreditCard',
      paymentOrderNumber: 40129161258,
      orderReference: 'PO-638423890947905216',
      paymentOrderUrl: '/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba',
    });
  });

  it('payment order (.NET SDK): exact values', () => {
    assert.deepEqual(parsePayexCallback(json(PAYEX.valid[3].body)), {
      paymentOrderId: '4b03d9e6-e75f-48a2-32d8-08dbff73f7a7',
      instrument: 'Swish',
      paymentOrderNumber: 44100921924,
      paymentOrderUrl: '/psp/paymentorders/4b03d9e6-e75f-48a2-32d8-08dbff73f7a7',
    });
  });

  for (const c of PAYEX.valid) {
    it(`${c.name}: every body form (string, Buffer, Uint8Array, view) gives the contract's result`, () => {
      const expected = expectedPayex(c.body);
      for (const [form, body] of bodyForms(json(c.body))) {
        const r = parsePayexCallback(body);
        assert.deepEqual(r, expected, form);
        for (const k of ['paymentNumber', 'transactionNumber', 'paymentOrderNumber']) {
          if (k in r) assert.equal(typeof r[k], 'number', k);
        }
      }
      // Pretty-printed JSON is the same callback.
      assert.deepEqual(parsePayexCallback(JSON.stringify(c.body, null, 2)), expected);
    });
  }
});

describe('parsePayexCallback', () => {
  it('payment order without number or orderReference (number is optional)', () => {
    assert.deepEqual(parsePayexCallback(json({ paymentOrder: { id: PO, instrument: 'Invoice-PayExFinancingSe' } })), {
      paymentOrderId: PO_G,
      instrument: 'Invoice-PayExFinancingSe',
      paymentOrderUrl: PO,
    });
    assert.deepEqual(parsePayexCallback(json({ paymentOrder: { id: PO } })), { paymentOrderId: PO_G, paymentOrderUrl: PO });
  });

  it('payment order with a payment: instrument is paymentOrder.instrument', () => {
    const body = { paymentOrder: { id: PO, instrument: 'CreditCard', number: 7 }, orderReference: 'o-1', ...FLAT };
    assert.deepEqual(parsePayexCallback(json(body)), {
      paymentOrderId: PO_G,
      paymentId: G1,
      transactionId: G2,
      instrument: 'CreditCard',
      paymentNumber: 123456,
      transactionNumber: 12345678,
      paymentOrderNumber: 7,
      orderReference: 'o-1',
      paymentUrl: P,
      transactionUrl: T,
      paymentOrderUrl: PO,
    });
    // Without paymentOrder.instrument, the payment path's instrument.
    const r = parsePayexCallback(json({ paymentOrder: { id: PO }, payment: { id: P, number: 5 } }));
    assert.equal(r.instrument, 'creditcard');
    assert.equal(r.paymentOrderId, PO_G);
    assert.equal(r.paymentNumber, 5);
  });

  it('a payment without a transaction (flat and nested)', () => {
    assert.deepEqual(parsePayexCallback(json({ payment: P, paymentNumber: 1 })), {
      paymentId: G1, instrument: 'creditcard', paymentNumber: 1, paymentUrl: P,
    });
    assert.deepEqual(parsePayexCallback(json({ payment: { id: P, number: 1 } })), {
      paymentId: G1, instrument: 'creditcard', paymentNumber: 1, paymentUrl: P,
    });
  });

  for (const kind of KINDS) {
    it(`transaction kind ${kind} (flat and nested)`, () => {
      const tx = `${P}/${kind}/${G2}`;
      assert.deepEqual(parsePayexCallback(json({ ...FLAT, transaction: tx })), { ...FLAT_RESULT, transactionUrl: tx });
      const nested = parsePayexCallback(json({ payment: { id: P, number: 1 }, transaction: { id: tx, number: 2 } }));
      assert.equal(nested.transactionUrl, tx);
      assert.equal(nested.transactionId, G2);
    });
  }

  it('other instruments (lowercase letters)', () => {
    for (const instrument of ['invoice', 'swish', 'vipps', 'mobilepay', 'trustly', 'x']) {
      const p = `/psp/${instrument}/payments/${G1}`;
      const t = `${p}/sales/${G2}`;
      const r = parsePayexCallback(json({ payment: p, paymentNumber: 9, transaction: t, transactionNumber: 10 }));
      assert.equal(r.instrument, instrument);
      assert.equal(r.paymentUrl, p);
      assert.equal(r.transactionUrl, t);
    }
  });

  it('guids in upper case are hex digits too; returned as received', () => {
    const p = `/psp/creditcard/payments/${G1.toUpperCase()}`;
    const t = `${p}/captures/${G2.toUpperCase()}`;
    const r = parsePayexCallback(json({ payment: p, paymentNumber: 1, transaction: t, transactionNumber: 2 }));
    assert.equal(r.paymentId, G1.toUpperCase());
    assert.equal(r.transactionId, G2.toUpperCase());
    assert.equal(r.paymentUrl, p);
  });

  it('unknown extra fields are tolerated, at the top and inside the objects', () => {
    const body = {
      ...FLAT,
      callbackVersion: 2,
      extra: { nested: [1, 'two', null, true] },
      orderReference: 'ref-1',
      'ünïcode': 'ok',
    };
    assert.deepEqual(parsePayexCallback(json(body)), { ...FLAT_RESULT, orderReference: 'ref-1' });
    const nested = {
      payment: { id: P, number: 1, instrument: 'CreditCard', operations: [] },
      transaction: { id: T, number: 2, type: 'Authorization', state: 'Completed' },
      paymentOrder: { id: PO, instrument: 'CreditCard', number: 3, created: '2024-01-01T00:00:00Z' },
    };
    const r = parsePayexCallback(json(nested));
    assert.equal(r.paymentNumber, 1);
    assert.equal(r.transactionNumber, 2);
    assert.equal(r.paymentOrderNumber, 3);
  });

  it('orderReference may be any string', () => {
    for (const ref of ['', ' x ', 'é ✓', '../../etc']) {
      assert.equal(parsePayexCallback(json({ paymentOrder: { id: PO }, orderReference: ref })).orderReference, ref);
    }
  });

  it('null members count as absent (module doc)', () => {
    assert.deepEqual(
      parsePayexCallback(json({ ...FLAT, paymentOrder: null, orderReference: null })),
      FLAT_RESULT,
    );
    assert.deepEqual(
      parsePayexCallback(json({ paymentOrder: { id: PO, instrument: null, number: null }, payment: null, transaction: null })),
      { paymentOrderId: PO_G, paymentOrderUrl: PO },
    );
  });

  // ---------------------------------------------------------------- numbers

  describe('numbers', () => {
    const withNumber = (raw) => `{"payment":"${P}","paymentNumber":${raw}}`;
    const nestedNumber = (raw) => `{"payment":{"id":"${P}","number":${raw}}}`;
    const orderNumber = (raw) => `{"paymentOrder":{"id":"${PO}","number":${raw}}}`;
    const txNumber = (raw) => `{"payment":"${P}","paymentNumber":1,"transaction":"${T}","transactionNumber":${raw}}`;

    for (const [what, raw, value] of [
      ['1', '1', 1],
      ['2^31 - 1', '2147483647', 2147483647],
      ['2^31 + 1', '2147483649', 2147483649],
      ['2^32 + 1', '4294967297', 4294967297],
      ['2^53 - 1', '9007199254740991', 9007199254740991],
      ['2^53 - 2', '9007199254740990', 9007199254740990],
    ]) {
      it(`${what} is accepted and exact, as a number or a string of its digits`, () => {
        assert.equal(parsePayexCallback(withNumber(`"${raw}"`)).paymentNumber, value);
        assert.equal(parsePayexCallback(nestedNumber(`"${raw}"`)).paymentNumber, value);
        assert.equal(parsePayexCallback(orderNumber(`"${raw}"`)).paymentOrderNumber, value);
        assert.equal(parsePayexCallback(txNumber(`"${raw}"`)).transactionNumber, value);
        assert.equal(parsePayexCallback(withNumber(raw)).paymentNumber, value);
        assert.equal(parsePayexCallback(nestedNumber(raw)).paymentNumber, value);
        assert.equal(parsePayexCallback(orderNumber(raw)).paymentOrderNumber, value);
        assert.equal(parsePayexCallback(txNumber(raw)).transactionNumber, value);
        assert.ok(Number.isSafeInteger(value));
        assert.equal(String(parsePayexCallback(withNumber(raw)).paymentNumber), raw);
      });
    }

    for (const [what, raw] of [
      ['2^53', '9007199254740992'],
      ['2^53 + 1 (JSON.parse would round it to 2^53)', '9007199254740993'],
      ['2^53 + 2', '9007199254740994'],
      ['2^64', '18446744073709551616'],
      ['a 30-digit number', '123456789012345678901234567890'],
      ['1.0', '1.0'],
      ['1e3', '1e3'],
      ['1E3', '1E3'],
      ['1e+3', '1e+3'],
      ['10e-1', '10e-1'],
      ['1.5', '1.5'],
      ['9007199254740991.0', '9007199254740991.0'],
      ['-1', '-1'],
      ['-0', '-0'],
      ['0', '0'],
      ['0.0', '0.0'],
      ['an empty string', '""'],
      ['a string "0"', '"0"'],
      ['a string with a leading zero', '"0123"'],
      ['a string with a space', '" 123"'],
      ['a string "1.0"', '"1.0"'],
      ['a string "1e3"', '"1e3"'],
      ['a string "-1"', '"-1"'],
      ['a string 2^53', '"9007199254740992"'],
      ['true', 'true'],
      ['an object', '{}'],
      ['an array', '[1]'],
    ]) {
      it(`${what} -> INVALID_FIELD, never rounded`, () => {
        fails(() => parsePayexCallback(withNumber(raw)), 'INVALID_FIELD', { field: 'paymentNumber' });
        fails(() => parsePayexCallback(txNumber(raw)), 'INVALID_FIELD', { field: 'transactionNumber' });
        fails(() => parsePayexCallback(nestedNumber(raw)), 'INVALID_FIELD', { field: ['payment.number', 'paymentNumber', 'payment'] });
        fails(() => parsePayexCallback(orderNumber(raw)), 'INVALID_FIELD', { field: ['paymentOrder.number', 'paymentOrderNumber', 'paymentOrder'] });
      });
    }

    it('invalid JSON numbers (leading zero, plus sign, hex, NaN) -> MALFORMED_BODY', () => {
      for (const raw of ['01', '+1', '0x10', 'NaN', 'Infinity', '1.', '.5']) {
        fails(() => parsePayexCallback(withNumber(raw)), ['MALFORMED_BODY', 'INVALID_FIELD']);
      }
    });
  });

  // ---------------------------------------------------------------- hostile paths

  describe('hostile and malformed paths -> INVALID_FIELD with the field', () => {
    const OTHER = '11111111-2222-3333-4444-555555555555';
    /** Payment paths that are not a payment path. */
    const BAD_PAYMENT_PATHS = [
      ['absolute URL to another host', `https://evil.example${P}`],
      ['absolute http URL to another host', `http://evil.example${P}`],
      ['absolute URL to the API host', `https://api.payex.com${P}`],
      ['absolute URL to the API host, upper-case scheme', `HTTPS://api.payex.com${P}`],
      ['absolute URL to the test API host', `https://api.externalintegration.payex.com${P}`],
      ['protocol-relative', `//evil.example${P}`],
      ['protocol-relative with /psp first', `//evil.example/psp/creditcard/payments/${G1}`],
      ['backslash protocol-relative', `\\\\evil.example${P}`],
      ['slash-backslash (WHATWG reads it as //)', `/\\evil.example${P}`],
      ['.. at the end', `${P}/..`],
      ['.. in the middle', `/psp/creditcard/../creditcard/payments/${G1}`],
      ['.. to reach another resource', `/psp/creditcard/payments/../../paymentorders/${G1}`],
      ['. segment', `/psp/./creditcard/payments/${G1}`],
      ['// inside', `/psp//creditcard/payments/${G1}`],
      ['// before the guid', `/psp/creditcard/payments//${G1}`],
      ['trailing /', `${P}/`],
      ['%2e%2e', `/psp/creditcard/payments/%2e%2e/payments/${G1}`],
      ['%2E%2E', `/psp/%2E%2E/creditcard/payments/${G1}`],
      ['%2f in the guid segment', `/psp/creditcard/payments/${G1}%2f..`],
      ['percent-encoded letter', `/psp/cr%65ditcard/payments/${G1}`],
      ['backslash ..', `${P}\\..\\..\\x`],
      ['backslash as separator', `/psp\\creditcard\\payments\\${G1}`],
      ['query', `${P}?expand=all`],
      ['empty query', `${P}?`],
      ['fragment', `${P}#x`],
      ['leading space', ` ${P}`],
      ['trailing space', `${P} `],
      ['trailing newline', `${P}\n`],
      ['tab inside', `/psp/credit\tcard/payments/${G1}`],
      ['space inside', `/psp/credit card/payments/${G1}`],
      ['no-break space', `${P}\u00a0`],
      ['NUL', `${P}\u0000`],
      ['CR LF header injection', `${P}\r\nX-Evil: 1`],
      ['upper-case instrument', `/psp/CreditCard/payments/${G1}`],
      ['upper-case PSP', `/PSP/creditcard/payments/${G1}`],
      ['upper-case Payments', `/psp/creditcard/Payments/${G1}`],
      ['instrument with a digit', `/psp/creditcard1/payments/${G1}`],
      ['instrument with a dash', `/psp/credit-card/payments/${G1}`],
      ['no leading /', `psp/creditcard/payments/${G1}`],
      ['no /psp', `/creditcard/payments/${G1}`],
      ['another API prefix', `/api/creditcard/payments/${G1}`],
      ['payment (singular)', `/psp/creditcard/payment/${G1}`],
      ['guid too short', `/psp/creditcard/payments/${G1.slice(0, -1)}`],
      ['guid too long', `/psp/creditcard/payments/${G1}0`],
      ['guid without dashes', `/psp/creditcard/payments/${G1.replace(/-/g, '')}`],
      ['guid with misplaced dashes', '/psp/creditcard/payments/5adc265-ff87f-4313-577e-08d3dca1a26c'],
      ['guid with a non-hex letter', `/psp/creditcard/payments/${G1.replace('a', 'g')}`],
      ['guid in braces', `/psp/creditcard/payments/{${G1}}`],
      ['guid with fullwidth digits', `/psp/creditcard/payments/${G1.replace('5', '５')}`],
      ['empty guid', '/psp/creditcard/payments/'],
      ['not a guid', '/psp/creditcard/payments/123456'],
      ['payment order path in payment', PO],
      ['transaction path in payment', T],
      ['a payment with extra segments', `${P}/transactions/${G2}/extra`],
      ['empty string', ''],
      ['just /', '/'],
      ['just /psp/', '/psp/'],
    ];
    /** Transaction paths (under P) that are not a transaction of P. */
    const BAD_TRANSACTION_PATHS = [
      ['absolute URL to another host', `https://evil.example${T}`],
      ['absolute URL to the API host', `https://api.payex.com${T}`],
      ['protocol-relative', `//evil.example${T}`],
      ['..', `${P}/transactions/../captures/${G2}`],
      ['.. after the transaction', `${T}/..`],
      ['// inside', `${P}//transactions/${G2}`],
      ['%2e%2e', `${P}/%2e%2e/${G2}`],
      ['percent-encoded /', `${P}/transactions%2F${G2}`],
      ['backslash', `${P}\\transactions\\${G2}`],
      ['query', `${T}?x=1`],
      ['fragment', `${T}#x`],
      ['whitespace', `${T} `],
      ['upper-case instrument', `/psp/CreditCard/payments/${G1}/transactions/${G2}`],
      ['unknown kind refunds', `${P}/refunds/${G2}`],
      ['unknown kind transaction (singular)', `${P}/transaction/${G2}`],
      ['kind in upper case', `${P}/Transactions/${G2}`],
      ['kind paymentorders', `${P}/paymentorders/${G2}`],
      ['bad transaction guid', `${P}/transactions/${G2.slice(1)}`],
      ['under another payment', `/psp/creditcard/payments/${OTHER}/transactions/${G2}`],
      ['under the same guid with another instrument', `/psp/invoice/payments/${G1}/transactions/${G2}`],
      ['the payment path itself', P],
      ['a payment order path', PO],
      ['extra segment', `${T}/x`],
    ];

    for (const [what, path] of BAD_PAYMENT_PATHS) {
      it(`payment: ${what}`, () => {
        fails(() => parsePayexCallback(json({ payment: path, paymentNumber: 1 })), 'INVALID_FIELD', { field: 'payment' });
        fails(() => parsePayexCallback(json({ payment: path, paymentNumber: 1, transaction: T, transactionNumber: 2 })), 'INVALID_FIELD', { field: 'payment' });
        fails(() => parsePayexCallback(json({ payment: { id: path, number: 1 } })), 'INVALID_FIELD', { field: ['payment.id', 'payment'] });
        fails(() => parsePayexCallback(json({ paymentOrder: { id: PO, instrument: 'CreditCard' }, payment: path, paymentNumber: 1 })), 'INVALID_FIELD', { field: 'payment' });
        // The same string is no path for buildPayexRequest either (unless it is a valid resource path).
        if (path !== PO && path !== T) {
          fails(() => buildPayexRequest(path, { token: TOKEN }), 'INVALID_FIELD', { field: 'path' });
        }
      });
    }

    for (const [what, path] of BAD_TRANSACTION_PATHS) {
      it(`transaction: ${what}`, () => {
        fails(() => parsePayexCallback(json({ ...FLAT, transaction: path })), 'INVALID_FIELD', { field: 'transaction' });
        fails(() => parsePayexCallback(json({ payment: { id: P, number: 1 }, transaction: { id: path, number: 2 } })), 'INVALID_FIELD', { field: ['transaction.id', 'transaction'] });
      });
    }

    it('payment order id: hostile and wrong shapes', () => {
      for (const path of [`https://evil.example${PO}`, `https://api.payex.com${PO}`, `//evil.example${PO}`, `${PO}/..`,
        `/psp//paymentorders/${PO_G}`, `/psp/paymentorders/%2e%2e`, `${PO}?x`, `${PO}#x`, `${PO}\\..`, ` ${PO}`,
        `/psp/PaymentOrders/${PO_G}`, `/psp/paymentorders/${PO_G.slice(1)}`, P, T, `${PO}/`, `${PO}/transactions/${G2}`]) {
        fails(() => parsePayexCallback(json({ paymentOrder: { id: path, instrument: 'CreditCard' } })), 'INVALID_FIELD', { field: ['paymentOrder.id', 'paymentOrder'] });
      }
    });

    it('JSON escapes are decoded before the check (no bypass)', () => {
      fails(() => parsePayexCallback(`{"payment":"/psp/creditcard/payments/\\u002e\\u002e/x","paymentNumber":1}`), 'INVALID_FIELD', { field: 'payment' });
      fails(() => parsePayexCallback(`{"payment":"\\/\\/evil.example/psp/creditcard/payments/${G1}","paymentNumber":1}`), 'INVALID_FIELD', { field: 'payment' });
      fails(() => parsePayexCallback(`{"payment":"/psp/creditcard/payments/${G1}\\u003fx=1","paymentNumber":1}`), 'INVALID_FIELD', { field: 'payment' });
      // And an escaped but valid path is the path.
      assert.equal(parsePayexCallback(`{"payment":"\\/psp\\/creditcard\\/payments\\/${G1}","paymentNumber":1}`).paymentUrl, P);
    });

    it('a transaction under another payment, nested form too', () => {
      const other = `/psp/creditcard/payments/${OTHER}/authorizations/${G2}`;
      fails(() => parsePayexCallback(json({ payment: { id: P, number: 1 }, transaction: { id: other, number: 2 } })), 'INVALID_FIELD', { field: ['transaction.id', 'transaction'] });
    });

    it('a path that is not a string -> INVALID_FIELD', () => {
      for (const v of [1, true, [P]]) {
        fails(() => parsePayexCallback(json({ payment: v, paymentNumber: 1 })), 'INVALID_FIELD', { field: 'payment' });
        fails(() => parsePayexCallback(json({ ...FLAT, transaction: v })), 'INVALID_FIELD', { field: 'transaction' });
        fails(() => parsePayexCallback(json({ payment: { id: v, number: 1 } })), 'INVALID_FIELD', { field: ['payment.id', 'payment'] });
        fails(() => parsePayexCallback(json({ paymentOrder: { id: v } })), 'INVALID_FIELD', { field: ['paymentOrder.id', 'paymentOrder'] });
      }
      fails(() => parsePayexCallback(json({ paymentOrder: PO })), 'INVALID_FIELD', { field: 'paymentOrder' });
    });

    it('other invalid values: instrument, orderReference', () => {
      for (const v of ['', 1, true, {}, []]) {
        fails(() => parsePayexCallback(json({ paymentOrder: { id: PO, instrument: v } })), 'INVALID_FIELD', { field: ['paymentOrder.instrument', 'instrument'] });
      }
      for (const v of [1, true, {}, []]) {
        fails(() => parsePayexCallback(json({ ...FLAT, orderReference: v })), 'INVALID_FIELD', { field: 'orderReference' });
      }
    });
  });

  // ---------------------------------------------------------------- missing

  describe('missing fields -> MISSING_FIELD', () => {
    it('neither payment nor payment order', () => {
      for (const body of [{}, { orderReference: 'PO-1' }, { foo: 'bar' }, { payment: null, paymentOrder: null }]) {
        fails(() => parsePayexCallback(json(body)), 'MISSING_FIELD', { field: 'payment' });
      }
    });

    it('a transaction without its payment (module doc: field payment)', () => {
      fails(() => parsePayexCallback(json({ transaction: T, transactionNumber: 2 })), 'MISSING_FIELD', { field: 'payment' });
      fails(() => parsePayexCallback(json({ paymentOrder: { id: PO }, transaction: T, transactionNumber: 2 })), 'MISSING_FIELD', { field: 'payment' });
    });

    it('flat form: a path without its number', () => {
      fails(() => parsePayexCallback(json({ payment: P })), 'MISSING_FIELD', { field: 'paymentNumber' });
      fails(() => parsePayexCallback(json({ payment: P, paymentNumber: null })), 'MISSING_FIELD', { field: 'paymentNumber' });
      fails(() => parsePayexCallback(json({ payment: P, paymentNumber: 1, transaction: T })), 'MISSING_FIELD', { field: 'transactionNumber' });
    });

    it('flat form: a number without its path', () => {
      fails(() => parsePayexCallback(json({ paymentOrder: { id: PO }, paymentNumber: 1 })), 'MISSING_FIELD', { field: 'payment' });
      fails(() => parsePayexCallback(json({ payment: P, paymentNumber: 1, transactionNumber: 2 })), 'MISSING_FIELD', { field: 'transaction' });
    });

    it('nested form: id or number missing (module doc)', () => {
      fails(() => parsePayexCallback(json({ payment: { number: 1 } })), 'MISSING_FIELD', { field: ['payment.id', 'payment'] });
      fails(() => parsePayexCallback(json({ payment: { id: P } })), 'MISSING_FIELD', { field: ['payment.number', 'payment'] });
      fails(() => parsePayexCallback(json({ payment: { id: P, number: 1 }, transaction: { id: T } })), 'MISSING_FIELD', { field: ['transaction.number', 'transaction'] });
      fails(() => parsePayexCallback(json({ paymentOrder: { instrument: 'CreditCard', number: 1 } })), 'MISSING_FIELD', { field: ['paymentOrder.id', 'paymentOrder'] });
    });
  });

  it('mixed forms (module doc) -> INVALID_FIELD', () => {
    fails(() => parsePayexCallback(json({ payment: P, paymentNumber: 1, transaction: { id: T, number: 2 } })), 'INVALID_FIELD', { field: 'transaction' });
    fails(() => parsePayexCallback(json({ payment: { id: P, number: 1 }, transaction: T, transactionNumber: 2 })), 'INVALID_FIELD', { field: 'transaction' });
    fails(() => parsePayexCallback(json({ payment: { id: P, number: 1 }, paymentNumber: 1 })), 'INVALID_FIELD', { field: 'paymentNumber' });
  });

  // ---------------------------------------------------------------- malformed bodies

  const MALFORMED = [
    ['empty body', ''],
    ['not JSON', 'payment=/psp/x'],
    ['truncated', json(FLAT).slice(0, -1)],
    ['trailing garbage', `${json(FLAT)}x`],
    ['two objects', `${json(FLAT)}${json(FLAT)}`],
    ['duplicate key payment', `{"payment":"${P}","paymentNumber":1,"payment":"/psp/creditcard/payments/${G3}"}`],
    ['duplicate key paymentNumber', `{"payment":"${P}","paymentNumber":1,"paymentNumber":2}`],
    ['duplicate key with the same value', `{"payment":"${P}","paymentNumber":1,"paymentNumber":1}`],
    ['duplicate key inside payment', `{"payment":{"id":"${P}","id":"/psp/creditcard/payments/${G3}","number":1}}`],
    ['duplicate key inside paymentOrder', `{"paymentOrder":{"id":"${PO}","instrument":"A","instrument":"B"}}`],
    ['duplicate key in an unknown member', `{"payment":"${P}","paymentNumber":1,"x":{"a":1,"a":1}}`],
    ['duplicate key written with an escape', `{"payment":"${P}","paymentNumber":1,"payment\\u004eumber":2}`],
    ['an array', `[${json(FLAT)}]`],
    ['a string', JSON.stringify(json(FLAT))],
    ['a number', '42'],
    ['null', 'null'],
    ['false', 'false'],
    ['a byte-order mark', `\uFEFF${json(FLAT)}`],
    ['a lone surrogate', `{"payment":"${P}","paymentNumber":1,"x":"\uDC00"}`],
  ];
  for (const [what, body] of MALFORMED) {
    it(`malformed: ${what} -> MALFORMED_BODY`, () => {
      fails(() => parsePayexCallback(body), 'MALFORMED_BODY');
      if (typeof body === 'string' && body.isWellFormed()) fails(() => parsePayexCallback(new Uint8Array(utf8(body))), 'MALFORMED_BODY');
    });
  }

  it('bytes that are not UTF-8 -> MALFORMED_BODY', () => {
    const bytes = Buffer.concat([utf8(`{"payment":"${P}","paymentNumber":1,"x":"`), Buffer.from([0xc3, 0x28]), utf8('"}')]);
    fails(() => parsePayexCallback(new Uint8Array(bytes)), 'MALFORMED_BODY');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(json(FLAT))]);
    fails(() => parsePayexCallback(new Uint8Array(bom)), 'MALFORMED_BODY');
  });

  it('exactly 64 KiB is accepted; one byte more -> PAYLOAD_TOO_LARGE (string and bytes)', () => {
    const ok = paddedBody(FLAT, LIMIT);
    assert.deepEqual(parsePayexCallback(ok), FLAT_RESULT);
    assert.deepEqual(parsePayexCallback(new Uint8Array(utf8(ok))), FLAT_RESULT);
    const big = paddedBody(FLAT, LIMIT + 1);
    fails(() => parsePayexCallback(big), 'PAYLOAD_TOO_LARGE');
    fails(() => parsePayexCallback(new Uint8Array(utf8(big))), 'PAYLOAD_TOO_LARGE');
  });

  it('the limit is in UTF-8 bytes and checked before any other work', () => {
    const ok = paddedBody(FLAT, LIMIT, '✓');
    assert.deepEqual(parsePayexCallback(ok), FLAT_RESULT);
    const big = paddedBody(FLAT, LIMIT + 1, '✓');
    assert.ok(big.length < LIMIT);
    fails(() => parsePayexCallback(big), 'PAYLOAD_TOO_LARGE');
    fails(() => parsePayexCallback('['.repeat(LIMIT + 1)), 'PAYLOAD_TOO_LARGE');
    fails(() => parsePayexCallback(new Uint8Array(LIMIT + 1).fill(0x80)), 'PAYLOAD_TOO_LARGE');
  });

  it('deep nesting inside the limit is an error or a result, never a crash', () => {
    const deep = `{"payment":"${P}","paymentNumber":1,"x":${'['.repeat(30000)}${']'.repeat(30000)}}`;
    assert.ok(utf8(deep).length <= LIMIT);
    try {
      assert.deepEqual(parsePayexCallback(deep), { paymentId: G1, instrument: 'creditcard', paymentNumber: 1, paymentUrl: P });
    } catch (e) {
      assert.ok(e instanceof PayhookError, `${e?.name}: ${e?.message}`);
      assert.equal(e.code, 'MALFORMED_BODY');
    }
    assertStillWorks();
  });

  for (const [what, v] of WRONG_BODIES) {
    it(`a body that is ${what} -> MALFORMED_BODY (a PayhookError, not a TypeError)`, () => {
      fails(() => parsePayexCallback(v), 'MALFORMED_BODY');
    });
  }
});

// ---------------------------------------------------------------- buildPayexRequest

describe('buildPayexRequest', () => {
  it('default base https://api.payex.com, GET, bearer token, for every path shape', () => {
    for (const path of [P, T, PO, ...KINDS.map((k) => `${P}/${k}/${G2}`), `/psp/swish/payments/${G1.toUpperCase()}`]) {
      const r = buildPayexRequest(path, { token: TOKEN });
      assert.equal(r.method, 'GET');
      assert.equal(r.url, `https://api.payex.com${path}`);
      assert.equal(r.headers.Authorization, `Bearer ${TOKEN}`);
      assert.equal(r.body, undefined);
      const u = new URL(r.url);
      assert.equal(u.origin, 'https://api.payex.com');
      assert.equal(u.pathname, path);
      assert.equal(u.search, '');
    }
  });

  it('the token is sent as is (never trimmed)', () => {
    for (const token of ['t', ' spaced token ', 'a.b-c_d~e+f/g=', 'x'.repeat(2000)]) {
      assert.equal(buildPayexRequest(P, { token }).headers.Authorization, `Bearer ${token}`);
    }
  });

  it('custom loopback http: bases', () => {
    for (const [base, origin] of [
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['http://[::1]:9000', 'http://[::1]:9000'],
      ['http://127.0.0.1', 'http://127.0.0.1'],
    ]) {
      const r = buildPayexRequest(T, { token: TOKEN, apiBase: base });
      assert.equal(r.url, `${origin}${T}`, base);
      assert.equal(r.headers.Authorization, `Bearer ${TOKEN}`);
    }
  });

  it('https: other bases (test environment, a proxy with a path)', () => {
    assert.equal(buildPayexRequest(P, { token: TOKEN, apiBase: 'https://api.externalintegration.payex.com' }).url,
      `https://api.externalintegration.payex.com${P}`);
    assert.equal(buildPayexRequest(P, { token: TOKEN, apiBase: 'https://proxy.example/payex' }).url, `https://proxy.example/payex${P}`);
    assert.equal(buildPayexRequest(P, { token: TOKEN, apiBase: 'https://proxy.example/payex/' }).url, `https://proxy.example/payex${P}`);
    assert.equal(buildPayexRequest(P, { token: TOKEN, apiBase: 'https://proxy.example:8443' }).url, `https://proxy.example:8443${P}`);
  });

  it('http: base for a host that is not loopback -> INSECURE_URL (no token in the message)', () => {
    for (const apiBase of ['http://api.payex.com', 'http://evil.example', 'http://localhost.evil.example', 'http://127.0.0.2:8080', 'http://192.168.1.1']) {
      fails(() => buildPayexRequest(P, { token: TOKEN, apiBase }), 'INSECURE_URL');
    }
  });

  it('a bad base -> INVALID_URL', () => {
    for (const apiBase of ['', 'api.payex.com', '/psp', '//api.payex.com', 'ftp://api.payex.com', 'https://api.payex.com?x=1',
      'https://api.payex.com#x', 'https://u:tok-in-base@api.payex.com', 'https://api.payex.com\\@evil.example',
      'https://api.payex.com//x', 'https://api payex.com', `https://api.payex.com/${'a'.repeat(2100)}`]) {
      fails(() => buildPayexRequest(P, { token: TOKEN, apiBase }), 'INVALID_URL');
    }
  });

  it('a request URL over 2048 characters -> INVALID_URL', () => {
    const apiBase = `https://proxy.example/${'a'.repeat(2048 - 'https://proxy.example/'.length - P.length)}`;
    assert.equal(buildPayexRequest(P, { token: TOKEN, apiBase }).url.length, 2048);
    fails(() => buildPayexRequest(T, { token: TOKEN, apiBase }), 'INVALID_URL');
  });

  it('an invalid path -> INVALID_FIELD (path)', () => {
    for (const path of ['', '/', `https://evil.example${P}`, `https://api.payex.com${P}`, `//evil.example${P}`, `${P}/..`,
      `/psp//creditcard/payments/${G1}`, `/psp/%2e%2e/payments/${G1}`, `${P}\\..`, `${P}?x=1`, `${P}#x`, ` ${P}`,
      `/psp/CreditCard/payments/${G1}`, `/psp/creditcard/payments/${G1.slice(1)}`, `${P}/refunds/${G2}`, `${P}/`]) {
      fails(() => buildPayexRequest(path, { token: TOKEN }), 'INVALID_FIELD', { field: 'path' });
    }
  });

  it('an empty or missing token -> INVALID_SECRET', () => {
    fails(() => buildPayexRequest(P, { token: '' }), 'INVALID_SECRET', { field: 'token' });
    fails(() => buildPayexRequest(P, { token: '', apiBase: 'http://127.0.0.1:1' }), 'INVALID_SECRET', { field: 'token' });
    fails(() => buildPayexRequest(P, {}), ['INVALID_SECRET', 'INVALID_FIELD'], { field: 'token' });
  });

  it('a token with a line break -> INVALID_SECRET (module doc), without echoing it', () => {
    fails(() => buildPayexRequest(P, { token: `${TOKEN}\r\nX-Evil: 1` }), 'INVALID_SECRET', { field: 'token' });
    fails(() => buildPayexRequest(P, { token: `${TOKEN}\n` }), 'INVALID_SECRET', { field: 'token' });
  });

  it('no message contains the token', () => {
    for (const call of [
      () => buildPayexRequest(`https://evil.example${P}`, { token: TOKEN }),
      () => buildPayexRequest(P, { token: TOKEN, apiBase: 'http://evil.example' }),
      () => buildPayexRequest(P, { token: TOKEN, apiBase: `https://x:${TOKEN}@api.payex.com` }),
      () => buildPayexRequest(P, { token: `${TOKEN}\n` }),
    ]) {
      fails(call, ['INVALID_FIELD', 'INSECURE_URL', 'INVALID_URL', 'INVALID_SECRET'], { hidden: [TOKEN] });
    }
  });

  for (const [what, v] of WRONG_TYPES) {
    it(`an argument that is ${what} -> PayhookError`, () => {
      fails(() => buildPayexRequest(v, { token: TOKEN }), 'INVALID_FIELD', { field: 'path' });
      if (v === undefined || v === null) {
        fails(() => buildPayexRequest(P, v), ['INVALID_FIELD', 'INVALID_SECRET']);
        fails(() => buildPayexRequest(P, { token: v }), ['INVALID_FIELD', 'INVALID_SECRET'], { field: 'token' });
      } else {
        // A plain object is options without the token.
        fails(() => buildPayexRequest(P, v), Object.getPrototypeOf(v) === Object.prototype ? 'INVALID_SECRET' : 'INVALID_FIELD');
        fails(() => buildPayexRequest(P, { token: v }), 'INVALID_FIELD', { field: 'token' });
        fails(() => buildPayexRequest(P, { token: TOKEN, apiBase: v }), 'INVALID_FIELD', { field: 'apiBase' });
      }
    });
  }

  describe('end to end against a local stand-in API', () => {
    const api = standIn();
    let base;
    before(async () => { base = await api.start(); });
    after(() => api.stop());

    it('callback -> request -> fetch: the stand-in gets exactly the GET path and the bearer token', async () => {
      const cb = parsePayexCallback(new Uint8Array(utf8(json(PAYEX.valid[0].body))));
      const paths = [cb.paymentUrl, cb.transactionUrl];
      const order = parsePayexCallback(json(PAYEX.valid[2].body));
      paths.push(order.paymentOrderUrl);
      for (const path of paths) {
        const req = buildPayexRequest(path, { token: TOKEN, apiBase: base });
        assert.equal(req.url, base + path);
        const res = await fetch(req.url, { method: req.method, headers: req.headers });
        assert.equal(res.status, 200);
        nodeAssert.deepEqual(await res.json(), { ok: true });
      }
      assert.deepEqual(api.received.map((r) => [r.method, r.url, r.headers.authorization, r.headers.host]), [
        ['GET', '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c', `Bearer ${TOKEN}`, base.slice('http://'.length)],
        ['GET', '/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c/transactions/5adc265f-f87f-4313-577e-08d3dca1a26d', `Bearer ${TOKEN}`, base.slice('http://'.length)],
        ['GET', '/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba', `Bearer ${TOKEN}`, base.slice('http://'.length)],
      ]);
    });

    it('with a path prefix in the base', async () => {
      api.received.length = 0;
      const cb = parsePayexCallback(json(PAYEX.valid[1].body));
      const req = buildPayexRequest(cb.transactionUrl, { token: TOKEN, apiBase: `${base}/stand-in/` });
      const res = await fetch(req.url, { method: req.method, headers: req.headers });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      assert.equal(api.received.length, 1);
      assert.equal(api.received[0].url, `/stand-in${PAYEX.valid[1].body.transaction.id}`);
      assert.equal(api.received[0].headers.authorization, `Bearer ${TOKEN}`);
    });
  });
});

// ================================================================== detached buffers

describe('a body whose buffer was transferred (detached) is a PayhookError, never a TypeError', () => {
  // E.g. the bytes were posted to a worker with `transfer`. The view then has length 0:
  // an empty body is not JSON, so MALFORMED_BODY ("never a TypeError from the glue code").
  const detachedView = () => {
    const ab = new ArrayBuffer(32);
    const u = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    assert.equal(u.length, 0);
    return u;
  };
  const detachedBuffer = () => {
    const ab = new ArrayBuffer(32);
    structuredClone(ab, { transfer: [ab] });
    assert.equal(ab.byteLength, 0);
    return ab;
  };
  for (const [name, fn] of [['parseSmartRouterWebhook', parseSmartRouterWebhook], ['parsePayexCallback', parsePayexCallback]]) {
    it(`${name}: a Uint8Array over a detached ArrayBuffer -> MALFORMED_BODY`, () => {
      fails(() => fn(detachedView()), 'MALFORMED_BODY');
    });
    it(`${name}: a detached ArrayBuffer -> MALFORMED_BODY`, () => {
      fails(() => fn(detachedBuffer()), 'MALFORMED_BODY');
    });
  }
});

// ================================================================== every code, per function

describe('every error code each function can raise is produced', () => {
  const table = {
    parseSmartRouterWebhook: {
      MALFORMED_BODY: () => parseSmartRouterWebhook('{"event_id":"a","event_id":"b"}'),
      PAYLOAD_TOO_LARGE: () => parseSmartRouterWebhook(' '.repeat(LIMIT + 1)),
      MISSING_FIELD: () => parseSmartRouterWebhook('{}'),
      INVALID_FIELD: () => parseSmartRouterWebhook('{"event_id":"a b"}'),
    },
    checkBasicAuth: {
      INVALID_SECRET: () => checkBasicAuth(null, '', PASS),
      INVALID_FIELD: () => checkBasicAuth(null, USER, 42),
    },
    buildBasicAuthWebhookUrl: {
      INVALID_FIELD: () => buildBasicAuthWebhookUrl(42, USER, PASS),
      INVALID_SECRET: () => buildBasicAuthWebhookUrl('https://shop.example/', USER, ''),
      INVALID_URL: () => buildBasicAuthWebhookUrl('https://a:b@shop.example/', USER, PASS),
      INSECURE_URL: () => buildBasicAuthWebhookUrl('http://shop.example/', USER, PASS),
    },
    buildSmartRouterEventRequest: {
      INVALID_FIELD: () => buildSmartRouterEventRequest('../x', { projectId: PROJECT, privateKey: PRIVATE_KEY }),
      INVALID_SECRET: () => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: '' }),
      INVALID_URL: () => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: PRIVATE_KEY, apiBase: 'nope' }),
      INSECURE_URL: () => buildSmartRouterEventRequest('ev_1', { projectId: PROJECT, privateKey: PRIVATE_KEY, apiBase: 'http://x.example' }),
    },
    parsePayexCallback: {
      MALFORMED_BODY: () => parsePayexCallback('[]'),
      PAYLOAD_TOO_LARGE: () => parsePayexCallback(new Uint8Array(LIMIT + 1)),
      MISSING_FIELD: () => parsePayexCallback('{}'),
      INVALID_FIELD: () => parsePayexCallback(json({ payment: `//evil.example${P}`, paymentNumber: 1 })),
    },
    buildPayexRequest: {
      INVALID_FIELD: () => buildPayexRequest('/psp/../x', { token: TOKEN }),
      INVALID_SECRET: () => buildPayexRequest(P, { token: '' }),
      INVALID_URL: () => buildPayexRequest(P, { token: TOKEN, apiBase: 'https://api.payex.com#x' }),
      INSECURE_URL: () => buildPayexRequest(P, { token: TOKEN, apiBase: 'http://api.payex.com' }),
    },
  };
  for (const [fn, codes] of Object.entries(table)) {
    for (const [code, call] of Object.entries(codes)) {
      it(`${fn}: ${code}`, () => {
        fails(call, code);
      });
    }
  }

  it('a PayhookError is an Error with a stack, and its fields are as documented', () => {
    const e = fails(() => parsePayexCallback('{}'), 'MISSING_FIELD', { field: 'payment' });
    assert.equal(typeof e.stack, 'string');
    assert.equal(Object.prototype.toString.call(e), '[object Error]');
    assert.ok(String(e).startsWith('PayhookError'));
  });

  it('the module stays usable after many errors in a row', () => {
    for (let i = 0; i < 200; i++) {
      assert.throws(() => parsePayexCallback(`{"payment":"${P}/..","paymentNumber":1}`), PayhookError);
      assert.throws(() => parseSmartRouterWebhook(' '.repeat(LIMIT + 1)), PayhookError);
      assert.throws(() => buildPayexRequest(P, { token: '' }), PayhookError);
    }
    assertStillWorks();
  });
});
