#!/usr/bin/env python3
"""Generates the extra cases of tests/vectors/hitpay.json.

Every hmac and signature here is computed with Python's `hmac` module from the
algorithm documented in /work/shared/api.md (HitPay section), never by calling payhook:

- form webhooks: decode the body as a form (`+` is a space, `%XX` a byte, UTF-8),
  drop `hmac`, sort the fields by the UTF-8 bytes of the decoded key, concatenate
  `key + value`, HMAC-SHA256 keyed with the salt's UTF-8 bytes, lowercase hex;
- event webhooks: HMAC-SHA256 of the raw body bytes, lowercase hex.

The cases supplied by the project owner (every case whose name this script does not
produce) are kept exactly as they are, and their hmacs are re-checked here.

Usage (from the repository root):

    python3 tests/vectors/gen_hitpay.py            # regenerate in place
    python3 tests/vectors/gen_hitpay.py --base /work/shared/vectors/hitpay.json

`--base` names the file whose owner cases are kept (default: the output file itself).
The output is deterministic: running the script twice gives the same file.
"""

import argparse
import hashlib
import hmac
import json
import pathlib
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "hitpay.json"

ABOUT = (
    "HitPay webhook signature vectors. 'webhooks' are form-encoded (hmac field, sorted "
    "key+value concatenation); 'events' are JSON bodies signed as raw bytes "
    "(Hitpay-Signature header). The first webhook case comes from a public project's unit "
    "test; the others were computed with the algorithm of HitPay's PHP SDK "
    "(generateSignatureArray) and cross-checked with Python hmac, openssl and node:crypto."
    " The cases after those were added by tests/vectors/gen_hitpay.py (Python hmac, from "
    "the algorithm in the contract). 'invalid' are form webhooks that must fail with "
    "'code' (and 'field' when given); 'invalid_events' likewise for events. An event with "
    "'header' has the signature as some senders write the Hitpay-Signature header (a "
    "sha256= prefix, white space around it): it must verify too. A case with "
    "'body_hex' instead of 'body' has a body that is not UTF-8 text: use those bytes."
)

SALT = "salt_for_tests_only"


# ------------------------------------------------------------------ the algorithm


def hex_value(b):
    return int(chr(b), 16) if chr(b) in "0123456789abcdefABCDEF" else None


def decode_component(raw: bytes) -> str:
    out = bytearray()
    i = 0
    while i < len(raw):
        b = raw[i]
        if b == ord("+"):
            out.append(ord(" "))
            i += 1
        elif b == ord("%"):
            hi = hex_value(raw[i + 1]) if i + 1 < len(raw) else None
            lo = hex_value(raw[i + 2]) if i + 2 < len(raw) else None
            if hi is None or lo is None:
                raise ValueError("bad percent-encoding")
            out.append(hi * 16 + lo)
            i += 3
        else:
            out.append(b)
            i += 1
    return out.decode("utf-8")  # strict: raises on non-UTF-8


def decode_form(raw: bytes):
    """The contract's form decoding: a list of (key, value) in order."""
    pairs = []
    for seg in raw.split(b"&"):
        if not seg:
            continue  # empty pairs are ignored
        key, sep, value = seg.partition(b"=")
        if not key:
            raise ValueError("empty key")
        pairs.append((decode_component(key), decode_component(value)))
    return pairs


def canonical(fields: dict) -> str:
    items = [(k, v) for k, v in fields.items() if k != "hmac"]
    items.sort(key=lambda kv: kv[0].encode("utf-8"))
    return "".join(k + v for k, v in items)


def sign_fields(fields: dict, salt: str) -> str:
    msg = canonical(fields).encode("utf-8")
    return hmac.new(salt.encode("utf-8"), msg, hashlib.sha256).hexdigest()


def sign_bytes(body: bytes, salt: str) -> str:
    return hmac.new(salt.encode("utf-8"), body, hashlib.sha256).hexdigest()


def flip_bit(hex_sig: str, byte_index: int, bit: int) -> str:
    raw = bytearray(bytes.fromhex(hex_sig))
    raw[byte_index] ^= 1 << bit
    return raw.hex()


def body_entry(body: bytes) -> dict:
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_hex": body.hex()}


# ------------------------------------------------------------------ valid webhooks


