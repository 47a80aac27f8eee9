//! `application/x-www-form-urlencoded` decoding, shared by bodies and URL queries.
//!
//! Rules (the contract's): split on `&`; empty pairs are ignored; a pair with no `=`
//! is a key with an empty value; an empty key is malformed; `+` is a space; `%XX`
//! is a byte; the decoded bytes must be UTF-8.
use crate::prelude::*;

use crate::signature::hex_digit;
use alloc::borrow::Cow;

/// Why a form could not be decoded. The caller turns it into `MALFORMED_BODY`
/// (bodies) or `INVALID_URL` (URL queries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormError {
    EmptyKey,
    BadPercent,
    NotUtf8,
}

impl FormError {
    pub fn describe(self) -> &'static str {
        match self {
            FormError::EmptyKey => "a pair has an empty key (`=value`)",
            FormError::BadPercent => "a `%` is not followed by two hex digits",
            FormError::NotUtf8 => "the decoded bytes are not valid UTF-8",
        }
    }
}

/// One decoded pair, borrowing from the input when nothing needed decoding.
pub type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Decodes every pair, in order.
pub fn decode(input: &[u8]) -> Result<Vec<Pair<'_>>, FormError> {
    // A webhook has about ten fields: one allocation for the usual case.
    let mut pairs = Vec::with_capacity(16);
    // Fast path: when the whole input is UTF-8 (the usual case), every component
    // without an escape is already a valid `&str` (splitting at ASCII `&` and `=`
    // keeps UTF-8 intact) and is borrowed without another check.
    if let Ok(text) = core::str::from_utf8(input) {
        let mut segment = Segment::at(0);
        for (i, &b) in text.as_bytes().iter().enumerate() {
            match b {
                b'&' => {
                    segment.finish(text, i, &mut pairs)?;
                    segment = Segment::at(i + 1);
                }
                b'=' if segment.eq.is_none() => segment.eq = Some(i),
                b'%' | b'+' if segment.eq.is_none() => segment.key_escaped = true,
                b'%' | b'+' => segment.value_escaped = true,
                _ => {}
            }
        }
        segment.finish(text, text.len(), &mut pairs)?;
        return Ok(pairs);
    }
    for segment in input.split(|&b| b == b'&') {
        if segment.is_empty() {
            continue;
        }
        let (raw_key, raw_value) = match segment.iter().position(|&b| b == b'=') {
            Some(at) => (
                segment.get(..at).unwrap_or_default(),
                segment.get(at + 1..).unwrap_or_default(),
            ),
            None => (segment, &[][..]),
        };
        if raw_key.is_empty() {
            return Err(FormError::EmptyKey);
        }
        pairs.push((component(raw_key)?, component(raw_value)?));
    }
    Ok(pairs)
}

/// One `&`-separated part of a valid UTF-8 input, as scanned so far: where it starts,
/// where its first `=` is, and whether the key or the value holds `%` or `+`.
struct Segment {
    start: usize,
    eq: Option<usize>,
    key_escaped: bool,
    value_escaped: bool,
}

impl Segment {
    fn at(start: usize) -> Segment {
        Segment {
            start,
            eq: None,
            key_escaped: false,
            value_escaped: false,
        }
    }

    /// Adds the pair of `text[self.start..end]`, unless it is empty. Its bounds are
    /// ASCII separators (or the ends), so the parts are valid UTF-8 and, without an
    /// escape, borrowed as they are.
    fn finish<'a>(
        &self,
        text: &'a str,
        end: usize,
        pairs: &mut Vec<Pair<'a>>,
    ) -> Result<(), FormError> {
        if end <= self.start {
            return Ok(());
        }
        let at = self.eq.unwrap_or(end);
        if at == self.start {
            return Err(FormError::EmptyKey);
        }
        let part = |from: usize, to: usize, escaped: bool| {
            let raw = text.get(from..to.max(from)).unwrap_or_default();
            if escaped {
                unescape(raw.as_bytes())
            } else {
                Ok(Cow::Borrowed(raw))
            }
        };
        pairs.push((
            part(self.start, at, self.key_escaped)?,
            part(at + 1, end, self.value_escaped)?,
        ));
        Ok(())
    }
}

/// Decodes one key or value.
pub fn component(raw: &[u8]) -> Result<Cow<'_, str>, FormError> {
    if !raw.iter().any(|&b| b == b'%' || b == b'+') {
        return core::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| FormError::NotUtf8);
    }
    unescape(raw)
}

/// Decodes `+` and `%XX` in one key or value.
fn unescape(raw: &[u8]) -> Result<Cow<'_, str>, FormError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((&b, tail)) = rest.split_first() {
        match b {
            b'+' => {
                out.push(b' ');
                rest = tail;
            }
            b'%' => match (
                tail.first().and_then(|&h| hex_digit(h)),
                tail.get(1).and_then(|&l| hex_digit(l)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    rest = tail.get(2..).unwrap_or_default();
                }
                _ => return Err(FormError::BadPercent),
            },
            _ => {
                out.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| FormError::NotUtf8)
}

/// Appends `s` encoded with the `application/x-www-form-urlencoded` serializer
/// (as `URLSearchParams.toString()` does): `*-._` and alphanumerics kept, space
/// as `+`, every other byte as `%XX` (uppercase).
pub fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(
                    HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
                ));
                out.push(char::from(
                    HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(input: &str) -> Result<Vec<(String, String)>, FormError> {
        decode(input.as_bytes()).map(|v| {
            v.into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
    }

    #[test]
    fn decodes_plus_percent_and_utf8() {
        assert_eq!(
            owned("a=b+c&d=%C3%A4%26&e").unwrap(),
            vec![
                ("a".into(), "b c".into()),
                ("d".into(), "ä&".into()),
                ("e".into(), "".into())
            ]
        );
    }

    #[test]
    fn ignores_empty_pairs() {
        assert_eq!(owned("&&a=1&&").unwrap(), vec![("a".into(), "1".into())]);
        assert_eq!(owned("").unwrap(), vec![]);
    }

    #[test]
    fn value_may_contain_equals() {
        assert_eq!(owned("a==b=").unwrap(), vec![("a".into(), "=b=".into())]);
    }

    #[test]
    fn refuses_malformed_input() {
        assert_eq!(owned("=x"), Err(FormError::EmptyKey));
        assert_eq!(owned("a=1&="), Err(FormError::EmptyKey));
        assert_eq!(owned("a=%"), Err(FormError::BadPercent));
        assert_eq!(owned("a=%4"), Err(FormError::BadPercent));
        assert_eq!(owned("a=%zz"), Err(FormError::BadPercent));
        assert_eq!(owned("a=%FF"), Err(FormError::NotUtf8));
        assert_eq!(decode(b"a=\xff").map(|_| ()), Err(FormError::NotUtf8));
    }

    #[test]
    fn encodes_like_url_search_params() {
        let mut s = String::new();
        encode_into(&mut s, "a b*-._~!'()/ä");
        assert_eq!(s, "a+b*-._%7E%21%27%28%29%2F%C3%A4");
    }
}
