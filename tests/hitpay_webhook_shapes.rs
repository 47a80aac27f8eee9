#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! HitPay form webhooks as HitPay really sends them: null fields signed but left
//! out of the body, re-split bodies and strict mode, and `Hitpay-Signature`
//! variants. Signatures are computed with the `hmac` crate (tests/common) by the rule of
//! HitPay's PHP SDK (`generateSignatureArray`: a null value adds just its key),
//! never by payhook.

mod common;

use common::hmac_hex;
use payhook::diagnose::diagnose;
use payhook::hitpay::{self, shape, Salt, VerifyOptions};
use payhook::Code;

const SALT: &[u8] = b"fixture-salt]9;{2}^/=&+ \xc3\xa9";

/// HitPay's signer: `Some(v)` fields add `key + v`, `None` (null) adds just the key;
/// sorted by the key's bytes.
fn sign(fields: &[(&str, Option<&str>)], salt: &[u8]) -> String {
    let mut sorted = fields.to_vec();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let message: String = sorted
        .iter()
        .map(|(k, v)| format!("{k}{}", v.unwrap_or_default()))
        .collect();
    sign_message(&message, salt)
}

/// The MAC of a raw message (for re-split bodies).
fn sign_message(message: &str, salt: &[u8]) -> String {
    hmac_hex(salt, message.as_bytes())
}

/// `http_build_query`: nulls left out, values percent-encoded (enough for these tests).
fn body(fields: &[(&str, Option<&str>)], hmac: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let mut out: Vec<String> = fields
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{}={}", enc(k), enc(v))))
        .collect();
    out.push(format!("hmac={hmac}"));
    out.join("&")
}

/// The documented webhook sample (docs.hitpayapp.com), with `reference_number`
/// and `phone` as given.
fn sample<'a>(
    reference: Option<&'a str>,
    phone: Option<&'a str>,
) -> Vec<(&'a str, Option<&'a str>)> {
    vec![
        ("payment_id", Some("92965a2d-ece3-4ace-1245-494050c9a3c1")),
        (
            "payment_request_id",
            Some("92965a20-dae5-4d89-a452-5fdfa382dbe1"),
        ),
        ("reference_number", reference),
        ("phone", phone),
        ("amount", Some("599.00")),
        ("currency", Some("SGD")),
        ("status", Some("completed")),
    ]
}

fn keys(fields: &[(String, String)]) -> Vec<&str> {
    fields.iter().map(|(k, _)| k.as_str()).collect()
}

// ---------------------------------------------------------------- null fields

#[test]
fn a_null_field_left_out_of_the_body_verifies_and_stays_absent() {
    for (reference, phone) in [
        (None, Some("")),
        (Some("ABC123"), None),
        (None, None),
        (None, Some("+6591234567")),
    ] {
        let fields = sample(reference, phone);
        let b = body(&fields, &sign(&fields, SALT));
        for strict in [false, true] {
            let hook = hitpay::verify_webhook_options(b.as_bytes(), SALT, VerifyOptions { strict })
                .unwrap_or_else(|e| panic!("{reference:?} {phone:?} strict={strict}: {e:?}"));
            let sent: Vec<&str> = fields
                .iter()
                .filter(|(_, v)| v.is_some())
                .map(|(k, _)| *k)
                .collect();
            assert_eq!(keys(&hook.fields), sent);
            assert_eq!(hook.get("reference_number"), reference);
            assert_eq!(hook.get("phone"), phone);
        }
        let prepared = Salt::new(SALT).unwrap();
        assert!(hitpay::verify_webhook_with(b.as_bytes(), &prepared).is_ok());
        let d = diagnose(b.as_bytes(), SALT);
        assert!(d.valid);
        let hint = d
            .hints
            .iter()
            .find(|h| h.code == "NULL_FIELD_OMITTED")
            .expect("hint");
        assert!(hint.confirmed);
        // The canonical message is what HitPay signed: the null keys with empty values.
        let mut canonical = String::new();
        let mut sorted = fields.clone();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (k, v) in sorted {
            canonical.push_str(k);
            canonical.push_str(v.unwrap_or_default());
        }
        assert_eq!(d.canonical.as_deref(), Some(canonical.as_str()));
    }
}

#[test]
fn a_body_with_every_field_gets_no_null_hint() {
    let fields = sample(Some("ABC123"), Some(""));
    let b = body(&fields, &sign(&fields, SALT));
    let d = diagnose(b.as_bytes(), SALT);
    assert!(d.valid);
    assert!(d.hints.is_empty(), "{:?}", d.hints);
}

