//! Minimal, strict URL splitting for the URLs this library reads and checks.
//!
//! This is not a full WHATWG parser: it recognises `scheme://authority/path?query#fragment`
//! made of printable ASCII, and refuses anything else, which is what webhook and
//! redirect URLs look like.
use crate::prelude::*;

use crate::error::{Code, Error, Result};

/// The parts of an absolute URL (or of an origin-relative path, with no scheme or host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    pub scheme: Option<&'a str>,
    pub userinfo: Option<&'a str>,
    pub host: Option<&'a str>,
    pub port: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// `INVALID_URL` with the message "the URL " + `why`.
pub(crate) fn invalid(why: &str) -> Error {
    Error::new(Code::InvalidUrl, crate::error::concat(&["the URL ", why]))
}

/// Whether the `parts` of an absolute URL are `http:` to a host that is not a
/// loopback one (the only hosts where `http:` is allowed).
// Inlined: as a call it made the wasm 0.25 KB larger (measured).
#[inline(always)]
pub(crate) fn is_insecure(parts: &Parts<'_>) -> bool {
    !parts
        .scheme
        .is_some_and(|s| s.eq_ignore_ascii_case("https"))
        && !parts.host.is_some_and(is_loopback_host)
}

/// `INSECURE_URL` for `what` (such as "the URL"): an `http:` URL whose host is not
/// a loopback one.
pub(crate) fn insecure(what: &str) -> Error {
    Error::new(
        Code::InsecureUrl,
        crate::error::concat(&[
            what,
            " uses http:, which is only allowed for localhost, 127.0.0.1 and [::1]; use https:",
        ]),
    )
}

// Byte-level splitting. The `str` methods with a pattern (`split_once`, `find`,
// `contains`, …) link a generic searcher and its panicking slice checks into the
// wasm; these only ever cut at an ASCII byte, which is always a char boundary.

/// The number of characters in `s`, counted by their first bytes (a UTF-8
/// continuation byte is `0b10xx_xxxx`); `s.chars().count()` without its code.
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| b & 0xc0 != 0x80).count()
}

/// `s` split around the first `sep` (an ASCII byte).
pub(crate) fn split_once_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// `s` split around the last `sep` (an ASCII byte).
pub(crate) fn rsplit_once_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().rposition(|b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// `s` split around the first occurrence of `sep` (ASCII, non-empty).
pub(crate) fn split_once_str<'a>(s: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let (hay, pat) = (s.as_bytes(), sep.as_bytes());
    let at = (0..hay.len()).find(|&i| hay.get(i..i + pat.len()) == Some(pat))?;
    Some((s.get(..at)?, s.get(at + pat.len()..)?))
}

