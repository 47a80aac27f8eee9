//! `callback_url::sign` and `callback_url::verify`.
//!
//! Input: a flags byte, the secret up to `\n`, the URL up to `\n`, the ignored keys
//! (comma-separated) up to `\n`, then mutations (3 bytes each) applied to the
//! signed URL. Flag 1: sign with an expiry; flag 2: verify the given URL at time 0
//! (else at 2e9).
//!
//! Invariants:
//! - whatever URL `verify` accepts, its `sig` is the HMAC of the message the
//!   contract defines (computed here), it is not expired, and the parameters
//!   returned are its signed pairs without `exp`;
//! - a signed URL verifies, also with the ignored keys appended, to the URL's
//!   pairs (less the ignored keys); it expires after `exp`; another secret fails;
//! - a signed URL changed in any way is accepted only if its signed part (path and
//!   pairs other than `sig` and the ignored keys, decoded) is the same.

use crate::reference::{b64url, form_decode, form_encode, form_serialize, hmac};
use crate::{assert_secret_free, check_error, text, Input};
use payhook::{callback_url, Code};

const SIGN_ALLOWED: &[Code] = &[
    Code::InvalidUrl,
    Code::InvalidSecret,
    Code::InsecureUrl,
    Code::DuplicateField,
];

const VERIFY_ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::InvalidSecret,
    Code::InvalidUrl,
    Code::MissingSignature,
    Code::MalformedSignature,
    Code::SignatureMismatch,
    Code::Expired,
    Code::DuplicateField,
    Code::InvalidField,
];

/// The path (`/` when empty) and the query of a URL or origin-relative path.
fn path_and_query(url: &str) -> (String, &str) {
    let before_fragment = url.split('#').next().unwrap_or_default();
    let (before_query, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    let path = if before_query.starts_with('/') {
        before_query
    } else {
        let rest = before_query.split_once("://").map_or("", |(_, r)| r);
        rest.find('/').map_or("", |at| &rest[at..])
    };
    (
        if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        },
        query,
    )
}

/// The signed part of a URL: its path and its pairs other than `sig` and the
/// ignored keys, decoded. `None` when the query does not decode.
fn signed_part(url: &str, ignore: &[&str]) -> Option<(String, Vec<(String, String)>)> {
    let (path, query) = path_and_query(url);
    let pairs = form_decode(query.as_bytes())?;
    Some((
        path,
        pairs
            .into_iter()
            .filter(|(k, _)| k != "sig" && !ignore.contains(&k.as_str()))
            .collect(),
    ))
}