#[test]
fn only_nullable_fields_may_be_missing_and_only_as_empty() {
    let code = |b: &str| {
        hitpay::verify_webhook(b.as_bytes(), SALT)
            .map(|_| ())
            .map_err(|e| e.code())
    };
    // A field that is never null (status) signed empty and left out: refused.
    let mut fields = sample(Some("ABC123"), Some(""));
    fields[6].1 = None;
    assert_eq!(
        code(&body(&fields, &sign(&fields, SALT))),
        Err(Code::SignatureMismatch)
    );
    // reference_number signed with a value, then left out: refused.
    let fields = sample(Some("ABC123"), Some(""));
    let hmac = sign(&fields, SALT);
    let without: Vec<_> = fields
        .iter()
        .filter(|(k, _)| *k != "reference_number")
        .copied()
        .collect();
    assert_eq!(code(&body(&without, &hmac)), Err(Code::SignatureMismatch));
    // Signed as null, sent with a value: refused; sent empty: accepted (it is empty).
    let fields = sample(None, Some(""));
    let hmac = sign(&fields, SALT);
    let mut with_value = fields.clone();
    with_value[2].1 = Some("X");
    assert_eq!(
        code(&body(&with_value, &hmac)),
        Err(Code::SignatureMismatch)
    );
    let mut with_empty = fields.clone();
    with_empty[2].1 = Some("");
    let hook = hitpay::verify_webhook(body(&with_empty, &hmac).as_bytes(), SALT).unwrap();
    assert_eq!(hook.get("reference_number"), Some(""));
    // Another salt never verifies, whatever null fields are tried.
    assert_eq!(
        hitpay::verify_webhook(body(&fields, &hmac).as_bytes(), b"another salt")
            .unwrap_err()
            .code(),
        Code::SignatureMismatch
    );
    // An unknown field signed as null and left out is not guessed.
    let mut extra = sample(Some("ABC123"), Some(""));
    extra.push(("note", None));
    assert_eq!(
        code(&body(&extra, &sign(&extra, SALT))),
        Err(Code::SignatureMismatch)
    );
}

#[test]
fn the_nullable_list_is_small_and_sorted() {
    // Every retry is a MAC: at most 2^n - 1 of them.
    assert!(shape::NULLABLE_FIELDS.len() <= 3);
    let mut sorted = shape::NULLABLE_FIELDS.to_vec();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert_eq!(sorted, shape::NULLABLE_FIELDS);
    for f in shape::NULLABLE_FIELDS {
        assert!(shape::KNOWN_FIELDS.contains(f));
    }
}

// ---------------------------------------------------------------- re-splitting and strict mode

/// The re-split bodies of the README: each has the genuine sample's `hmac`.
fn resplit_examples() -> Vec<(&'static str, String, &'static str)> {
    let id = "92965a2d-ece3-4ace-1245-494050c9a3c1";
    let rid = "92965a20-dae5-4d89-a452-5fdfa382dbe1";
    vec![
        (
            "payment_id swallows payment_request_id",
            format!("payment_id={id}payment_request_id{rid}&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed"),
            "payment_id",
        ),
        (
            "status folded into reference_number",
            format!("payment_id={id}&payment_request_id={rid}&reference_number=ABC123statuscompleted&phone=&amount=599.00&currency=SGD"),
            "status",
        ),
        (
            "amount replaced by amount5",
            format!("payment_id={id}&payment_request_id={rid}&reference_number=ABC123&phone=&amount5=99.00&currency=SGD&status=completed"),
            "amount5",
        ),
        (
            "phone swallows reference_number",
            format!("payment_id={id}&payment_request_id={rid}&phone=reference_numberABC123&amount=599.00&currency=SGD&status=completed"),
            "phone",
        ),
        (
            "currency swallows payment_id",
            format!("payment_request_id={rid}&reference_number=ABC123&phone=&amount=599.00&currency=SGDpayment_id{id}&status=completed"),
            "currency",
        ),
    ]
}

#[test]
fn resplit_bodies_verify_but_strict_mode_refuses_them() {
    let fields = sample(Some("ABC123"), Some(""));
    let hmac = sign(&fields, SALT);
    let genuine = body(&fields, &hmac);
    assert!(hitpay::verify_webhook_strict(genuine.as_bytes(), SALT).is_ok());
    for (what, resplit, field) in resplit_examples() {
        let b = format!("{resplit}&hmac={hmac}");
        assert!(
            hitpay::verify_webhook(b.as_bytes(), SALT).is_ok(),
            "{what}: the re-split body verifies"
        );
        let err = hitpay::verify_webhook_strict(b.as_bytes(), SALT).unwrap_err();
        assert_eq!(
            (err.code(), err.field_name()),
            (Code::InvalidField, Some(field)),
            "{what}"
        );
        let prepared = Salt::new(SALT).unwrap();
        assert_eq!(
            hitpay::verify_webhook_with_options(b.as_bytes(), &prepared, VerifyOptions::STRICT)
                .unwrap_err(),
            err
        );
    }
}

