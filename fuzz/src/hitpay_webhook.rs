//! `hitpay::verify_webhook` (and `verify_webhook_with`, `verify_webhook_strict`,
//! `sign_webhook`, `diagnose::diagnose` on the same input).
//!
//! Input: a flags byte, the salt up to `\n`, then the body. Flags `& 3`:
//! 0 the body as is; 1 the body with an `hmac` computed here appended; 2 the same
//! `hmac` put first; 3 signed with the salt but verified with the salt plus a
//! newline (the diagnosis must find the white space). Flag 4: the `hmac` in
//! uppercase hex. Flag 8: the `hmac` computed here also covers `phone` and
//! `reference_number` as empty when the body lacks them (HitPay's null fields,
//! signed but not sent).
//!
//! Invariants: the result (Ok with the fields in order, or the error code) is the
//! one the reference computes from the contract (with null fields: the absent
//! `phone` / `reference_number` tried as empty); strict mode is the same plus the
//! reference's shape check (`INVALID_FIELD` naming the field); an accepted body
//! re-signed with the same salt verifies; `verify_webhook_with` agrees; the diagnosis
//! agrees with the verification and confirms `NULL_FIELD_OMITTED` exactly when null
//! fields were needed; no message or `Debug` shows the salt or the expected signature.

use crate::reference::{self, form_decode, has_duplicate_key, hitpay_signature};
use crate::{check_error, Input};
use payhook::diagnose::diagnose;
use payhook::hitpay::{self, Salt, VerifyOptions};
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

/// The fields HitPay may sign as null without sending them.
const NULLABLE: [&str; 2] = ["phone", "reference_number"];

/// The fields with the absent ones of `nulls` (a subset of [`NULLABLE`]) added as empty.
fn with_nulls(pairs: &[(String, String)], nulls: &[&str]) -> Vec<(String, String)> {
    let mut out = pairs.to_vec();
    for n in nulls {
        if !pairs.iter().any(|(k, _)| k == n) {
            out.push(((*n).to_owned(), String::new()));
        }
    }
    out
}

/// The verified fields, and the null fields the signature covered (empty when none
/// were needed).
type Verified = (Vec<(String, String)>, Vec<&'static str>);

/// What the contract says `verify_webhook(body, salt)` returns.
fn expected(body: &[u8], salt: &[u8]) -> Result<Verified, Code> {
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
    let received = hmac.to_ascii_lowercase();
    // The fields as sent, then with each combination of absent null fields.
    let absent: Vec<&'static str> = NULLABLE
        .into_iter()
        .filter(|n| !pairs.iter().any(|(k, _)| k == n))
        .collect();
    let mut tries: Vec<Vec<&'static str>> = vec![vec![]];
    for n in &absent {
        let more: Vec<_> = tries
            .iter()
            .map(|t| t.iter().copied().chain([*n]).collect())
            .collect();
        tries.extend(more);
    }
    tries.sort_by_key(Vec::len);
    let nulls = tries
        .into_iter()
        .find(|t| hitpay_signature(&with_nulls(&pairs, t), salt) == received)
        .ok_or(Code::SignatureMismatch)?;
    Ok((
        pairs.into_iter().filter(|(k, _)| k != "hmac").collect(),
        nulls,
    ))
}

/// The contract's strict mode on verified fields: `Some(field)` that it refuses.
fn strict_refusal(fields: &[(String, String)]) -> Option<String> {
    let hex = |c: char| c.is_ascii_hexdigit();
    let uuid = |v: &str| {
        let parts: Vec<&str> = v.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
            && parts.iter().all(|p| p.chars().all(hex))
    };
    let decimal = |v: &str| {
        let mut it = v.splitn(2, '.');
        let int = it.next().unwrap_or_default();
        let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
        digits(int) && it.next().is_none_or(digits)
    };
    for (k, v) in fields {
        let ok = match k.as_str() {
            "payment_id" | "payment_request_id" => uuid(v),
            "amount" => decimal(v),
            "currency" => v.len() == 3 && v.chars().all(|c| c.is_ascii_alphabetic()),
            "status" => ["completed", "failed", "pending", "canceled"].contains(&v.as_str()),
            "phone" => !v.chars().any(|c| c.is_ascii_alphabetic() || c == '_'),
            "reference_number" => true,
            _ => false,
        };
        if !ok {
            return Some(k.clone());
        }
    }
    [
        "amount",
        "currency",
        "payment_id",
        "payment_request_id",
        "status",
    ]
    .into_iter()
    .find(|r| !fields.iter().any(|(k, _)| k == r))
    .map(str::to_owned)
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let mut salt = input.line().to_vec();
    let mut body = input.rest().to_vec();
    let signing_salt = salt.clone();

    if flags & 3 != 0 {
        if let Some(pairs) = form_decode(&body) {
            let signed = if flags & 8 != 0 {
                with_nulls(&pairs, &NULLABLE)
            } else {
                pairs
            };
            let mut sig = hitpay_signature(&signed, &salt);
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
        want.clone().map(|(fields, _)| fields),
        "verify_webhook disagrees with the contract"
    );
    let nulls = want.as_ref().map(|(_, n)| n.clone()).unwrap_or_default();

    // Strict mode: the same, then the shape.
    let strict = hitpay::verify_webhook_strict(&body, &salt);
    match (&result, &strict) {
        (Err(e), Err(s)) => assert_eq!(e, s, "strict mode changes a failure"),
        (Ok(w), Ok(s)) => {
            assert_eq!(w, s, "strict mode changes the result");
            assert_eq!(
                strict_refusal(&w.fields),
                None,
                "strict mode accepted a refusal"
            );
        }
        (Ok(w), Err(e)) => {
            assert_eq!(e.code(), Code::InvalidField, "strict mode: {e:?}");
            assert_eq!(
                e.field_name().map(str::to_owned),
                strict_refusal(&w.fields),
                "strict mode refuses another field"
            );
        }
        (Err(_), Ok(_)) => panic!("strict mode accepted what verify_webhook refuses"),
    }

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
        assert_eq!(
            hitpay::verify_webhook_with_options(&body, &prepared, VerifyOptions::STRICT),
            strict,
            "verify_webhook_with_options disagrees with verify_webhook_strict"
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
        // A valid body has one hint at most: the null fields it verified with.
        let codes: Vec<_> = d.hints.iter().map(|h| (h.code, h.confirmed)).collect();
        let want_hints = if nulls.is_empty() {
            vec![]
        } else {
            vec![("NULL_FIELD_OMITTED", true)]
        };
        assert_eq!(codes, want_hints, "hints for a valid body");
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
        // What HitPay signed: with the null fields the body verified with.
        let canonical = fields.map(|f| {
            let mut f = with_nulls(&f, &nulls);
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
    assert_eq!(other.fields, d.fields);
    // (With null fields, the canonical message has their keys only once the salt
    // verified the body: nothing that `valid` does not say already.)
    if nulls.is_empty() {
        assert_eq!(other.canonical, d.canonical);
    }
    if flags & 3 == 3
        && !signing_salt.is_empty()
        && signing_salt.trim_ascii() == &signing_salt[..]
        && expected(&body, &signing_salt).is_ok_and(|(_, n)| n.is_empty())
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
