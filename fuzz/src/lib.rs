//! The checks behind payhook's fuzz targets, one module per target.
//!
//! Each `check(data)` runs one parser or builder on input derived from `data` and
//! asserts what the contract (/work/shared/api.md) promises: an answer or an error
//! with one of the codes that function may return, never a panic; and beyond that,
//! invariants and, where the contract decides, the exact answer computed by the
//! independent [`reference`] implementation. A failed assertion is a finding.
//!
//! `fuzz_targets/*.rs` call these under libFuzzer (`make fuzz`); the `replay` test
//! runs every file of `corpus/<target>/` through them on stable Rust (`make test`).

pub mod reference;

pub mod api_requests;
pub mod basic_auth;
pub mod callback_url;
pub mod hapi_build;
pub mod hapi_parse;
pub mod hitpay_event;
pub mod hitpay_payment_request;
pub mod hitpay_redirect;
pub mod hitpay_webhook;
pub mod payex_callback;
pub mod smart_router_webhook;

#[cfg(test)]
mod replay;

use payhook::{Code, Error};

/// A target's check: panics on a finding.
pub type Check = fn(&[u8]);

/// Every target, by name, with its check (the name is the corpus folder).
pub const TARGETS: &[(&str, Check)] = &[
    ("api_requests", api_requests::check),
    ("basic_auth", basic_auth::check),
    ("callback_url", callback_url::check),
    ("hapi_build", hapi_build::check),
    ("hapi_parse", hapi_parse::check),
    ("hitpay_event", hitpay_event::check),
    ("hitpay_payment_request", hitpay_payment_request::check),
    ("hitpay_redirect", hitpay_redirect::check),
    ("hitpay_webhook", hitpay_webhook::check),
    ("payex_callback", payex_callback::check),
    ("smart_router_webhook", smart_router_webhook::check),
];

/// Reads a target's input: a flags byte, `\n`-terminated lines, then the rest.
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    /// The next byte (0 once the input is used up).
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, tail)) => {
                self.rest = tail;
                b
            }
            None => 0,
        }
    }

    /// Bytes up to the next `\n` (which is consumed), or all that is left.
    pub fn line(&mut self) -> &'a [u8] {
        match self.rest.iter().position(|&b| b == b'\n') {
            Some(at) => {
                let line = &self.rest[..at];
                self.rest = &self.rest[at + 1..];
                line
            }
            None => core::mem::take(&mut self.rest),
        }
    }

    pub fn rest(self) -> &'a [u8] {
        self.rest
    }
}

/// Text as a JavaScript string would reach the core: always valid UTF-8.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Checks an error: its code is one `what` may return and its message is a sentence.
pub fn check_error(what: &str, e: &Error, allowed: &[Code]) {
    assert!(
        allowed.contains(&e.code()),
        "{what}: code {:?} is not one this function may return ({e})",
        e.code()
    );
    assert!(!e.message().is_empty(), "{what}: empty message");
}

/// Another secret of the same kind: the bytes reversed, then `Zq`.
pub fn other_secret(secret: &[u8]) -> Vec<u8> {
    let mut other: Vec<u8> = secret.iter().rev().copied().collect();
    other.extend_from_slice(b"Zq");
    other
}

/// No message or `Debug` shows a secret, or anything computed from it (a
/// signature): `run` with another secret fails with the same code and exactly the
/// same message, field and `Debug`. (A stronger check than searching the text for
/// the secret, which short secrets would match by chance.)
pub fn assert_secret_free<T>(what: &str, secret: &[u8], run: impl Fn(&[u8]) -> Result<T, Error>) {
    let (Err(a), Err(b)) = (run(secret), run(&other_secret(secret))) else {
        return;
    };
    if a.code() == b.code() {
        assert_eq!(
            format!("{a} {a:?}"),
            format!("{b} {b:?}"),
            "{what}: the error depends on the secret"
        );
    }
}

/// `Err(code)` or `Ok(value)`, for comparing with a reference answer.
pub fn code_of<T>(r: &Result<T, Error>) -> Result<(), Code> {
    r.as_ref().map(|_| ()).map_err(Error::code)
}

/// `Debug` of a request shows no header value (they carry API keys): it is the
/// same whatever the values.
pub fn assert_debug_hides_headers(r: &payhook::http::HttpRequest) {
    let mut other = r.clone();
    for (_, v) in &mut other.headers {
        *v = String::from("another value");
    }
    assert_eq!(
        format!("{r:?}"),
        format!("{other:?}"),
        "Debug of HttpRequest shows a header value"
    );
}
