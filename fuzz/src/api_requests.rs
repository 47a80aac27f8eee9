//! `payex::validate_path`, `payex::build_fetch_request` and
//! `smart_router::build_event_request`: the requests a handler sends with its API
//! credentials.
//!
//! Input: a flags byte, then lines: the path (also the event id), the token (also
//! the project id), the private key, and the API base (used when flag 1 is set).
//!
//! Invariants: an accepted path has the contract's shape and nothing that could
//! leave the API host; a built request goes to the API base's host (never one named
//! by the path or event id), over https (http only for loopback), with the
//! credentials in the Authorization header and nowhere in its `Debug` or in a
//! message.

use crate::payex_callback::{assert_safe_path, shape};
use crate::reference::base64_std_decode;
use crate::{assert_secret_free, check_error, text, Input};
use payhook::__private::url;
use payhook::{payex, smart_router, Code};

const ALLOWED: &[Code] = &[
    Code::InvalidSecret,
    Code::InvalidUrl,
    Code::InsecureUrl,
    Code::InvalidField,
];

/// The host of the API base the request must go to.
fn base_host(base: &str) -> String {
    url::split(base, false)
        .expect("an accepted API base splits")
        .host
        .expect("an accepted API base has a host")
        .to_owned()
}

fn check_target(request_url: &str, base: &str, tail: &str) {
    let trimmed = base.strip_suffix('/').unwrap_or(base);
    assert_eq!(request_url, format!("{trimmed}{tail}"));
    let parts = url::split(request_url, false).expect("the request URL splits");
    assert_eq!(
        parts.host.map(str::to_owned),
        Some(base_host(base)),
        "{request_url:?} left the API host"
    );
    assert!(parts.userinfo.is_none() && parts.fragment.is_none() && parts.query.is_none());
    let https = parts
        .scheme
        .is_some_and(|s| s.eq_ignore_ascii_case("https"));
    assert!(
        https || parts.host.is_some_and(url::is_loopback_host),
        "{request_url:?}"
    );
    assert!(request_url.len() <= 2048);
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let path = text(input.line());
    let token = text(input.line());
    let key = text(input.line());
    let base_line = text(input.rest());
    let base = (flags & 1 != 0).then_some(base_line.as_str());

    match payex::validate_path(&path) {
        Ok(p) => {
            assert_safe_path(&path);
            assert!(shape(&path).is_some(), "{path:?}");
            assert_eq!(path.rsplit('/').next(), Some(p.id()));
        }
        Err(e) => {
            assert_eq!(e.code(), Code::InvalidField);
            assert_eq!(e.field_name(), Some("path"));
        }
    }

    match payex::build_fetch_request(&path, &token, base) {
        Ok(r) => {
            assert_safe_path(&path);
            check_target(&r.url, base.unwrap_or(payex::API_BASE), &path);
            assert_eq!(r.method, "GET");
            assert_eq!(
                r.headers.first().map(|(k, v)| (*k, v.as_str())),
                Some(("Authorization", format!("Bearer {token}").as_str()))
            );
            crate::assert_debug_hides_headers(&r);
        }
        Err(e) => {
            check_error("build_fetch_request", &e, ALLOWED);
            assert_secret_free("build_fetch_request", token.as_bytes(), |t| {
                payex::build_fetch_request(&path, &text(t), base)
            });
        }
    }

    match smart_router::build_event_request(&path, &token, &key, base) {
        Ok(r) => {
            check_target(
                &r.url,
                base.unwrap_or(smart_router::API_BASE),
                &format!("/events/{path}"),
            );
            assert!(
                !path.is_empty()
                    && path.len() <= 255
                    && path
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "event id {path:?}"
            );
            let (name, value) = r.headers.first().expect("Authorization");
            assert_eq!(*name, "Authorization");
            let token64 = value.strip_prefix("Basic ").expect("Basic");
            let creds = base64_std_decode(token64.as_bytes()).expect("base64");
            assert_eq!(creds, format!("{token}:{key}").into_bytes());
            assert!(!token.is_empty() && !token.contains(':') && !key.is_empty());
            crate::assert_debug_hides_headers(&r);
        }
        Err(e) => {
            check_error("build_event_request", &e, ALLOWED);
            assert_secret_free("build_event_request", key.as_bytes(), |k| {
                smart_router::build_event_request(&path, &token, &text(k), base)
            });
        }
    }
}
