#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/seeds/<target>/.

Seeds come from the test vectors (tests/vectors/*.json) and from the contract's
examples, in each target's input format (see the module comment of
fuzz/src/<target>.rs). `make fuzz` starts each target from these seeds plus the
committed, minimised corpus (fuzz/corpus/<target>/); seeds/ itself is not
committed (run this script to get it back).

Usage (from the repository root): python3 fuzz/seed_corpus.py
"""

import hashlib
import json
import pathlib
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "seeds"
VECTORS = ROOT / "tests" / "vectors"


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def form(fields):
    return urllib.parse.urlencode(list(fields.items()))


hitpay = json.loads((VECTORS / "hitpay.json").read_text())
payex = json.loads((VECTORS / "payex.json").read_text())
smart = json.loads((VECTORS / "smart-router.json").read_text())

# hitpay_webhook: flags, salt \n body
for case in hitpay["webhooks"]:
    body = case.get("body") or (form(case["fields"]) + "&hmac=" + case["hmac"])
    write("hitpay_webhook", b"\x00" + case["salt"].encode() + b"\n" + body.encode())
    unsigned = form(case["fields"])
    for flags in (1, 2, 3, 5):
        write("hitpay_webhook", bytes([flags]) + case["salt"].encode() + b"\n" + unsigned.encode())
for case in hitpay["invalid"]:
    body = bytes.fromhex(case["body_hex"]) if "body_hex" in case else case["body"].encode()
    write("hitpay_webhook", b"\x00" + case["salt"].encode() + b"\n" + body)
# Issue 13: payment webhooks as HitPay sends them (strict mode's reach), with null fields
# left out (flag 8: signed as empty), and re-split bodies (valid, refused by strict mode).
PID, PRID = "92965a2d-ece3-4ace-1245-494050c9a3c1", "92965a20-dae5-4d89-a452-5fdfa382dbe1"
for flags, body in [
    (1, f"payment_id={PID}&payment_request_id={PRID}&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed"),
    (9, f"payment_id={PID}&payment_request_id={PRID}&phone=&amount=599.00&currency=SGD&status=completed"),
    (9, f"payment_id={PID}&payment_request_id={PRID}&amount=599.00&currency=SGD&status=failed"),
    (13, f"payment_id={PID}&payment_request_id={PRID}&reference_number=R&amount=599.00&currency=SGD&status=pending"),
    (1, f"payment_id={PID}payment_request_id{PRID}&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed"),
    (1, f"payment_id={PID}&payment_request_id={PRID}&reference_number=ABC123statuscompleted&phone=&amount=599.00&currency=SGD"),
    (1, f"payment_id={PID}&payment_request_id={PRID}&phone=reference_numberABC123&amount5=99.00&currency=SGD&status=completed"),
]:
    write("hitpay_webhook", bytes([flags]) + b"salt]9;{2}\n" + body.encode())

# hitpay_event: flags, salt \n signature \n body
for case in hitpay["events"] + hitpay["invalid_events"]:
    body = bytes.fromhex(case["body_hex"]) if "body_hex" in case else case["body"].encode()
    sig = case.get("signature", "")
    write("hitpay_event", b"\x00" + case["salt"].encode() + b"\n" + sig.encode() + b"\n" + body)
    write("hitpay_event", b"\x01" + case["salt"].encode() + b"\n\n" + body)
    if "header" in case:
        write("hitpay_event", b"\x00" + case["salt"].encode() + b"\n" + case["header"].strip("\n").encode() + b"\n" + body)
    # Flag 4: the correct signature written `sha256=` and wrapped in white space.
    write("hitpay_event", b"\x05" + case["salt"].encode() + b"\n\n" + body)

# hitpay_redirect: the URL
for url in [
    "https://shop.example/done?reference=r_123&status=completed",
    "/done?reference=r%201&status=pending&extra=1",
    "https://shop.example:8443/a/b?status=failed&reference=x#frag",
    "http://[::1]/cb?reference=&status=x",
    "https://u:p@shop.example/?reference=1&reference=2&status=s",
    "/cb?status=completed",
    "https://shop.example/?reference=%E2%82%AC&status=ok",
]:
    write("hitpay_redirect", url)

# hitpay_payment_request: bytes for `arbitrary`
for i in range(8):
    write("hitpay_payment_request", bytes([i * 37 % 256]) * (16 + i * 24))
write("hitpay_payment_request", bytes(range(256)))

# hapi_build: base \n key\tvalue lines
for base, params in [
    ("https://ats.example/webhooks/hapi", [("job", "42"), ("a b", "c&d")]),
    ("https://ats.example/cb?x=1", [("y", "2")]),
    ("https://ats.example/cb?", [("ref", "é")]),
    ("http://127.0.0.1:8787/cb", []),
    ("http://[::1]/cb?flag", [("k", "")]),
    ("https://a.example/?%61mount=1", []),
    ("https://a.example/", [("amount[]", "1")]),
    ("https://a.example/", [("WalletID", "1")]),
    ("https://a.example/#x", []),
    ("https://u:p@a.example/", []),
    ("http://a.example/", []),
    ("https://a.example/?x=1", [("x", "2")]),
]:
    write("hapi_build", base + "\n" + "".join(f"{k}\t{v}\n" for k, v in params))

# hapi_parse: the URL
for url in [
    "/cb?job=42&draftCampaignId=d1&amount=150.00&walletId=w1",
    "https://ats.example/cb?amount=5&walletId=w",
    "/cb?amount=1&Amount=2&walletId=w",
    "/cb?amount=1e3&walletId=w",
    "/cb?amount=1&walletId=w&draftCampaignId=",
    "/cb?amount=%ZZ&walletId=w",
    "/cb?AMOUNT=10.5&WALLETID=w%20x&x=1&x=2",
]:
    write("hapi_parse", url)

# callback_url: flags, secret \n url \n ignored keys \n mutations
for flags, secret, url, ignore in [
    (1, "callback-secret", "https://ats.example/hapi?order=o%201", "draftCampaignId,amount,walletId"),
    (0, "s3cret", "https://a.example/cb?x=1", "amount"),
    (3, "k", "http://127.0.0.1:8787/cb?a=1&b=%C3%A4", ""),
    (0, "secret", "https://a.example", "walletId"),
    (0, "secret", "https://a.example/?sig=1", ""),
    (0, "secret", "https://a.example/cb?x=1&x=2", ""),
]:
    write("callback_url", bytes([flags]) + f"{secret}\n{url}\n{ignore}\n".encode() + bytes([3, 1, 0, 0, 5, 65]))
write("callback_url", b"\x00callback-secret\n/hapi?order=o+1&exp=2000000000&sig=3hMvW18_9wM4FN9s-t22ZNFo08Dg5Cg4T96qKyzepDc\n\n")

# smart_router_webhook: the body
for case in smart["valid"]:
    write("smart_router_webhook", json.dumps(case["body"]))
for body in ['{"event_id":null}', '{"event_id":"ev 1"}', '{"event_id":"a","event_type":1}', '[]',
             '{"event_id":"a","event_id":"b"}', '{"event_id":"\\u0061"}']:
    write("smart_router_webhook", body)

# basic_auth: flags, user \n pass \n header-or-URL
for flags, user, pw, rest in [
    (0, "user", "pass", "Basic dXNlcjpwYXNz"),
    (1, "webhook", "p@ss:w/rd#?", "https://shop.example/hooks/processout"),
    (0x0B, "u", "p", "http://localhost:8787/hook"),
    (0, "user", "pass", "basic   dXNlcjpwYXNz"),
    (0, "user", "pass", "Basic dXNlcjpwYXNz="),
    (0, "", "pass", "https://shop.example/"),
    (0x41, "ü", "ß", "https://u@shop.example/"),
]:
    write("basic_auth", bytes([flags]) + f"{user}\n{pw}\n{rest}".encode())

# payex_callback: the body
for case in payex["valid"]:
    write("payex_callback", json.dumps(case["body"]))
P = "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c"
for body in [
    {"payment": P, "paymentNumber": 1},
    {"payment": "https://evil.example" + P, "paymentNumber": 1},
    {"payment": P.replace("creditcard", ".."), "paymentNumber": 1},
    {"payment": P, "paymentNumber": 9007199254740992},
    {"payment": {"id": P, "number": 1}, "transaction": {"id": P + "/captures/5adc265f-f87f-4313-577e-08d3dca1a26d", "number": 2}},
    {"paymentOrder": {"id": "/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba", "instrument": "CreditCard"}, "orderReference": "o1"},
]:
    write("payex_callback", json.dumps(body))

# api_requests: flags, path \n token \n key \n base
for flags, path, token, key, base in [
    (0, P, "token", "key", ""),
    (1, P + "/transactions/5adc265f-f87f-4313-577e-08d3dca1a26d", "token", "key", "https://api.externalintegration.payex.com/"),
    (1, "ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C", "proj_1", "key_1", "http://127.0.0.1:9000"),
    (1, "/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba", "t", "k", "https://api.example@evil.example"),
    (0, "//evil.example/psp", "t\n", "k", ""),
]:
    write("api_requests", bytes([flags]) + f"{path}\n{token}\n{key}\n{base}".encode())

print("seeds written to", OUT)
