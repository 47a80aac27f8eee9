#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests of `payhook::hapi` and `payhook::callback_url` against the contract
//! (/work/shared/api.md). The form serializer, the percent-decoder and the signature
//! message are written here independently; expected values never come from payhook.

mod common;

use common::{b64url, mac};
use payhook::{callback_url, hapi, Code};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

const RESERVED: [&str; 3] = ["draftCampaignId", "amount", "walletId"];

// ------------------------------------------------------------------ independent helpers

/// The `application/x-www-form-urlencoded` serializer (WHATWG URL §5.2, as
/// `URLSearchParams.toString()` does): `*-._` and ASCII alphanumerics kept, space as
/// `+`, every other UTF-8 byte as `%XX` (uppercase).
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn serialize(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-decoding of `%XX` only (no `+`), lossy: what a key "means" once decoded.
fn percent_decode(s: &str) -> String {
    let hex = |b: u8| char::from(b).to_digit(16);
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// True when `key` stands for a reserved key by the contract's rule: what a PHP,
/// Rails or Node server could read as one. Compared case-insensitively, as given
/// and after one more decoding (`+` a space, `%XX` a byte), on what is left once
/// the key is stripped of leading whitespace, control characters, `[`, `]` and
/// `.`, cut at the next control character, `[`, `]` or `.`, and stripped of
/// trailing whitespace.
fn looks_reserved(key: &str) -> bool {
    let space = |c: char| c.is_whitespace() || c == '\u{feff}';
    [key.to_owned(), percent_decode(&key.replace('+', " "))]
        .iter()
        .any(|k| {
            let k = k.trim_start_matches(|c: char| space(c) || c.is_control() || "[].".contains(c));
            let head = k
                .split(|c: char| c.is_control() || "[].".contains(c))
                .next()
                .unwrap_or_default();
            let head = head.trim_end_matches(space);
            RESERVED.iter().any(|r| r.eq_ignore_ascii_case(head))
        })
}

/// The character HAPI puts before its pairs: `?`, `&`, or nothing after `?`/`&`.
fn separator(url: &str) -> &'static str {
    if !url.contains('?') {
        "?"
    } else if url.ends_with('?') || url.ends_with('&') {
        ""
    } else {
        "&"
    }
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ------------------------------------------------------------------ strategies

/// Arbitrary Unicode (controls, `&`, `=`, `%`, `+`, `#`, emoji, …).
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), min..max).prop_map(String::from_iter)
}

/// Custom parameters: arbitrary keys that are not reserved in any form, unique, with
/// arbitrary values; `extra_banned` keys are left out too.
fn custom_params(
    max: usize,
    extra_banned: &'static [&'static str],
) -> impl Strategy<Value = Vec<(String, String)>> {
    vec((text(1, 8), text(0, 10)), 0..max).prop_map(move |pairs| {
        let mut out: Vec<(String, String)> = Vec::new();
        for (k, v) in pairs {
            if looks_reserved(&k)
                || k.chars().any(char::is_control)
                || extra_banned.contains(&k.as_str())
                || out.iter().any(|(seen, _)| *seen == k)
            {
                continue;
            }
            out.push((k, v));
        }
        out
    })
}

/// Bases a front end would pass (WHATWG-serialised already), with their decoded pairs.
fn base() -> impl Strategy<Value = (&'static str, Vec<(String, String)>)> {
    prop_oneof![
        Just(("https://ats.example/webhooks/hapi", vec![])),
        Just(("https://ats.example/", vec![])),
        Just(("https://ats.example/cb?", vec![])),
        Just((
            "https://ats.example:8443/cb?ref=abc",
            owned(&[("ref", "abc")])
        )),
        Just((
            "http://127.0.0.1:8787/hapi?x=%C3%A4+1&",
            owned(&[("x", "ä 1")])
        )),
        Just(("http://[::1]/cb?flag", owned(&[("flag", "")]))),
    ]
}

/// An identifier as HAPI sends them (no white space, no controls).
fn id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.:/~äß€😀-]{1,24}"
}

