//! Independent re-implementations of what the contract (/work/shared/api.md) says,
//! written here from the text and never from payhook's code, so that a target can
//! tell what the answer should be and not only that there was one.

use hmac::{Hmac, Mac};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use sha2::Sha256;
use std::collections::HashSet;
use std::fmt;

// ---------------------------------------------------------------- forms

/// One form component: `+` is a space, `%XX` a byte, the result must be UTF-8.
pub fn form_component(raw: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = (*raw.get(i + 1)? as char).to_digit(16)?;
                let lo = (*raw.get(i + 2)? as char).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The contract's form decoding; `None` when malformed.
///
/// Checked against the `form_urlencoded` crate, the library payhook's form decoder
/// stands in for: where the contract accepts the input, both decode it to the same
/// pairs; where it refuses it, the reason is one the crate does not refuse for
/// (an empty key, a `%` not followed by two hex digits, which the crate keeps, or
/// bytes that are not UTF-8, which it turns into U+FFFD). A disagreement panics, as
/// a finding.
pub fn form_decode(input: &[u8]) -> Option<Vec<(String, String)>> {
    let strict = form_decode_strict(input);
    let library: Vec<(String, String)> = form_urlencoded::parse(input)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match &strict {
        Some(pairs) => assert_eq!(
            pairs, &library,
            "the reference form decoder and form_urlencoded disagree on {input:?}"
        ),
        None => assert!(
            library
                .iter()
                .any(|(k, v)| { k.is_empty() || k.contains('\u{fffd}') || v.contains('\u{fffd}') })
                || has_bad_percent(input),
            "the reference form decoder refuses {input:?}, which form_urlencoded decodes \
             without an empty key, a bad `%` or U+FFFD"
        ),
    }
    strict
}

/// The contract's rules, written here: split on `&`, skip empty pairs, `=` ends
/// the key, an empty key is malformed, each component decoded by [`form_component`].
fn form_decode_strict(input: &[u8]) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for segment in input.split(|&b| b == b'&') {
        if segment.is_empty() {
            continue;
        }
        let (k, v) = match segment.iter().position(|&b| b == b'=') {
            Some(at) => (&segment[..at], &segment[at + 1..]),
            None => (segment, &b""[..]),
        };
        if k.is_empty() {
            return None;
        }
        pairs.push((form_component(k)?, form_component(v)?));
    }
    Some(pairs)
}

/// Whether a `%` in `input` is not followed by two hex digits.
fn has_bad_percent(input: &[u8]) -> bool {
    input.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(input.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && input.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The `application/x-www-form-urlencoded` serializer (as `URLSearchParams` does).
pub fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn form_serialize(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn has_duplicate_key(pairs: &[(String, String)]) -> bool {
    let mut seen = HashSet::new();
    pairs.iter().any(|(k, _)| !seen.insert(k.as_str()))
}

// ---------------------------------------------------------------- MACs and encodings

pub fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// HitPay's webhook signature: fields except `hmac`, sorted by the UTF-8 bytes of
/// the key, `key + value` concatenated, HMAC-SHA256 with the salt, lowercase hex.
pub fn hitpay_signature(pairs: &[(String, String)], salt: &[u8]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "hmac").collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let message: String = sorted.iter().map(|(k, v)| format!("{k}{v}")).collect();
    hex(&hmac(salt, &[message.as_bytes()]))
}

// ---------------------------------------------------------------- JSON

/// A JSON value as a strict reader sees it. Integer literals that fit a `u64` are
/// `UInt`; every other number is `OtherNumber`.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    UInt(u64),
    OtherNumber,
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A member, with `null` counted as absent.
    pub fn member(&self, key: &str) -> Option<&Json> {
        self.get(key).filter(|v| **v != Json::Null)
    }
}

/// What serde_json (with duplicate keys refused) says about a body.
#[derive(Debug)]
pub enum JsonVerdict {
    Ok(Json),
    /// Not JSON, or an object with the same key twice.
    Bad,
    /// serde_json's own limits (nesting, a number out of f64 range), where the
    /// contract does not decide: no comparison.
    Unknown,
}

pub fn json(body: &[u8]) -> JsonVerdict {
    // The contract: UTF-8, no byte-order mark (serde_json refuses one too).
    match serde_json::from_slice::<Json>(body) {
        Ok(v) => JsonVerdict::Ok(v),
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("recursion limit") || msg.contains("number out of range") {
                JsonVerdict::Unknown
            } else {
                JsonVerdict::Bad
            }
        }
    }
}

