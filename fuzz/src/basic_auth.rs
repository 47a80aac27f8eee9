//! `smart_router::check_basic_auth` and `smart_router::build_basic_auth_webhook_url`.
//!
//! Input: a flags byte, the username up to `\n`, the password up to `\n`, then the
//! rest, used both as the `Authorization` header and as the webhook URL. Flag 1:
//! the header is made here from the credentials (scheme case from bits 2-3, 1 to 4
//! spaces from bits 4-5; bit 6 changes one byte of the password in it); flag 128:
//! no header at all.
//!
//! Invariants: `check_basic_auth` is the reference's answer (true only for `Basic`,
//! spaces, canonical padded base64 of exactly `username:password`), never an error
//! unless a configured credential is empty; a header made from the credentials is
//! accepted. A built URL is the input URL with `user:pass@` percent-encoded after
//! the scheme, which decodes back to the credentials, on the same host. The password
//! shows in no message.

use crate::reference::{base64_std_decode, base64_std_encode, percent_decode};
use crate::{assert_secret_free, check_error, text, Input};
use payhook::__private::url;
use payhook::{smart_router, Code};

fn reference_check(header: Option<&str>, user: &str, pass: &str) -> bool {
    let Some(h) = header else { return false };
    let Some(scheme) = h.get(..5) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let after = &h[5..];
    let token = after.trim_start_matches(' ');
    if token.len() == after.len() {
        return false;
    }
    let Some(decoded) = base64_std_decode(token.as_bytes()) else {
        return false;
    };
    let Ok(decoded) = String::from_utf8(decoded) else {
        return false;
    };
    decoded.split_once(':') == Some((user, pass))
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let user = text(input.line());
    let pass = text(input.line());
    let rest = text(input.rest());

    let header = if flags & 128 != 0 {
        None
    } else if flags & 1 != 0 {
        let scheme = ["Basic", "basic", "BASIC", "bAsIc"][usize::from(flags >> 1 & 3)];
        let spaces = " ".repeat(1 + usize::from(flags >> 3 & 3));
        let mut creds = format!("{user}:{pass}").into_bytes();
        if flags & 64 != 0 {
            if let Some(last) = creds.last_mut() {
                *last ^= 1;
            }
        }
        Some(format!("{scheme}{spaces}{}", base64_std_encode(&creds)))
    } else {
        Some(rest.clone())
    };

    let result = smart_router::check_basic_auth(header.as_deref(), &user, &pass);
    let want = if user.is_empty() || pass.is_empty() {
        Err(Code::InvalidSecret)
    } else {
        Ok(reference_check(header.as_deref(), &user, &pass))
    };
    if let Err(e) = &result {
        check_error("check_basic_auth", e, &[Code::InvalidSecret]);
        assert_secret_free("check_basic_auth", pass.as_bytes(), |p| {
            smart_router::check_basic_auth(header.as_deref(), &user, &text(p))
        });
    }
    assert_eq!(
        result.map_err(|e| e.code()),
        want,
        "check_basic_auth disagrees: {header:?}"
    );
    if flags & 0xC1 == 1 && !user.is_empty() && !pass.is_empty() && !user.contains(':') {
        assert_eq!(
            want,
            Ok(true),
            "a header made from the credentials is refused"
        );
    }

    // The URL with the credentials in it.
    let out = match smart_router::build_basic_auth_webhook_url(&rest, &user, &pass) {
        Err(e) => {
            check_error(
                "build_basic_auth_webhook_url",
                &e,
                &[Code::InvalidSecret, Code::InvalidUrl, Code::InsecureUrl],
            );
            assert_secret_free("build_basic_auth_webhook_url", pass.as_bytes(), |p| {
                smart_router::build_basic_auth_webhook_url(&rest, &user, &text(p))
            });
            return;
        }
        Ok(out) => out,
    };
    assert!(out.len() <= 2048);
    let (scheme, after) = out.split_once("://").expect("a scheme");
    assert!(scheme == "https" || scheme == "http", "{out:?}");
    let (userinfo, tail) = after.split_once('@').expect("userinfo");
    let (_, input_tail) = rest.split_once("://").expect("the input had a scheme");
    assert_eq!(tail, input_tail, "the URL after the credentials changed");
    assert!(
        userinfo
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%:".contains(&b)),
        "userinfo not percent-encoded: {userinfo:?}"
    );
    let (u, p) = userinfo.split_once(':').expect("user:pass");
    assert_eq!(percent_decode(u), user.as_bytes());
    assert_eq!(percent_decode(p), pass.as_bytes());
    let input_parts = url::split(&rest, false).expect("an accepted URL splits");
    let out_parts = url::split(&out, false).expect("the built URL splits");
    assert_eq!(out_parts.userinfo, Some(userinfo));
    assert_eq!(out_parts.host, input_parts.host, "the host changed");
    assert_eq!(out_parts.port, input_parts.port);
    assert_eq!(out_parts.path, input_parts.path);
    let host = input_parts.host.unwrap_or_default();
    assert!(
        input_parts
            .scheme
            .is_some_and(|s| s.eq_ignore_ascii_case("https"))
            || url::is_loopback_host(host),
        "http: accepted for {host:?}"
    );
    assert!(input_parts.fragment.is_none());
}