#[test]
fn strict_mode_checks_each_field() {
    let base = sample(Some("ABC123"), Some("+65 9123-4567"));
    let cases: &[(&str, Option<&str>, Option<Code>)] = &[
        (
            "payment_id",
            Some("92965A2D-ECE3-4ACE-1245-494050C9A3C1"),
            None,
        ),
        (
            "payment_id",
            Some("92965a2d-ece3-4ace-1245-494050c9a3c"),
            Some(Code::InvalidField),
        ),
        (
            "payment_id",
            Some("92965a2dece34ace1245494050c9a3c1xxxx"),
            Some(Code::InvalidField),
        ),
        (
            "payment_request_id",
            Some("g2965a20-dae5-4d89-a452-5fdfa382dbe1"),
            Some(Code::InvalidField),
        ),
        ("payment_request_id", None, Some(Code::InvalidField)),
        ("amount", Some("599"), None),
        ("amount", Some("0.30"), None),
        ("amount", Some("599."), Some(Code::InvalidField)),
        ("amount", Some("-599.00"), Some(Code::InvalidField)),
        ("amount", Some("5e2"), Some(Code::InvalidField)),
        ("amount", Some(""), Some(Code::InvalidField)),
        ("currency", Some("sgd"), None),
        ("currency", Some("SG"), Some(Code::InvalidField)),
        ("currency", Some("SGD1"), Some(Code::InvalidField)),
        ("status", Some("failed"), None),
        ("status", Some("pending"), None),
        ("status", Some("canceled"), None),
        ("status", Some("Completed"), Some(Code::InvalidField)),
        ("status", Some("succeeded"), Some(Code::InvalidField)),
        ("status", None, Some(Code::InvalidField)),
        ("phone", Some(""), None),
        ("phone", Some("+6591234567x"), Some(Code::InvalidField)),
        (
            "reference_number",
            Some("anything: Order #1001 / Café & Co+"),
            None,
        ),
        ("reference_number", Some(""), None),
    ];
    for &(key, value, want) in cases {
        let mut fields = base.clone();
        let slot = fields.iter_mut().find(|(k, _)| *k == key).unwrap();
        slot.1 = value;
        // Leaving a field out here means not signing it either.
        let signed: Vec<_> = fields
            .iter()
            .filter(|(_, v)| v.is_some())
            .copied()
            .collect();
        let b = body(&signed, &sign(&signed, SALT));
        assert!(
            hitpay::verify_webhook(b.as_bytes(), SALT).is_ok(),
            "{key}={value:?} non-strict"
        );
        let got = hitpay::verify_webhook_strict(b.as_bytes(), SALT);
        match want {
            None => assert!(got.is_ok(), "{key}={value:?}: {got:?}"),
            Some(code) => {
                let e = got.unwrap_err();
                assert_eq!(
                    (e.code(), e.field_name()),
                    (code, Some(key)),
                    "{key}={value:?}"
                );
                if let Some(v) = value.filter(|v| v.len() > 3) {
                    assert!(
                        !e.message().contains(v),
                        "no values in messages: {}",
                        e.message()
                    );
                }
            }
        }
    }
    // A field HitPay does not send (a recurring-billing field, say): refused.
    let mut extra = base.clone();
    extra.push((
        "recurring_billing_id",
        Some("9741164c-06a1-4dd7-a649-72cca8f9603a"),
    ));
    let b = body(&extra, &sign(&extra, SALT));
    let e = hitpay::verify_webhook_strict(b.as_bytes(), SALT).unwrap_err();
    assert_eq!(
        (e.code(), e.field_name()),
        (Code::InvalidField, Some("recurring_billing_id"))
    );
}

#[test]
fn strict_mode_checks_the_signature_first() {
    let b = "status=nope&hmac=0000000000000000000000000000000000000000000000000000000000000000";
    assert_eq!(
        hitpay::verify_webhook_strict(b.as_bytes(), SALT)
            .unwrap_err()
            .code(),
        Code::SignatureMismatch
    );
    assert_eq!(
        hitpay::verify_webhook_strict(b"status=nope", SALT)
            .unwrap_err()
            .code(),
        Code::MissingSignature
    );
}

