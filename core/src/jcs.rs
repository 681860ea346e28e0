//! JSON Canonicalization Scheme, [RFC 8785](https://www.rfc-editor.org/rfc/rfc8785).
//!
//! Object members are sorted by their UTF-16 code units (§3.2.3), strings are escaped as
//! ECMAScript's `JSON.stringify` escapes them (§3.2.2.2), and numbers are written as ECMAScript
//! writes a double (§3.2.2.3), which `ryu-js` implements.

use std::fmt::Write as _;

use serde_json::Value;

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
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
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
    }
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
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
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

    proptest::proptest! {
        #[test]
        fn canonical_form_is_a_fixed_point(s in "\\PC*", n in -1e15f64..1e15, b: bool) {
            let v = serde_json::json!({"s": s, "n": n, "b": b, "a": [n, s]});
            let once = canonicalize(&v);
            let reparsed: Value = serde_json::from_str(&once).unwrap();
            proptest::prop_assert_eq!(canonicalize(&reparsed), once);
        }
    }
}
