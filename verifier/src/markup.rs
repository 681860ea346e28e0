//! Escaping text for HTML and XML (the SVG QR codes, the issuer's badges and certificates).

/// Escapes `& < > " '` for HTML and XML text and attribute values, and drops the control
/// characters XML 1.0 forbids even as references, so that any input gives a well-formed document.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_all_five_characters_and_controls() {
        assert_eq!(escape("a&b<c>d\"e'f\u{1}g\nh"), "a&amp;b&lt;c&gt;d&quot;e&#39;fg\nh");
    }
}
