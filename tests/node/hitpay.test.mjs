// The HitPay functions of the package as users import them ('payhook', resolved through
// the `node` export condition). Expected values come from the contract
// (/work/shared/api.md), from tests/vectors/hitpay.json (computed with Python's hmac by
// tests/vectors/gen_hitpay.py) and from node:crypto here; never from payhook itself.
import { describe, it } from 'node:test';
import assert from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  PayhookError,
  verifyHitpayWebhook,
  HitpayVerifier,
  signHitpayWebhook,
  verifyHitpayEvent,
  buildHitpayPaymentRequest,
  parseHitpayRedirect,
} from 'payhook';
import { payhookErrorChecks, HEX_RUN } from './lib/assert.mjs';
import { expectedWebhook } from './lib/hitpay-reference.mjs';

const V = JSON.parse(readFileSync(new URL('../vectors/hitpay.json', import.meta.url), 'utf8'));
const SALT = 'salt_for_tests_only';
const API_KEY = 'hp_test_4pI-k3y_0123456789';
const KiB = 1024;
const MiB = 1024 * KiB;

// ------------------------------------------------------------------ helpers

const utf8 = (s) => Buffer.from(s, 'utf8');
const hmacHex = (salt, message) => createHmac('sha256', utf8(salt)).update(message).digest('hex');

/** HitPay's webhook rule, written here from the contract, not taken from payhook. */
function canonical(fields) {
  return Object.keys(fields)
    .filter((k) => k !== 'hmac')
    .sort((a, b) => Buffer.compare(utf8(a), utf8(b)))
    .map((k) => k + fields[k])
    .join('');
}
const signFields = (fields, salt) => hmacHex(salt, utf8(canonical(fields)));

/** A case's body: its text, or its bytes when it has `body_hex`. */
const bodyOf = (c) => (c.body_hex !== undefined ? new Uint8Array(Buffer.from(c.body_hex, 'hex')) : c.body);
const bytesOf = (c) => (c.body_hex !== undefined ? Buffer.from(c.body_hex, 'hex') : utf8(c.body));

/** The same bytes as a string (when UTF-8), a Buffer, a plain Uint8Array, an ArrayBuffer and a view at an offset. */
function bodyForms(c) {
  const bytes = bytesOf(c);
  const forms = [];
  if (c.body !== undefined) forms.push(['string', c.body]);
  forms.push(['Buffer', Buffer.from(bytes)]);
  forms.push(['Uint8Array', new Uint8Array(bytes)]);
  const ab = new ArrayBuffer(bytes.length);
  new Uint8Array(ab).set(bytes);
  forms.push(['ArrayBuffer', ab]);
  const big = new Uint8Array(bytes.length + 13);
  big.fill(0x26); // '&' around it: a view that ignored its offset would read these
  big.set(bytes, 7);
  forms.push(['Uint8Array view at an offset', big.subarray(7, 7 + bytes.length)]);
  return forms;
}

// Every secret this file uses: no error message may contain one.
const SECRETS = new Set([SALT, API_KEY, 'another-salt-value', 'verifier-salt-2']);
for (const c of [...V.webhooks, ...V.events, ...V.invalid, ...V.invalid_events]) {
  if (c.salt.trim().length >= 6) SECRETS.add(c.salt.trim());
}

const GOOD = V.webhooks.find((c) => c.body !== undefined && c.name.startsWith('HitPay documentation'));
/** The module keeps working: a known-good call after every error. */
function assertStillWorks() {
  assert.deepEqual(verifyHitpayWebhook(GOOD.body, GOOD.salt), expectedWebhook(GOOD.fields));
}

// fails(fn, code, { field, hidden }): no message may hold a secret or 16+ hex digits.
const { fails } = payhookErrorChecks({ secrets: SECRETS, forbidden: [HEX_RUN], stillWorks: assertStillWorks });

const WRONG_TYPES = [
  ['a number', 42],
  ['undefined', undefined],
  ['null', null],
  ['an object', { a: 1 }],
  ['an array', ['a=1']],
];

// A signed form body of exactly `bytes` UTF-8 bytes, padded with `pad` (1 or 2 bytes).
function signedFormBody(bytes, pad = 'a', salt = SALT) {
  const fixed = 'k='.length + '&hmac='.length + 64;
  const padBytes = utf8(pad).length;
  let value = pad.repeat(Math.floor((bytes - fixed) / padBytes));
  value += 'a'.repeat(bytes - fixed - utf8(value).length);
  const body = `k=${value}&hmac=${signFields({ k: value }, salt)}`;
  assert.equal(utf8(body).length, bytes);
  return body;
}

// A signed JSON event body of exactly `bytes` UTF-8 bytes.
function signedEvent(bytes, pad = 'x', salt = SALT) {
  const fixed = '{"a":""}'.length;
  const padBytes = utf8(pad).length;
  let value = pad.repeat(Math.floor((bytes - fixed) / padBytes));
  value += 'x'.repeat(bytes - fixed - utf8(value).length);
  const body = `{"a":"${value}"}`;
  assert.equal(utf8(body).length, bytes);
  return { body, signature: hmacHex(salt, utf8(body)) };
}

// ------------------------------------------------------------------ the vector file

describe('tests/vectors/hitpay.json, cross-checked with node:crypto', () => {
  it('has cases in every section', () => {
    assert.ok(V.webhooks.length >= 15);
    assert.ok(V.events.length >= 5);
    assert.ok(V.invalid.length >= 30);
    assert.ok(V.invalid_events.length >= 20);
  });

  for (const c of V.webhooks) {
    it(`webhook: ${c.name}`, () => {
      assert.equal(canonical(c.fields), c.canonical);
      assert.equal(hmacHex(c.salt, utf8(c.canonical)), c.hmac);
      assert.match(c.hmac, /^[0-9a-f]{64}$/);
      if (c.body !== undefined) {
        const sent = new URLSearchParams(c.body).get('hmac');
        assert.equal(sent.toLowerCase(), c.hmac);
      }
    });
  }

  for (const c of V.events) {
    it(`event: ${c.name}`, () => {
      assert.equal(hmacHex(c.salt, bytesOf(c)), c.signature.toLowerCase());
      // A header variant carries the same hex, with only a sha256= prefix and white space added.
      if (c.header !== undefined) assert.equal(c.header.trim().replace(/^sha256=/i, '').toLowerCase(), c.signature.toLowerCase());
    });
  }

  it('invalid events with MALFORMED_BODY are correctly signed (so the body is what fails)', () => {
    for (const c of V.invalid_events.filter((x) => x.code === 'MALFORMED_BODY')) {
      assert.equal(hmacHex(c.salt, bytesOf(c)), c.signature, c.name);
    }
  });

  it('the UTF-16 ordering case really differs from UTF-8 byte order', () => {
    const keys = ['\uFF61', '\u{1F600}'];
    assert.deepEqual([...keys].sort(), ['\u{1F600}', '\uFF61']); // JS: UTF-16 code units
    assert.deepEqual([...keys].sort((a, b) => Buffer.compare(utf8(a), utf8(b))), ['\uFF61', '\u{1F600}']);
    assert.ok(V.webhooks.some((c) => c.canonical.indexOf('\uFF61') < c.canonical.indexOf('\u{1F600}') && c.canonical.includes('\uFF61')));
  });
});