/// Every way to cut `message` into `key + value` pairs with keys from `keys`,
/// strictly increasing in byte order (what a verifier's sort produces), as
/// (key, value) lists.
fn splits(message: &str, keys: &[&'static str]) -> Vec<Vec<(&'static str, String)>> {
    fn go(
        rest: &str,
        keys: &[&'static str],
        current: &mut Vec<(&'static str, String)>,
        out: &mut Vec<Vec<(&'static str, String)>>,
    ) {
        if rest.is_empty() {
            out.push(current.clone());
            return;
        }
        // The next key must be a prefix of what is left: try each allowed key,
        // and each end of its value (the start of the following key, or the end).
        for (i, key) in keys.iter().enumerate() {
            let Some(after_key) = rest.strip_prefix(key) else {
                continue;
            };
            for end in 0..=after_key.len() {
                if !after_key.is_char_boundary(end) {
                    continue;
                }
                let (value, tail) = after_key.split_at(end);
                let following = &keys[i + 1..];
                if !tail.is_empty() && !following.iter().any(|k| tail.starts_with(k)) {
                    continue;
                }
                current.push((key, value.to_owned()));
                go(tail, following, current, out);
                current.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(message, keys, &mut Vec::new(), &mut out);
    out
}

#[test]
fn strict_mode_leaves_one_way_to_read_a_genuine_message() {
    // Any body strict mode accepts has only known keys, so these are all the
    // bodies that could carry the genuine hmac past strict mode (an empty
    // nullable value stands for the field sent empty or left out).
    for (reference, phone, status) in [
        (Some("ABC123"), Some(""), "completed"),
        (None, Some(""), "completed"),
        (None, None, "failed"),
        (
            Some("ORDER-1statuspending"),
            Some("+6591234567"),
            "completed",
        ),
        (Some("Xstatuscompleted"), None, "failed"),
        (Some("phonereference_number"), Some(""), "completed"),
        (Some(""), Some("+65"), "pending"),
    ] {
        let mut fields = sample(reference, phone);
        fields[6].1 = Some(status);
        let mut sorted = fields.clone();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let message: String = sorted
            .iter()
            .map(|(k, v)| format!("{k}{}", v.unwrap_or_default()))
            .collect();
        let hmac = sign_message(&message, SALT);
        let all = splits(&message, shape::KNOWN_FIELDS);
        assert!(all.len() > 1, "{message}: the test must see re-splits");
        let mut accepted = Vec::new();
        for split in &all {
            let pairs: Vec<(&str, Option<&str>)> =
                split.iter().map(|(k, v)| (*k, Some(v.as_str()))).collect();
            let b = body(&pairs, &hmac);
            assert!(hitpay::verify_webhook(b.as_bytes(), SALT).is_ok(), "{b}");
            if hitpay::verify_webhook_strict(b.as_bytes(), SALT).is_ok() {
                accepted.push(split.clone());
            }
        }
        let genuine: Vec<(&str, String)> = sorted
            .iter()
            .map(|(k, v)| (*k, v.unwrap_or_default().to_owned()))
            .collect();
        // The genuine reading, with null fields as empty, is the only one.
        let genuine_with_all: Vec<_> = genuine.clone();
        assert_eq!(
            accepted,
            vec![genuine_with_all],
            "{message}: {} splits",
            all.len()
        );
    }
}

// ---------------------------------------------------------------- Hitpay-Signature

#[test]
fn event_signature_variants() {
    let body = br#"{"id":"9ef68e2e-3569-4f69-9f68-04c7e4bb007c","status":"completed"}"#;
    let sig = hmac_hex(SALT, body);
    let ok = |h: &str| hitpay::verify_event(body, h.as_bytes(), SALT).map_err(|e| e.code());
    for good in [
        sig.clone(),
        sig.to_uppercase(),
        format!("  {sig}\r\n"),
        format!("\t{sig}"),
        format!("sha256={sig}"),
        format!("SHA256={sig}"),
        format!(" sha256={sig} "),
    ] {
        assert_eq!(ok(&good), Ok(()), "{good:?}");
    }
    for (bad, code) in [
        (String::new(), Code::MissingSignature),
        ("   ".to_owned(), Code::MissingSignature),
        ("sha256=".to_owned(), Code::MissingSignature),
        (format!("sha256= {sig}"), Code::MalformedSignature),
        (format!("sha256=sha256={sig}"), Code::MalformedSignature),
        (format!("sha256:{sig}"), Code::MalformedSignature),
        (format!("sha1={sig}"), Code::MalformedSignature),
        (
            format!("{} {}", &sig[..32], &sig[32..]),
            Code::MalformedSignature,
        ),
        (format!("sha256={}", &sig[..63]), Code::MalformedSignature),
        (format!("sha256={}0", &sig[..63]), Code::SignatureMismatch),
    ] {
        let e = hitpay::verify_event(body, bad.as_bytes(), SALT).unwrap_err();
        assert_eq!(e.code(), code, "{bad:?}");
        if code != Code::SignatureMismatch {
            assert_eq!(e.field_name(), Some("Hitpay-Signature"));
        }
    }
}
