//! `hitpay::parse_redirect` and `smart_router::parse_webhook_url`, and through them
//! `url::split`.
//!
//! Input: the URL (as text).
//!
//! Invariants: `url::split` loses nothing (its parts put back together are the
//! input) and never yields a host with a delimiter in it; the results are the
//! reference's: `reference` and `status` read from the decoded query, once each,
//! non-empty; `event_id` (once, 1 to 255 of `A-Za-z0-9_-`) and `event_type` (once,
//! any text) likewise.

use crate::reference::form_decode;
use crate::{check_error, text};
use payhook::__private::url;
use payhook::Code;
use payhook::{hitpay, smart_router};

const ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::InvalidUrl,
    Code::DuplicateField,
    Code::InvalidField,
    Code::MissingField,
];

/// `url::split` on `input`, checked to be lossless. Returns the query when it split.
pub fn split_losslessly(input: &str, allow_path: bool) -> Option<Option<String>> {
    let parts = match url::split(input, allow_path) {
        Ok(p) => p,
        Err(e) => {
            assert_eq!(e.code(), Code::InvalidUrl, "url::split: {e}");
            return None;
        }
    };
    let mut rebuilt = String::new();
    if let Some(s) = parts.scheme {
        assert!(
            s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http"),
            "scheme {s:?}"
        );
        rebuilt.push_str(s);
        rebuilt.push_str("://");
    } else {
        assert!(allow_path && parts.path.starts_with('/') && !parts.path.starts_with("//"));
        assert!(parts.host.is_none() && parts.userinfo.is_none() && parts.port.is_none());
    }
    if let Some(u) = parts.userinfo {
        rebuilt.push_str(u);
        rebuilt.push('@');
    }
    if let Some(h) = parts.host {
        assert!(!h.is_empty(), "empty host");
        let inner = h.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
        for c in inner.unwrap_or(h).chars() {
            assert!(
                !matches!(c, '/' | '?' | '#' | '@' | '\\' | '%')
                    && (inner.is_some() || c != ':')
                    && c.is_ascii()
                    && !c.is_ascii_control()
                    && c != ' ',
                "host {h:?} of {input:?}"
            );
        }
        rebuilt.push_str(h);
    }
    if let Some(p) = parts.port {
        assert!(p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty());
        rebuilt.push(':');
        rebuilt.push_str(p);
    }
    assert!(parts.path.is_empty() || parts.path.starts_with('/'));
    assert!(!parts.path.contains(['?', '#']));
    rebuilt.push_str(parts.path);
    if let Some(q) = parts.query {
        assert!(!q.contains('#'));
        rebuilt.push('?');
        rebuilt.push_str(q);
    }
    if let Some(f) = parts.fragment {
        rebuilt.push('#');
        rebuilt.push_str(f);
    }
    assert_eq!(rebuilt, input, "url::split lost part of the URL");
    assert!(!input.bytes().any(|b| b <= b' ' || b == 0x7f));
    Some(parts.query.map(str::to_owned))
}

/// What `parse_webhook_url` must return for the decoded query pairs.
fn smart_router_expected(pairs: &[(String, String)]) -> Result<(String, Option<String>), Code> {
    let (mut id, mut kind) = (None, None);
    for (k, v) in pairs {
        let slot = match k.as_str() {
            "event_id" => &mut id,
            "event_type" => &mut kind,
            _ => continue,
        };
        if slot.is_some() {
            return Err(Code::DuplicateField);
        }
        *slot = Some(v.clone());
    }
    let id: String = id.ok_or(Code::MissingField)?;
    let ok = !id.is_empty()
        && id.len() <= 255
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok((id, kind))
    } else {
        Err(Code::InvalidField)
    }
}

pub fn check(data: &[u8]) {
    let input = text(data);
    let sr = smart_router::parse_webhook_url(&input);
    if let Err(e) = &sr {
        check_error("parse_webhook_url", e, ALLOWED);
    }
    let sr = sr.map(|w| (w.event_id, w.event_type)).map_err(|e| e.code());
    let result = hitpay::parse_redirect(&input);
    if let Err(e) = &result {
        check_error("parse_redirect", e, ALLOWED);
    }
    if input.len() > 8 * 1024 {
        assert_eq!(result.map_err(|e| e.code()), Err(Code::PayloadTooLarge));
        assert_eq!(sr, Err(Code::PayloadTooLarge));
        return;
    }
    let Some(query) = split_losslessly(&input, true) else {
        assert_eq!(result.map_err(|e| e.code()), Err(Code::InvalidUrl));
        assert_eq!(sr, Err(Code::InvalidUrl));
        return;
    };
    let Some(pairs) = form_decode(query.unwrap_or_default().as_bytes()) else {
        assert_eq!(result.map_err(|e| e.code()), Err(Code::InvalidUrl));
        assert_eq!(sr, Err(Code::InvalidUrl));
        return;
    };
    assert_eq!(
        sr,
        smart_router_expected(&pairs),
        "parse_webhook_url disagrees with the contract"
    );
    let mut want: Result<(Option<String>, Option<String>), Code> = Ok((None, None));
    for (k, v) in &pairs {
        let Ok((reference, status)) = &mut want else {
            break;
        };
        let slot = match k.as_str() {
            "reference" => reference,
            "status" => status,
            _ => continue,
        };
        if slot.is_some() {
            want = Err(Code::DuplicateField);
        } else if v.is_empty() {
            want = Err(Code::InvalidField);
        } else {
            *slot = Some(v.clone());
        }
    }
    let want = want.and_then(|(r, s)| match (r, s) {
        (Some(r), Some(s)) => Ok((r, s)),
        _ => Err(Code::MissingField),
    });
    assert_eq!(
        result
            .map(|r| (r.reference, r.status))
            .map_err(|e| e.code()),
        want,
        "parse_redirect disagrees with the contract"
    );
}
