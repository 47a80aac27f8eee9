// The Fetch API functions (verifyHitpayRequest, verifyHitpayEventRequest,
// parseSmartRouterRequest, parsePayexRequest, parseHapiRequest) with Node's own
// `Request`: bodies given whole, as bytes, and streamed in chunks with no
// Content-Length; the limit holds while streaming (the stream is cancelled soon
// after the limit, not read to its end); a body already read is refused.
// Expected signatures come from node:crypto, written from the contract.
import { describe, it } from 'node:test';
import assert from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import {
  verifyHitpayRequest, verifyHitpayEventRequest, parseSmartRouterRequest, parsePayexRequest, parseHapiRequest,
  verifyHitpayWebhook, verifyHitpayEvent, parsePayexCallback, parseSmartRouterWebhook, PayhookError, ERROR_CODES,
  LIMITS,
} from 'payhook';
import { payhookErrorChecks, HEX_RUN, SIGNATURE_RUN } from './lib/assert.mjs';

const SALT = 'salt_for_tests_only';
const SECRET = 'callback-secret-for-tests';
const USER = 'sr-user';
const PASSWORD = 'p@ss:word/ä';
const { assertPayhookError } = payhookErrorChecks({
  secrets: [SALT, SECRET, PASSWORD], forbidden: [HEX_RUN, SIGNATURE_RUN],
});

