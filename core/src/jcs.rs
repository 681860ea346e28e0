//! JSON Canonicalization Scheme, [RFC 8785](https://www.rfc-editor.org/rfc/rfc8785).
//!
//! Object members are sorted by their UTF-16 code units (§3.2.3), strings are escaped as
//! ECMAScript's `JSON.stringify` escapes them (§3.2.2.2), and numbers are written as ECMAScript
//! writes a double (§3.2.2.3), which `ryu-js` implements.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The canonical serialization of `value`.
pub fn canonicalize(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, None, out),
    }
}

/// The canonical serialization of the object `map` without its member `omit`, as if that
/// member were absent.
pub fn canonicalize_object_omitting(map: &Map<String, Value>, omit: &str) -> String {
    let mut out = String::new();
    write_object(map, Some(omit), &mut out);
    out
}

fn write_object(map: &Map<String, Value>, omit: Option<&str>, out: &mut String) {
    let mut entries: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| Some(k.as_str()) != omit).collect();
    // Asked once for all the names, not for both names of every comparison.
    if entries.iter().all(|(k, _)| bytes_sort_as_utf16(k)) {
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    } else {
        entries.sort_by(|a, b| utf16_order(a.0, b.0));
    }
    out.push('{');
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(k, out);
        out.push(':');
        write_value(v, out);
    }
    out.push('}');
}

fn write_number(n: &serde_json::Number, out: &mut String) {
    if let Some(i) = n.as_i64() {
        // Integers within 2^53 print the same as their double; larger ones are rounded, as
        // ECMAScript would read them.
        if i.unsigned_abs() <= 1 << 53 {
            let _ = write!(out, "{i}");
            return;
        }
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        out.push('0');
        return;
    }
    let mut buffer = ryu_js::Buffer::new();
    out.push_str(buffer.format_finite(f));
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    // Most strings need no escape: checked 16 bytes at a time without branches (which the
    // compiler turns into vector instructions), and copied whole.
    let plain = |chunk: &[u8]| chunk.iter().fold(true, |all, &b| all & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if s.as_bytes().chunks(16).all(plain) {
        out.push_str(s);
        out.push('"');
        return;
    }
    // Otherwise copy the runs that need no escape whole.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        run = i + 1;
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// Orders object member names by their UTF-16 code units (§3.2.3). UTF-8 byte order is the
/// same order except between supplementary characters (4-byte UTF-8, surrogate pairs in
/// UTF-16) and U+E000 to U+FFFF, whose UTF-8 lead bytes are 0xEE and 0xEF: only names holding
/// a byte from 0xEE up need the UTF-16 comparison.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    if bytes_sort_as_utf16(a) && bytes_sort_as_utf16(b) {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Whether `s` has no byte from 0xEE up, so that it sorts by its bytes as by its UTF-16 code
/// units among other such names (see [`utf16_order`]).
fn bytes_sort_as_utf16(s: &str) -> bool {
    s.bytes().all(|b| b < 0xEE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc8785_sorting_and_numbers() {
        let v = json!({"numbers":[333_333_333.333_333_3,1E30,4.50,2e-3,0.000000000000000000000000001],
                       "string":"\u{20ac}$\u{000F}\u{000a}A'\u{0042}\u{0022}\u{005c}\\\"/",
                       "literals":[null,true,false]});
        assert_eq!(
            canonicalize(&v),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn sorts_by_utf16_code_units() {
        let v = json!({"\u{20ac}": 1, "\r": 2, "\u{1f600}": 3, "1": 4, "\u{fb33}": 5, "\u{80}": 6, "\u{f6}": 7});
        let keys = ["\r", "1", "\u{80}", "\u{f6}", "\u{20ac}", "\u{1f600}", "\u{fb33}"];
        let expected = format!(
            "{{{}}}",
            keys.iter().map(|k| format!("{}:{}", canonicalize(&json!(k)), v[*k])).collect::<Vec<_>>().join(",")
        );
        assert_eq!(canonicalize(&v), expected);
    }

    #[test]
    fn omitting_a_member_is_canonicalizing_without_it() {
        let v = json!({"b": 1, "proof": {"x": 2}, "a": [true]});
        let mut without = v.as_object().unwrap().clone();
        without.remove("proof");
        assert_eq!(
            canonicalize_object_omitting(v.as_object().unwrap(), "proof"),
            canonicalize(&Value::Object(without))
        );
    }

    #[test]
    fn escapes_sit_between_plain_runs() {
        let v = json!(["a\"b\\c\u{1}d\u{1f}\u{7f}é\u{8}\u{c}\n\r\t", "", "\"", "plain"]);
        assert_eq!(canonicalize(&v), "[\"a\\\"b\\\\c\\u0001d\\u001f\u{7f}é\\b\\f\\n\\r\\t\",\"\",\"\\\"\",\"plain\"]");
    }

    proptest::proptest! {
        #[test]
        fn member_order_is_utf16_order(a in "\\PC*", b in "\\PC*") {
            proptest::prop_assert_eq!(utf16_order(&a, &b), a.encode_utf16().cmp(b.encode_utf16()));
        }

        #[test]
        fn strings_are_escaped_as_json_stringify(s in "\\PC*") {
            let mut out = String::new();
            write_string(&s, &mut out);
            // serde_json escapes the same characters with the same short forms; it writes
            // other controls as \u00XX too.
            proptest::prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn canonical_form_is_a_fixed_point(s in "\\PC*", n in -1e15f64..1e15, b: bool) {
            let v = serde_json::json!({"s": s, "n": n, "b": b, "a": [n, s]});
            let once = canonicalize(&v);
            let reparsed: Value = serde_json::from_str(&once).unwrap();
            proptest::prop_assert_eq!(canonicalize(&reparsed), once);
        }
    }
}
