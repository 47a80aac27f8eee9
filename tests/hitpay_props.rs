#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests of the HitPay form webhook round trip: arbitrary fields, signed
//! here by the contract's rule (/work/shared/api.md, "HitPay") with the `hmac` crate,
//! serialised the many ways a sender may encode a form, verify to exactly those
//! fields; `sign_webhook` gives the same signature; any change to a field, the salt
//! or the signature is refused. The signer and the encoder are written here, never
//! taken from payhook.

mod common;

use common::hmac_hex;
use payhook::hitpay::{self, Salt};
use payhook::Code;
use proptest::collection::vec;
use proptest::prelude::*;

/// The contract's signature: fields except `hmac`, sorted by the UTF-8 bytes of the
/// key, `key + value` concatenated, HMAC-SHA256 with the salt, lowercase hex.
fn sign(fields: &[(String, String)], salt: &[u8]) -> String {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let message: String = sorted.iter().map(|(k, v)| format!("{k}{v}")).collect();
    hmac_hex(salt, message.as_bytes())
}

/// A tiny deterministic generator, so one `u64` picks every encoding choice.
struct Choices(u64);
impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// One form component, each byte written one of the ways a sender may: raw when
/// that is unambiguous, `%XX` in either hex case, a space as `+`, ` ` or `%20`.
fn encode(s: &str, c: &mut Choices) -> String {
    let mut out = String::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let pct = |c: &mut Choices, b: u8| {
            if c.next(2) == 0 {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            }
        };
        if b == b' ' {
            out.push_str(match c.next(3) {
                0 => "+",
                1 => " ",
                _ => "%20",
            });
            i += 1;
        } else if b >= 0x80 {
            // A whole character raw, or each of its bytes escaped.
            let len = s[i..].chars().next().unwrap().len_utf8();
            if c.next(2) == 0 {
                out.push_str(&s[i..i + len]);
            } else {
                for &x in &bytes[i..i + len] {
                    out.push_str(&pct(c, x));
                }
            }
            i += len;
        } else if matches!(b, b'&' | b'=' | b'%' | b'+') || c.next(3) == 0 {
            out.push_str(&pct(c, b));
            i += 1;
        } else {
            out.push(char::from(b));
            i += 1;
        }
    }
    out
}

/// The body: the pairs in order, `hmac` inserted at `at`, empty pairs sprinkled.
fn body(fields: &[(String, String)], hmac: &str, at: usize, c: &mut Choices) -> String {
    let mut pairs: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            if v.is_empty() && c.next(2) == 0 {
                encode(k, c) // a key with no `=` has an empty value
            } else {
                format!("{}={}", encode(k, c), encode(v, c))
            }
        })
        .collect();
    pairs.insert(at.min(pairs.len()), format!("hmac={hmac}"));
    let mut out = String::new();
    for p in pairs {
        if c.next(4) == 0 {
            out.push('&'); // an empty pair
        }
        if !out.is_empty() || c.next(4) == 0 {
            out.push('&');
        }
        out.push_str(&p);
    }
    if c.next(3) == 0 {
        out.push('&');
    }
    out
}

/// Fields with unique keys other than `hmac`, of arbitrary Unicode (controls, `&`,
/// `=`, `%`, `+`, spaces, emoji, keys that sort differently in UTF-16).
fn fields() -> impl Strategy<Value = Vec<(String, String)>> {
    let text = |min, max| vec(any::<char>(), min..max).prop_map(String::from_iter);
    let key = prop_oneof![
        text(1, 8),
        "[a-z_]{1,12}",
        Just("\u{FF61}".to_owned()),
        Just("\u{1F600}".to_owned()),
        Just("a b".to_owned()),
    ];
    let value = prop_oneof![text(0, 12), "[ -~]{0,16}", Just(String::new())];
    vec((key, value), 0..10).prop_map(|pairs| {
        let mut out: Vec<(String, String)> = Vec::new();
        for (k, v) in pairs {
            if k != "hmac" && !out.iter().any(|(seen, _)| *seen == k) {
                out.push((k, v));
            }
        }
        out
    })
}

