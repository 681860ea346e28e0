//! Helpers shared by the tests of Accolade's crates. Only `[dev-dependencies]` name this
//! crate; nothing that ships depends on it.

/// Decodes a PNG to 8-bit samples: (width, height, colour type, pixels).
///
/// # Panics
///
/// When `png_bytes` is not a PNG the `png` crate can decode.
pub fn png_pixels(png_bytes: &[u8]) -> (u32, u32, png::ColorType, Vec<u8>) {
    let mut decoder = png::Decoder::new(png_bytes);
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a decodable PNG frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, info.color_type, buf)
}

/// A small well-formedness check for the XML and HTML we write (SVG, baked badges, certificate
/// pages): tags nest and close, attribute values are quoted, and `&` starts only a character
/// reference. `void` lists HTML elements without end tags. Declarations (`<?…?>`, `<!…>`) and
/// CDATA sections are skipped, and the text of `<style>` and `<script>` is not checked.
///
/// # Panics
///
/// When `doc` is not well formed, naming the first fault found.
pub fn assert_well_formed(doc: &str, void: &[&str]) {
    let check_text = |text: &str| {
        for (i, _) in text.match_indices('&') {
            let rest = &text[i + 1..];
            let end = rest.find(';').unwrap_or_else(|| panic!("bare & in {text:?}"));
            let name = &rest[..end];
            let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || name.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            assert!(ok, "bad reference &{name}; in {text:?}");
        }
        assert!(!text.contains('>'), "raw > in text {text:?}");
    };
    let mut stack: Vec<String> = Vec::new();
    let mut rest = doc;
    let mut in_raw: Option<String> = None;
    while let Some(open) = rest.find('<') {
        if in_raw.is_none() {
            check_text(&rest[..open]);
        }
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            rest = &after[after.find("]]>").expect("unclosed CDATA") + 3..];
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = &rest[rest.find('>').expect("unclosed declaration") + 1..];
            continue;
        }
        // Find the end of the tag, skipping quoted attribute values.
        let mut quote = None;
        let mut end = None;
        for (i, ch) in rest.char_indices().skip(1) {
            match (quote, ch) {
                (None, '"' | '\'') => quote = Some(ch),
                (Some(q), c) if c == q => quote = None,
                (None, '<') => panic!("< inside a tag: {}", &rest[..i]),
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.expect("unclosed tag");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(raw) = &in_raw {
            // Inside <style>: only its own end tag counts.
            if tag.trim() == format!("/{raw}") {
                assert_eq!(stack.pop().as_deref(), Some(raw.as_str()));
                in_raw = None;
            }
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.trim()), "mismatched </{name}>");
            continue;
        }
        let name =
            tag.split(|c: char| c.is_whitespace() || c == '/').next().expect("split yields a first piece").to_owned();
        assert!(!name.is_empty(), "empty tag name");
        // Attribute values: quoted, and escaped.
        let attrs = &tag[name.len()..];
        for part in attrs.split('"').skip(1).step_by(2) {
            check_text(part);
            assert!(!part.contains('<'), "raw < in attribute {part:?}");
        }
        if tag.ends_with('/') || void.contains(&name.as_str()) {
            continue;
        }
        if name == "style" || name == "script" {
            in_raw = Some(name.clone());
        }
        stack.push(name);
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

#[cfg(test)]
mod tests {
    use super::assert_well_formed;

    #[test]
    fn well_formed_documents_pass() {
        assert_well_formed(r#"<?xml version="1.0"?><svg a="x &amp; y"><g/><text>1 &lt; 2 &#38;</text></svg>"#, &[]);
        assert_well_formed(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>p > a { }</style></head><body>a<br>b</body></html>",
            &["meta", "br"],
        );
    }

    #[test]
    #[should_panic(expected = "mismatched </a>")]
    fn misnested_tags_fail() {
        assert_well_formed("<a><b></a></b>", &[]);
    }

    #[test]
    #[should_panic(expected = "bare & in")]
    fn a_bare_ampersand_fails() {
        assert_well_formed("<a>fish & chips</a>", &[]);
    }

    #[test]
    #[should_panic(expected = "raw < in attribute")]
    fn a_raw_angle_bracket_in_an_attribute_fails() {
        assert_well_formed(r#"<a title="1 <b">x</a>"#, &[]);
    }

    #[test]
    #[should_panic(expected = "unclosed elements")]
    fn an_unclosed_element_fails() {
        assert_well_formed("<svg><g>", &[]);
    }
}
