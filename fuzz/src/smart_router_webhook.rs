//! `smart_router::parse_webhook`.
//!
//! Input: the body.
//!
//! Invariant: the result is the reference's: serde_json (duplicate keys refused)
//! decides `MALFORMED_BODY`; then `event_id` (absent or `null`: `MISSING_FIELD`;
//! not a string or not 1 to 255 of `A-Za-z0-9_-`: `INVALID_FIELD`) and `event_type`
//! (a string, or absent/`null`).

use crate::check_error;
use crate::reference::{json, Json, JsonVerdict};
use payhook::{smart_router, Code};

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

pub fn check(body: &[u8]) {
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