/** Awaits `promise`, which must reject with a PayhookError of `code`; returns the error. */
async function rejects(promise, code, opts) {
  assert.ok(promise instanceof Promise, 'not a Promise');
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${code}, got a result`);
  assertPayhookError(error, code, opts);
  return error;
}

// ---------------------------------------------------------------- references, from the contract

function hitpaySign(fields, salt) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHmac('sha256', salt).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
}
const FIELDS = {
  payment_id: '9a1b2c3d-0000-4000-8000-000000000001',
  reference_number: 'ORDER 42/ä&x',
  amount: '2500.00',
  currency: 'SGD',
  status: 'completed',
};
const FORM = `${new URLSearchParams(FIELDS)}&hmac=${hitpaySign(FIELDS, SALT)}`;
const EVENT = JSON.stringify({ id: 'pr_1', status: 'completed', amount: 25.5, note: 'é' });
const EVENT_SIG = createHmac('sha256', SALT).update(EVENT).digest('hex');
const GUID = '5adc265f-f87f-4313-577e-08d3dca1a26c';
const TX = '2b3c1ad1-1111-4a4a-9b9b-0123456789ab';
const PAYEX = JSON.stringify({
  payment: `/psp/creditcard/payments/${GUID}`, paymentNumber: 1234,
  transaction: `/psp/creditcard/payments/${GUID}/captures/${TX}`, transactionNumber: 5678,
});
const SR = JSON.stringify({ event_id: 'ev_1aB-2', event_type: 'transaction.captured' });
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const utf8 = (s) => new TextEncoder().encode(s);

/**
 * A body stream that hands out `chunks` (then ends), or `filler` forever when
 * given one; it counts what was pulled and whether it was cancelled.
 */
function counted({ chunks = [], filler, failAt } = {}) {
  const state = { pulled: 0, bytes: 0, cancelled: false };
  let i = 0;
  state.stream = new ReadableStream({
    pull(controller) {
      if (failAt !== undefined && i === failAt) {
        controller.error(new Error('connection reset'));
        return;
      }
      const chunk = i < chunks.length ? chunks[i] : filler;
      i += 1;
      if (chunk === undefined) {
        controller.close();
        return;
      }
      state.pulled += 1;
      state.bytes += chunk.length;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return state;
}

/** A POST Request whose body is the stream (no Content-Length: Node sends it chunked). */
function streamed(stream, headers = {}, url = 'https://shop.example/webhooks') {
  return new Request(url, { method: 'POST', body: stream, duplex: 'half', headers });
}

/** `text` cut into `n`-byte chunks (cutting multi-byte characters too). */
function chunksOf(text, n) {
  const bytes = utf8(text);
  const out = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.slice(i, i + n));
  return out;
}

const post = (body, headers = {}, url = 'https://shop.example/webhooks') => new Request(url, { method: 'POST', body, headers });

// ---------------------------------------------------------------- the shared reading rules

// Each function that reads a body, with a request maker for a valid body, its limit,
// and what it must return.
const READERS = [
  {
    name: 'verifyHitpayRequest',
    call: (r) => verifyHitpayRequest(r, SALT),
    body: FORM,
    limit: LIMITS.FORM_BODY,
    expected: () => verifyHitpayWebhook(FORM, SALT),
  },
  {
    name: 'verifyHitpayEventRequest',
    call: (r) => verifyHitpayEventRequest(r, SALT),
    body: EVENT,
    headers: { 'hitpay-signature': EVENT_SIG },
    limit: LIMITS.EVENT_BODY,
    expected: () => ({ eventType: null, eventObject: null, payload: verifyHitpayEvent(EVENT, EVENT_SIG, SALT) }),
  },
  {
    name: 'parseSmartRouterRequest',
    call: (r) => parseSmartRouterRequest(r, { username: USER, password: PASSWORD }),
    body: SR,
    headers: { authorization: basic(USER, PASSWORD) },
    limit: LIMITS.FORM_BODY,
    expected: () => parseSmartRouterWebhook(SR),
  },
  {
    name: 'parsePayexRequest',
    call: (r) => parsePayexRequest(r),
    body: PAYEX,
    limit: LIMITS.FORM_BODY,
    expected: () => parsePayexCallback(PAYEX),
  },
];

describe('reading the body of a Fetch API Request', () => {
  it('the limits are the contract\'s: 64 KiB for forms and Smart Router/PayEx JSON, 1 MiB for HitPay events', () => {
    assert.equal(LIMITS.FORM_BODY, 64 * 1024);
    assert.equal(LIMITS.EVENT_BODY, 1024 * 1024);
  });

  for (const r of READERS) {
    describe(r.name, () => {
      it('a string body: the same result as the function it is named after', async () => {
        const got = await r.call(post(r.body, r.headers));
        assert.deepEqual(got, r.expected());
      });

      it('a Uint8Array body', async () => {
        assert.deepEqual(await r.call(post(utf8(r.body), r.headers)), r.expected());
      });

      it('streamed in 3-byte chunks with no Content-Length (UTF-8 characters cut between chunks)', async () => {
        const s = counted({ chunks: chunksOf(r.body, 3) });
        const request = streamed(s.stream, r.headers);
        assert.equal(request.headers.get('content-length'), null);
        assert.deepEqual(await r.call(request), r.expected());
        assert.equal(s.bytes, utf8(r.body).length);
        assert.equal(request.bodyUsed, true);
      });

      it('a body of exactly the limit is read (and judged on its content, not its size)', async () => {
        const padded = `${r.body}${' '.repeat(r.limit - utf8(r.body).length)}`;
        const s = counted({ chunks: chunksOf(padded, 4096) });
        let code;
        try {
          await r.call(streamed(s.stream, r.headers));
        } catch (e) {
          code = e.code;
        }
        assert.notEqual(code, 'PAYLOAD_TOO_LARGE');
        assert.equal(s.bytes, r.limit);
      });

      it('one byte over the limit, streamed: PAYLOAD_TOO_LARGE', async () => {
        const s = counted({ chunks: [...chunksOf('x'.repeat(r.limit), 4096), utf8('x')] });
        await rejects(r.call(streamed(s.stream, r.headers)), 'PAYLOAD_TOO_LARGE');
        assert.equal(s.cancelled, true);
      });

      it('an endless body with no Content-Length: refused soon after the limit, and the stream cancelled', async () => {
        const s = counted({ filler: new Uint8Array(1024).fill(0x61) });
        const err = await rejects(r.call(streamed(s.stream, r.headers)), 'PAYLOAD_TOO_LARGE');
        assert.match(err.message, new RegExp(`limit of ${r.limit} bytes`));
        assert.equal(s.cancelled, true);
        assert.ok(s.bytes > r.limit, `read ${s.bytes}`);
        assert.ok(s.bytes <= r.limit + 1024, `read ${s.bytes} bytes for a limit of ${r.limit}`);
      });

      it('a Content-Length over the limit: refused before the body is read', async () => {
        const s = counted({ filler: new Uint8Array(1024) });
        const request = streamed(s.stream, { ...r.headers, 'content-length': String(r.limit + 1) });
        await rejects(r.call(request), 'PAYLOAD_TOO_LARGE');
        assert.ok(s.bytes <= 1024, `read ${s.bytes} bytes`);
        assert.equal(s.cancelled, true);
      });

      it('a body already read: INVALID_FIELD (field request)', async () => {
        const request = post(r.body, r.headers);
        await request.text();
        const err = await rejects(r.call(request), 'INVALID_FIELD', { field: 'request' });
        assert.match(err.message, /already been read/);
      });

      it('a body being read by someone else (a locked stream): INVALID_FIELD (field request)', async () => {
        const request = post(r.body, r.headers);
        const reader = request.body.getReader();
        await rejects(r.call(request), 'INVALID_FIELD', { field: 'request' });
        reader.releaseLock();
      });

      it('a stream that fails midway (the client went away): MALFORMED_BODY, with the cause', async () => {
        const s = counted({ chunks: chunksOf(r.body, 2), failAt: 2 });
        const err = await rejects(r.call(streamed(s.stream, r.headers)), 'MALFORMED_BODY');
        assert.equal(err.cause?.message, 'connection reset');
      });

      for (const [what, value] of [
        ['undefined', undefined], ['null', null], ['a string', 'https://shop.example/'], ['a plain object', {}],
        ['an Express-like request', { method: 'POST', url: '/webhooks', headers: { 'content-type': 'x' }, body: {} }],
        ['a Response', new Response('x')],
      ]) {
        it(`${what} instead of a Request: a rejected promise, INVALID_FIELD (field request)`, async () => {
          await rejects(r.call(value), 'INVALID_FIELD', { field: 'request' });
        });
      }
    });
  }
});

// ---------------------------------------------------------------- each function

describe('verifyHitpayRequest', () => {
  it('a tampered body: SIGNATURE_MISMATCH', async () => {
    await rejects(verifyHitpayRequest(post(FORM.replace('2500.00', '2500.01')), SALT), 'SIGNATURE_MISMATCH');
  });

  it('a salt of the wrong type is refused before the body is read', async () => {
    const request = post(FORM);
    await rejects(verifyHitpayRequest(request, 42), 'INVALID_FIELD', { field: 'salt' });
    assert.equal(request.bodyUsed, false);
  });

  it('an empty salt: INVALID_SECRET', async () => {
    await rejects(verifyHitpayRequest(post(FORM), ''), 'INVALID_SECRET');
  });

  it('an empty body (no body at all): MISSING_SIGNATURE', async () => {
    await rejects(verifyHitpayRequest(new Request('https://shop.example/', { method: 'POST' }), SALT), 'MISSING_SIGNATURE');
  });

  it('options reach verifyHitpayWebhook: strict refuses a field outside HitPay\'s webhook fields', async () => {
    const fields = { ...FIELDS, payment_id: '9a1b2c3d-0000-4000-8000-000000000001', extra: 'x' };
    const body = `${new URLSearchParams(fields)}&hmac=${hitpaySign(fields, SALT)}`;
    assert.equal((await verifyHitpayRequest(post(body), SALT)).fields.extra, 'x');
    await rejects(verifyHitpayRequest(post(body), SALT, { strict: true }), 'INVALID_FIELD', { field: 'extra' });
  });

  it('a Request subclass (as Next.js and other frameworks hand one) works', async () => {
    class NextLikeRequest extends Request {}
    const got = await verifyHitpayRequest(new NextLikeRequest('https://shop.example/', { method: 'POST', body: FORM }), SALT);
    assert.equal(got.amount, '2500.00');
    assert.equal(got.referenceNumber, 'ORDER 42/ä&x');
  });
});

describe('verifyHitpayEventRequest', () => {
  const headers = {
    'Hitpay-Signature': EVENT_SIG, 'Hitpay-Event-Type': 'completed', 'Hitpay-Event-Object': 'payment_request',
    'content-type': 'application/json',
  };

  it('returns the event type and object headers and the verified payload', async () => {
    const got = await verifyHitpayEventRequest(post(EVENT, headers), SALT);
    assert.deepEqual(got, { eventType: 'completed', eventObject: 'payment_request', payload: JSON.parse(EVENT) });
  });

  it('the header names are case-insensitive', async () => {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal((await verifyHitpayEventRequest(post(EVENT, lower), SALT)).eventType, 'completed');
  });

  it('no Hitpay-Signature: MISSING_SIGNATURE', async () => {
    const { 'Hitpay-Signature': _, ...rest } = headers;
    await rejects(verifyHitpayEventRequest(post(EVENT, rest), SALT), 'MISSING_SIGNATURE');
  });

  it('a body changed by one byte: SIGNATURE_MISMATCH', async () => {
    await rejects(verifyHitpayEventRequest(post(EVENT.replace('25.5', '26.5'), headers), SALT), 'SIGNATURE_MISMATCH');
  });

  it('the signature of another salt: SIGNATURE_MISMATCH', async () => {
    await rejects(verifyHitpayEventRequest(post(EVENT, headers), `${SALT}x`), 'SIGNATURE_MISMATCH');
  });
});

describe('parseSmartRouterRequest', () => {
  const ok = { username: USER, password: PASSWORD };

  for (const [what, header] of [
    ['no Authorization header', undefined],
    ['a wrong password', basic(USER, `${PASSWORD}x`)],
    ['a wrong user', basic(`${USER}x`, PASSWORD)],
    ['a Bearer token', 'Bearer abc'],
    ['malformed base64', 'Basic !!!'],
  ]) {
    it(`${what}: UNAUTHORIZED, and the body is not read`, async () => {
      const s = counted({ chunks: chunksOf(SR, 4) });
      const err = await rejects(
        parseSmartRouterRequest(streamed(s.stream, header === undefined ? {} : { authorization: header }), ok),
        'UNAUTHORIZED', { field: 'Authorization' });
      assert.ok(s.bytes === 0, `read ${s.bytes} bytes`);
      assert.ok(!err.message.includes(USER));
    });
  }

  it('the Basic scheme in any case, with several spaces', async () => {
    const header = basic(USER, PASSWORD).replace('Basic ', 'bAsIc   ');
    assert.deepEqual(await parseSmartRouterRequest(post(SR, { authorization: header }), ok), parseSmartRouterWebhook(SR));
  });

  for (const [what, credentials] of [
    ['no credentials', undefined],
    ['an empty username', { username: '', password: PASSWORD }],
    ['no password', { username: USER }],
  ]) {
    it(`${what}: INVALID_SECRET`, async () => {
      await rejects(parseSmartRouterRequest(post(SR, { authorization: basic(USER, PASSWORD) }), credentials), 'INVALID_SECRET');
    });
  }

  it('a GET webhook: the event from the query, no body read', async () => {
    const url = 'https://shop.example/webhooks/smart-router?event_id=ev_1aB-2&event_type=transaction.captured';
    const request = new Request(url, { headers: { authorization: basic(USER, PASSWORD) } });
    assert.deepEqual(await parseSmartRouterRequest(request, ok), { eventId: 'ev_1aB-2', eventType: 'transaction.captured' });
    const head = new Request(url, { method: 'HEAD', headers: { authorization: basic(USER, PASSWORD) } });
    assert.equal((await parseSmartRouterRequest(head, ok)).eventId, 'ev_1aB-2');
  });

  it('a GET webhook with wrong credentials: UNAUTHORIZED; without event_id: MISSING_FIELD', async () => {
    const url = 'https://shop.example/webhooks/smart-router?event_id=ev_1';
    await rejects(parseSmartRouterRequest(new Request(url, { headers: { authorization: basic(USER, 'x') } }), ok), 'UNAUTHORIZED');
    await rejects(parseSmartRouterRequest(new Request('https://shop.example/w?event_type=x', { headers: { authorization: basic(USER, PASSWORD) } }), ok),
      'MISSING_FIELD', { field: 'event_id' });
  });

  it('an event id that is not one: INVALID_FIELD (after authentication)', async () => {
    await rejects(parseSmartRouterRequest(post('{"event_id":"a b"}', { authorization: basic(USER, PASSWORD) }), ok), 'INVALID_FIELD', { field: 'event_id' });
  });
});

describe('parsePayexRequest', () => {
  it('not JSON: MALFORMED_BODY', async () => {
    await rejects(parsePayexRequest(post('payment=x')), 'MALFORMED_BODY');
  });

  it('a path to another host: INVALID_FIELD', async () => {
    const foreign = PAYEX.replace(`"/psp/creditcard/payments/${GUID}"`, `"https://evil.example/psp/creditcard/payments/${GUID}"`);
    await rejects(parsePayexRequest(post(foreign)), 'INVALID_FIELD');
  });
});

describe('parseHapiRequest', () => {
  // The contract's message: the path, `?`, the query pairs other than sig and the
  // ignored keys, re-serialised as URLSearchParams does; base64url, no padding.
  function signUrl(url, secret) {
    const u = new URL(url);
    const pairs = new URLSearchParams([...u.searchParams].filter(([k]) => !['draftCampaignId', 'amount', 'walletId'].includes(k)));
    const sig = createHmac('sha256', secret).update(`${u.pathname}?${pairs}`).digest('base64url');
    u.searchParams.append('sig', sig);
    return u.href;
  }
  const EXP = 2_000_000_000;
  const signed = signUrl(`https://ats.example/webhooks/hapi?orderId=o-1&exp=${EXP}`, SECRET);
  const called = (extra) => `${signed}&${extra}`;

  it('a wallet top-up: HAPI\'s keys appended after signing are parsed, the signed ones returned', async () => {
    const request = new Request(called('amount=25.00&walletId=w-9'), { method: 'POST', body: 'ignored' });
    const got = await parseHapiRequest(request, SECRET, { now: EXP - 1 });
    assert.deepEqual(got, {
      kind: 'walletTopUp', amount: '25.00', walletId: 'w-9', params: { orderId: 'o-1', exp: String(EXP), sig: got.params.sig },
      signed: { orderId: 'o-1' },
    });
    assert.equal(request.bodyUsed, false, 'the body is not read');
  });

  it('a direct charge: draftCampaignId', async () => {
    const got = await parseHapiRequest(new Request(called('draftCampaignId=d-1&amount=10&walletId=w-9')), SECRET, { now: EXP });
    assert.equal(got.kind, 'directChargeCampaignOrder');
    assert.equal(got.draftCampaignId, 'd-1');
    assert.deepEqual(got.signed, { orderId: 'o-1' });
  });

  it('a changed signed parameter: SIGNATURE_MISMATCH', async () => {
    const url = called('amount=1&walletId=w').replace('orderId=o-1', 'orderId=o-2');
    await rejects(parseHapiRequest(new Request(url), SECRET, { now: EXP }), 'SIGNATURE_MISMATCH');
  });

  it('past exp: EXPIRED', async () => {
    await rejects(parseHapiRequest(new Request(called('amount=1&walletId=w')), SECRET, { now: EXP + 1 }), 'EXPIRED');
  });

  it('no sig: MISSING_SIGNATURE', async () => {
    await rejects(parseHapiRequest(new Request('https://ats.example/webhooks/hapi?amount=1&walletId=w'), SECRET), 'MISSING_SIGNATURE');
  });

  it('signed but without HAPI\'s amount: MISSING_FIELD', async () => {
    await rejects(parseHapiRequest(new Request(called('walletId=w')), SECRET, { now: EXP }), 'MISSING_FIELD', { field: 'amount' });
  });

  it('a body already read does not matter (the body is not used)', async () => {
    const request = new Request(called('amount=1&walletId=w'), { method: 'POST', body: '{}' });
    await request.text();
    assert.equal((await parseHapiRequest(request, SECRET, { now: EXP })).amount, '1');
  });

  it('now of the wrong type: INVALID_FIELD', async () => {
    await rejects(parseHapiRequest(new Request(called('amount=1&walletId=w')), SECRET, { now: '1' }), 'INVALID_FIELD');
  });
});

