#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every case of tests/vectors/hitpay.json (shared with the Node tests) against
//! `payhook::hitpay`. The vectors were computed outside payhook (see gen_hitpay.py).

mod common;

use common::{hmac_hex, name};
use payhook::hitpay::{self, Salt};
use serde_json::Value;
use std::collections::BTreeMap;

fn vectors() -> Value {
    common::vectors("hitpay.json")
}

fn list<'a>(v: &'a Value, section: &str) -> &'a [Value] {
    let cases = v[section]
        .as_array()
        .unwrap_or_else(|| panic!("section `{section}` is a list"));
    assert!(!cases.is_empty(), "section `{section}` is empty");
    cases
}

fn str_of<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{}: `{key}` is a string", case["name"]))
}

/// `body` (UTF-8 text) or `body_hex` (bytes that are not UTF-8), if the case has one.
fn body_of(case: &Value) -> Option<Vec<u8>> {
    if let Some(text) = case["body"].as_str() {
        return Some(text.as_bytes().to_vec());
    }
    let hex = case["body_hex"].as_str()?;
    assert_eq!(
        hex.len() % 2,
        0,
        "{}: body_hex has an odd length",
        name(case)
    );
    Some(
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect(),
    )
}

fn fields_of(case: &Value) -> BTreeMap<String, String> {
    case["fields"]
        .as_object()
        .unwrap_or_else(|| panic!("{}: `fields` is an object", name(case)))
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// Messages never carry a salt or a signature: no salt, and no run of 16 or more
/// hex digits (any received or computed MAC would show as one).
fn assert_message_is_clean(case: &Value, err: &payhook::Error) {
    let message = err.message();
    assert!(!message.is_empty(), "{}: empty message", name(case));
    let salt = str_of(case, "salt");
    if !salt.is_empty() {
        assert!(
            !message.contains(salt),
            "{}: message contains the salt: {message}",
            name(case)
        );
    }
    let mut run = 0;
    for c in message.chars() {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        assert!(run < 16, "{}: message has hex in it: {message}", name(case));
    }
}

#[test]
fn the_vector_file_agrees_with_an_independent_hmac() {
    let v = vectors();
    for case in list(&v, "webhooks") {
        let salt = str_of(case, "salt");
        assert_eq!(
            hmac_hex(salt.as_bytes(), str_of(case, "canonical").as_bytes()),
            str_of(case, "hmac"),
            "{}",
            name(case)
        );
    }
    for case in list(&v, "events") {
        let body = body_of(case).unwrap();
        assert_eq!(
            hmac_hex(str_of(case, "salt").as_bytes(), &body),
            str_of(case, "signature").to_ascii_lowercase(),
            "{}",
            name(case)
        );
    }
}

#[test]
fn sign_webhook_gives_every_vector_hmac() {
    let v = vectors();
    for case in list(&v, "webhooks") {
        let fields = fields_of(case);
        let salt = str_of(case, "salt").as_bytes();
        let expected = str_of(case, "hmac");
        let pairs = fields.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        assert_eq!(
            hitpay::sign_webhook(pairs, salt).unwrap(),
            expected,
            "{}",
            name(case)
        );
        // A field named `hmac` is left out of the message.
        let with_hmac = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("hmac", "0000")]);
        assert_eq!(
            hitpay::sign_webhook(with_hmac, salt).unwrap(),
            expected,
            "{} (with an hmac field)",
            name(case)
        );
    }
}

#[test]
fn sign_webhook_refuses_an_empty_salt() {
    let err = hitpay::sign_webhook([("a", "1")], b"").unwrap_err();
    assert_eq!(err.code().as_str(), "INVALID_SECRET");
}

#[test]
fn verify_webhook_accepts_every_valid_vector() {
    let v = vectors();
    let mut verified = 0;
    for case in list(&v, "webhooks") {
        let Some(body) = body_of(case) else { continue };
        let salt = str_of(case, "salt").as_bytes();
        let expected = fields_of(case);
        let prepared = Salt::new(salt).unwrap();
        for (how, result) in [
            ("verify_webhook", hitpay::verify_webhook(&body, salt)),
            (
                "verify_webhook_with",
                hitpay::verify_webhook_with(&body, &prepared),
            ),
        ] {
            let webhook =
                result.unwrap_or_else(|e| panic!("{} ({how}): {}: {e}", name(case), e.code()));
            assert_eq!(
                webhook.fields.len(),
                expected.len(),
                "{} ({how}): every field except hmac, once",
                name(case)
            );
            let got: BTreeMap<String, String> = webhook.fields.iter().cloned().collect();
            assert_eq!(got, expected, "{} ({how})", name(case));
            for (k, value) in &expected {
                assert_eq!(
                    webhook.get(k),
                    Some(value.as_str()),
                    "{} ({how})",
                    name(case)
                );
            }
            assert_eq!(webhook.get("hmac"), None, "{} ({how})", name(case));
        }
        verified += 1;
    }
    assert!(
        verified >= 10,
        "only {verified} webhook vectors have a body"
    );
}

