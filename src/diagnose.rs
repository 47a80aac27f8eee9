//! Explains why a HitPay form webhook does not verify.
//!
//! It recomputes the HMAC the ways signers usually get wrong and says which one
//! matches the received `hmac`. It never returns the salt or the expected
//! signature: only yes/no answers about the body it was given.
use crate::prelude::*;

use crate::error::{Code, Error};
use crate::form;
use crate::hitpay;
use crate::signature::{self, Key};
use crate::sort;
use core::cmp::Ordering;
use hmac::Mac;

/// One finding. `confirmed` is true when recomputing the HMAC that way matched the
/// received `hmac`; false for a likely cause that could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Hint {
    pub code: &'static str,
    pub message: &'static str,
    pub confirmed: bool,
}

/// The diagnosis of one webhook body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Diagnosis {
    /// The body verifies: `verify_webhook` accepts it (with HitPay's null fields
    /// left out, it has the `NULL_FIELD_OMITTED` hint).
    pub valid: bool,
    /// What `verify_webhook` reports, when it fails.
    pub error: Option<Error>,
    /// The message HitPay signs: fields except `hmac` (and the null fields it
    /// left out, when the body verifies that way), sorted by UTF-8 bytes of the
    /// key, `key + value` concatenated. `None` when the body cannot be decoded.
    pub canonical: Option<String>,
    /// The decoded fields except `hmac`, in the order received.
    pub fields: Option<Vec<(String, String)>>,
    pub hints: Vec<Hint>,
}

const JSON_BODY: Hint = Hint {
    code: "JSON_BODY",
    message: "The body is JSON: it is an event webhook. Verify it with verifyHitpayEvent(body, request.headers.get('Hitpay-Signature'), salt).",
    confirmed: false,
};
const SHA1_LENGTH: Hint = Hint {
    code: "SHA1_INSTEAD_OF_SHA256",
    message: "The hmac has 40 hex digits, the length of a SHA-1 MAC. HitPay signs with HMAC-SHA256 (64 hex digits).",
    confirmed: false,
};
const SHA512_LENGTH: Hint = Hint {
    code: "SHA512_INSTEAD_OF_SHA256",
    message: "The hmac has 128 hex digits, the length of a SHA-512 MAC. HitPay signs with HMAC-SHA256 (64 hex digits).",
    confirmed: false,
};
const SALT_WHITESPACE: Hint = Hint {
    code: "SALT_WHITESPACE",
    message: "The salt has white space around it (often a newline from a secrets file). The body verifies with the salt trimmed: remove the white space where the salt is stored.",
    confirmed: true,
};
/// The largest body on which the hypotheses that re-sort the keys (locale, UTF-16,
/// unsorted, undecoded) are tried.
pub const HYPOTHESES_MAX_BODY: usize = 8 * 1024;
/// The most fields for which they are tried.
pub const HYPOTHESES_MAX_FIELDS: usize = 64;
const HMAC_INCLUDED: Hint = Hint {
    code: "HMAC_FIELD_INCLUDED",
    message: "The signer included the `hmac` field itself in the signed fields. Leave `hmac` out of the message.",
    confirmed: true,
};
const NOT_DECODED: Hint = Hint {
    code: "VALUES_NOT_URL_DECODED",
    message: "The signer signed the keys and values still percent-encoded. Sign the decoded values (`+` is a space, `%XX` a byte).",
    confirmed: true,
};
const LOCALE_SORTED: Hint = Hint {
    code: "KEYS_LOCALE_SORTED",
    message: "The signer sorted the keys with locale order (localeCompare, or a case-insensitive sort). Sort keys by their UTF-8 bytes (PHP ksort, Python sorted on bytes).",
    confirmed: true,
};
const UTF16_SORTED: Hint = Hint {
    code: "KEYS_UTF16_SORTED",
    message: "The signer sorted the keys in JavaScript's default order (UTF-16 code units), which differs from UTF-8 byte order for some non-ASCII keys. Sort by UTF-8 bytes.",
    confirmed: true,
};
const NOT_SORTED: Hint = Hint {
    code: "KEYS_NOT_SORTED",
    message: "The signer did not sort the keys (it signed them in the order sent). Sort keys by their UTF-8 bytes.",
    confirmed: true,
};
const RAW_BODY: Hint = Hint {
    code: "RAW_BODY_SIGNED",
    message: "The signer signed the raw form body (without the hmac pair) instead of the sorted key+value concatenation.",
    confirmed: true,
};
const NOTHING_MATCHED: Hint = Hint {
    code: "SALT_OR_BODY_CHANGED",
    message: "No usual mistake explains the mismatch: check that the salt belongs to the account that sent this webhook (sandbox and live salts differ) and that the body is passed exactly as received, not re-encoded by a framework.",
    confirmed: false,
};

