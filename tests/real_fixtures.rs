#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The real-world fixtures of tests/fixtures/real/ (shared with
//! tests/node/real-fixtures.test.mjs) against the core crate: every `now` expectation of
//! the HitPay webhooks and events, the PayEx callbacks and the Smart Router body. For
//! the HitPay form webhooks, event signatures and PayEx callbacks, which issue 13 has
//! changed, the `after_issue_13` expectation when there is one; elsewhere `now`.

use payhook::payex::{self, PayexCallback};
use payhook::{hapi, hitpay, smart_router, Code};
use serde_json::Value;

fn root() -> String {
    format!("{}/tests/fixtures/real", env!("CARGO_MANIFEST_DIR"))
}

fn bytes(path: &str) -> Vec<u8> {
    let path = format!("{}/{path}", root());
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn json(path: &str) -> Value {
    serde_json::from_slice(&bytes(path)).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// Checks an error against `{ "error": { "code", "field"? } }`.
fn check_error<T: std::fmt::Debug>(label: &str, result: payhook::Result<T>, want: &Value) {
    let e = result.expect_err(label);
    assert_eq!(e.code().as_str(), want["code"].as_str().unwrap(), "{label}");
    if let Some(field) = want.get("field").and_then(Value::as_str) {
        assert_eq!(e.field_name(), Some(field), "{label}");
    }
}

/// The HitpayWebhook property names of the Node result, by wire field.
const HITPAY_FIELDS: [(&str, &str); 7] = [
    ("paymentId", "payment_id"),
    ("paymentRequestId", "payment_request_id"),
    ("referenceNumber", "reference_number"),
    ("phone", "phone"),
    ("amount", "amount"),
    ("currency", "currency"),
    ("status", "status"),
];

#[test]
fn hitpay_webhooks_signed_by_hitpays_php_sdk() {
    let manifest = json("hitpay/manifest.json");
    let generated = json("hitpay/generated-signatures.json");
    let salt = generated["salt"].as_str().unwrap().as_bytes();
    let webhooks = generated["webhooks"].as_array().unwrap();
    assert_eq!(
        webhooks.len(),
        manifest["webhooks"].as_object().unwrap().len()
    );
    for w in webhooks {
        let name = w["name"].as_str().unwrap();
        let now = after_issue_13(&manifest["webhooks"][name]);
        let body = w["body"].as_str().unwrap().as_bytes();
        let result = hitpay::verify_webhook(body, salt);
        if let Some(ok) = now.get("ok") {
            let hook = result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
            for (property, wire) in HITPAY_FIELDS {
                if let Some(want) = ok.get(property) {
                    assert_eq!(hook.get(wire), want.as_str(), "{name}: {wire}");
                }
            }
            for absent in now
                .get("absent")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let absent = absent.as_str().unwrap();
                let wire = HITPAY_FIELDS
                    .iter()
                    .find(|(p, _)| *p == absent)
                    .map_or(absent, |(_, w)| w);
                assert_eq!(hook.get(wire), None, "{name}: {absent} must be absent");
            }
            // HitPay's real webhooks pass strict mode too.
            let strict = hitpay::verify_webhook_strict(body, salt)
                .unwrap_or_else(|e| panic!("{name} strict: {e:?}"));
            assert_eq!(strict, hook, "{name}");
        } else {
            check_error(name, result, &now["error"]);
        }
    }
}

#[test]
fn hitpay_events_documented_bodies_and_signature_forms() {
    let manifest = json("hitpay/manifest.json");
    let generated = json("hitpay/generated-signatures.json");
    let salt = generated["salt"].as_str().unwrap().as_bytes();
    for event in generated["events"].as_array().unwrap() {
        let file = event["file"].as_str().unwrap();
        let body = bytes(&format!("hitpay/{file}"));
        let sig = event["signature"].as_str().unwrap();
        let forms = [
            ("exact", sig.to_owned()),
            ("uppercase", sig.to_uppercase()),
            ("surrounding_whitespace", format!("  {sig} ")),
            ("sha256_prefix", format!("sha256={sig}")),
        ];
        for (form, header) in forms {
            let now = after_issue_13(&manifest["events"]["signatures"][form]);
            let label = format!("{file} {form}");
            let result = hitpay::verify_event(&body, header.as_bytes(), salt);
            if now.get("ok").is_some() {
                result.unwrap_or_else(|e| panic!("{label}: {e:?}"));
            } else {
                check_error(&label, result, &now["error"]);
            }
        }
    }
}

/// What payhook does once issue 13 is in: `after_issue_13` when the entry has one.
fn after_issue_13(entry: &Value) -> &Value {
    entry
        .get("after_issue_13")
        .filter(|v| !v.is_null())
        .unwrap_or(&entry["now"])
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn number(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

#[test]
fn payex_callbacks_from_sdk_tests_and_developer_portal() {
    let manifest = json("payex/manifest.json");
    let callbacks = manifest["callbacks"].as_object().unwrap();
    assert!(callbacks.len() >= 8);
    for (file, entry) in callbacks {
        let result = payex::parse_callback(&bytes(&format!("payex/{file}")));
        let now = after_issue_13(entry);
        let Some(ok) = now.get("ok") else {
            check_error(file, result, &now["error"]);
            continue;
        };
        let want = PayexCallback {
            payment_order_id: string(ok, "paymentOrderId"),
            payment_id: string(ok, "paymentId"),
            transaction_id: string(ok, "transactionId"),
            instrument: string(ok, "instrument"),
            payment_number: number(ok, "paymentNumber"),
            transaction_number: number(ok, "transactionNumber"),
            payment_order_number: number(ok, "paymentOrderNumber"),
            order_reference: string(ok, "orderReference"),
            payment_url: string(ok, "paymentUrl"),
            transaction_url: string(ok, "transactionUrl"),
            payment_order_url: string(ok, "paymentOrderUrl"),
        };
        assert_eq!(
            result.unwrap_or_else(|e| panic!("{file}: {e:?}")),
            want,
            "{file}"
        );
    }
}

#[test]
fn smart_router_documented_webhook_body() {
    let manifest = json("smart-router/manifest.json");
    for (file, entry) in manifest["webhooks"].as_object().unwrap() {
        let hook = smart_router::parse_webhook(&bytes(&format!("smart-router/{file}"))).unwrap();
        let ok = &entry["now"]["ok"];
        assert_eq!(Some(hook.event_id), string(ok, "eventId"), "{file}");
        assert_eq!(hook.event_type, string(ok, "eventType"), "{file}");
    }
}

/// How PHP reads query keys that disguise HAPI's reserved keys (hapi/generate.php
/// records `$_GET` from PHP's built-in server): every key that PHP reads as a
/// reserved name (compared without case, as payhook compares) is refused by
/// `build_callback_url`, in the parameters and in the base URL, and by
/// `parse_callback`; a key with a control character is `INVALID_FIELD`.
#[test]
fn hapi_keys_as_php_reads_them() {
    let generated = json("hapi/generated-php-reads.json");
    let cases = generated["cases"].as_array().unwrap();
    let mut read_as_reserved = 0;
    for case in cases {
        let key = case["key"].as_str().unwrap();
        let query = case["query"].as_str().unwrap();
        let reads: Vec<&str> = case["reads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let reserved = reads.iter().any(|r| {
            ["draftCampaignId", "amount", "walletId"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(r))
        });
        let control = key.chars().any(char::is_control);
        let built = hapi::build_callback_url("https://ats.example/cb", &[(key, "1")]);
        let in_base = hapi::build_callback_url(&format!("https://ats.example/cb?{query}"), &[]);
        let parsed = hapi::parse_callback(&format!("/cb?{query}&amount=1&walletId=w"));
        if control {
            for got in [&built, &in_base] {
                assert_eq!(
                    got.as_ref().map_err(|e| e.code()),
                    Err(Code::InvalidField),
                    "{key:?}"
                );
            }
        }
        if reserved {
            read_as_reserved += 1;
            let want = if control {
                Code::InvalidField
            } else {
                Code::ReservedQueryKey
            };
            for got in [&built, &in_base] {
                assert_eq!(
                    got.as_ref().map_err(|e| e.code()),
                    Err(want),
                    "{key:?} reads as {reads:?}"
                );
            }
            let code = parsed.as_ref().map(|_| ()).map_err(|e| e.code());
            let exact = ["draftCampaignId", "amount", "walletId"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key));
            assert!(
                exact
                    || matches!(
                        code,
                        Err(Code::ReservedQueryKey | Code::InvalidField | Code::DuplicateField)
                    ),
                "parse_callback accepted {key:?} (PHP reads {reads:?}): {code:?}"
            );
        }
    }
    assert!(read_as_reserved >= 81, "{read_as_reserved}");
}
