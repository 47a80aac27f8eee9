//! How a result crosses the boundary: one string per call, written here and read
//! by the one `Reader` in `pkg/common.js`, field by field in the order the
//! [`schema`](crate::schema) declares. The tokens:
//!
//! | token | meaning |
//! |---|---|
//! | `<n>:<text>` | a string of `n` UTF-16 code units |
//! | `-` | an optional field that is absent |
//! | `1` / `0` | a boolean |
//! | `<n>*` | a map of `n` pairs, or a list of `n` records, follows |
//! | `<i>#` | a map key: entry `i` of the map's key table |
//!
//! A failure is `!` followed by the strings code, field (empty for none) and
//! message. No success can start with `!`, since no token does. Lists going in
//! (`[k, v, …]` pairs, keys) use the string token, read by [`list`].
use alloc::string::String;
use alloc::vec::Vec;
use payhook::__private::{parse_decimal, push_number};
use payhook::{Code, Error};

/// A result being written.
#[derive(Default)]
pub struct Wire(String);

impl Wire {
    pub fn with_capacity(n: usize) -> Wire {
        Wire(String::with_capacity(n))
    }

    pub fn finish(self) -> String {
        self.0
    }

    /// A string.
    #[inline(always)]
    pub fn str(&mut self, s: &str) {
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        push_number(&mut self.0, units as u64, Some(b':'));
        self.0.push_str(s);
    }

    /// An optional field that is absent.
    pub fn absent(&mut self) {
        self.0.push('-');
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.absent(),
        }
    }

    /// A number (at most 2^53 - 1, which the core has checked), in decimal.
    pub fn num(&mut self, n: u64) {
        let mut digits = String::new();
        push_number(&mut digits, n, None);
        self.str(&digits);
    }

    pub fn opt_num(&mut self, n: Option<u64>) {
        match n {
            Some(n) => self.num(n),
            None => self.absent(),
        }
    }

    pub fn flag(&mut self, b: bool) {
        self.0.push(if b { '1' } else { '0' });
    }

    /// How many pairs or records follow.
    pub fn count(&mut self, n: usize) {
        push_number(&mut self.0, n as u64, Some(b'*'));
    }

    /// A map: its pairs in order.
    pub fn map<K: AsRef<str>, V: AsRef<str>>(&mut self, pairs: &[(K, V)]) {
        self.count(pairs.len());
        for (k, v) in pairs {
            self.str(k.as_ref());
            self.str(v.as_ref());
        }
    }

    /// A map whose keys found in `table` are sent as their index.
    pub fn keyed_map<K: AsRef<str>, V: AsRef<str>>(&mut self, table: &[&str], pairs: &[(K, V)]) {
        self.count(pairs.len());
        for (k, v) in pairs {
            let k = k.as_ref();
            match table.iter().position(|t| *t == k) {
                Some(i) => push_number(&mut self.0, i as u64, Some(b'#')),
                None => self.str(k),
            }
            self.str(v.as_ref());
        }
    }
}

/// A failure as it crosses: `!` then code, field and message.
pub fn fail(e: &Error) -> String {
    let mut w = Wire::with_capacity(e.message().len() + 32);
    w.0.push('!');
    w.str(e.code().as_str());
    w.str(e.field_name().unwrap_or_default());
    w.str(e.message());
    w.finish()
}

/// The string that crosses for a fallible result written by `write`.
pub fn result<T>(r: payhook::Result<T>, write: impl FnOnce(&T, &mut Wire)) -> String {
    match r {
        Ok(value) => {
            let mut w = Wire::default();
            write(&value, &mut w);
            w.finish()
        }
        Err(e) => fail(&e),
    }
}