def webhook(name, segments, fields, salt=SALT, hmac_at=None, upper=False):
    """`segments` are the raw body pairs (without hmac); `fields` what they must decode to."""
    raw = "&".join(segments).encode("utf-8")
    decoded = dict(decode_form(raw))
    assert len(decoded) == len(decode_form(raw)), name
    assert decoded == fields, (name, decoded, fields)
    sig = sign_fields(fields, salt)
    sent = sig.upper() if upper else sig
    segs = list(segments)
    segs.insert(len(segs) if hmac_at is None else hmac_at, "hmac=" + sent)
    body = "&".join(segs)
    # the body as a whole decodes back to the fields plus the hmac
    full = decode_form(body.encode("utf-8"))
    assert dict(full) == {**fields, "hmac": sent}, name
    return {
        "name": name,
        "salt": salt,
        "body": body,
        "fields": fields,
        "canonical": canonical(fields),
        "hmac": sig,
    }


SMILE = "\U0001F600"  # UTF-8 F0 9F 98 80, UTF-16 D83D DE00
HALFWIDTH_STOP = "\uFF61"  # UTF-8 EF BD A1, UTF-16 FF61


def valid_webhooks():
    cases = [
        webhook(
            "non-ASCII keys: UTF-8 byte order (z < é < U+FF61 < U+1F600), not UTF-16 order (U+1F600 < U+FF61)",
            [
                "%F0%9F%98%80=smile",
                "%EF%BD%A1=stop",
                "%C3%A9=e-acute",
                "z=last-ascii",
            ],
            {SMILE: "smile", HALFWIDTH_STOP: "stop", "é": "e-acute", "z": "last-ascii"},
        ),
        webhook(
            "raw UTF-8 (not percent-encoded) keys and values in the body",
            [f"{SMILE}=😀 ok", f"{HALFWIDTH_STOP}=｡", "ä=ö", "amount=1.00"],
            {SMILE: "😀 ok", HALFWIDTH_STOP: "｡", "ä": "ö", "amount": "1.00"},
        ),
        webhook(
            "uppercase sorts before lowercase, '_' between them (A < B < Z < _ < a < b)",
            ["b=4", "a=3", "_=x", "B=2", "Z=y", "A=1"],
            {"b": "4", "a": "3", "_": "x", "B": "2", "Z": "y", "A": "1"},
        ),
        webhook(
            "a key that is a prefix of another sorts first; digit keys sort as text (1 < 10 < 2)",
            ["amount_x=2", "amount=1", "2=two", "10=ten", "1=one"],
            {"amount_x": "2", "amount": "1", "2": "two", "10": "ten", "1": "one"},
        ),
        webhook(
            "empty values count: 'phone=' and a pair without '=' add just the key",
            ["payment_id=pay_1", "phone=", "note", "status=completed"],
            {"payment_id": "pay_1", "phone": "", "note": "", "status": "completed"},
        ),
        webhook(
            "'+' is a space and %2B a plus, in values and keys",
            ["phone=%2B65+9123+4567", "a+b=1+%2B+1", "plus=%2B%2B"],
            {"phone": "+65 9123 4567", "a b": "1 + 1", "plus": "++"},
        ),
        webhook(
            "'=' inside a value is part of the value; %3D in a key is part of the key",
            ["data=a=b==c", "k%3Dey=v", "tail=x="],
            {"data": "a=b==c", "k=ey": "v", "tail": "x="},
        ),
        webhook(
            "fields named like the signature (hmac2, HMAC, xhmac, hmac_) are signed like any other",
            ["hmac2=a", "HMAC=b", "xhmac=c", "hmac_=d", "amount=5.00"],
            {"hmac2": "a", "HMAC": "b", "xhmac": "c", "hmac_": "d", "amount": "5.00"},
        ),
        webhook(
            "uppercase hex hmac verifies (comparison on decoded bytes); 'hmac' is the lowercase form",
            ["payment_id=pay_2", "amount=20.00", "currency=SGD", "status=completed"],
            {"payment_id": "pay_2", "amount": "20.00", "currency": "SGD", "status": "completed"},
            upper=True,
        ),
        webhook(
            "empty pairs are ignored: leading '&', '&&' and trailing '&'",
            ["", "payment_id=pay_3", "", "", "amount=3.00", ""],
            {"payment_id": "pay_3", "amount": "3.00"},
            hmac_at=4,
        ),
        webhook(
            "hmac first in the body",
            ["status=completed", "amount=7.00"],
            {"status": "completed", "amount": "7.00"},
            hmac_at=0,
        ),
        webhook(
            "percent-encoding: lowercase hex digits, %25, encoded & and =, %20 and + both spaces",
            ["ref=%c3%a4%25%26%3d", "msg=a%20b+c"],
            {"ref": "ä%&=", "msg": "a b c"},
        ),
        webhook(
            "keys that are Object.prototype names stay ordinary fields",
            ["__proto__=p", "constructor=c", "toString=t", "hasOwnProperty=h"],
            {"__proto__": "p", "constructor": "c", "toString": "t", "hasOwnProperty": "h"},
        ),
        webhook(
            "every field the result mirrors, plus an extra one",
            [
                "payment_id=pay_9",
                "payment_request_id=req_9",
                "reference_number=R+9",
                "phone=%2B6500000000",
                "amount=999999999.99",
                "currency=usd",
                "status=failed",
                "extra=x",
            ],
            {
                "payment_id": "pay_9",
                "payment_request_id": "req_9",
                "reference_number": "R 9",
                "phone": "+6500000000",
                "amount": "999999999.99",
                "currency": "usd",
                "status": "failed",
                "extra": "x",
            },
        ),
        webhook(
            "a salt with spaces and non-ASCII is used as its UTF-8 bytes, never trimmed",
            ["payment_id=pay_4", "amount=4.00"],
            {"payment_id": "pay_4", "amount": "4.00"},
            salt="  sälT ✓ ",
        ),
        webhook(
            "only the hmac: the message is empty",
            [],
            {},
        ),
    ]
    return cases