// ---------------------------------------------------------------- errors

describe('UNAUTHORIZED and bodies of the wrong type', () => {
  it('UNAUTHORIZED is one of ERROR_CODES', () => {
    assert.ok(ERROR_CODES.includes('UNAUTHORIZED'));
  });

  for (const [what, value] of [
    ['express.urlencoded()\'s object', { ...FIELDS, hmac: '0'.repeat(64) }],
    ['express.json()\'s array', [1]],
  ]) {
    it(`${what} as a body: MALFORMED_BODY saying to pass the raw body with express.raw()`, () => {
      try {
        verifyHitpayWebhook(value, SALT);
        assert.fail('no error');
      } catch (err) {
        assertPayhookError(err, 'MALFORMED_BODY');
        assert.match(err.message, /raw body/);
        assert.match(err.message, /express\.raw\(/);
      }
    });
  }

  it('a Request as a body: MALFORMED_BODY naming the Request functions', () => {
    assert.throws(() => verifyHitpayWebhook(post(FORM), SALT), (err) => err instanceof PayhookError
      && err.code === 'MALFORMED_BODY' && /verifyHitpayRequest/.test(err.message));
  });

  it('undefined as a body reads "not undefined", not "not a undefined"', () => {
    assert.throws(() => verifyHitpayWebhook(undefined, SALT), (err) => err.code === 'MALFORMED_BODY'
      && /not undefined/.test(err.message) && !/a undefined/.test(err.message));
  });
});