/// Decodes a list argument: string tokens (`<utf16 length>:<item>`) back to back,
/// as `pkg/common.js` writes them (lengths in decimal without leading zeros).
/// Anything else is INVALID_FIELD about `field`.
pub fn list<'a>(mut s: &'a str, field: &str) -> payhook::Result<Vec<&'a str>> {
    let bad = || {
        Error::field(
            Code::InvalidField,
            field,
            "the list is not `<length>:<item>` items",
        )
    };
    let mut out = Vec::new();
    while let Some((digits, rest)) = s.split_once(':') {
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return Err(bad());
        }
        let units = parse_decimal(digits)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(bad)?;
        let (mut seen, mut end) = (0, 0);
        for c in rest.chars() {
            if seen >= units {
                break;
            }
            seen += c.len_utf16();
            end += c.len_utf8();
        }
        if seen != units {
            return Err(bad());
        }
        let (item, tail) = rest.split_at_checked(end).ok_or_else(bad)?;
        out.push(item);
        s = tail;
    }
    if s.is_empty() {
        Ok(out)
    } else {
        Err(bad())
    }
}

/// A list argument of `[key, value, key, value, …]` (see [`list`]).
pub fn pairs<'a>(s: &'a str, field: &str) -> payhook::Result<Vec<(&'a str, &'a str)>> {
    let items = list(s, field)?;
    if items.len() % 2 != 0 {
        return Err(Error::field(
            Code::InvalidField,
            field,
            "the list has a key without a value",
        ));
    }
    Ok(items
        .chunks_exact(2)
        .filter_map(|c| match c {
            [k, v] => Some((*k, *v)),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use alloc::vec;

    fn written(f: impl FnOnce(&mut Wire)) -> String {
        let mut w = Wire::default();
        f(&mut w);
        w.finish()
    }

    #[test]
    fn strings_count_utf16_units() {
        assert_eq!(written(|w| w.str("")), "0:");
        assert_eq!(written(|w| w.str("abc")), "3:abc");
        // é is one unit, 😀 two: lengths are what JavaScript's String#slice counts.
        assert_eq!(written(|w| w.str("é😀")), "3:é😀");
    }

    #[test]
    fn every_token() {
        let out = written(|w| {
            w.opt_str(None);
            w.opt_str(Some("x"));
            w.flag(true);
            w.flag(false);
            w.num(9_007_199_254_740_991);
            w.opt_num(None);
            w.map(&[("k", "v")]);
            w.keyed_map(&["a", "b"], &[("b", "1"), ("c", "2")]);
        });
        assert_eq!(out, "-1:x1016:9007199254740991-1*1:k1:v2*1#1:11:c1:2");
    }

    #[test]
    fn a_failure_starts_with_the_one_character_no_success_starts_with() {
        let e = Error::field(Code::InvalidField, "f", "field `f` is bad");
        assert_eq!(fail(&e), "!13:INVALID_FIELD1:f16:field `f` is bad");
        let e = Error::new(Code::Expired, "late");
        assert_eq!(fail(&e), "!7:EXPIRED0:4:late");
        assert_eq!(result(Ok(()), |_, _| {}), "");
        assert_eq!(result(Err::<(), _>(e.clone()), |_, _| {}), fail(&e));
    }

    #[test]
    fn lists_round_trip() {
        let mut w = Wire::default();
        for item in ["", "a", "é😀", "3:x"] {
            w.str(item);
        }
        let s = w.finish();
        assert_eq!(list(&s, "f").unwrap(), vec!["", "a", "é😀", "3:x"]);
        assert_eq!(
            pairs("1:k1:v1:l0:", "f").unwrap(),
            vec![("k", "v"), ("l", "")]
        );
        assert_eq!(list("", "f").unwrap(), Vec::<&str>::new());
    }

    #[test]
    fn malformed_lists_are_invalid_field_about_the_argument() {
        for bad in [
            "x",
            "1",
            "01:a",
            ":a",
            "2:a",
            "1:ab",
            "-1:a",
            "1:😀",
            "99999999999999999999999:a",
        ] {
            let e = list(bad, "ignoreKeys").unwrap_err();
            assert_eq!(e.code(), Code::InvalidField, "{bad:?}");
            assert_eq!(e.field_name(), Some("ignoreKeys"), "{bad:?}");
        }
        let e = pairs("1:k", "params").unwrap_err();
        assert_eq!(e.code(), Code::InvalidField);
        assert_eq!(e.message(), "the list has a key without a value");
    }
}
