#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! What the fuzz targets (fuzz/) and the bad-input corpus (tests/node/bad-inputs.test.mjs)
//! found in the core, one test per finding, with the input reduced to its essence. Expected values come from the contract (/work/shared/api.md)
//! and are computed here independently (hmac, sha2), never from payhook.

mod common;

use common::hmac_hex;
use payhook::{diagnose, hapi, Code};
use std::sync::mpsc;
use std::time::Duration;

/// Finding (fuzz target `hapi_build`): a reserved key disguised with percent-encoding
/// is refused only when the *whole* key is well-formed percent-encoding. A stray `%`
/// after the `[` makes the check skip the decoding, so `%61mount[%` passes, although
/// percent-decoded (WHATWG percent-decode keeps a `%` that is not followed by two hex
/// digits) it is `amount[%`, whose part before `[` is `amount`. The contract: reserved
/// keys are refused "compared after percent-decoding and case-insensitively …, and so
/// is a key whose part before `[` is reserved".
#[test]
fn reserved_key_disguise_with_a_stray_percent_is_refused() {
    for key in ["%61mount[%", "%77alletId[%zz]", "draftCampaignId%5B%5D=x%"] {
        let got = hapi::build_callback_url("https://a.example/", &[(key, "1")]);
        assert_eq!(
            got.as_ref().map_err(payhook::Error::code),
            Err(Code::ReservedQueryKey),
            "params key {key:?} gave {got:?}"
        );
    }
    // The same key already in the base (decoded once by the query decoder first).
    let base = "https://a.example/?%2561mount%5B%25=1";
    let got = hapi::build_callback_url(base, &[]);
    assert_eq!(
        got.as_ref().map_err(payhook::Error::code),
        Err(Code::ReservedQueryKey),
        "{base} gave {got:?}"
    );
}

/// Finding (fuzz target `hitpay_webhook`): `diagnose` adds the `JSON_BODY` hint to a
/// form body that verifies, when its first key starts with `{` or `[`. A body that
/// verifies is not an event webhook; a diagnosis of a valid body has no hints.
#[test]
fn a_valid_form_body_starting_with_a_brace_gets_no_json_hint() {
    let salt = b"salt_for_tests_only";
    for first_key in ["{a", "[ref", "{\"id\":1}"] {
        // Keys sorted by bytes: the first key, then `~z`.
        let message = format!("{first_key}1~z2");
        let body = format!(
            "{first_key}=1&~z=2&hmac={}",
            hmac_hex(salt, message.as_bytes())
        );
        let d = diagnose::diagnose(body.as_bytes(), salt);
        assert!(d.valid, "{body} verifies");
        assert!(d.hints.is_empty(), "{body}: {:?}", d.hints);
    }
}

/// Finding (bad-input corpus, `buildHapiCallbackUrl` with an object of many keys):
/// `build_callback_url` checks each parameter key against every key before it (a
/// linear scan of a `Vec`), so the time grows with the square of the number of
/// parameters: 50,000 keys take seconds, 200,000 more than a minute (measured through
/// the package: 0.7 s, 5.7 s, 87 s for 10k, 50k, 200k) before the answer, which is
/// `INVALID_URL` because the URL would be far over 2048 characters. A builder must
/// answer any input promptly: at most 2048 characters of output hold at most ~512
/// parameters, so the size can be judged first, or duplicates found by sorting.
#[test]
fn many_parameters_are_refused_promptly() {
    let keys: Vec<String> = (0..30_000).map(|i| format!("k{i}")).collect();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let params: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "")).collect();
        let got = hapi::build_callback_url("https://a.example/", &params).map_err(|e| e.code());
        let _ = tx.send(got);
    });
    match rx.recv_timeout(Duration::from_secs(1)) {
        Ok(got) => assert_eq!(got, Err(Code::InvalidUrl)),
        Err(_) => panic!("build_callback_url with 30,000 parameters took over a second"),
    }
}