#[test]
fn verify_webhook_refuses_every_invalid_vector_with_its_code() {
    let v = vectors();
    for case in list(&v, "invalid") {
        let body = body_of(case).unwrap();
        let salt = str_of(case, "salt").as_bytes();
        let code = str_of(case, "code");
        let err = match hitpay::verify_webhook(&body, salt) {
            Ok(w) => panic!("{}: verified, expected {code}: {w:?}", name(case)),
            Err(e) => e,
        };
        assert_eq!(err.code().as_str(), code, "{}: {err}", name(case));
        if let Some(field) = case["field"].as_str() {
            assert_eq!(err.field_name(), Some(field), "{}", name(case));
        }
        assert_message_is_clean(case, &err);

        // A prepared salt gives the same answer (an empty one is refused up front).
        match Salt::new(salt) {
            Ok(prepared) => {
                let err = hitpay::verify_webhook_with(&body, &prepared).unwrap_err();
                assert_eq!(err.code().as_str(), code, "{} (prepared salt)", name(case));
            }
            Err(e) => {
                assert_eq!(code, "INVALID_SECRET", "{}", name(case));
                assert_eq!(e.code().as_str(), code, "{}", name(case));
            }
        }
    }
}

#[test]
fn verify_event_accepts_every_valid_vector_in_either_hex_case() {
    let v = vectors();
    for case in list(&v, "events") {
        let body = body_of(case).unwrap();
        let salt = str_of(case, "salt").as_bytes();
        let sig = str_of(case, "signature");
        for s in [
            sig.to_owned(),
            sig.to_ascii_lowercase(),
            sig.to_ascii_uppercase(),
        ] {
            hitpay::verify_event(&body, s.as_bytes(), salt)
                .unwrap_or_else(|e| panic!("{} ({s}): {}: {e}", name(case), e.code()));
        }
        // The header as some senders write it (a `sha256=` prefix, white space).
        if let Some(header) = case.get("header").and_then(|h| h.as_str()) {
            hitpay::verify_event(&body, header.as_bytes(), salt)
                .unwrap_or_else(|e| panic!("{} ({header:?}): {}: {e}", name(case), e.code()));
        }
    }
}

#[test]
fn verify_event_refuses_every_invalid_vector_with_its_code() {
    let v = vectors();
    for case in list(&v, "invalid_events") {
        let body = body_of(case).unwrap();
        let salt = str_of(case, "salt").as_bytes();
        let sig = str_of(case, "signature").as_bytes();
        let code = str_of(case, "code");
        let err = match hitpay::verify_event(&body, sig, salt) {
            Ok(()) => panic!("{}: verified, expected {code}", name(case)),
            Err(e) => e,
        };
        assert_eq!(err.code().as_str(), code, "{}: {err}", name(case));
        assert_message_is_clean(case, &err);
    }
}

#[test]
fn size_limits_are_checked_in_bytes_before_anything_else() {
    // 64 KiB form bodies: exactly the limit is read (and verified), one byte more is not.
    let salt = b"salt_for_tests_only";
    let make = |len: usize| {
        let pad = "a".repeat(len - "k=&hmac=".len() - 64);
        let sig = hmac_hex(salt, format!("k{pad}").as_bytes());
        format!("k={pad}&hmac={sig}").into_bytes()
    };
    let at_limit = make(64 * 1024);
    assert_eq!(at_limit.len(), 65_536);
    assert!(hitpay::verify_webhook(&at_limit, salt).is_ok());
    let over = make(64 * 1024 + 1);
    assert_eq!(
        hitpay::verify_webhook(&over, salt)
            .unwrap_err()
            .code()
            .as_str(),
        "PAYLOAD_TOO_LARGE"
    );
    // before the salt is looked at
    assert_eq!(
        hitpay::verify_webhook(&over, b"")
            .unwrap_err()
            .code()
            .as_str(),
        "PAYLOAD_TOO_LARGE"
    );

    // 1 MiB event bodies.
    let event = |len: usize| format!("{{\"a\":\"{}\"}}", "x".repeat(len - 8)).into_bytes();
    let at_limit = event(1024 * 1024);
    assert_eq!(at_limit.len(), 1_048_576);
    let sig = hmac_hex(salt, &at_limit);
    assert!(hitpay::verify_event(&at_limit, sig.as_bytes(), salt).is_ok());
    let over = event(1024 * 1024 + 1);
    let sig = hmac_hex(salt, &over);
    assert_eq!(
        hitpay::verify_event(&over, sig.as_bytes(), salt)
            .unwrap_err()
            .code()
            .as_str(),
        "PAYLOAD_TOO_LARGE"
    );
    assert_eq!(
        hitpay::verify_event(&over, b"", b"")
            .unwrap_err()
            .code()
            .as_str(),
        "PAYLOAD_TOO_LARGE"
    );
}