// ------------------------------------------------------------------ verifyHitpayWebhook

describe('verifyHitpayWebhook', () => {
  describe('valid vectors: result fields and camelCase mirrors exactly', () => {
    for (const c of V.webhooks.filter((x) => x.body !== undefined)) {
      it(c.name, () => {
        const expected = expectedWebhook(c.fields);
        for (const [form, body] of bodyForms(c)) {
          const got = verifyHitpayWebhook(body, c.salt);
          assert.deepEqual(got, expected, form);
          assert.equal(Object.getPrototypeOf(got), null, form); // prototype-free (issue 14)
          assert.equal(Object.getPrototypeOf(got.fields), null, form); // prototype-free (issue 14)
          assert.ok(!Object.prototype.hasOwnProperty.call(got.fields, 'hmac'), form);
        }
      });
    }
  });

  describe('invalid vectors: the error code', () => {
    for (const c of V.invalid) {
      it(`${c.code}: ${c.name}`, () => {
        const sent = new URLSearchParams(c.body ?? '').get('hmac');
        for (const [form, body] of bodyForms(c)) {
          const err = fails(() => verifyHitpayWebhook(body, c.salt), c.code, {
            field: c.field,
            hidden: [c.salt, sent].filter((s) => s && s.length >= 6),
          });
          assert.ok(err, form);
        }
      });
    }
  });

  it('is not fooled by Object.prototype names, and leaves Object.prototype alone', () => {
    const body = `__proto__=p&constructor=c&toString=t&hmac=${hmacHex(SALT, utf8('__proto__pconstructorctoStringt'))}`;
    const got = verifyHitpayWebhook(body, SALT);
    assert.deepEqual(Object.keys(got.fields).sort(), ['__proto__', 'constructor', 'toString']);
    assert.equal(Object.getOwnPropertyDescriptor(got.fields, '__proto__').value, 'p');
    assert.equal(got.fields.constructor, 'c');
    assert.equal(Object.getPrototypeOf(got.fields), null); // prototype-free (issue 14)
    assert.equal({}.p, undefined);
  });

  describe('bytes', () => {
    it('verifies raw (not percent-encoded) UTF-8 bytes in a Uint8Array', () => {
      const value = 'Zoë 😀 ｡';
      const body = new Uint8Array(utf8(`name=${value}&hmac=${hmacHex(SALT, utf8(`name${value}`))}`));
      assert.deepEqual(verifyHitpayWebhook(body, SALT), { fields: { name: value } });
    });

    it('refuses a raw 0xFF byte (not UTF-8) with MALFORMED_BODY', () => {
      const sig = hmacHex(SALT, utf8('a'));
      const body = new Uint8Array([...utf8('a='), 0xff, ...utf8(`&hmac=${sig}`)]);
      fails(() => verifyHitpayWebhook(body, SALT), 'MALFORMED_BODY', { hidden: [sig] });
      fails(() => verifyHitpayWebhook(body.buffer, SALT), 'MALFORMED_BODY', { hidden: [sig] });
    });

    it('reads an ArrayBuffer as its bytes', () => {
      const fields = { amount: '1.00', status: 'completed' };
      const bytes = utf8(`amount=1.00&status=completed&hmac=${signFields(fields, SALT)}`);
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      assert.deepEqual(verifyHitpayWebhook(ab, SALT), { amount: '1.00', status: 'completed', fields });
    });

    it('gives the same result for a string and its UTF-8 bytes', () => {
      for (const c of V.webhooks.filter((x) => x.body !== undefined)) {
        assert.deepEqual(verifyHitpayWebhook(c.body, c.salt), verifyHitpayWebhook(utf8(c.body), c.salt), c.name);
      }
    });

    it('does not modify the bytes it is given', () => {
      const copy = Buffer.from(GOOD.body);
      const bytes = Buffer.from(GOOD.body);
      verifyHitpayWebhook(bytes, GOOD.salt);
      assert.deepEqual(bytes, copy);
    });
  });

  describe('size limit: 64 KiB, in bytes, checked first', () => {
    it('reads a body of exactly 64 KiB (and verifies it)', () => {
      for (const pad of ['a', 'é']) {
        const body = signedFormBody(64 * KiB, pad);
        const got = verifyHitpayWebhook(body, SALT);
        assert.equal(got.fields.k.length > 30000, true);
        assert.deepEqual(verifyHitpayWebhook(utf8(body), SALT), got);
      }
    });

    it('refuses 64 KiB + 1 as a string, Uint8Array and ArrayBuffer', () => {
      const body = signedFormBody(64 * KiB + 1);
      fails(() => verifyHitpayWebhook(body, SALT), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayWebhook(utf8(body), SALT), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayWebhook(new Uint8Array(utf8(body)).buffer, SALT), 'PAYLOAD_TOO_LARGE');
    });

    it('counts UTF-8 bytes, not UTF-16 units (30000 × "é" plus padding)', () => {
      const body = signedFormBody(64 * KiB + 1, 'é');
      assert.ok(body.length < 64 * KiB, 'UTF-16 length under the limit');
      assert.ok(body.startsWith('k=' + 'é'.repeat(30000)));
      fails(() => verifyHitpayWebhook(body, SALT), 'PAYLOAD_TOO_LARGE');
    });

    it('checks the size before the salt and the rest of the body', () => {
      const big = `=x&${'a'.repeat(64 * KiB)}`;
      fails(() => verifyHitpayWebhook(big, ''), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayWebhook(big, 42), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayWebhook(utf8(big), SALT), 'PAYLOAD_TOO_LARGE');
    });

    it('refuses an over-limit string with PAYLOAD_TOO_LARGE even when it holds a lone surrogate', () => {
      fails(() => verifyHitpayWebhook('\uD800' + 'a'.repeat(64 * KiB), SALT), 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('errors raised by verifyHitpayWebhook', () => {
    const body = `payment_id=p1&amount=1.00&hmac=${signFields({ payment_id: 'p1', amount: '1.00' }, SALT)}`;
    const cases = [
      ['MALFORMED_BODY', 'a=%zz&hmac=00', SALT, undefined],
      ['PAYLOAD_TOO_LARGE', 'a'.repeat(64 * KiB + 1), SALT, undefined],
      ['DUPLICATE_FIELD', 'a=1&a=1&hmac=00', SALT, 'a'],
      ['MISSING_SIGNATURE', 'a=1', SALT, 'hmac'],
      ['MALFORMED_SIGNATURE', 'a=1&hmac=xyz', SALT, 'hmac'],
      ['SIGNATURE_MISMATCH', body.replace('1.00', '2.00'), SALT, undefined],
      ['INVALID_SECRET', body, '', undefined],
    ];
    for (const [code, b, salt, field] of cases) {
      it(`${code}${field ? ` (field ${field})` : ''}`, () => {
        fails(() => verifyHitpayWebhook(b, salt), code, { field });
      });
    }

    it('DUPLICATE_FIELD names the whole decoded key, whatever characters it holds', () => {
      for (const [encoded, key] of [['a%0Ab', 'a\nb'], ['a%1Fb', 'a\u001fb'], ['%C3%A4+x', 'ä x']]) {
        const err = fails(() => verifyHitpayWebhook(`${encoded}=1&${encoded}=2&hmac=${'0'.repeat(64)}`, SALT), 'DUPLICATE_FIELD', { field: key });
        assert.match(err.message, /^field /, JSON.stringify(err.message));
      }
    });

    it('a mismatch message holds neither the received nor the expected hmac, nor the salt', () => {
      const fields = { payment_id: 'p1', amount: '2.00' };
      const expected = signFields(fields, SALT);
      const received = signFields({ payment_id: 'p1', amount: '1.00' }, SALT);
      const err = fails(() => verifyHitpayWebhook(`payment_id=p1&amount=2.00&hmac=${received}`, SALT), 'SIGNATURE_MISMATCH', {
        hidden: [expected, received, expected.toUpperCase(), received.slice(0, 8), expected.slice(0, 8), SALT],
      });
      assert.ok(!JSON.stringify({ ...err }).includes(SALT));
      assert.ok(!String(err.stack).includes(received));
    });
  });

  describe('wrong-typed arguments throw PayhookError, never TypeError', () => {
    for (const [what, value] of [...WRONG_TYPES, ['a boolean', true], ['a Uint16Array', new Uint16Array(4)], ['a DataView', new DataView(new ArrayBuffer(4))]]) {
      it(`body: ${what} -> MALFORMED_BODY`, () => fails(() => verifyHitpayWebhook(value, SALT), 'MALFORMED_BODY'));
    }
    for (const [what, value] of WRONG_TYPES) {
      it(`salt: ${what} -> INVALID_FIELD`, () => fails(() => verifyHitpayWebhook(GOOD.body, value), 'INVALID_FIELD', { field: 'salt' }));
    }
    it('no arguments at all -> MALFORMED_BODY', () => fails(() => verifyHitpayWebhook(), 'MALFORMED_BODY'));
  });

  describe('strings with a lone surrogate', () => {
    it('in the body -> MALFORMED_BODY', () => {
      fails(() => verifyHitpayWebhook(`a=\uD800&hmac=${'0'.repeat(64)}`, SALT), 'MALFORMED_BODY');
      fails(() => verifyHitpayWebhook(`\uDC00=1&hmac=${'0'.repeat(64)}`, SALT), 'MALFORMED_BODY');
    });
    it('in the salt -> INVALID_SECRET or INVALID_FIELD', () => {
      fails(() => verifyHitpayWebhook(GOOD.body, 'salt\uD83D'), ['INVALID_SECRET', 'INVALID_FIELD']);
    });
    it('a well-formed surrogate pair is fine', () => {
      const body = `e=\u{1F600}&hmac=${hmacHex(SALT, utf8('e\u{1F600}'))}`;
      assert.deepEqual(verifyHitpayWebhook(body, SALT), { fields: { e: '\u{1F600}' } });
    });
  });
});

// ------------------------------------------------------------------ HitpayVerifier

describe('HitpayVerifier', () => {
  it('gives what verifyHitpayWebhook gives, for every valid vector and body form', () => {
    const verifiers = new Map();
    for (const c of V.webhooks.filter((x) => x.body !== undefined)) {
      if (!verifiers.has(c.salt)) verifiers.set(c.salt, new HitpayVerifier(c.salt));
      const verifier = verifiers.get(c.salt);
      for (const [form, body] of bodyForms(c)) {
        const got = verifier.verify(body);
        assert.deepEqual(got, verifyHitpayWebhook(body, c.salt), `${c.name} (${form})`);
        assert.deepEqual(got, expectedWebhook(c.fields), `${c.name} (${form})`);
      }
    }
  });

  it('gives the same error code for every invalid vector', () => {
    const verifiers = new Map();
    for (const c of V.invalid.filter((x) => x.salt !== '')) {
      if (!verifiers.has(c.salt)) verifiers.set(c.salt, new HitpayVerifier(c.salt));
      fails(() => verifiers.get(c.salt).verify(bodyOf(c)), c.code, { field: c.field });
    }
  });

  it('one instance verifies many bodies; instances with other salts are independent', () => {
    const a = new HitpayVerifier(SALT);
    const b = new HitpayVerifier('verifier-salt-2');
    const fieldsB = { amount: '3.00' };
    const bodyB = `amount=3.00&hmac=${signFields(fieldsB, 'verifier-salt-2')}`;
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(a.verify(GOOD.body), expectedWebhook(GOOD.fields));
      assert.deepEqual(b.verify(bodyB), { amount: '3.00', fields: fieldsB });
    }
    fails(() => a.verify(bodyB), 'SIGNATURE_MISMATCH');
    fails(() => b.verify(GOOD.body), 'SIGNATURE_MISMATCH');
    fails(() => a.verify('=x'), 'MALFORMED_BODY');
    fails(() => a.verify(42), 'MALFORMED_BODY');
    fails(() => a.verify(signedFormBody(64 * KiB + 1)), 'PAYLOAD_TOO_LARGE');
    // still usable after its own errors
    assert.deepEqual(a.verify(GOOD.body), expectedWebhook(GOOD.fields));
    assert.deepEqual(b.verify(utf8(bodyB)), { amount: '3.00', fields: fieldsB });
  });

  it('an empty salt -> INVALID_SECRET at construction', () => {
    fails(() => new HitpayVerifier(''), 'INVALID_SECRET');
  });

  for (const [what, value] of WRONG_TYPES) {
    it(`salt: ${what} -> INVALID_FIELD`, () => fails(() => new HitpayVerifier(value), 'INVALID_FIELD', { field: 'salt' }));
    it(`verify(body: ${what}) -> MALFORMED_BODY`, () => fails(() => new HitpayVerifier(SALT).verify(value), 'MALFORMED_BODY'));
  }

  it('keeps the 64 KiB limit', () => {
    const v = new HitpayVerifier(SALT);
    assert.ok(v.verify(signedFormBody(64 * KiB)).fields.k);
    fails(() => v.verify(signedFormBody(64 * KiB + 1)), 'PAYLOAD_TOO_LARGE');
    fails(() => v.verify(signedFormBody(64 * KiB + 1, 'é')), 'PAYLOAD_TOO_LARGE');
    fails(() => v.verify(utf8(signedFormBody(64 * KiB + 1))), 'PAYLOAD_TOO_LARGE');
  });

  it('does not expose the salt on the instance', () => {
    const v = new HitpayVerifier(SALT);
    assert.ok(!JSON.stringify(v).includes(SALT));
    assert.deepEqual(Object.keys(v), []);
  });
});

// ------------------------------------------------------------------ signHitpayWebhook

describe('signHitpayWebhook', () => {
  for (const c of V.webhooks) {
    it(`vector: ${c.name}`, () => {
      const got = signHitpayWebhook(c.fields, c.salt);
      assert.equal(got, c.hmac);
      assert.equal(got, signFields(c.fields, c.salt)); // node:crypto
    });
  }

  it('returns 64 lowercase hex digits', () => {
    assert.match(signHitpayWebhook({ a: 'B' }, SALT), /^[0-9a-f]{64}$/);
  });

  it('ignores a field named hmac', () => {
    const fields = { amount: '1.00', status: 'completed' };
    assert.equal(signHitpayWebhook({ ...fields, hmac: 'anything' }, SALT), signFields(fields, SALT));
    assert.equal(signHitpayWebhook({ hmac: 'x', ...fields }, SALT), signHitpayWebhook(fields, SALT));
  });

  it('does not depend on property order (digit keys, insertion order)', () => {
    const fields = { b: '2', 10: 'ten', a: '1', 2: 'two', B: 'upper', '\u{1F600}': 's', '\uFF61': 'h' };
    const reversed = Object.fromEntries(Object.entries(fields).reverse());
    assert.equal(signHitpayWebhook(fields, SALT), signFields(fields, SALT));
    assert.equal(signHitpayWebhook(reversed, SALT), signFields(fields, SALT));
  });

  it('signs an empty object as the empty message', () => {
    assert.equal(signHitpayWebhook({}, SALT), hmacHex(SALT, Buffer.alloc(0)));
  });

  it('what it signs, verifyHitpayWebhook accepts', () => {
    const fields = { payment_id: 'p', reference_number: 'A&B=C+D %', phone: '', 'ä k': 'ö', '\u{1F600}': '😀' };
    const params = new URLSearchParams(fields);
    params.append('hmac', signHitpayWebhook(fields, SALT));
    assert.deepEqual(verifyHitpayWebhook(params.toString(), SALT), expectedWebhook(fields));
  });

  it('uses the salt as its UTF-8 bytes, untrimmed', () => {
    assert.equal(signHitpayWebhook({ a: '1' }, ' sälT ✓ '), hmacHex(' sälT ✓ ', utf8('a1')));
    assert.notEqual(signHitpayWebhook({ a: '1' }, ' sälT ✓ '), hmacHex('sälT ✓', utf8('a1')));
  });

  describe('errors', () => {
    for (const [what, value] of [...WRONG_TYPES, ['a boolean', false], ['an object', { x: 1 }]]) {
      it(`a field value that is ${what} -> INVALID_FIELD`, () => {
        fails(() => signHitpayWebhook({ ok: 'x', bad: value }, SALT), 'INVALID_FIELD', { field: 'bad' });
      });
    }
    for (const [what, value] of [['a number', 42], ['undefined', undefined], ['null', null], ['an array', [['a', '1']]], ['a string', 'a=1']]) {
      it(`fields: ${what} -> INVALID_FIELD`, () => fails(() => signHitpayWebhook(value, SALT), 'INVALID_FIELD'));
    }
    for (const [what, value] of WRONG_TYPES) {
      it(`salt: ${what} -> INVALID_FIELD`, () => fails(() => signHitpayWebhook({ a: '1' }, value), 'INVALID_FIELD', { field: 'salt' }));
    }
    it('an empty salt -> INVALID_SECRET', () => fails(() => signHitpayWebhook({ a: '1' }, ''), 'INVALID_SECRET'));
    // Object.entries() of these is empty: signing them would silently sign the empty message.
    for (const [what, value] of [['a Map', new Map([['a', '1']])], ['a URLSearchParams', new URLSearchParams('a=1')], ['a Date', new Date(0)]]) {
      it(`fields: ${what} (not a plain object) -> INVALID_FIELD`, () => fails(() => signHitpayWebhook(value, SALT), 'INVALID_FIELD'));
    }
    it('fields: an object with a null prototype is a plain object', () => {
      const fields = Object.assign(Object.create(null), { a: '1', b: '' });
      assert.equal(signHitpayWebhook(fields, SALT), hmacHex(SALT, utf8('a1b')));
    });
    it('a lone surrogate in a value or a key -> PayhookError', () => {
      fails(() => signHitpayWebhook({ a: 'x\uD800' }, SALT), 'INVALID_FIELD', { field: 'a' });
      fails(() => signHitpayWebhook({ ['k\uDC00']: 'x' }, SALT), 'INVALID_FIELD');
    });
    it('a lone surrogate in the salt -> INVALID_SECRET or INVALID_FIELD', () => {
      fails(() => signHitpayWebhook({ a: '1' }, '\uD800'), ['INVALID_SECRET', 'INVALID_FIELD']);
    });
  });
});

// ------------------------------------------------------------------ verifyHitpayEvent

describe('verifyHitpayEvent', () => {
  describe('valid vectors', () => {
    for (const c of V.events) {
      it(c.name, () => {
        const expected = c.object ?? JSON.parse(c.body);
        for (const [form, body] of bodyForms(c)) {
          // `header`: the signature as some senders write the header (sha256=, white space).
          const headers = [c.signature, c.signature.toLowerCase(), c.signature.toUpperCase(), ...(c.header ? [c.header] : [])];
          for (const sig of headers) {
            const got = verifyHitpayEvent(body, sig, c.salt);
            assert.deepEqual(got, expected, form);
            assert.ok(!(got instanceof Map), form);
            assert.equal(Object.getPrototypeOf(got), null, form); // prototype-free (issue 14)
          }
        }
      });
    }
  });

  describe('invalid vectors: the error code', () => {
    for (const c of V.invalid_events) {
      it(`${c.code}: ${c.name}`, () => {
        const expected = hmacHex(c.salt || 'x', bytesOf(c));
        for (const [form, body] of bodyForms(c)) {
          const err = fails(() => verifyHitpayEvent(body, c.signature, c.salt), c.code, {
            hidden: [c.salt, c.signature.trim(), expected].filter((s) => s.length >= 6),
          });
          assert.ok(err, form);
        }
      });
    }
  });

  it('compares the hex case-insensitively (mixed case too)', () => {
    const body = '{"status":"completed"}';
    const sig = hmacHex(SALT, utf8(body));
    const mixed = [...sig].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch)).join('');
    assert.deepEqual(verifyHitpayEvent(body, mixed, SALT), { status: 'completed' });
  });

  it('returns nested objects and arrays as plain values', () => {
    const body = '{"a":{"b":[1,{"c":null}]},"d":"ä"}';
    const got = verifyHitpayEvent(utf8(body), hmacHex(SALT, utf8(body)), SALT);
    assert.deepEqual(got, { a: { b: [1, { c: null }] }, d: 'ä' });
    assert.equal(Object.getPrototypeOf(got.a), null); // prototype-free (issue 14)
    assert.ok(Array.isArray(got.a.b));
  });

  it('a __proto__ member is an own property and Object.prototype is untouched', () => {
    const body = '{"__proto__":{"polluted":1}}';
    const got = verifyHitpayEvent(body, hmacHex(SALT, utf8(body)), SALT);
    assert.deepEqual(Object.keys(got), ['__proto__']);
    assert.equal({}.polluted, undefined);
    assert.equal(Object.getPrototypeOf(got), null); // prototype-free (issue 14)
  });

  it('checks the signature before the body: an unsigned non-object is SIGNATURE_MISMATCH', () => {
    fails(() => verifyHitpayEvent('[]', hmacHex(SALT, utf8('{}')), SALT), 'SIGNATURE_MISMATCH');
    fails(() => verifyHitpayEvent('not json', hmacHex(SALT, utf8('{}')), SALT), 'SIGNATURE_MISMATCH');
  });

  describe('size limit: 1 MiB, in bytes, checked first', () => {
    it('reads a body of exactly 1 MiB', () => {
      const { body, signature } = signedEvent(MiB);
      assert.equal(verifyHitpayEvent(body, signature, SALT).a.length, MiB - 8);
      assert.equal(verifyHitpayEvent(utf8(body), signature, SALT).a.length, MiB - 8);
    });
    it('refuses 1 MiB + 1, correctly signed, as a string, bytes and an ArrayBuffer', () => {
      const { body, signature } = signedEvent(MiB + 1);
      fails(() => verifyHitpayEvent(body, signature, SALT), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayEvent(utf8(body), signature, SALT), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayEvent(new Uint8Array(utf8(body)).buffer, signature, SALT), 'PAYLOAD_TOO_LARGE');
    });
    it('counts UTF-8 bytes, not UTF-16 units', () => {
      const { body, signature } = signedEvent(MiB + 1, 'é');
      assert.ok(body.length < MiB);
      fails(() => verifyHitpayEvent(body, signature, SALT), 'PAYLOAD_TOO_LARGE');
    });
    it('checks the size before the signature and the salt', () => {
      const big = 'x'.repeat(MiB + 1);
      fails(() => verifyHitpayEvent(big, '', ''), 'PAYLOAD_TOO_LARGE');
      fails(() => verifyHitpayEvent(big, undefined, undefined), 'PAYLOAD_TOO_LARGE');
    });
    it('refuses an over-limit string with PAYLOAD_TOO_LARGE even when it holds a lone surrogate', () => {
      fails(() => verifyHitpayEvent('\uD800' + 'x'.repeat(MiB + 1), 'x', SALT), 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('errors raised by verifyHitpayEvent', () => {
    const body = '{"a":1}';
    const sig = hmacHex(SALT, utf8(body));
    const cases = [
      ['MALFORMED_BODY', '[]', hmacHex(SALT, utf8('[]')), SALT],
      ['PAYLOAD_TOO_LARGE', 'x'.repeat(MiB + 1), sig, SALT],
      ['MISSING_SIGNATURE', body, '', SALT],
      ['MALFORMED_SIGNATURE', body, `sha1=${sig}`, SALT],
      ['SIGNATURE_MISMATCH', '{"a":2}', sig, SALT],
      ['INVALID_SECRET', body, sig, ''],
    ];
    for (const [code, b, s, salt] of cases) {
      it(code, () => fails(() => verifyHitpayEvent(b, s, salt), code, { hidden: [sig] }));
    }
  });

  describe('wrong-typed arguments throw PayhookError, never TypeError', () => {
    const body = '{"a":1}';
    const sig = hmacHex(SALT, utf8(body));
    for (const [what, value] of WRONG_TYPES) {
      it(`body: ${what} -> MALFORMED_BODY`, () => fails(() => verifyHitpayEvent(value, sig, SALT), 'MALFORMED_BODY'));
      it(`salt: ${what} -> INVALID_FIELD`, () => fails(() => verifyHitpayEvent(body, sig, value), 'INVALID_FIELD', { field: 'salt' }));
    }
    for (const [what, value] of WRONG_TYPES.filter(([, v]) => v !== undefined && v !== null)) {
      it(`signature: ${what} -> INVALID_FIELD`, () => fails(() => verifyHitpayEvent(body, value, SALT), 'INVALID_FIELD'));
    }
    // An absent header (`request.headers.get()` gives null) is no signature.
    for (const [what, value] of [['undefined', undefined], ['null', null]]) {
      it(`signature: ${what} -> MISSING_SIGNATURE or INVALID_FIELD`, () => {
        fails(() => verifyHitpayEvent(body, value, SALT), ['MISSING_SIGNATURE', 'INVALID_FIELD']);
      });
    }
  });

  describe('strings with a lone surrogate', () => {
    it('in the body -> MALFORMED_BODY', () => {
      const body = '{"a":"\uD800"}';
      fails(() => verifyHitpayEvent(body, hmacHex(SALT, utf8(body)), SALT), 'MALFORMED_BODY');
    });
    it('in the signature or the salt -> PayhookError', () => {
      const body = '{"a":1}';
      const sig = hmacHex(SALT, utf8(body));
      fails(() => verifyHitpayEvent(body, sig.slice(0, 63) + '\uD800', SALT), ['INVALID_FIELD', 'MALFORMED_SIGNATURE']);
      fails(() => verifyHitpayEvent(body, sig, SALT + '\uDC00'), ['INVALID_SECRET', 'INVALID_FIELD']);
    });
  });
});

// ------------------------------------------------------------------ buildHitpayPaymentRequest

const LIVE = 'https://api.hit-pay.com/v1/payment-requests';
const SANDBOX = 'https://api.sandbox.hit-pay.com/v1/payment-requests';
const HEADERS = {
  'X-BUSINESS-API-KEY': API_KEY,
  'Content-Type': 'application/x-www-form-urlencoded',
  'X-Requested-With': 'XMLHttpRequest',
};

describe('buildHitpayPaymentRequest', () => {
  const MIN = { amount: '2500.00', currency: 'SGD' };
  const build = (params, options = { apiKey: API_KEY }) => buildHitpayPaymentRequest(params, options);
  const bodyOfRequest = (params) => build({ ...MIN, ...params }).body;
  const expectBody = (extra, pairs) => assert.equal(bodyOfRequest(extra), new URLSearchParams([['amount', '2500.00'], ['currency', 'SGD'], ...pairs]).toString());

  it('builds the minimal request exactly', () => {
    const req = build(MIN);
    assert.deepEqual(req, { method: 'POST', url: LIVE, headers: HEADERS, body: 'amount=2500.00&currency=SGD' });
    assert.equal(Object.getPrototypeOf(req), null); // prototype-free (issue 14)
    assert.equal(Object.getPrototypeOf(req.headers), null); // prototype-free (issue 14)
  });

  it('sandbox: true uses the sandbox URL; false or absent the live one', () => {
    assert.equal(build(MIN, { apiKey: API_KEY, sandbox: true }).url, SANDBOX);
    assert.equal(build(MIN, { apiKey: API_KEY, sandbox: false }).url, LIVE);
    assert.equal(build(MIN, { apiKey: API_KEY }).url, LIVE);
    assert.deepEqual(build(MIN, { apiKey: API_KEY, sandbox: true }).headers, HEADERS);
  });

  it('a full set of params: the body in wire-name order, payment_methods[] repeated', () => {
    const params = {
      generateQr: true,
      expiryDate: '2030-12-31 23:59:00',
      allowRepeatedPayments: false,
      webhook: 'https://shop.example/hitpay/webhook?x=1',
      redirectUrl: 'https://shop.example/return',
      referenceNumber: 'ORDER #42 / ä & b=c',
      purpose: "Café * ~!'()+%",
      phone: '+65 9123 4567',
      name: 'Zoë Ünal 😀',
      email: 'buyer+tag@example.com',
      paymentMethods: ['paynow_online', 'card', 'wechat_pay'],
      currency: 'sgd',
      amount: '999999999.99',
    };
    const expected = new URLSearchParams([
      ['amount', '999999999.99'],
      ['currency', 'sgd'],
      ['payment_methods[]', 'paynow_online'],
      ['payment_methods[]', 'card'],
      ['payment_methods[]', 'wechat_pay'],
      ['email', 'buyer+tag@example.com'],
      ['name', 'Zoë Ünal 😀'],
      ['phone', '+65 9123 4567'],
      ['purpose', "Café * ~!'()+%"],
      ['reference_number', 'ORDER #42 / ä & b=c'],
      ['redirect_url', 'https://shop.example/return'],
      ['webhook', 'https://shop.example/hitpay/webhook?x=1'],
      ['allow_repeated_payments', 'false'],
      ['expiry_date', '2030-12-31 23:59:00'],
      ['generate_qr', 'true'],
    ]).toString();
    assert.deepEqual(buildHitpayPaymentRequest(params, { apiKey: API_KEY, sandbox: true }), {
      method: 'POST',
      url: SANDBOX,
      headers: HEADERS,
      body: expected,
    });
  });

  it('booleans are written true/false', () => {
    expectBody({ allowRepeatedPayments: true, generateQr: false }, [['allow_repeated_payments', 'true'], ['generate_qr', 'false']]);
    expectBody({ allowRepeatedPayments: false, generateQr: true }, [['allow_repeated_payments', 'false'], ['generate_qr', 'true']]);
  });

  it('absent options (and options set to undefined) are left out', () => {
    expectBody({}, []);
    expectBody({ email: undefined, generateQr: undefined, paymentMethods: undefined }, []);
    expectBody({ phone: '' }, [['phone', '']]);
  });

  describe('amount', () => {
    for (const amount of ['0.30', '0.3', '1', '1.5', '10', '2500.00', '999999999.99']) {
      it(`accepts ${JSON.stringify(amount)}, kept as given`, () => assert.ok(build({ ...MIN, amount }).body.startsWith(`amount=${amount}&`)));
    }
    for (const amount of ['0.29', '0', '0.00', '01', '00.50', '1.234', '1e3', '-1', '+1', '1.', '.5', '1000000000', '', ' 1', '1,00', '１', 'NaN', 'Infinity', '0x10']) {
      it(`refuses ${JSON.stringify(amount)} -> INVALID_AMOUNT`, () => fails(() => build({ ...MIN, amount }), 'INVALID_AMOUNT'));
    }
    it('missing -> MISSING_FIELD', () => fails(() => build({ currency: 'SGD' }), 'MISSING_FIELD', { field: 'amount' }));
    it('a number -> INVALID_FIELD (never converted)', () => fails(() => build({ ...MIN, amount: 25 }), 'INVALID_FIELD', { field: 'amount' }));
  });

  describe('currency', () => {
    for (const currency of ['SGD', 'sgd', 'MyR']) {
      it(`accepts ${currency}, kept as given`, () => assert.equal(build({ ...MIN, currency }).body, `amount=2500.00&currency=${currency}`));
    }
    for (const currency of ['SG', 'SGDD', 'S1D', '', ' SGD', 'SG ', 'ÄBC', 'S-D']) {
      it(`refuses ${JSON.stringify(currency)} -> INVALID_CURRENCY`, () => fails(() => build({ ...MIN, currency }), 'INVALID_CURRENCY'));
    }
    it('missing -> MISSING_FIELD', () => fails(() => build({ amount: '1.00' }), 'MISSING_FIELD', { field: 'currency' }));
    it('both missing -> MISSING_FIELD', () => fails(() => build({}), 'MISSING_FIELD'));
  });

  describe('apiKey', () => {
    for (const [what, options] of [
      ['options without apiKey', {}],
      ['an empty apiKey', { apiKey: '' }],
      ['apiKey: undefined', { apiKey: undefined }],
      ['apiKey: null', { apiKey: null }],
      ['no options', undefined],
    ]) {
      it(`${what} -> INVALID_SECRET`, () => fails(() => buildHitpayPaymentRequest(MIN, options), 'INVALID_SECRET'));
    }
    it('is used as given, in the header only', () => {
      const req = build(MIN, { apiKey: ' key with spaces ' });
      assert.equal(req.headers['X-BUSINESS-API-KEY'], ' key with spaces ');
      assert.ok(!req.body.includes('key'));
    });
    it('a number -> INVALID_FIELD or INVALID_SECRET', () => fails(() => build(MIN, { apiKey: 12345 }), ['INVALID_FIELD', 'INVALID_SECRET']));
    it('never appears in an error message', () => {
      for (const params of [{ ...MIN, amount: 'x' }, { ...MIN, email: 'x' }, { amount: '1' }, { ...MIN, foo: API_KEY.slice(0, 3) }]) {
        fails(() => build(params), ['INVALID_AMOUNT', 'INVALID_FIELD', 'MISSING_FIELD'], { hidden: [API_KEY] });
      }
    });
  });

  describe('email', () => {
    for (const email of ['buyer@example.com', 'a.b+c@sub.example.co']) {
      it(`accepts ${email}`, () => expectBody({ email }, [['email', email]]));
    }
    for (const email of ['', 'buyer', 'buyer@example', 'a b@example.com', 'buyer@ex ample.com', 'a@b@example.com', '@example.com', ' buyer@example.com']) {
      it(`refuses ${JSON.stringify(email)} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, email }), 'INVALID_FIELD', { field: 'email' }));
    }
  });

  describe('name, phone, purpose, referenceNumber: at most 255 characters', () => {
    for (const [param, wire] of [['name', 'name'], ['phone', 'phone'], ['purpose', 'purpose'], ['referenceNumber', 'reference_number']]) {
      it(`${param}: 255 ok`, () => expectBody({ [param]: 'x'.repeat(255) }, [[wire, 'x'.repeat(255)]]));
      it(`${param}: 256 -> INVALID_FIELD`, () => fails(() => build({ ...MIN, [param]: 'x'.repeat(256) }), 'INVALID_FIELD', { field: param }));
      it(`${param}: a number -> INVALID_FIELD`, () => fails(() => build({ ...MIN, [param]: 12 }), 'INVALID_FIELD', { field: param }));
    }
  });

  describe('redirectUrl and webhook: absolute https: (http: for loopback hosts), at most 1028 characters', () => {
    const urlOf = (len) => {
      const base = 'https://shop.example/';
      return base + 'p'.repeat(len - base.length);
    };
    for (const [param, wire] of [['redirectUrl', 'redirect_url'], ['webhook', 'webhook']]) {
      it(`${param}: an https URL with a query`, () => expectBody({ [param]: 'https://shop.example/r?o=1&x=%20' }, [[wire, 'https://shop.example/r?o=1&x=%20']]));
      it(`${param}: 1028 characters ok`, () => expectBody({ [param]: urlOf(1028) }, [[wire, urlOf(1028)]]));
      it(`${param}: 1029 characters -> INVALID_FIELD`, () => fails(() => build({ ...MIN, [param]: urlOf(1029) }), 'INVALID_FIELD', { field: param }));
      for (const bad of ['/hook', 'shop.example/hook', 'ftp://shop.example/', '', 'https://', 'javascript:alert(1)', 'https://user:pass@shop.example/hook']) {
        it(`${param}: ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, [param]: bad }), 'INVALID_FIELD', { field: param }));
      }
      // As everywhere else: http: is INSECURE_URL, except for a loopback host.
      for (const insecure of ['http://shop.example/hook', 'HTTP://shop.example/hook', 'http://10.0.0.1:8080/hook', 'http://[::2]/hook', 'http://localhost.example/hook']) {
        it(`${param}: ${JSON.stringify(insecure)} -> INSECURE_URL`, () => fails(() => build({ ...MIN, [param]: insecure }), 'INSECURE_URL', { field: param }));
      }
      for (const loopback of ['http://localhost/hook', 'http://localhost:3000/return?o=1', 'http://127.0.0.1:8787/hook', 'http://[::1]/hook']) {
        it(`${param}: ${JSON.stringify(loopback)} is sent as given`, () => expectBody({ [param]: loopback }, [[wire, loopback]]));
      }
    }
  });

  describe('paymentMethods', () => {
    it('one entry each, in order', () => expectBody({ paymentMethods: ['card', 'paynow_online', 'grabpay2'] }, [
      ['payment_methods[]', 'card'],
      ['payment_methods[]', 'paynow_online'],
      ['payment_methods[]', 'grabpay2'],
    ]));
    for (const bad of [['PayNow'], ['pay-now'], ['pay now'], [''], ['card', 'ä'], ['card', 'x&y=z']]) {
      it(`refuses ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, paymentMethods: bad }), 'INVALID_FIELD', { field: 'paymentMethods' }));
    }
    for (const [what, bad] of [['a string', 'card'], ['a number', 1], ['an array with a number', [1]], ['null', null], ['an object', { 0: 'card' }]]) {
      it(`${what} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, paymentMethods: bad }), 'INVALID_FIELD', { field: 'paymentMethods' }));
    }
  });

  describe('expiryDate: YYYY-MM-DD HH:MM:SS, a real date and time', () => {
    for (const ok of ['2024-02-29 12:00:00', '2000-02-29 00:00:00', '2030-12-31 23:59:59']) {
      it(`accepts ${ok}`, () => expectBody({ expiryDate: ok }, [['expiry_date', ok]]));
    }
    for (const bad of ['2023-02-29 12:00:00', '1900-02-29 12:00:00', '2024-04-31 10:00:00', '2024-13-01 10:00:00', '2024-01-01 24:00:00', '2024-01-01 10:60:00', '2024-01-01 10:00:60', '2024-02-29T12:00:00', '2024-02-29', '2024-2-29 12:00:00', '2024/02/29 12:00:00', '2024-02-29 12:00', '2024-02-29 12:00:00Z', ' 2024-02-29 12:00:00', '']) {
      it(`refuses ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, expiryDate: bad }), 'INVALID_FIELD', { field: 'expiryDate' }));
    }
  });

  describe('other params', () => {
    for (const [param, bad] of [['allowRepeatedPayments', 'true'], ['generateQr', 1], ['generateQr', null]]) {
      it(`${param}: ${JSON.stringify(bad)} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, [param]: bad }), 'INVALID_FIELD', { field: param }));
    }
    for (const unknown of ['foo', 'reference_number', 'payment_methods', 'paymentMethods[]', 'AMOUNT', '__proto__x']) {
      it(`an unknown param ${JSON.stringify(unknown)} -> INVALID_FIELD`, () => fails(() => build({ ...MIN, [unknown]: 'x' }), 'INVALID_FIELD', { field: unknown }));
    }
    it('a lone surrogate in a string param -> INVALID_FIELD', () => fails(() => build({ ...MIN, name: 'a\uD800' }), 'INVALID_FIELD', { field: 'name' }));
    it('an invalid sandbox -> PayhookError', () => fails(() => build(MIN, { apiKey: API_KEY, sandbox: 'yes' }), 'INVALID_FIELD'));
  });

  describe('wrong-typed arguments', () => {
    for (const [what, value] of [['a number', 42], ['undefined', undefined], ['null', null], ['an array', [MIN]], ['a string', 'amount=1']]) {
      it(`params: ${what} -> INVALID_FIELD`, () => fails(() => buildHitpayPaymentRequest(value, { apiKey: API_KEY }), 'INVALID_FIELD'));
    }
    it('params: a Map -> PayhookError', () => {
      fails(() => buildHitpayPaymentRequest(new Map(Object.entries(MIN)), { apiKey: API_KEY }), ['INVALID_FIELD', 'MISSING_FIELD']);
    });
    for (const [what, value] of [['a number', 42], ['an array', [API_KEY]], ['a string', API_KEY]]) {
      it(`options: ${what} -> INVALID_FIELD or INVALID_SECRET`, () => fails(() => buildHitpayPaymentRequest(MIN, value), ['INVALID_FIELD', 'INVALID_SECRET']));
    }
  });
});