const NULL_FIELD_OMITTED: Hint = Hint {
    code: "NULL_FIELD_OMITTED",
    message: "HitPay signed a null field (reference_number or phone, when the payment request had none) as its key with an empty value, but left it out of the body (PHP's http_build_query drops nulls). The body verifies with that field added as empty: payhook accepts it and leaves the field absent from the result. A hand-written verifier must add the absent null fields as empty too.",
    confirmed: true,
};

/// Diagnoses `body` with `salt`. Never fails: problems are in the result.
pub fn diagnose(body: &[u8], salt: &[u8]) -> Diagnosis {
    let verified = hitpay::verify_webhook_report(body, salt, hitpay::VerifyOptions::default());
    let omitted_nulls = verified.as_ref().map_or(0, |v| v.omitted_nulls);
    let mut d = Diagnosis {
        valid: verified.is_ok(),
        error: verified.err(),
        canonical: None,
        fields: None,
        hints: Vec::new(),
    };
    let code = d.error.as_ref().map(Error::code);
    if code == Some(Code::PayloadTooLarge) {
        return d;
    }
    let trimmed_salt = salt.trim_ascii();
    let first = body.trim_ascii_start().first().copied();
    if !d.valid && matches!(first, Some(b'{' | b'[')) {
        d.hints.push(JSON_BODY);
    }
    let Ok(pairs) = form::decode(body) else {
        return d;
    };
    let signed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| *k != "hmac")
        .collect();
    let mut sorted = signed.clone();
    sort::by_key_bytes(&mut sorted);
    // With null fields left out, what HitPay signed has their keys (empty values).
    // (Sorted again only then: on a body of thousands of fields a sort costs as
    // much as the verification.)
    let mut with_nulls = Vec::new();
    if omitted_nulls != 0 {
        with_nulls.extend_from_slice(&sorted);
        for (i, name) in hitpay::shape::NULLABLE_FIELDS.iter().enumerate() {
            if omitted_nulls & (1 << i) != 0 {
                with_nulls.push((name, ""));
            }
        }
        sort::by_key_bytes(&mut with_nulls);
    }
    let signed_pairs = if omitted_nulls != 0 {
        &with_nulls
    } else {
        &sorted
    };
    let mut canonical = String::new();
    for (k, v) in signed_pairs {
        canonical.push_str(k);
        canonical.push_str(v);
    }
    d.canonical = Some(canonical);
    if omitted_nulls != 0 {
        d.hints.push(NULL_FIELD_OMITTED);
    }
    d.fields = Some(
        signed
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    );
    if d.valid || salt.is_empty() {
        return d;
    }

    let received_text = pairs
        .iter()
        .find(|(k, _)| k == "hmac")
        .map(|(_, v)| v.as_ref())
        .unwrap_or_default();
    match received_text.len() {
        40 => d.hints.push(SHA1_LENGTH),
        128 => d.hints.push(SHA512_LENGTH),
        _ => {}
    }
    let Some(received) = signature::hex_decode_32(received_text.as_bytes()) else {
        return d;
    };
    let key = Key::new(salt);
    let matches = |key: &Key, parts: &mut dyn Iterator<Item = &str>| {
        let mut mac = key.start();
        for p in parts {
            mac.update(p.as_bytes());
        }
        signature::verify(mac, &received)
    };
    let check = |key: &Key, list: &[(&str, &str)]| {
        matches(key, &mut list.iter().flat_map(|&(k, v)| [k, v]))
    };

    // Only a confirmed finding about the salt: whether the salt has white space
    // around it is not the sender's business (a diagnosis may be shown to whoever
    // chose the body), and an unconfirmed hint would tell them.
    if trimmed_salt.len() != salt.len()
        && !trimmed_salt.is_empty()
        && check(&Key::new(trimmed_salt), &sorted)
    {
        d.hints.push(SALT_WHITESPACE);
    }

    // `hmac` itself signed as an empty field (a signer that adds the field before
    // computing its value), spliced into the sorted fields where it sorts (no
    // second sort). Signed with the received value it cannot have been: that
    // value is the result of the signing.
    let at = sorted.partition_point(|(k, _)| k.as_bytes() <= b"hmac".as_slice());
    let (before, after) = sorted.split_at_checked(at).unwrap_or((&sorted, &[]));
    let mut mac = key.start();
    for (k, v) in before.iter().chain(&[("hmac", "")]).chain(after) {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    if signature::verify(mac, &received) {
        d.hints.push(HMAC_INCLUDED);
    }

    let raw_joined: Vec<&[u8]> = body
        .split(|&b| b == b'&')
        .filter(|s| !s.is_empty() && !s.starts_with(b"hmac=") && *s != b"hmac")
        .collect();
    let raw_message = raw_joined.join(&b'&');
    if matches(
        &key,
        &mut core::iter::once(core::str::from_utf8(&raw_message).unwrap_or_default()),
    ) {
        d.hints.push(RAW_BODY);
    }

    // The hypotheses below re-sort the keys and hash the body once each: on a
    // large hostile body (thousands of fields, or long keys) they would cost 8 to
    // 30 verifications. A HitPay webhook has about a dozen short fields: they are
    // tried on bodies of at most HYPOTHESES_MAX_BODY bytes and
    // HYPOTHESES_MAX_FIELDS fields, so that a diagnosis costs a few verifications
    // whatever the body.
    if body.len() > HYPOTHESES_MAX_BODY || signed.len() > HYPOTHESES_MAX_FIELDS {
        if !d.hints.iter().any(|h| h.confirmed) {
            d.hints.push(NOTHING_MATCHED);
        }
        return d;
    }

    let raw_pairs: Vec<(&str, &str)> = body
        .split(|&b| b == b'&')
        .filter(|s| !s.is_empty())
        .filter_map(|s| core::str::from_utf8(s).ok())
        .map(|s| crate::url::split_once_byte(s, b'=').unwrap_or((s, "")))
        .filter(|(k, _)| *k != "hmac")
        .collect();
    let mut raw_sorted = raw_pairs.clone();
    sort::by_key_bytes(&mut raw_sorted);
    if raw_sorted != sorted && check(&key, &raw_sorted) {
        d.hints.push(NOT_DECODED);
    }

    let mut locale = signed.clone();
    sort::sort_by(&mut locale, &|a, b| locale_order(a.0, b.0));
    let mut folded = signed.clone();
    sort::sort_by(&mut folded, &|a, b| {
        let (x, y) = (a.0.bytes(), b.0.bytes());
        x.map(|c| c.to_ascii_lowercase())
            .cmp(y.map(|c| c.to_ascii_lowercase()))
            .then_with(|| a.0.cmp(b.0))
    });
    if (locale != sorted && check(&key, &locale)) || (folded != sorted && check(&key, &folded)) {
        d.hints.push(LOCALE_SORTED);
    }
    let mut utf16 = signed.clone();
    sort::sort_by(&mut utf16, &|a, b| {
        a.0.encode_utf16().cmp(b.0.encode_utf16())
    });
    if utf16 != sorted && check(&key, &utf16) {
        d.hints.push(UTF16_SORTED);
    }
    let explained_by_sort = [&locale, &folded, &utf16].iter().any(|o| **o == signed);
    if signed != sorted && !explained_by_sort && check(&key, &signed) {
        d.hints.push(NOT_SORTED);
    }
    if !d.hints.iter().any(|h| h.confirmed) {
        d.hints.push(NOTHING_MATCHED);
    }
    d
}

