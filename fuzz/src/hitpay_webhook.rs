//! `hitpay::verify_webhook` (and `verify_webhook_with`, `sign_webhook`,
//! `diagnose::diagnose` on the same input).
//!
//! Input: a flags byte, the salt up to `\n`, then the body. Flags `& 3`:
//! 0 the body as is; 1 the body with an `hmac` computed here appended; 2 the same
//! `hmac` put first; 3 signed with the salt but verified with the salt plus a
//! newline (the diagnosis must find the white space). Flag 4: the `hmac` in
//! uppercase hex.
//!
//! Invariants: the result (Ok with the fields in order, or the error code) is the
//! one the reference computes from the contract; an accepted body re-signed with the
//! same salt verifies; `verify_webhook_with` agrees; the diagnosis agrees with the
//! verification; no message or `Debug` shows the salt or the expected signature.

use crate::reference::{self, form_decode, has_duplicate_key, hitpay_signature};
use crate::{check_error, Input};
use payhook::diagnose::diagnose;
use payhook::hitpay::{self, Salt};
use payhook::Code;

const ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::InvalidSecret,
    Code::MalformedBody,
    Code::DuplicateField,
    Code::MissingSignature,
    Code::MalformedSignature,
    Code::SignatureMismatch,
];

/// What the contract says `verify_webhook(body, salt)` returns.
fn expected(body: &[u8], salt: &[u8]) -> Result<Vec<(String, String)>, Code> {
    if body.len() > 64 * 1024 {
        return Err(Code::PayloadTooLarge);
    }
    if salt.is_empty() {
        return Err(Code::InvalidSecret);
    }
    let pairs = form_decode(body).ok_or(Code::MalformedBody)?;
    if has_duplicate_key(&pairs) {
        return Err(Code::DuplicateField);
    }
    let hmac = pairs
        .iter()
        .find(|(k, _)| k == "hmac")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    if hmac.is_empty() {
        return Err(Code::MissingSignature);
    }
    if hmac.len() != 64 || !hmac.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Code::MalformedSignature);
    }
    if hmac.to_ascii_lowercase() != hitpay_signature(&pairs, salt) {
        return Err(Code::SignatureMismatch);
    }
    Ok(pairs.into_iter().filter(|(k, _)| k != "hmac").collect())
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let mut salt = input.line().to_vec();
    let mut body = input.rest().to_vec();
    let signing_salt = salt.clone();

    if flags & 3 != 0 {
        if let Some(pairs) = form_decode(&body) {
            let mut sig = hitpay_signature(&pairs, &salt);
            if flags & 4 != 0 {
                sig.make_ascii_uppercase();
            }
            if flags & 3 == 2 {
                let mut b = format!("hmac={sig}&").into_bytes();
                b.extend_from_slice(&body);
                body = b;
            } else {
                if !body.is_empty() && !body.ends_with(b"&") {
                    body.push(b'&');
                }
                body.extend_from_slice(b"hmac=");
                body.extend_from_slice(sig.as_bytes());
            }
        }
        if flags & 3 == 3 {
            salt.push(b'\n');
        }
    }

    let result = hitpay::verify_webhook(&body, &salt);
    let want = expected(&body, &salt);
    assert_eq!(
        result
            .as_ref()
            .map(|w| w.fields.clone())
            .map_err(payhook::Error::code),
        want,
        "verify_webhook disagrees with the contract"
    );

    match &result {
        Ok(w) => {
            // Re-signed with the same salt, the fields verify again, and sign agrees.
            let pairs: Vec<(&str, &str)> = w
                .fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let sig = hitpay::sign_webhook(pairs.iter().copied(), &salt).expect("sign");
            assert_eq!(sig, hitpay_signature(&w.fields, &salt));
            let resigned = format!("{}&hmac={sig}", reference::form_serialize(&w.fields));
            let again = hitpay::verify_webhook(resigned.as_bytes(), &salt).expect("re-signed");
            assert_eq!(again.fields, w.fields);
            for (k, v) in &w.fields {
                assert_eq!(w.get(k), Some(v.as_str()));
            }
        }
        Err(e) => {
            check_error("verify_webhook", e, ALLOWED);
            // The same message with another salt: it shows neither the salt nor
            // the signature computed with it.
            crate::assert_secret_free("verify_webhook", &salt, |s| {
                hitpay::verify_webhook(&body, s)
            });
        }
    }

    if let Ok(prepared) = Salt::new(&salt) {
        assert_eq!(
            hitpay::verify_webhook_with(&body, &prepared),
            result,
            "verify_webhook_with disagrees with verify_webhook"
        );
        // Debug of a salt is the same whatever the salt.
        assert_eq!(
            format!("{prepared:?}"),
            format!("{:?}", Salt::new(b"another salt").expect("salt")),
        );
    }

    let d = diagnose(&body, &salt);
    assert_eq!(d.valid, result.is_ok(), "diagnose.valid");
    assert_eq!(d.error.as_ref(), result.as_ref().err(), "diagnose.error");
    if d.valid {
        assert!(d.hints.is_empty(), "hints for a valid body: {:?}", d.hints);
    }
    if body.len() <= 64 * 1024 {
        let pairs = form_decode(&body);
        let fields = pairs.as_ref().map(|p| {
            p.iter()
                .filter(|(k, _)| k != "hmac")
                .cloned()
                .collect::<Vec<_>>()
        });
        assert_eq!(d.fields, fields, "diagnose.fields");
        let canonical = fields.map(|mut f| {
            f.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            f.iter().map(|(k, v)| format!("{k}{v}")).collect::<String>()
        });
        // (With a key twice the order of its values is not defined: verification
        // refuses such a body anyway.)
        if !pairs.as_ref().is_some_and(|p| has_duplicate_key(p)) {
            assert_eq!(d.canonical, canonical, "diagnose.canonical");
        }
    }
    // The diagnosis never shows what the salt would sign: the same with another salt
    // apart from which hints are confirmed.
    let other = diagnose(&body, &crate::other_secret(&salt));
    assert_eq!((&other.canonical, &other.fields), (&d.canonical, &d.fields));
    if flags & 3 == 3
        && !signing_salt.is_empty()
        && signing_salt.trim_ascii() == &signing_salt[..]
        && expected(&body, &signing_salt).is_ok()
    {
        assert!(
            d.hints
                .iter()
                .any(|h| h.code == "SALT_WHITESPACE" && h.confirmed),
            "a salt with a newline added is not diagnosed: {:?}",
            d.hints
        );
    }
}
