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
    // When the whole input is UTF-8 (the usual case), every component without an
    // escape is already a valid `&str` (cutting at ASCII `&` and `=` keeps UTF-8
    // intact) and is borrowed without another check.
    let text = core::str::from_utf8(input).ok();
    let mut segment = Segment::at(0);
    for (i, &b) in input.iter().enumerate() {
        match b {
            b'&' => {
                segment.finish(input, text, i, &mut pairs)?;
                segment = Segment::at(i + 1);
            }
            b'=' if segment.eq.is_none() => segment.eq = Some(i),
            b'%' | b'+' if segment.eq.is_none() => segment.key_escaped = true,
            b'%' | b'+' => segment.value_escaped = true,
            _ => {}
        }
    }
    segment.finish(input, text, input.len(), &mut pairs)?;
    Ok(pairs)
}

/// One `&`-separated part of the input, as scanned so far: where it starts, where
/// its first `=` is, and whether the key or the value holds `%` or `+`.
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

    /// Adds the pair of `input[self.start..end]`, unless it is empty. `text` is the
    /// input as a `str` when it is all UTF-8.
    fn finish<'a>(
        &self,
        input: &'a [u8],
        text: Option<&'a str>,
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
            let range = from..to.max(from);
            if escaped {
                return unescape(input.get(range).unwrap_or_default());
            }
            match text {
                // Bounded by ASCII separators (or the ends): a valid `str` slice.
                Some(text) => Ok(Cow::Borrowed(text.get(range).unwrap_or_default())),
                None => core::str::from_utf8(input.get(range).unwrap_or_default())
                    .map(Cow::Borrowed)
                    .map_err(|_| FormError::NotUtf8),
            }
        };
        pairs.push((
            part(self.start, at, self.key_escaped)?,
            part(at + 1, end, self.value_escaped)?,
        ));
        Ok(())
    }
}

/// Decodes `+` and `%XX` in one key or value.
fn unescape(raw: &[u8]) -> Result<Cow<'_, str>, FormError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail) {
            (b'+', _) => {
                out.push(b' ');
                rest = tail;
            }
            (b'%', &[h, l, ref after @ ..]) => match (hex_digit(h), hex_digit(l)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    rest = after;
                }
                _ => return Err(FormError::BadPercent),
            },
            (b'%', _) => return Err(FormError::BadPercent),
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
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => push_percent(out, b),
        }
    }
}

/// Appends `b` percent-encoded: `%XX`, uppercase hex.
pub(crate) fn push_percent(out: &mut String, b: u8) {
    out.push('%');
    crate::signature::push_hex(out, b, true);
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
    fn a_body_that_is_not_utf8_is_checked_component_by_component() {
        // A raw lead byte completed by an escape is UTF-8 once decoded; the other
        // pairs are borrowed as they are.
        let pairs = decode(b"k=\xc3%A9&a=1&b").unwrap();
        let got: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        assert_eq!(got, [("k", "é"), ("a", "1"), ("b", "")]);
        assert!(matches!(pairs[1].1, Cow::Borrowed(_)));
        // A raw byte that stays invalid is refused, in a key or a value.
        assert_eq!(decode(b"a=1&k=\xc3").unwrap_err(), FormError::NotUtf8);
        assert_eq!(decode(b"\xff=1&a=1").unwrap_err(), FormError::NotUtf8);
        assert_eq!(decode(b"\xff&=1").unwrap_err(), FormError::NotUtf8);
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
