//! IRI helpers for the JSON-LD processor: absolute-IRI detection and
//! [RFC 3986 §5.2](https://www.rfc-editor.org/rfc/rfc3986#section-5.2) reference resolution.

/// Whether `value` starts with an RFC 3986 scheme followed by `:`.
pub fn has_scheme(value: &str) -> bool {
    // One pass over the scheme (RFC 3986 §3.1: a letter, then letters, digits, `+`, `-` or `.`),
    // up to its colon: it stops at the first byte that is neither, rather than first searching
    // the whole value for a colon.
    let mut bytes = value.bytes();
    if !bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    for b in bytes {
        match b {
            b':' => return true,
            b if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => {}
            _ => return false,
        }
    }
    false
}

/// Whether `value` is an absolute IRI as jsonld.js judges it for RDF output: a scheme, then no
/// whitespace.
pub fn is_absolute_iri(value: &str) -> bool {
    has_scheme(value) && !has_whitespace(value)
}

/// `value.chars().any(char::is_whitespace)`. This runs for every key and value of every
/// document, so it first checks, 16 bytes at a time without branching (which the compiler turns
/// into vector instructions), whether every byte is printable ASCII: nearly every IRI is, and
/// then there is no whitespace.
fn has_whitespace(value: &str) -> bool {
    let printable_ascii = |chunk: &[u8]| chunk.iter().fold(true, |all, &b| all & (b > b' ') & (b < 0x80));
    if value.as_bytes().chunks(16).all(printable_ascii) {
        return false;
    }
    value.chars().any(char::is_whitespace)
}

/// Whether `value` is a blank node identifier (`_:` prefix).
pub fn is_blank(value: &str) -> bool {
    value.starts_with("_:")
}

/// Whether the string has the form of a keyword (`@` followed by ASCII letters only), which JSON-LD 1.1
/// reserves for future keywords.
pub fn looks_like_keyword(value: &str) -> bool {
    value.len() > 1 && value.starts_with('@') && value[1..].chars().all(|c| c.is_ascii_alphabetic())
}

/// Whether the IRI ends with one of the RFC 3986 gen-delims, which makes a simple term usable as a
/// prefix ([JSON-LD 1.1 API §4.2.2 step 14.2.5](https://www.w3.org/TR/json-ld11-api/#create-term-definition)).
pub fn ends_with_gen_delim(iri: &str) -> bool {
    matches!(iri.chars().last(), Some(':' | '/' | '?' | '#' | '[' | ']' | '@'))
}

struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split(iri: &str) -> Parts<'_> {
    let (rest, fragment) = match iri.find('#') {
        Some(i) => (&iri[..i], Some(&iri[i + 1..])),
        None => (iri, None),
    };
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (scheme, rest) = if has_scheme(rest) {
        let i = rest.find(':').expect("has_scheme found a colon");
        (Some(&rest[..i]), &rest[i + 1..])
    } else {
        (None, rest)
    };
    let (authority, path) = if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        (Some(&after[..end]), &after[end..])
    } else {
        (None, rest)
    };
    Parts { scheme, authority, path, query, fragment }
}

/// RFC 3986 §5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path.to_owned();
    let mut output = String::with_capacity(path.len());
    while !input.is_empty() {
        if input.starts_with("../") {
            input.drain(..3);
        } else if input.starts_with("./") {
            input.drain(..2);
        } else if input.starts_with("/./") {
            input.replace_range(..3, "/");
        } else if input == "/." {
            input = "/".to_owned();
        } else if input.starts_with("/../") {
            input.replace_range(..4, "/");
            pop_segment(&mut output);
        } else if input == "/.." {
            input = "/".to_owned();
            pop_segment(&mut output);
        } else if input == "." || input == ".." {
            input.clear();
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input[start..].find('/').map_or(input.len(), |i| i + start);
            output.push_str(&input[..end]);
            input.drain(..end);
        }
    }
    output
}

fn pop_segment(output: &mut String) {
    match output.rfind('/') {
        Some(i) => output.truncate(i),
        None => output.clear(),
    }
}

fn merge(base: &Parts<'_>, reference_path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{reference_path}");
    }
    match base.path.rfind('/') {
        Some(i) => format!("{}{}", &base.path[..=i], reference_path),
        None => reference_path.to_owned(),
    }
}

/// Resolves `reference` against `base` (RFC 3986 §5.2.2). With no base, the reference is returned as is.
pub fn resolve(reference: &str, base: Option<&str>) -> String {
    let Some(base) = base else { return reference.to_owned() };
    let r = split(reference);
    let b = split(base);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        scheme = r.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        if r.authority.is_some() {
            authority = r.authority;
            path = remove_dot_segments(r.path);
            query = r.query;
        } else {
            authority = b.authority;
            if r.path.is_empty() {
                path = b.path.to_owned();
                query = if r.query.is_some() { r.query } else { b.query };
            } else {
                path = if r.path.starts_with('/') {
                    remove_dot_segments(r.path)
                } else {
                    remove_dot_segments(&merge(&b, r.path))
                };
                query = r.query;
            }
        }
    }
    let mut out = String::with_capacity(reference.len() + base.len());
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = r.fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_scheme_is_a_scheme_before_the_first_colon() {
        // The definition, as a reference: RFC 3986 §3.1's scheme, then `:`.
        let reference = |v: &str| {
            v.find(':').is_some_and(|colon| {
                let mut chars = v[..colon].chars();
                chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                    && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            })
        };
        for v in [
            "https://a",
            "urn:x",
            "a:",
            ":",
            "",
            "a",
            "1a:b",
            "a1+-.b:c",
            "a b:c",
            "é:x",
            "did:key:z6",
            "_:b0",
            "ab/c:d",
        ] {
            assert_eq!(has_scheme(v), reference(v), "{v}");
        }
    }

    #[test]
    fn rfc3986_normal_examples() {
        let base = Some("http://a/b/c/d;p?q");
        for (r, want) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
        ] {
            assert_eq!(resolve(r, base), want, "resolving {r}");
        }
    }

    #[test]
    fn schemes_and_keywords() {
        assert!(has_scheme("did:key:z6Mk"));
        assert!(has_scheme("urn:uuid:1"));
        assert!(!has_scheme("1a:b"));
        assert!(looks_like_keyword("@foo"));
        assert!(!looks_like_keyword("@"));
        assert!(!looks_like_keyword("@foo1"));
    }

    #[test]
    fn whitespace_anywhere_is_found() {
        let long = "https://example.org/".repeat(3);
        assert!(!has_whitespace(&long));
        assert!(!has_whitespace("https://example.org/caf\u{e9}"));
        for ws in [" ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{a0}", "\u{2003}", "\u{3000}"] {
            for at in [0, 5, 17, long.len()] {
                let mut s = long.clone();
                s.insert_str(at, ws);
                assert!(has_whitespace(&s), "{s:?}");
            }
        }
        assert!(!is_absolute_iri("https://example.org/a b"));
    }
}