fn amount() -> impl Strategy<Value = String> {
    "[0-9]{1,9}(\\.[0-9]{1,4})?"
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------------ (a) build, HAPI appends, parse

proptest! {
    #![proptest_config(config())]

    #[test]
    fn build_then_hapi_appends_then_parse_round_trips(
        (base, base_pairs) in base(),
        params in custom_params(6, &[]),
        draft in proptest::option::of(id()),
        amount in amount(),
        wallet in id(),
    ) {
        let params: Vec<(String, String)> = params
            .into_iter()
            .filter(|(k, _)| !base_pairs.iter().any(|(b, _)| b == k))
            .collect();
        let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let built = hapi::build_callback_url(base, &refs).unwrap();

        // Appended in order, form-encoded, after the base.
        let expected = if params.is_empty() {
            base.to_owned()
        } else {
            format!("{base}{}{}", separator(base), serialize(&params))
        };
        prop_assert_eq!(&built, &expected);

        // HAPI appends its keys, values form-encoded.
        let mut hapi_pairs = Vec::new();
        if let Some(d) = &draft {
            hapi_pairs.push(("draftCampaignId".to_owned(), d.clone()));
        }
        hapi_pairs.push(("amount".to_owned(), amount.clone()));
        hapi_pairs.push(("walletId".to_owned(), wallet.clone()));
        let called = format!("{built}{}{}", separator(&built), serialize(&hapi_pairs));

        let got = hapi::parse_callback(&called).unwrap();
        let all: Vec<(String, String)> = base_pairs.iter().cloned().chain(params.iter().cloned()).collect();
        prop_assert_eq!(&got.params, &all);
        prop_assert_eq!(&got.amount, &amount);
        prop_assert_eq!(&got.wallet_id, &wallet);
        prop_assert_eq!(&got.draft_campaign_id, &draft);
        prop_assert_eq!(
            got.kind,
            if draft.is_some() {
                hapi::CallbackKind::DirectChargeCampaignOrder
            } else {
                hapi::CallbackKind::WalletTopUp
            }
        );

        // The same as a path.
        let path = &called[called.find("://").map(|i| i + 3).unwrap()..];
        let path = &path[path.find('/').unwrap()..];
        prop_assert_eq!(hapi::parse_callback(path).unwrap(), got);
    }
}

// ------------------------------------------------------------------ (b) reserved keys in disguise

/// A reserved key with its letters in random case, maybe after whitespace,
/// brackets or dots (what PHP, Rack or `qs` strip), and maybe followed by `[`, `]`,
/// `.`, whitespace or NUL and more (where they cut a name).
fn disguised_key() -> impl Strategy<Value = String> {
    (
        0..RESERVED.len(),
        vec(any::<bool>(), 16),
        proptest::sample::select(vec![
            "", "", "", " ", "  ", "\u{a0}", "\u{3000}", "[", "]", ".", " [", "\t",
        ]),
        proptest::option::of((
            proptest::sample::select(vec!["[", "[", "]", ".", " ", "\0", "\u{feff}"]),
            text(0, 6),
        )),
    )
        .prop_map(|(which, upper, prefix, suffix)| {
            let mut key: String = prefix.to_owned();
            key.extend(RESERVED[which].chars().zip(upper).map(|(c, up)| {
                if up {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            }));
            if let Some((cut, s)) = suffix {
                key.push_str(cut);
                // After whitespace only more whitespace keeps the key reserved.
                let space = |c: char| c.is_whitespace() || c == '\u{feff}';
                if cut.chars().all(space) {
                    key.extend(s.chars().filter(|&c| space(c)));
                } else {
                    key.push_str(&s);
                }
            }
            key
        })
}

/// A disguised key is refused as reserved, unless it holds a control character:
/// that is `INVALID_FIELD` whatever the key.
fn expected_code(key: &str) -> Code {
    if key.chars().any(char::is_control) {
        Code::InvalidField
    } else {
        Code::ReservedQueryKey
    }
}

/// `key` as it may be written in a URL query: a random subset of its bytes
/// percent-encoded (hex digits in random case), the rest raw when that is possible.
fn percent_encode_some(key: &str, mask: &[bool], lower: &[bool]) -> String {
    let mut out = String::new();
    for (i, b) in key.bytes().enumerate() {
        let raw_ok = b.is_ascii_alphanumeric() || b"[]-._~!$'()*,;:@/".contains(&b);
        if raw_ok && !mask[i % mask.len()] {
            out.push(char::from(b));
        } else if lower[i % lower.len()] {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reserved_keys_in_disguise_are_refused_in_the_base_query(
        key in disguised_key(),
        mask in vec(any::<bool>(), 1..24),
        lower in vec(any::<bool>(), 1..24),
        before in any::<bool>(),
        value in proptest::option::of("[a-z0-9]{0,4}"),
    ) {
        let written = percent_encode_some(&key, &mask, &lower);
        let pair = match &value {
            Some(v) => format!("{written}={v}"),
            None => written.clone(),
        };
        let base = if before {
            format!("https://ats.example/cb?orderId=o-1&{pair}")
        } else {
            format!("https://ats.example/cb?{pair}&orderId=o-1")
        };
        for params in [&[][..], &[("job", "42")][..]] {
            let err = hapi::build_callback_url(&base, params).unwrap_err();
            prop_assert_eq!(err.code(), expected_code(&key), "{} -> {}", base, err.message());
        }
    }

    #[test]
    fn reserved_keys_in_disguise_are_refused_in_params(
        key in disguised_key(),
        value in text(0, 6),
        first in any::<bool>(),
    ) {
        let params: Vec<(&str, &str)> = if first {
            vec![(key.as_str(), value.as_str()), ("orderId", "o-1")]
        } else {
            vec![("orderId", "o-1"), (key.as_str(), value.as_str())]
        };
        for base in ["https://ats.example/cb", "https://ats.example/cb?ref=1"] {
            let err = hapi::build_callback_url(base, &params).unwrap_err();
            prop_assert_eq!(err.code(), expected_code(&key), "{:?}", key);
        }
    }

    /// The contract compares keys "after percent-decoding" wherever they appear,
    /// `params` included (`%61mount` is refused).
    #[test]
    fn percent_encoded_reserved_keys_are_refused_in_params(
        key in disguised_key(),
        mask in vec(any::<bool>(), 1..24),
        lower in vec(any::<bool>(), 1..24),
    ) {
        let written = percent_encode_some(&key, &mask, &lower);
        let err = hapi::build_callback_url("https://ats.example/cb", &[(written.as_str(), "1")])
            .map(|url| format!("accepted: {url}"))
            .map_err(|e| e.code());
        prop_assert_eq!(err, Err(Code::ReservedQueryKey), "{:?}", written);
    }
}

#[test]
fn percent_encoded_reserved_key_in_params_example() {
    for key in [
        "%61mount",
        "walletI%64",
        "%64raftCampaignId",
        "%61mount%5B%5D",
    ] {
        let got = hapi::build_callback_url("https://ats.example/cb", &[(key, "1")]);
        assert_eq!(
            got.as_ref().map_err(|e| e.code()),
            Err(Code::ReservedQueryKey),
            "{key}: {got:?}"
        );
    }
}

#[test]
fn duplicate_custom_keys_in_params_are_refused() {
    let code = |base: &str, params: &[(&str, &str)]| {
        hapi::build_callback_url(base, params).unwrap_err().code()
    };
    let base = "https://ats.example/cb";
    assert_eq!(code(base, &[("x", "1"), ("x", "2")]), Code::DuplicateField);
    assert_eq!(
        code(base, &[("x", "1"), ("y", ""), ("x", "1")]),
        Code::DuplicateField
    );
    assert_eq!(
        code("https://ats.example/cb?x", &[("x", "")]),
        Code::DuplicateField
    );
    assert_eq!(
        code("https://ats.example/cb?a+b=1", &[("a b", "")]),
        Code::DuplicateField
    );
    assert!(hapi::build_callback_url(base, &[("x", "1"), ("X", "2")]).is_ok());
}

#[test]
fn reserved_key_matches_the_contract_rule() {
    for key in [
        "amount",
        "AMOUNT",
        "amount[]",
        "WalletID[x]",
        "draftcampaignid[a][b]",
    ] {
        assert!(hapi::reserved_key(key).is_some(), "{key}");
    }
    for key in [
        " amount",
        "amount ",
        "amount\0",
        "[amount]",
        "amount.x",
        "%20walletId",
    ] {
        assert!(hapi::reserved_key(key).is_some(), "{key:?}");
        assert!(looks_reserved(key), "{key:?}");
    }
    for key in [
        "amounts",
        "x[amount]",
        "x.amount",
        "wallet",
        "amount_",
        "a mount",
        "",
    ] {
        assert!(hapi::reserved_key(key).is_none(), "{key}");
    }
}

// ------------------------------------------------------------------ (c) sign, HAPI appends, verify

/// HAPI's pairs to insert: (which key, value, position in the query).
fn insertions() -> impl Strategy<Value = Vec<(usize, String, usize)>> {
    vec((0..RESERVED.len(), id(), any::<usize>()), 0..5)
}

/// `url` with each raw pair inserted before the query segment at (position mod len+1).
fn insert_all(url: &str, pairs: &[(usize, String, usize)]) -> String {
    let (head, query) = url.split_once('?').unwrap();
    let mut segments: Vec<String> = query.split('&').map(str::to_owned).collect();
    for (which, value, pos) in pairs {
        let at = pos % (segments.len() + 1);
        segments.insert(at, format!("{}={}", RESERVED[*which], enc(value)));
    }
    format!("{head}?{}", segments.join("&"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sign_then_verify_with_hapi_keys_anywhere_returns_exactly_the_params(
        params in custom_params(6, &["sig", "exp"]),
        path in "(/[a-z0-9%~-]{1,8}){1,3}/?",
        secret in vec(any::<u8>(), 1..40),
        exp in proptest::option::of(0u64..4_000_000_000),
        inserts in insertions(),
        early in any::<Index>(),
        change in any::<Index>(),
        at in any::<Index>(),
        replacement in any::<char>(),
    ) {
        let url = if params.is_empty() {
            format!("https://ats.example{path}")
        } else {
            format!("https://ats.example{path}?{}", serialize(&params))
        };
        let signed = callback_url::sign(&url, &secret, exp, &[]).unwrap();

        // exp (only with expires_at) then sig, last; sig independently computed.
        let mut message_pairs = params.clone();
        if let Some(e) = exp {
            message_pairs.push(("exp".to_owned(), e.to_string()));
        }
        let message = format!("{path}?{}", serialize(&message_pairs));
        let sig = b64url(&mac(&secret, message.as_bytes()));
        prop_assert_eq!(sig.len(), 43);
        let tail = match exp {
            Some(e) => format!("exp={e}&sig={sig}"),
            None => format!("sig={sig}"),
        };
        prop_assert_eq!(&signed, &format!("{url}{}{tail}", separator(&url)));

        let now = exp.map_or(early.index(usize::MAX) as u64, |e| early.index(e as usize + 1) as u64);
        let called = insert_all(&signed, &inserts);
        prop_assert_eq!(callback_url::verify(&called, &secret, &RESERVED, now), Ok(params.clone()));
        // As a path, on another host: scheme and host are not signed.
        let moved = called.replacen("https://ats.example", "http://10.0.0.1:8080", 1);
        prop_assert_eq!(callback_url::verify(&moved, &secret, &RESERVED, now), Ok(params.clone()));
        let as_path = &called["https://ats.example".len()..];
        prop_assert_eq!(callback_url::verify(as_path, &secret, &RESERVED, now), Ok(params.clone()));
        if let Some(e) = exp {
            prop_assert_eq!(
                callback_url::verify(&called, &secret, &RESERVED, e + 1).map_err(|e| e.code()),
                Err(Code::Expired)
            );
        }

        // Any single-character change to a signed value fails.
        if !params.is_empty() {
            let i = change.index(params.len());
            let mut changed = params.clone();
            let value: Vec<char> = changed[i].1.chars().collect();
            let new_value: String = if value.is_empty() {
                replacement.to_string()
            } else {
                let j = at.index(value.len());
                let c = if value[j] == replacement {
                    char::from_u32(u32::from(replacement) ^ 1).unwrap_or('x')
                } else {
                    replacement
                };
                let mut v = value.clone();
                v[j] = c;
                v.into_iter().collect()
            };
            prop_assume!(new_value != changed[i].1);
            changed[i].1 = new_value;
            let tampered = format!("https://ats.example{path}?{}&{tail}", serialize(&changed));
            let tampered = insert_all(&tampered, &inserts);
            prop_assert_eq!(
                callback_url::verify(&tampered, &secret, &RESERVED, now).map_err(|e| e.code()),
                Err(Code::SignatureMismatch)
            );
        }
    }
}