/// The pieces of `s` between the `sep` bytes (an ASCII byte), like `s.split(sep)`.
pub(crate) fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let r = rest?;
        match split_once_byte(r, sep) {
            Some((piece, tail)) => {
                rest = Some(tail);
                Some(piece)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Splits an absolute `http(s)://` URL, or with `allow_path`, a path starting with `/`.
pub fn split(input: &str, allow_path: bool) -> Result<Parts<'_>> {
    // Non-ASCII characters are allowed in the path and query (as a server may
    // receive them raw); the host check below keeps hosts ASCII.
    if input.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(invalid(
            "contains spaces or control characters; percent-encode them",
        ));
    }
    let (before_fragment, fragment) = match split_once_byte(input, b'#') {
        Some((a, f)) => (a, Some(f)),
        None => (input, None),
    };
    let (before_query, query) = match split_once_byte(before_fragment, b'?') {
        Some((a, q)) => (a, Some(q)),
        None => (before_fragment, None),
    };
    if before_query.starts_with('/') && !before_query.starts_with("//") {
        if !allow_path {
            return Err(invalid("must be absolute (`https://host/…`)"));
        }
        return Ok(Parts {
            scheme: None,
            userinfo: None,
            host: None,
            port: None,
            path: before_query,
            query,
            fragment,
        });
    }
    let (scheme, rest) = split_once_str(before_query, "://")
        .ok_or_else(|| invalid("must be absolute (`https://host/…`)"))?;
    let scheme_ok = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    if !scheme_ok {
        return Err(invalid("must use the https: scheme"));
    }
    // The path keeps its `/`; without one, it is empty.
    let (authority, path) = rest
        .bytes()
        .position(|b| b == b'/')
        .and_then(|at| rest.split_at_checked(at))
        .unwrap_or((rest, ""));
    let (userinfo, hostport) = match rsplit_once_byte(authority, b'@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = split_host_port(hostport)?;
    if host.is_empty() {
        return Err(invalid("has no host"));
    }
    Ok(Parts {
        scheme: Some(scheme),
        userinfo,
        host: Some(host),
        port,
        path,
        query,
        fragment,
    })
}

fn split_host_port(hostport: &str) -> Result<(&str, Option<&str>)> {
    let (host, port) = if hostport.starts_with('[') {
        // The host keeps its `]`.
        let host_and_rest = hostport
            .bytes()
            .position(|b| b == b']')
            .and_then(|end| hostport.split_at_checked(end + 1));
        match host_and_rest {
            Some((host, "")) => (host, None),
            Some((host, rest)) => match rest.strip_prefix(':') {
                Some(p) => (host, Some(p)),
                None => return Err(invalid("has a malformed host")),
            },
            None => return Err(invalid("has a malformed host")),
        }
    } else {
        match split_once_byte(hostport, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if let Some(p) = port {
        if p.len() > 5 || crate::error::parse_decimal(p).map_or(true, |n| n > 65535) {
            return Err(invalid("has a malformed port"));
        }
    }
    let host_ok = if host.starts_with('[') {
        host.len() > 2
            && host
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || matches!(b, b'[' | b']' | b':' | b'.'))
    } else {
        host.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    if !host_ok {
        return Err(invalid("has a malformed host"));
    }
    Ok((host, port))
}

/// `INVALID_URL` for a query that does not decode.
pub fn query_error(e: crate::form::FormError) -> Error {
    let mut message = String::from("the URL query is malformed: ");
    message.push_str(e.describe());
    Error::new(Code::InvalidUrl, message)
}

/// The decoded query pairs of a URL received by a parse or verify function
/// (absolute, or a path starting with `/`), after the 8 KiB limit; also its parts.
pub fn received_query(input: &str) -> Result<(Parts<'_>, Vec<crate::form::Pair<'_>>)> {
    if input.len() > crate::limits::URL_INPUT {
        return Err(Error::too_large("the URL", crate::limits::URL_INPUT));
    }
    let parts = split(input, true)?;
    let pairs =
        crate::form::decode(parts.query.unwrap_or_default().as_bytes()).map_err(query_error)?;
    Ok((parts, pairs))
}

/// `localhost`, `127.0.0.1` or `[::1]` (case-insensitive): the hosts where `http:` is allowed.
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]"
}

/// The base URL of a provider API that requests are built on: absolute, `https:`
/// (`http:` only for a loopback host, else `INSECURE_URL`), at most 2048 characters,
/// no userinfo, query, fragment or empty path segment (`INVALID_URL`). Returned
/// without its trailing `/`, ready for a path starting with `/` to be appended.
pub fn check_api_base(base: &str) -> Result<&str> {
    if base.len() > crate::limits::URL_OUTPUT {
        return Err(invalid("of the API base is longer than 2048 characters"));
    }
    let parts = split(base, false)?;
    if is_insecure(&parts) {
        return Err(insecure("the API base"));
    }
    if parts.userinfo.is_some() || parts.query.is_some() || parts.fragment.is_some() {
        return Err(invalid(
            "of the API base must not have a user name, password, query or fragment",
        ));
    }
    let trimmed = base.strip_suffix('/').unwrap_or(base);
    if split_once_str(parts.path, "//").is_some() {
        return Err(invalid("of the API base has an empty path segment (`//`)"));
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_absolute_urls() {
        let p = split("https://u:p@ex.com:8443/a/b?x=1&y#frag", false).unwrap();
        assert_eq!(p.scheme, Some("https"));
        assert_eq!(p.userinfo, Some("u:p"));
        assert_eq!(p.host, Some("ex.com"));
        assert_eq!(p.port, Some("8443"));
        assert_eq!(p.path, "/a/b");
        assert_eq!(p.query, Some("x=1&y"));
        assert_eq!(p.fragment, Some("frag"));
        let p = split("http://[::1]:8787?q", false).unwrap();
        assert_eq!(p.host, Some("[::1]"));
        assert_eq!(p.path, "");
        assert_eq!(p.query, Some("q"));
    }

    #[test]
    fn paths_only_when_allowed() {
        assert_eq!(split("/cb?a=1", true).unwrap().query, Some("a=1"));
        assert!(split("/cb?a=1", false).is_err());
        assert!(split("//evil.com/cb", true).is_err());
    }

    #[test]
    fn refuses_bad_urls() {
        for bad in [
            "ftp://x.com/",
            "https:///path",
            "https://ex ample.com/",
            "https://ex.com:99999/",
            "https://ex.com:/",
            "javascript:alert(1)",
            "https://exä.com/",
            "relative/path",
        ] {
            assert_eq!(
                split(bad, true).map(|_| ()).unwrap_err().code(),
                Code::InvalidUrl,
                "{bad}"
            );
        }
    }

    #[test]
    fn byte_splitting_matches_str_methods() {
        for s in [
            "",
            "a",
            "/",
            "a/b",
            "/a//b/",
            "ä/ö/",
            "x://y://z",
            ":/",
            "é:é@ü@",
        ] {
            assert_eq!(split_once_byte(s, b'/'), s.split_once('/'), "{s}");
            assert_eq!(rsplit_once_byte(s, b'@'), s.rsplit_once('@'), "{s}");
            assert_eq!(split_once_str(s, "://"), s.split_once("://"), "{s}");
            assert_eq!(split_once_str(s, "//"), s.split_once("//"), "{s}");
            assert_eq!(
                split_byte(s, b'/').collect::<Vec<_>>(),
                s.split('/').collect::<Vec<_>>(),
                "{s}"
            );
        }
    }

    #[test]
    fn http_only_for_loopback_hosts_with_one_message() {
        const REST: &str =
            " uses http:, which is only allowed for localhost, 127.0.0.1 and [::1]; use https:";
        let e = check_api_base("http://api.example").unwrap_err();
        assert_eq!(e.code(), Code::InsecureUrl);
        assert_eq!(e.message(), format!("the API base{REST}"));
        let e = crate::hapi::build_callback_url("http://a.example/cb", &[]).unwrap_err();
        assert_eq!(e.code(), Code::InsecureUrl);
        assert_eq!(e.message(), format!("the URL{REST}"));
        let e = crate::smart_router::build_basic_auth_webhook_url("HTTP://a.example/", "u", "p")
            .unwrap_err();
        assert_eq!(e.message(), format!("the URL{REST}"));
        for base in [
            "http://localhost",
            "HTTP://LOCALHOST:8787",
            "http://127.0.0.1:1",
            "http://[::1]",
            "https://api.example",
            "HTTPS://api.example",
        ] {
            assert!(check_api_base(base).is_ok(), "{base}");
            let parts = split(base, false).unwrap();
            assert!(!is_insecure(&parts), "{base}");
        }
        for base in [
            "http://127.0.0.2",
            "http://localhost.example",
            "http://[::2]",
        ] {
            assert!(is_insecure(&split(base, false).unwrap()), "{base}");
        }
    }
}