/// An approximation of `localeCompare` in the root locale for ASCII keys:
/// punctuation before digits before letters, letters compared case-insensitively,
/// lowercase first on a tie. (Non-ASCII characters sort after, by code point.)
fn locale_order(a: &str, b: &str) -> Ordering {
    fn primary(c: char) -> (u8, u32) {
        let lower = c.to_ascii_lowercase();
        let class = if lower.is_ascii_lowercase() {
            2
        } else if c.is_ascii_digit() {
            1
        } else if c.is_ascii() {
            0
        } else {
            3
        };
        (class, u32::from(lower))
    }
    a.chars()
        .map(primary)
        .cmp(b.chars().map(primary))
        .then_with(|| {
            // tertiary: lowercase before uppercase
            let upper = |s: &str| {
                s.chars()
                    .map(|c| c.is_ascii_uppercase())
                    .collect::<Vec<_>>()
            };
            upper(a).cmp(&upper(b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_hmac(salt: &[u8], msg: &str) -> String {
        signature::hex_encode(&Key::new(salt).sign(msg.as_bytes()))
    }

    fn codes(d: &Diagnosis) -> Vec<&'static str> {
        d.hints
            .iter()
            .filter(|h| h.confirmed)
            .map(|h| h.code)
            .collect()
    }

    #[test]
    fn valid_body_has_no_hints() {
        let body = format!("b=2&a=1&hmac={}", hex_hmac(b"s", "a1b2"));
        let d = diagnose(body.as_bytes(), b"s");
        assert!(d.valid);
        assert_eq!(d.canonical.as_deref(), Some("a1b2"));
        assert!(d.hints.is_empty());
    }

    #[test]
    fn finds_locale_sorted_keys() {
        // Byte order: "B" < "a"; locale order: "a" < "B".
        let body = format!("a=1&B=2&hmac={}", hex_hmac(b"s", "a1B2"));
        let d = diagnose(body.as_bytes(), b"s");
        assert!(!d.valid);
        assert_eq!(
            d.error.as_ref().map(Error::code),
            Some(Code::SignatureMismatch)
        );
        assert_eq!(d.canonical.as_deref(), Some("B2a1"));
        assert!(codes(&d).contains(&"KEYS_LOCALE_SORTED"), "{d:?}");
    }

    #[test]
    fn finds_undecoded_values_included_hmac_and_salt_whitespace() {
        let body = format!("a=x%20y&hmac={}", hex_hmac(b"s", "ax%20y"));
        assert_eq!(
            codes(&diagnose(body.as_bytes(), b"s")),
            ["VALUES_NOT_URL_DECODED"]
        );

        let body = format!("a=1&hmac={}", hex_hmac(b"s", "a1hmac"));
        assert_eq!(
            codes(&diagnose(body.as_bytes(), b"s")),
            ["HMAC_FIELD_INCLUDED"]
        );

        let body = format!("a=1&hmac={}", hex_hmac(b"s", "a1"));
        assert_eq!(
            codes(&diagnose(body.as_bytes(), b"s\n")),
            ["SALT_WHITESPACE"]
        );
    }

    #[test]
    fn flags_sha1_and_json() {
        let d = diagnose(b"a=1&hmac=0123456789012345678901234567890123456789", b"s");
        assert_eq!(
            d.hints.first().map(|h| h.code),
            Some("SHA1_INSTEAD_OF_SHA256")
        );
        let d = diagnose(br#"{"a":1}"#, b"s");
        assert!(d.hints.iter().any(|h| h.code == "JSON_BODY"));
    }

    #[test]
    fn says_nothing_about_the_salt_unless_it_explains_the_mismatch() {
        // Whoever chose the body learns nothing from the salt's white space: the
        // same hints come back for "s" and "s\n" when the trimmed salt does not
        // verify the body either.
        let body = format!("a=1&hmac={}", hex_hmac(b"other", "a1"));
        let plain = diagnose(body.as_bytes(), b"s");
        let spaced = diagnose(body.as_bytes(), b" s\n");
        assert_eq!(plain.hints, spaced.hints);
        assert!(plain.hints.iter().all(|h| h.code != "SALT_WHITESPACE"));
    }

    #[test]
    fn large_bodies_get_the_checks_that_need_no_sorting() {
        // Over the limits the key-order hypotheses are not tried; the others are.
        let value = "x".repeat(HYPOTHESES_MAX_BODY);
        let signed_as_sent = format!("b1a{value}");
        let body = format!("b=1&a={value}&hmac={}", hex_hmac(b"s", &signed_as_sent));
        assert!(codes(&diagnose(body.as_bytes(), b"s")).is_empty());
        let small = format!("b=1&a=x&hmac={}", hex_hmac(b"s", "b1ax"));
        assert_eq!(
            codes(&diagnose(small.as_bytes(), b"s")),
            ["KEYS_NOT_SORTED"]
        );
        // `hmac` signed too, and the raw body, are still found on a large body.
        let body = format!(
            "a={value}&hmac={}",
            hex_hmac(b"s", &format!("a{value}hmac"))
        );
        assert_eq!(
            codes(&diagnose(body.as_bytes(), b"s")),
            ["HMAC_FIELD_INCLUDED"]
        );
        let body = format!(
            "z=1&a={value}&hmac={}",
            hex_hmac(b"s", &format!("z=1&a={value}"))
        );
        assert_eq!(codes(&diagnose(body.as_bytes(), b"s")), ["RAW_BODY_SIGNED"]);
        // The same by field count.
        let many: String = (0..=HYPOTHESES_MAX_FIELDS)
            .map(|i| format!("k{i:03}=v&"))
            .collect();
        let unsorted = format!("zz=1&{many}");
        let message: String = unsorted
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.replace('=', ""))
            .collect();
        let body = format!("{unsorted}hmac={}", hex_hmac(b"s", &message));
        assert!(codes(&diagnose(body.as_bytes(), b"s")).is_empty());
    }

    #[test]
    fn hmac_included_wherever_it_sorts() {
        // Signed with `hmac` as an empty field, before, between and after the others
        // (a signature signed with its own value cannot be made).
        for (fields, message) in [
            ("a=1&z=2", "a1hmacz2"),
            ("z=2", "hmacz2"),
            ("a=1", "a1hmac"),
            ("hmad=2&hmab=1", "hmab1hmachmad2"),
            ("Z=1&h=2", "Z1h2hmac"),
        ] {
            let body = format!("{fields}&hmac={}", hex_hmac(b"s", message));
            assert_eq!(
                codes(&diagnose(body.as_bytes(), b"s")),
                ["HMAC_FIELD_INCLUDED"],
                "{fields}"
            );
        }
    }

    #[test]
    fn never_reveals_the_expected_signature() {
        let body = "a=1&hmac=0000000000000000000000000000000000000000000000000000000000000000";
        let d = diagnose(body.as_bytes(), b"secret-salt");
        let expected = hex_hmac(b"secret-salt", "a1");
        let dump = format!("{d:?}");
        assert!(!dump.contains(&expected));
        assert!(!dump.contains("secret-salt"));
        assert!(codes(&d).is_empty());
        assert!(d.hints.iter().any(|h| h.code == "SALT_OR_BODY_CHANGED"));
    }
}
