//! A small strict JSON parser (RFC 8259) for webhook bodies.
//!
//! Strict where parsers disagree: no byte-order mark, UTF-8 only, an object with
//! the same key twice is refused, nesting is bounded. Numbers keep their source
//! text so callers decide how to read them (never rounded here).
use crate::prelude::*;

/// A parsed JSON value. Objects keep their members in source order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object, with `null` counted as absent.
    pub fn member(&self, key: &str) -> Option<&Value> {
        self.get(key).filter(|v| !matches!(v, Value::Null))
    }
}

/// Why a body is not acceptable JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON at all (syntax, encoding, BOM, too deep).
    Syntax,
    /// An object names the same key twice.
    DuplicateKey,
}

/// Deeper nesting is refused as malformed (no webhook body nests this deep).
pub const MAX_DEPTH: usize = 128;

/// Parses one JSON value that fills the whole input (whitespace around it allowed).
pub fn parse(input: &[u8]) -> Result<Value, JsonError> {
    let text = core::str::from_utf8(input).map_err(|_| JsonError::Syntax)?;
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(JsonError::Syntax);
    }
    Ok(v)
}

/// Parses a request body that must be one JSON object; failures are
/// `MALFORMED_BODY` with a message naming `what` (e.g. "the callback body").
pub fn parse_object_body(body: &[u8], what: &str) -> crate::Result<Value> {
    use crate::error::{Code, Error};
    let why = match parse(body) {
        Ok(v @ Value::Object(_)) => return Ok(v),
        Ok(_) => "must be a JSON object",
        Err(JsonError::DuplicateKey) => "has an object with the same key twice",
        Err(JsonError::Syntax) => "is not valid JSON (UTF-8, no byte-order mark)",
    };
    let mut message = String::from(what);
    message.push(' ');
    message.push_str(why);
    Err(Error::new(Code::MalformedBody, message))
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, lit: &[u8]) -> Result<(), JsonError> {
        if self.s.get(self.pos..self.pos + lit.len()) == Some(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::Syntax);
        }
        match self.peek().ok_or(JsonError::Syntax)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Value::String),
            b't' => self.expect(b"true").map(|_| Value::Bool(true)),
            b'f' => self.expect(b"false").map(|_| Value::Bool(false)),
            b'n' => self.expect(b"null").map(|_| Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(JsonError::Syntax),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1; // '{'
        let mut members: Vec<(String, Value)> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(JsonError::Syntax);
            }
            let key = self.string()?;
            self.ws();
            self.expect(b":")?;
            self.ws();
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.ws();
            match self.bump() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err(JsonError::Syntax),
            }
        }
        let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        crate::sort::sort_by(&mut keys, &|a, b| a.cmp(b));
        if crate::sort::first_adjacent_duplicate(keys.into_iter()).is_some() {
            return Err(JsonError::DuplicateKey);
        }
        Ok(Value::Object(members))
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.bump() {
                Some(b',') => continue,
                Some(b']') => return Ok(Value::Array(items)),
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.bump() {
            Some(b'0') => {}
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError::Syntax);
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError::Syntax);
            }
            self.digits();
        }
        self.text
            .get(start..self.pos)
            .map(|t| Value::Number(t.to_owned()))
            .ok_or(JsonError::Syntax)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.bump() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(JsonError::Syntax),
            };
            n = n << 4 | u32::from(d);
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            // The input is valid UTF-8 and the run stops at ASCII bytes, so this slice
            // falls on character boundaries.
            out.push_str(
                self.text
                    .get(run_start..self.pos)
                    .ok_or(JsonError::Syntax)?,
            );
            match self.bump() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => {
                    let c = match self.bump() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.expect(b"\\u")?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(JsonError::Syntax);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            // A lone low surrogate is not a character.
                            char::from_u32(code).ok_or(JsonError::Syntax)?
                        }
                        _ => return Err(JsonError::Syntax),
                    };
                    out.push(c);
                }
                _ => return Err(JsonError::Syntax), // end of input or control character
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values_in_order() {
        let v = parse(br#" {"b":[1,-2.5e3,true,null],"a":{"x":"\u00e4\ud83d\ude00\n"}} "#).unwrap();
        assert_eq!(
            v,
            Value::Object(vec![
                (
                    "b".into(),
                    Value::Array(vec![
                        Value::Number("1".into()),
                        Value::Number("-2.5e3".into()),
                        Value::Bool(true),
                        Value::Null
                    ])
                ),
                (
                    "a".into(),
                    Value::Object(vec![("x".into(), Value::String("ä😀\n".into()))])
                ),
            ])
        );
    }

    #[test]
    fn refuses_duplicates_at_any_depth() {
        assert_eq!(parse(br#"{"a":1,"a":2}"#), Err(JsonError::DuplicateKey));
        assert_eq!(
            parse(br#"{"x":{"a":1,"\u0061":2}}"#),
            Err(JsonError::DuplicateKey)
        );
    }

    #[test]
    fn refuses_what_rfc8259_refuses() {
        for bad in [
            &b"\xEF\xBB\xBF{}"[..],
            b"{",
            b"{}x",
            b"{'a':1}",
            b"[01]",
            b"[1.]",
            b"[.5]",
            b"[+1]",
            b"[1e]",
            b"[\"\x01\"]",
            b"[\"\\ud800\"]",
            b"[\"\\udc00\"]",
            b"[\"\\x\"]",
            b"[1,]",
            b"{\"a\":1,}",
            b"\xff",
            b"",
            b"NaN",
        ] {
            assert_eq!(
                parse(bad),
                Err(JsonError::Syntax),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn bounds_nesting_depth() {
        let deep = "[".repeat(10_000);
        assert_eq!(parse(deep.as_bytes()), Err(JsonError::Syntax));
        let ok = format!("{}{}", "[".repeat(120), "]".repeat(120));
        assert!(parse(ok.as_bytes()).is_ok());
    }
}
