//! `smart_router::parse_webhook`, and `hitpay::parse_payment_request_response` on the
//! same JSON bodies.
//!
//! Input: the body.
//!
//! Invariant: the result is the reference's: serde_json (duplicate keys refused)
//! decides `MALFORMED_BODY`; then `event_id` (absent or `null`: `MISSING_FIELD`;
//! not a string or not 1 to 255 of `A-Za-z0-9_-`: `INVALID_FIELD`) and `event_type`
//! (a string, or absent/`null`). A HitPay answer is `MALFORMED_BODY` exactly when
//! serde_json refuses it or it is not an object; an accepted one has the body's `id`
//! (a UUID), `status`, `currency` and (when a string) `amount`, and a `url` that is
//! the body's, `https:` on `hit-pay.com` or a name under it, absent only with a QR
//! payload.

use crate::check_error;
use crate::reference::{json, Json, JsonVerdict};
use payhook::__private::url;
use payhook::{hitpay, smart_router, Code};

const ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::MalformedBody,
    Code::MissingField,
    Code::InvalidField,
];

fn expected(root: &Json) -> Result<(String, Option<String>), Code> {
    if !matches!(root, Json::Object(_)) {
        return Err(Code::MalformedBody);
    }
    let id = match root.member("event_id") {
        None => return Err(Code::MissingField),
        Some(Json::Str(s))
            if !s.is_empty()
                && s.len() <= 255
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
        {
            s.clone()
        }
        Some(_) => return Err(Code::InvalidField),
    };
    let kind = match root.member("event_type") {
        None => None,
        Some(Json::Str(s)) => Some(s.clone()),
        Some(_) => return Err(Code::InvalidField),
    };
    Ok((id, kind))
}

const HITPAY_ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::MalformedBody,
    Code::MissingField,
    Code::InvalidField,
    Code::InvalidAmount,
    Code::InvalidCurrency,
    Code::InsecureUrl,
];

fn check_hitpay_answer(body: &[u8]) {
    let result = hitpay::parse_payment_request_response(body);
    if let Err(e) = &result {
        check_error("parse_payment_request_response", e, HITPAY_ALLOWED);
    }
    if body.len() > 64 * 1024 {
        assert_eq!(result.map_err(|e| e.code()), Err(Code::PayloadTooLarge));
        return;
    }
    let root = match json(body) {
        JsonVerdict::Ok(root @ Json::Object(_)) => root,
        JsonVerdict::Ok(_) | JsonVerdict::Bad => {
            assert_eq!(result.map_err(|e| e.code()), Err(Code::MalformedBody));
            return;
        }
        JsonVerdict::Unknown => return,
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            assert_ne!(e.code(), Code::MalformedBody, "a JSON object refused: {e}");
            return;
        }
    };
    let text = |k: &str| match root.member(k) {
        Some(Json::Str(s)) => Some(s.clone()),
        _ => None,
    };
    assert_eq!(text("id").as_deref(), Some(r.id.as_str()));
    assert!(
        r.id.len() == 36
            && r.id.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    );
    assert_eq!(text("status").as_deref(), Some(r.status.as_str()));
    assert_eq!(text("currency").as_deref(), Some(r.currency.as_str()));
    if let Some(a) = text("amount") {
        assert_eq!(a, r.amount);
    }
    assert!(r.amount.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    assert_eq!(text("reference_number"), r.reference_number);
    match &r.url {
        None => assert!(r.qr_code.is_some()),
        Some(u) => {
            assert_eq!(text("url").as_deref(), Some(u.as_str()));
            let parts = url::split(u, false).expect("a returned url splits");
            assert!(parts
                .scheme
                .is_some_and(|s| s.eq_ignore_ascii_case("https")));
            assert!(parts.userinfo.is_none() && parts.port.is_none());
            let host = parts.host.unwrap_or_default().to_ascii_lowercase();
            assert!(
                host == "hit-pay.com"
                    || host
                        .strip_suffix(".hit-pay.com")
                        .is_some_and(|l| !l.is_empty()
                            && !l.starts_with('.')
                            && !l.ends_with('.')
                            && !l.contains("..")),
                "{u:?}"
            );
        }
    }
}

pub fn check(body: &[u8]) {
    check_hitpay_answer(body);
    let result = smart_router::parse_webhook(body);
    if let Err(e) = &result {
        check_error("parse_webhook", e, ALLOWED);
    }
    let got = result
        .map(|w| (w.event_id, w.event_type))
        .map_err(|e| e.code());
    if body.len() > 64 * 1024 {
        assert_eq!(got, Err(Code::PayloadTooLarge));
        return;
    }
    match json(body) {
        JsonVerdict::Ok(root) => assert_eq!(
            got,
            expected(&root),
            "parse_webhook disagrees with the contract"
        ),
        JsonVerdict::Bad => assert_eq!(got, Err(Code::MalformedBody), "accepted what is not JSON"),
        JsonVerdict::Unknown => {}
    }
}
