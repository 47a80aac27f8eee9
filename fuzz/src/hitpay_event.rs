//! `hitpay::verify_event`: HMAC of the raw body, then one JSON object.
//!
//! Input: a flags byte, the salt up to `\n`, the signature up to `\n`, then the
//! body. Flag 1: replace the signature by the correct one (computed here), so the
//! JSON checks are reached; flag 2: in uppercase hex; flag 4: written as some
//! senders and proxies do, ` sha256=<hex>\r\n`.
//!
//! Invariant: the result is the reference's (the header's surrounding ASCII white
//! space and one `sha256=` prefix, any case, ignored), where the JSON verdict comes
//! from serde_json with duplicate keys refused (an accepted body is one that a
//! standard JSON parser, such as the `JSON.parse` the JS side then runs, accepts).

use crate::reference::{hex, hmac, json, JsonVerdict};
use crate::{check_error, code_of, Input};
use payhook::hitpay;
use payhook::Code;

const ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::InvalidSecret,
    Code::MissingSignature,
    Code::MalformedSignature,
    Code::SignatureMismatch,
    Code::MalformedBody,
];

/// The hex part of a `Hitpay-Signature` header: ASCII white space around it and one
/// `sha256=` prefix (any case) taken off.
fn hex_of(header: &[u8]) -> Vec<u8> {
    let text: String = String::from_utf8_lossy(header).into_owned();
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lower = trimmed.to_ascii_lowercase();
    let rest = if lower.starts_with("sha256=") {
        &trimmed[7..]
    } else {
        trimmed
    };
    // Bytes that were not UTF-8 became U+FFFD: never hex digits, as before.
    rest.as_bytes().to_vec()
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let salt = input.line();
    let mut signature = input.line().to_vec();
    let body = input.rest();
    let correct = hex(&hmac(salt, &[body]));
    if flags & 1 != 0 {
        signature = correct.clone().into_bytes();
        if flags & 2 != 0 {
            signature.make_ascii_uppercase();
        }
        if flags & 4 != 0 {
            let mut wrapped = b" sha256=".to_vec();
            wrapped.extend_from_slice(&signature);
            wrapped.extend_from_slice(b"\r\n");
            signature = wrapped;
        }
    }

    let result = hitpay::verify_event(body, &signature, salt);
    if let Err(e) = &result {
        check_error("verify_event", e, ALLOWED);
        // The message is the same with another salt (so it shows neither the salt
        // nor the signature computed with it).
        crate::assert_secret_free("verify_event", salt, |s| {
            hitpay::verify_event(body, &signature, s)
        });
    }

    // None: the contract does not decide here (serde_json's own limits).
    let want: Option<Result<(), Code>> = if body.len() > 1024 * 1024 {
        Some(Err(Code::PayloadTooLarge))
    } else if salt.is_empty() {
        Some(Err(Code::InvalidSecret))
    } else if hex_of(&signature).is_empty() {
        Some(Err(Code::MissingSignature))
    } else if hex_of(&signature).len() != 64
        || !hex_of(&signature).iter().all(u8::is_ascii_hexdigit)
    {
        Some(Err(Code::MalformedSignature))
    } else if hex_of(&signature).to_ascii_lowercase() != correct.as_bytes() {
        Some(Err(Code::SignatureMismatch))
    } else {
        match json(body) {
            JsonVerdict::Ok(crate::reference::Json::Object(_)) => Some(Ok(())),
            JsonVerdict::Ok(_) | JsonVerdict::Bad => Some(Err(Code::MalformedBody)),
            JsonVerdict::Unknown => None,
        }
    };
    match want {
        Some(w) => assert_eq!(
            code_of(&result),
            w,
            "verify_event disagrees with the contract"
        ),
        None => assert!(matches!(
            code_of(&result),
            Ok(()) | Err(Code::MalformedBody)
        )),
    }
}