/// Bracket depth of a JSON text, ignoring strings: above ~100 the parsers'
/// nesting limits differ and nothing is compared.
pub fn json_depth(body: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for &b in body {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::UInt(n))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Json, E> {
        Ok(Json::OtherNumber)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Json, E> {
        Ok(Json::OtherNumber)
    }
    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::Str(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Json>()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members: Vec<(String, Json)> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(k) = map.next_key::<String>()? {
            if !seen.insert(k.clone()) {
                return Err(de::Error::custom("duplicate key"));
            }
            let v = map.next_value::<Json>()?;
            members.push((k, v));
        }
        Ok(Json::Object(members))
    }
}

// ---------------------------------------------------------------- base64

/// Canonical padded standard base64 (RFC 4648 §4), as HTTP basic auth carries it.
pub fn base64_std_decode(s: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

pub fn base64_std_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

// ---------------------------------------------------------------- percent-decoding

/// `%XX` decoding only (no `+`), lossy: what a URL component means once decoded.
/// Checked against the `percent-encoding` crate (WHATWG percent-decode).
pub fn percent_decode(s: &str) -> Vec<u8> {
    let out = percent_decode_by_hand(s);
    assert_eq!(
        out,
        percent_encoding::percent_decode_str(s).collect::<Vec<u8>>(),
        "the reference percent-decoder and percent-encoding disagree on {s:?}"
    );
    out
}

fn percent_decode_by_hand(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                b.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_reference_refuses_duplicates_and_keeps_integers() {
        assert!(matches!(json(br#"{"a":1,"a":2}"#), JsonVerdict::Bad));
        assert!(matches!(
            json(br#"{"a":{"b":1,"\u0062":2}}"#),
            JsonVerdict::Bad
        ));
        match json(br#"{"n":9007199254740991,"f":1.0,"m":-1}"#) {
            JsonVerdict::Ok(v) => {
                assert_eq!(v.get("n"), Some(&Json::UInt(9007199254740991)));
                assert_eq!(v.get("f"), Some(&Json::OtherNumber));
                assert_eq!(v.get("m"), Some(&Json::OtherNumber));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(json(b"\xEF\xBB\xBF{}"), JsonVerdict::Bad));
    }

    #[test]
    fn form_reference() {
        assert_eq!(
            form_decode(b"a=b+c&&d=%C3%A4&e"),
            Some(vec![
                ("a".into(), "b c".into()),
                ("d".into(), "ä".into()),
                ("e".into(), "".into())
            ])
        );
        assert_eq!(form_decode(b"=x"), None);
        assert_eq!(form_decode(b"a=%4"), None);
        assert_eq!(form_decode(b"a=%FF"), None);
        assert_eq!(form_decode(b"a=\xC3"), None);
        assert_eq!(form_decode(b"k=v&=="), None);
        // Where the contract accepts, what form_urlencoded gives (checked inside).
        for input in [
            &b"a=b+c&&d=%C3%A4&e"[..],
            b"%EF%BF%BD=%e2%82%ac&+=+",
            b"k=v=w&k2&%3D=%26",
            "\u{e4}=\u{f6}".as_bytes(),
        ] {
            assert!(form_decode(input).is_some(), "{input:?}");
        }
    }
}