# ------------------------------------------------------------------ invalid webhooks


def invalid(name, body, code, salt=SALT, field=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    case = {"name": name, "salt": salt, **body_entry(body), "code": code}
    if field is not None:
        case["field"] = field
    return case


def signed(segments, salt=SALT):
    """A body of well-formed segments with its correct hmac appended."""
    raw = "&".join(segments)
    fields = dict(decode_form(raw.encode("utf-8")))
    return raw + "&hmac=" + sign_fields(fields, salt), sign_fields(fields, salt)


def invalid_webhooks():
    good_body, good_sig = signed(["payment_id=pay_1", "amount=1.00", "status=completed"])
    any_sig = sign_fields({"a": "1"}, SALT)
    base = "payment_id=pay_1&amount=1.00&status=completed"

    utf16_fields = {SMILE: "1", HALFWIDTH_STOP: "2"}
    utf16_msg = "".join(
        k + v for k, v in sorted(utf16_fields.items(), key=lambda kv: kv[0].encode("utf-16-be"))
    )
    assert utf16_msg != canonical(utf16_fields)
    utf16_sig = hmac.new(SALT.encode(), utf16_msg.encode(), hashlib.sha256).hexdigest()

    raw_value_sig = hmac.new(SALT.encode(), b"ax+y%2B", hashlib.sha256).hexdigest()
    separators_sig = hmac.new(
        SALT.encode(), b"amount=1.00&payment_id=pay_1&status=completed", hashlib.sha256
    ).hexdigest()

    return [
        # MALFORMED_BODY
        invalid("'%' followed by non-hex", f"a=%zz&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("'%' followed by one hex digit", f"a=%4&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("'%' at the end of the body", f"hmac={any_sig}&a=%", "MALFORMED_BODY"),
        invalid("bad '%' in a key", f"a%G1=1&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("a pair with an empty key (=x)", f"=x&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("a pair that is only '='", f"a=1&=&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("%FF decodes to a byte that is not UTF-8", f"a=%FF&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("a truncated UTF-8 sequence (%C3 alone)", f"a=%C3&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("an encoded UTF-16 surrogate (%ED%A0%80) is not UTF-8", f"a=%ED%A0%80&hmac={any_sig}", "MALFORMED_BODY"),
        invalid("a raw 0xFF byte in the body", b"a=\xff&hmac=" + any_sig.encode(), "MALFORMED_BODY"),
        invalid("a raw 0xFF byte in a key", b"\xff=1&hmac=" + any_sig.encode(), "MALFORMED_BODY"),
        # DUPLICATE_FIELD
        invalid("a repeated key", f"a=1&a=2&hmac={any_sig}", "DUPLICATE_FIELD", field="a"),
        invalid("a repeated key with the same value", f"a=1&b=2&a=1&hmac={any_sig}", "DUPLICATE_FIELD", field="a"),
        invalid("keys equal after decoding (a and %61)", f"a=1&%61=2&hmac={any_sig}", "DUPLICATE_FIELD", field="a"),
        invalid("keys equal after decoding ('a b' and a+b)", f"a%20b=1&a+b=2&hmac={any_sig}", "DUPLICATE_FIELD", field="a b"),
        invalid("two hmac fields, both correct", f"{good_body}&hmac={good_sig}", "DUPLICATE_FIELD", field="hmac"),
        invalid("two hmac fields, one correct", f"hmac={any_sig}&{good_body}", "DUPLICATE_FIELD", field="hmac"),
        # MISSING_SIGNATURE
        invalid("no hmac field", base, "MISSING_SIGNATURE", field="hmac"),
        invalid("an empty hmac (hmac=)", base + "&hmac=", "MISSING_SIGNATURE", field="hmac"),
        invalid("hmac without '='", base + "&hmac", "MISSING_SIGNATURE", field="hmac"),
        invalid("only 'HMAC' (uppercase) is no signature", f"{base}&HMAC={good_sig}", "MISSING_SIGNATURE", field="hmac"),
        invalid("only 'hmac2' is no signature", f"{base}&hmac2={good_sig}", "MISSING_SIGNATURE", field="hmac"),
        invalid("an empty body", "", "MISSING_SIGNATURE", field="hmac"),
        # MALFORMED_SIGNATURE
        invalid("63 hex digits", f"{base}&hmac={good_sig[:63]}", "MALFORMED_SIGNATURE", field="hmac"),
        invalid("65 hex digits", f"{base}&hmac={good_sig}0", "MALFORMED_SIGNATURE", field="hmac"),
        invalid("a non-hex digit (g)", f"{base}&hmac=g{good_sig[1:]}", "MALFORMED_SIGNATURE", field="hmac"),
        invalid("a space in the hex (from '+')", f"{base}&hmac={good_sig[:32]}+{good_sig[33:]}", "MALFORMED_SIGNATURE", field="hmac"),
        invalid("a 'sha256=' prefix", f"{base}&hmac=sha256%3D{good_sig}", "MALFORMED_SIGNATURE", field="hmac"),
        invalid("base64 instead of hex", f"{base}&hmac=" + "A" * 43 + "%3D", "MALFORMED_SIGNATURE", field="hmac"),
        # SIGNATURE_MISMATCH
        invalid("the lowest bit of the last byte flipped", f"{base}&hmac={flip_bit(good_sig, 31, 0)}", "SIGNATURE_MISMATCH"),
        invalid("the highest bit of the first byte flipped", f"{base}&hmac={flip_bit(good_sig, 0, 7)}", "SIGNATURE_MISMATCH"),
        invalid("a value changed after signing", good_body.replace("amount=1.00", "amount=100"), "SIGNATURE_MISMATCH"),
        invalid("a field added after signing", good_body + "&extra=1", "SIGNATURE_MISMATCH"),
        invalid("a field removed after signing", good_body.replace("status=completed&", ""), "SIGNATURE_MISMATCH"),
        invalid("signed with another salt", good_body, "SIGNATURE_MISMATCH", salt="salt_for_tests_onlY"),
        invalid("the salt is not trimmed (signed with the trimmed salt)", good_body, "SIGNATURE_MISMATCH", salt=" salt_for_tests_only "),
        invalid(
            "signed in JavaScript UTF-16 key order instead of UTF-8 byte order",
            f"%F0%9F%98%80=1&%EF%BD%A1=2&hmac={utf16_sig}",
            "SIGNATURE_MISMATCH",
        ),
        invalid("signed over the raw (undecoded) value", f"a=x+y%2B&hmac={raw_value_sig}", "SIGNATURE_MISMATCH"),
        invalid("signed with '=' and '&' separators", f"{base}&hmac={separators_sig}", "SIGNATURE_MISMATCH"),
        # INVALID_SECRET
        invalid("an empty salt", good_body, "INVALID_SECRET", salt=""),
        invalid(
            "an empty salt, even when the hmac was made with an empty key",
            f"{base}&hmac={sign_fields(dict(decode_form(base.encode())), '')}",
            "INVALID_SECRET",
            salt="",
        ),
    ]


# ------------------------------------------------------------------ events


def event(name, body, salt=SALT, upper=False, header=None):
    """`header`: how a sender writes the hex (`{}`) in the Hitpay-Signature header,
    when not as is: the case then has `header`, which must verify like `signature`."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    sig = sign_bytes(body, salt)
    case = {"name": name, "salt": salt, **body_entry(body)}
    case["signature"] = sig.upper() if upper else sig
    if header is not None:
        case["header"] = header.format(case["signature"])
    case["object"] = json.loads(body.decode("utf-8"))
    return case


def invalid_event(name, body, code, salt=SALT, signature=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    sig = sign_bytes(body, salt if salt else "x") if signature is None else signature
    return {"name": name, "salt": salt, **body_entry(body), "signature": sig, "code": code}


def valid_events():
    return [
        event(
            "nested JSON with raw UTF-8 and escapes, numbers kept as written in the body",
            '{"id":"evt_1","amount":"100.10","n":12.5,"ok":true,"none":null,'
            '"list":[1,"a",{"b":[]}],"text":"ä😀\\u00e9\\n","obj":{"x":{"y":"z"}}}',
        ),
        event("an empty object", "{}"),
        event("whitespace around the object is part of the signed bytes", ' \n{"a":1}\r\n\t'),
        event("uppercase hex signature verifies", '{"status":"completed"}', upper=True),
        event("a key named __proto__ is an ordinary member", '{"__proto__":{"x":1},"constructor":"c"}'),
        event("the same key in different objects is not a duplicate", '{"a":{"a":1},"b":{"a":2}}'),
        event("a salt with spaces and non-ASCII is used as its UTF-8 bytes", '{"a":"b"}', salt="  sälT ✓ "),
        # Issue 13: what senders and proxies put around the hex.
        event("a sha256= prefix", '{"id":"evt_1","status":"completed"}', header="sha256={}"),
        event("a SHA256= prefix (any case)", '{"id":"evt_1","status":"completed"}', header="SHA256={}"),
        event("surrounding spaces", '{"id":"evt_1","status":"completed"}', header=" {} "),
        event("a trailing CRLF and a leading tab", '{"id":"evt_1","status":"completed"}', header="\t{}\r\n"),
        event("a prefix and surrounding white space", '{"id":"evt_1","status":"completed"}', header="  sha256={}\n"),
    ]


def invalid_events():
    body = '{"id":"evt_1","status":"completed"}'
    sig = sign_bytes(body.encode(), SALT)
    return [
        invalid_event("an array, correctly signed", "[]", "MALFORMED_BODY"),
        invalid_event("a string, correctly signed", '"x"', "MALFORMED_BODY"),
        invalid_event("null, correctly signed", "null", "MALFORMED_BODY"),
        invalid_event("a number, correctly signed", "1", "MALFORMED_BODY"),
        invalid_event("an empty body, correctly signed", "", "MALFORMED_BODY"),
        invalid_event("a form body, correctly signed", "a=1&b=2", "MALFORMED_BODY"),
        invalid_event("a duplicate key, correctly signed", '{"a":1,"a":2}', "MALFORMED_BODY"),
        invalid_event("a duplicate key in a nested object, correctly signed", '{"x":{"a":1,"a":1}}', "MALFORMED_BODY"),
        invalid_event("a duplicate key spelled with an escape, correctly signed", '{"a":1,"\\u0061":2}', "MALFORMED_BODY"),
        invalid_event("a byte-order mark before the object, correctly signed", "\ufeff" + body, "MALFORMED_BODY"),
        invalid_event("trailing garbage after the object, correctly signed", body + "x", "MALFORMED_BODY"),
        invalid_event("two objects, correctly signed", "{}{}", "MALFORMED_BODY"),
        invalid_event("a trailing comma, correctly signed", '{"a":1,}', "MALFORMED_BODY"),
        invalid_event("single quotes, correctly signed", "{'a':1}", "MALFORMED_BODY"),
        invalid_event("a raw 0xFF byte in a string, correctly signed", b'{"a":"\xff"}', "MALFORMED_BODY"),
        invalid_event("an array with a wrong signature: the signature is checked first", "[]", "SIGNATURE_MISMATCH", signature=sig),
        invalid_event("the lowest bit flipped", body, "SIGNATURE_MISMATCH", signature=flip_bit(sig, 31, 0)),
        invalid_event("the highest bit of the first byte flipped", body, "SIGNATURE_MISMATCH", signature=flip_bit(sig, 0, 7)),
        invalid_event(
            "signed over the re-serialised JSON, not the raw body",
            '{"id": "evt_1", "status": "completed"}',
            "SIGNATURE_MISMATCH",
            signature=sig,
        ),
        invalid_event("signed with another salt", body, "SIGNATURE_MISMATCH", signature=sign_bytes(body.encode(), "other")),
        invalid_event("a sha256= prefix twice", body, "MALFORMED_SIGNATURE", signature="sha256=sha256=" + sig),
        invalid_event("a space after sha256=", body, "MALFORMED_SIGNATURE", signature="sha256= " + sig),
        invalid_event("a sha256: prefix (colon)", body, "MALFORMED_SIGNATURE", signature="sha256:" + sig),
        invalid_event("a sha1= prefix", body, "MALFORMED_SIGNATURE", signature="sha1=" + sig),
        invalid_event("a space inside the hex", body, "MALFORMED_SIGNATURE", signature=sig[:32] + " " + sig[32:]),
        invalid_event("sha256= and nothing else", body, "MISSING_SIGNATURE", signature="sha256="),
        invalid_event("only white space", body, "MISSING_SIGNATURE", signature=" \t "),
        invalid_event("a prefixed signature with the lowest bit flipped", body, "SIGNATURE_MISMATCH", signature="sha256=" + flip_bit(sig, 31, 0)),
        invalid_event("63 hex digits", body, "MALFORMED_SIGNATURE", signature=sig[:63]),
        invalid_event("65 hex digits", body, "MALFORMED_SIGNATURE", signature=sig + "0"),
        invalid_event("a non-hex digit", body, "MALFORMED_SIGNATURE", signature="z" + sig[1:]),
        invalid_event("base64 instead of hex", body, "MALFORMED_SIGNATURE", signature="A" * 43 + "="),
        invalid_event("an empty signature", body, "MISSING_SIGNATURE", signature=""),
        invalid_event("an empty salt", body, "INVALID_SECRET", salt="", signature=sig),
        invalid_event(
            "an empty salt, even when signed with an empty key",
            body,
            "INVALID_SECRET",
            salt="",
            signature=sign_bytes(body.encode(), ""),
        ),
    ]


# ------------------------------------------------------------------ output


def check_owner_case(case):
    """The owner's cases must agree with the documented algorithm too."""
    if "fields" in case:
        assert sign_fields(case["fields"], case["salt"]) == case["hmac"], case["name"]
        assert canonical(case["fields"]) == case["canonical"], case["name"]
        if "body" in case:
            decoded = decode_form(case["body"].encode("utf-8"))
            assert dict(decoded) == {**case["fields"], "hmac": case["hmac"]}, case["name"]
    else:
        assert sign_bytes(case["body"].encode("utf-8"), case["salt"]) == case["signature"], case["name"]


def merge(owner, generated):
    names = {c["name"] for c in generated}
    assert len(names) == len(generated), "duplicate case names"
    kept = [c for c in owner if c["name"] not in names]
    for c in kept:
        check_owner_case(c)
    return kept + generated


def escape_invisible(text: str) -> str:
    """json.dumps(ensure_ascii=False), but invisible characters (BOM, controls) escaped."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cs", "Zl", "Zp") and ch not in "\n":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=pathlib.Path, default=OUT)
    args = parser.parse_args()
    owner = json.loads(args.base.read_text(encoding="utf-8"))
    doc = {
        "about": ABOUT,
        "webhooks": merge(owner.get("webhooks", []), valid_webhooks()),
        "events": merge(owner.get("events", []), valid_events()),
        "invalid": merge(owner.get("invalid", []), invalid_webhooks()),
        "invalid_events": merge(owner.get("invalid_events", []), invalid_events()),
    }
    text = escape_invisible(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
    assert json.loads(text) == doc
    OUT.write_text(text, encoding="utf-8")
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
    print(f"wrote {OUT}: {counts}")


if __name__ == "__main__":
    main()