fn salt() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 1..80),
        Just(b"salt_for_tests_only".to_vec()),
        Just(vec![b'k'; 100]), // longer than a SHA-256 block
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn signed_then_verified_gives_the_fields_back(
        fields in fields(),
        salt in salt(),
        at in any::<usize>(),
        upper in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut hmac = sign(&fields, &salt);
        if upper {
            hmac.make_ascii_uppercase();
        }
        let body = body(&fields, &hmac, at % (fields.len() + 1), &mut Choices(seed));
        let got = hitpay::verify_webhook(body.as_bytes(), &salt);
        prop_assert_eq!(got.as_ref().map(|w| &w.fields), Ok(&fields), "{}", body);
        // With a prepared salt, the same.
        let prepared = Salt::new(&salt).unwrap();
        prop_assert_eq!(hitpay::verify_webhook_with(body.as_bytes(), &prepared), got);
    }

    #[test]
    fn sign_webhook_gives_the_contract_signature(fields in fields(), salt in salt()) {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        prop_assert_eq!(hitpay::sign_webhook(refs.iter().copied(), &salt).unwrap(), sign(&fields, &salt));
        // `hmac` among the fields is left out.
        let mut with_hmac = refs.clone();
        with_hmac.push(("hmac", "anything"));
        prop_assert_eq!(hitpay::sign_webhook(with_hmac, &salt).unwrap(), sign(&fields, &salt));
    }

    #[test]
    fn sign_webhook_then_verify_round_trips(fields in fields(), salt in salt(), seed in any::<u64>()) {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let hmac = hitpay::sign_webhook(refs, &salt).unwrap();
        let body = body(&fields, &hmac, fields.len(), &mut Choices(seed));
        prop_assert_eq!(
            hitpay::verify_webhook(body.as_bytes(), &salt).map(|w| w.fields),
            Ok(fields)
        );
    }

    #[test]
    fn any_change_is_refused(
        fields in fields(),
        salt in salt(),
        which in any::<usize>(),
        extra in any::<char>(),
        seed in any::<u64>(),
    ) {
        let hmac = sign(&fields, &salt);
        let code = |fields: &[(String, String)], hmac: &str, salt: &[u8]| {
            let body = body(fields, hmac, fields.len(), &mut Choices(seed));
            hitpay::verify_webhook(body.as_bytes(), salt).map(|_| ()).map_err(|e| e.code())
        };
        // A value changed.
        if !fields.is_empty() {
            let mut changed = fields.clone();
            changed[which % fields.len()].1.push(extra);
            prop_assert_eq!(code(&changed, &hmac, &salt), Err(Code::SignatureMismatch));
        }
        // A field added that was not signed.
        if !fields.iter().any(|(k, _)| k == "zz_added") {
            let mut added = fields.clone();
            added.push(("zz_added".to_owned(), String::new()));
            prop_assert_eq!(code(&added, &hmac, &salt), Err(Code::SignatureMismatch));
        }
        // Another salt (one byte more).
        let mut other = salt.clone();
        other.push(b'x');
        prop_assert_eq!(code(&fields, &hmac, &other), Err(Code::SignatureMismatch));
        // A signature with one digit changed.
        let mut bad: Vec<u8> = hmac.clone().into_bytes();
        let i = which % 64;
        bad[i] = if bad[i] == b'0' { b'1' } else { b'0' };
        prop_assert_eq!(code(&fields, std::str::from_utf8(&bad).unwrap(), &salt), Err(Code::SignatureMismatch));
        // A key twice, even with the same value.
        if let Some(first) = fields.first() {
            let mut twice = fields.clone();
            twice.push(first.clone());
            prop_assert_eq!(code(&twice, &hmac, &salt), Err(Code::DuplicateField));
        }
    }
}