// ------------------------------------------------------------------ parseHitpayRedirect

describe('parseHitpayRedirect', () => {
  for (const [url, expected] of [
    ['https://shop.example/return?reference=pay_1&status=completed', { reference: 'pay_1', status: 'completed' }],
    ['https://shop.example:8443/return?status=pending&reference=R+1%2F2%C3%A4&extra=1', { reference: 'R 1/2ä', status: 'pending' }],
    ['/return?reference=9a1b&status=completed', { reference: '9a1b', status: 'completed' }],
    ['/return?&reference=a&&status=canceled&', { reference: 'a', status: 'canceled' }],
    ['http://localhost:8080/r?reference=x&status=y', { reference: 'x', status: 'y' }],
  ]) {
    it(`reads ${url}`, () => {
      const got = parseHitpayRedirect(url);
      assert.deepEqual(got, expected);
      assert.equal(Object.getPrototypeOf(got), null); // prototype-free (issue 14)
    });
  }

  const cases = [
    ['MISSING_FIELD', 'https://shop.example/r?status=completed', 'reference'],
    ['MISSING_FIELD', '/r?reference=x', 'status'],
    ['MISSING_FIELD', '/r', undefined],
    ['INVALID_FIELD', '/r?reference=&status=completed', 'reference'],
    ['INVALID_FIELD', '/r?reference=x&status', 'status'],
    ['DUPLICATE_FIELD', '/r?reference=a&reference=b&status=completed', 'reference'],
    ['DUPLICATE_FIELD', '/r?reference=a&status=x&%73tatus=x', 'status'],
    ['INVALID_URL', '/r?reference=%zz&status=completed', undefined],
    ['INVALID_URL', '/r?reference=a&status=%E', undefined],
    ['INVALID_URL', '/r?reference=%FF&status=completed', undefined],
    ['INVALID_URL', '/r?=x&reference=a&status=b', undefined],
    ['INVALID_URL', 'r?reference=a&status=b', undefined],
    ['INVALID_URL', 'reference=a&status=b', undefined],
    ['INVALID_URL', '', undefined],
    ['INVALID_URL', 'ftp://shop.example/r?reference=a&status=b', undefined],
    ['INVALID_URL', 'https://shop example/r?reference=a&status=b', undefined],
  ];
  for (const [code, url, field] of cases) {
    it(`${JSON.stringify(url)} -> ${code}`, () => fails(() => parseHitpayRedirect(url), code, { field }));
  }

  describe('size limit: 8 KiB', () => {
    const urlOf = (len, pad = 'a') => {
      const base = 'https://shop.example/r?reference=x&status=completed&pad=';
      return base + pad.repeat(len - base.length);
    };
    it('exactly 8 KiB is read', () => assert.deepEqual(parseHitpayRedirect(urlOf(8 * KiB)), { reference: 'x', status: 'completed' }));
    it('8 KiB + 1 -> PAYLOAD_TOO_LARGE', () => fails(() => parseHitpayRedirect(urlOf(8 * KiB + 1)), 'PAYLOAD_TOO_LARGE'));
    it('over 8 KiB of UTF-8 but under in UTF-16 -> PAYLOAD_TOO_LARGE', () => {
      const url = 'https://shop.example/r?reference=x&status=completed&pad=' + 'é'.repeat(4100);
      assert.ok(url.length < 8 * KiB && utf8(url).length > 8 * KiB);
      fails(() => parseHitpayRedirect(url), 'PAYLOAD_TOO_LARGE');
    });
    it('over 8 KiB with a lone surrogate -> PAYLOAD_TOO_LARGE (the limit is checked first)', () => {
      fails(() => parseHitpayRedirect(urlOf(8 * KiB + 1) + '\uD800'), 'PAYLOAD_TOO_LARGE');
    });
  });

  for (const [what, value] of WRONG_TYPES) {
    it(`url: ${what} -> INVALID_FIELD`, () => fails(() => parseHitpayRedirect(value), 'INVALID_FIELD'));
  }
  it('a lone surrogate -> INVALID_URL or INVALID_FIELD', () => fails(() => parseHitpayRedirect('/r?reference=\uD800&status=x'), ['INVALID_URL', 'INVALID_FIELD']));
});