/// Checks an accepted URL against the contract's definition of `sig`.
fn check_accepted(url: &str, secret: &[u8], ignore: &[&str], now: u64, got: &[(String, String)]) {
    let (path, signed) = signed_part(url, ignore).expect("an accepted URL's query decodes");
    let (_, query) = path_and_query(url);
    let sigs: Vec<String> = form_decode(query.as_bytes())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "sig")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        sigs.len(),
        1,
        "accepted with {} sig parameters: {url:?}",
        sigs.len()
    );
    let message = format!("{path}?{}", form_serialize(&signed));
    assert_eq!(
        sigs[0],
        b64url(&hmac(secret, &[message.as_bytes()])),
        "accepted a sig that is not the HMAC of the signed part: {url:?}"
    );
    let exps: Vec<&String> = signed
        .iter()
        .filter(|(k, _)| k == "exp")
        .map(|(_, v)| v)
        .collect();
    assert!(exps.len() <= 1);
    if let Some(exp) = exps.first() {
        let exp: u64 = exp.parse().expect("an accepted exp is a number");
        assert!(now <= exp, "accepted after expiry");
    }
    let want: Vec<(String, String)> = signed.into_iter().filter(|(k, _)| k != "exp").collect();
    assert_eq!(got, want.as_slice());
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let secret = input.line().to_vec();
    let url = text(input.line());
    let ignore_line = text(input.line());
    // `sig` and `exp` are the signature's own keys, not keys a provider appends.
    let ignore: Vec<&str> = ignore_line
        .split(',')
        .filter(|k| !k.is_empty() && *k != "sig" && *k != "exp")
        .collect();
    let ops = input.rest();

    // Any URL, as received.
    let now = if flags & 2 != 0 { 0 } else { 2_000_000_000 };
    match callback_url::verify(&url, &secret, &ignore, now) {
        Ok(got) => check_accepted(&url, &secret, &ignore, now, &got),
        Err(e) => {
            check_error("verify", &e, VERIFY_ALLOWED);
            assert_secret_free("verify", &secret, |s| {
                callback_url::verify(&url, s, &ignore, now)
            });
        }
    }

    // Signed here, then verified as is, with the ignored keys appended, and changed.
    let expires_at = (flags & 1 != 0).then_some(1_000_000_000 + u64::from(flags));
    let signed = match callback_url::sign(&url, &secret, expires_at, &ignore) {
        Ok(s) => s,
        Err(e) => {
            check_error("sign", &e, SIGN_ALLOWED);
            assert_secret_free("sign", &secret, |s| {
                callback_url::sign(&url, s, expires_at, &ignore)
            });
            return;
        }
    };
    assert!(signed.starts_with(url.as_str()) && signed.len() <= 2048);
    let want: Vec<(String, String)> = signed_part(&url, &ignore)
        .expect("a signable URL's query decodes")
        .1;
    let got = callback_url::verify(&signed, &secret, &ignore, 0)
        .unwrap_or_else(|e| panic!("a signed URL does not verify: {e} ({signed:?})"));
    assert_eq!(got, want);
    check_accepted(&signed, &secret, &ignore, 0, &got);
    let mut appended = signed.clone();
    for k in ignore.iter().rev() {
        appended.push_str(&format!("&{}=x", form_encode(k)));
    }
    if appended.len() <= 8 * 1024 {
        assert_eq!(
            callback_url::verify(&appended, &secret, &ignore, 0).map_err(|e| e.to_string()),
            Ok(want.clone()),
            "ignored keys appended: {appended:?}"
        );
    }
    if let Some(exp) = expires_at {
        assert_eq!(
            callback_url::verify(&signed, &secret, &ignore, exp + 1).map_err(|e| e.code()),
            Err(Code::Expired)
        );
    }
    let mut other = secret.clone();
    other.push(b'x');
    assert_eq!(
        callback_url::verify(&signed, &other, &ignore, 0).map_err(|e| e.code()),
        Err(Code::SignatureMismatch)
    );

    // Changed: accepted only if the signed part is the same.
    let mut changed = signed.clone().into_bytes();
    for op in ops.chunks_exact(3).take(8) {
        let at = if changed.is_empty() {
            0
        } else {
            usize::from(op[1]) * 7 % (changed.len() + 1)
        };
        match op[0] % 6 {
            0 => changed.insert(at, op[2]),
            1 if at < changed.len() => {
                changed.remove(at);
            }
            2 if at < changed.len() => changed[at] = op[2],
            3 => {
                let k = ignore
                    .get(usize::from(op[2]) % ignore.len().max(1))
                    .copied()
                    .unwrap_or("amount");
                changed.extend_from_slice(format!("&{}={}", form_encode(k), op[1]).as_bytes());
            }
            4 if at < changed.len() => changed[at] = changed[at].to_ascii_uppercase(),
            5 => changed.extend_from_slice(b"&"),
            _ => {}
        }
    }
    let changed = text(&changed);
    let verified = callback_url::verify(&changed, &secret, &ignore, 0);
    assert_secret_free("verify", &secret, |s| {
        callback_url::verify(&changed, s, &ignore, 0)
    });
    if let Ok(got) = verified {
        assert_eq!(
            signed_part(&changed, &ignore),
            signed_part(&signed, &ignore),
            "accepted a URL whose signed part differs: {changed:?} (signed {signed:?})"
        );
        check_accepted(&changed, &secret, &ignore, 0, &got);
    }
}