// ------------------------------------------------------------------ errors

describe('PayhookError', () => {
  it('is an exported Error subclass', () => {
    assert.equal(typeof PayhookError, 'function');
    assert.ok(PayhookError.prototype instanceof Error);
  });

  // Every code the HitPay functions can raise, each from one malformed input.
  const sig = hmacHex(SALT, utf8('{}'));
  const table = [
    ['MALFORMED_BODY', () => verifyHitpayWebhook('a=%', SALT)],
    ['PAYLOAD_TOO_LARGE', () => verifyHitpayEvent('x'.repeat(MiB + 1), sig, SALT)],
    ['MISSING_FIELD', () => buildHitpayPaymentRequest({ currency: 'SGD' }, { apiKey: API_KEY }), 'amount'],
    ['DUPLICATE_FIELD', () => verifyHitpayWebhook('x=1&x=2&hmac=0', SALT), 'x'],
    ['INVALID_FIELD', () => buildHitpayPaymentRequest({ amount: '1', currency: 'SGD', email: 'no' }, { apiKey: API_KEY }), 'email'],
    ['MISSING_SIGNATURE', () => verifyHitpayWebhook('a=1', SALT), 'hmac'],
    ['MALFORMED_SIGNATURE', () => verifyHitpayEvent('{}', sig.slice(1), SALT)],
    ['SIGNATURE_MISMATCH', () => verifyHitpayEvent('{ }', sig, SALT)],
    ['INVALID_SECRET', () => new HitpayVerifier('')],
    ['INVALID_URL', () => parseHitpayRedirect('/r?reference=%G0&status=x')],
    ['INVALID_AMOUNT', () => buildHitpayPaymentRequest({ amount: '0.29', currency: 'SGD' }, { apiKey: API_KEY }), 'amount'],
    ['INVALID_CURRENCY', () => buildHitpayPaymentRequest({ amount: '1', currency: 'S1D' }, { apiKey: API_KEY }), 'currency'],
  ];
  for (const [code, fn, field] of table) {
    it(`${code}: instanceof, name, code, message${field ? `, field ${field}` : ''}`, () => {
      const err = fails(fn, code, { field });
      assert.equal(typeof err.stack, 'string');
      assert.equal(Object.prototype.toString.call(err), '[object Error]');
    });
  }
});
