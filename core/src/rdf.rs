//! RDF 1.1 abstract syntax and N-Quads serialization.
//!
//! Implements the subset of [RDF 1.1 Concepts](https://www.w3.org/TR/rdf11-concepts/) that
//! JSON-LD's [Deserialize JSON-LD to RDF](https://www.w3.org/TR/json-ld11-api/#deserialize-json-ld-to-rdf-algorithm)
//! produces, and the canonical [N-Quads](https://www.w3.org/TR/n-quads/) form that
//! [RDFC-1.0 §5](https://www.w3.org/TR/rdf-canon/#serialization) requires for hashing.
//! [`parse_nquads`] reads any N-Quads document
//! ([N-Quads §5 grammar](https://www.w3.org/TR/n-quads/#sec-grammar)), canonical or not.

use std::fmt;

use thiserror::Error;

/// `http://www.w3.org/1999/02/22-rdf-syntax-ns#`, the RDF namespace.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// `http://www.w3.org/2001/XMLSchema#`, the XSD namespace.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// `xsd:string`, the datatype of a plain literal.
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// `rdf:langString`, the datatype of a language-tagged literal.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// An RDF term in subject, predicate, object or graph position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An absolute IRI, stored without angle brackets.
    Iri(String),
    /// A blank node, stored without the `_:` prefix.
    Blank(String),
    /// A literal.
    Literal(Literal),
}

/// An RDF literal: lexical form, datatype IRI and, for `rdf:langString`, a language tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    /// The lexical form.
    pub value: String,
    /// The datatype IRI; `xsd:string` for plain literals, `rdf:langString` when `language` is set.
    pub datatype: String,
    /// The language tag, for `rdf:langString` literals only.
    pub language: Option<String>,
}

/// One quad. `graph` is `None` for the default graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// The subject: an IRI or a blank node.
    pub subject: Term,
    /// The predicate: an IRI.
    pub predicate: Term,
    /// The object: any term.
    pub object: Term,
    /// The graph name, or `None` for the default graph.
    pub graph: Option<Term>,
}

impl Literal {
    /// A plain `xsd:string` literal.
    pub fn string(value: impl Into<String>) -> Self {
        Literal { value: value.into(), datatype: XSD_STRING.to_owned(), language: None }
    }

    /// A literal with the given datatype.
    pub fn typed(value: impl Into<String>, datatype: impl Into<String>) -> Self {
        Literal { value: value.into(), datatype: datatype.into(), language: None }
    }

    /// A language-tagged `rdf:langString` literal.
    pub fn lang(value: impl Into<String>, language: impl Into<String>) -> Self {
        Literal { value: value.into(), datatype: RDF_LANG_STRING.to_owned(), language: Some(language.into()) }
    }
}

impl Term {
    /// Whether this term is a blank node.
    pub fn is_blank(&self) -> bool {
        matches!(self, Term::Blank(_))
    }
}

impl Term {
    /// Appends the term in canonical N-Quads form. This is the hot path of every signature and
    /// verification, so it writes straight into the buffer rather than through `fmt`.
    pub fn write_nquads(&self, out: &mut String) {
        match self {
            Term::Iri(iri) => {
                out.push('<');
                out.push_str(iri);
                out.push('>');
            }
            Term::Blank(id) => {
                out.push_str("_:");
                out.push_str(id);
            }
            Term::Literal(lit) => {
                out.push('"');
                escape_literal(&lit.value, out);
                out.push('"');
                if let Some(lang) = &lit.language {
                    out.push('@');
                    out.push_str(lang);
                } else if lit.datatype != XSD_STRING {
                    out.push_str("^^<");
                    out.push_str(&lit.datatype);
                    out.push('>');
                }
            }
        }
    }
}

impl fmt::Display for Term {
    /// Writes the term in canonical N-Quads form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_nquads(&mut out);
        f.write_str(&out)
    }
}

impl Quad {
    /// Appends the quad as one canonical N-Quads line, including the final `\n`.
    pub fn write_nquads(&self, out: &mut String) {
        self.subject.write_nquads(out);
        out.push(' ');
        self.predicate.write_nquads(out);
        out.push(' ');
        self.object.write_nquads(out);
        out.push(' ');
        if let Some(graph) = &self.graph {
            graph.write_nquads(out);
            out.push(' ');
        }
        out.push_str(".\n");
    }
}

impl fmt::Display for Quad {
    /// Writes the quad as one canonical N-Quads line, including the final `\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_nquads(&mut out);
        f.write_str(&out)
    }
}

/// Escapes a literal's lexical form as canonical N-Quads requires
/// ([RDFC-1.0 §5](https://www.w3.org/TR/rdf-canon/#serialization), which defers to the
/// canonical form of [RDF 1.2 N-Triples](https://www.w3.org/TR/rdf12-n-triples/#canonical-ntriples)):
/// `\\`, `"` and the controls U+0008, U+0009, U+000A, U+000C, U+000D by their ECHAR short
/// escapes (`\b \t \n \f \r`); every other control below U+0020, and U+007F, as `\uXXXX` with
/// upper-case hex; everything else, including non-ASCII, raw. The W3C suite's test060 pins
/// every one of these cases.
pub(crate) fn escape_literal(value: &str, out: &mut String) {
    // Most literals need no escape at all: copy them whole. The check runs 16 bytes at a time
    // without branches, which the compiler turns into vector instructions.
    let plain =
        |chunk: &[u8]| chunk.iter().fold(true, |all, &b| all & (b >= 0x20) & (b != b'\\') & (b != b'"') & (b != 0x7f));
    if value.as_bytes().chunks(16).all(plain) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let n = c as u32;
                out.push_str("\\u00");
                out.push(char::from(HEX[(n >> 4) as usize & 0xF]));
                out.push(char::from(HEX[n as usize & 0xF]));
            }
            c => out.push(c),
        }
    }
}

/// The decimal digits of `n`, written into the end of `buf` (20 digits hold any u64), without
/// going through `fmt`: blank node labels are numbered on every canonicalization.
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Serializes quads as N-Quads, one line each, in the order given.
pub fn to_nquads(quads: &[Quad]) -> String {
    let mut out = String::new();
    for quad in quads {
        quad.write_nquads(&mut out);
    }
    out
}

/// Why an N-Quads document could not be parsed. Lines and columns count from 1; columns count
/// characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum NQuadsError {
    /// A character that cannot start or continue the token the grammar expects here.
    #[error("line {line}, column {column}: expected {expected}, found {found:?}")]
    Unexpected {
        /// The line of the offending character.
        line: usize,
        /// The column of the offending character.
        column: usize,
        /// What the grammar allows here.
        expected: &'static str,
        /// The character found instead.
        found: char,
    },
    /// The line ended before the statement was complete.
    #[error("line {line}: expected {expected}, found end of line")]
    UnexpectedEndOfLine {
        /// The line that ended early.
        line: usize,
        /// What the grammar expected next.
        expected: &'static str,
    },
    /// A backslash not followed by a valid ECHAR (`\t \b \n \r \f \" \' \\`, literals only) or
    /// UCHAR (`\uXXXX`, `\UXXXXXXXX`).
    #[error("line {line}, column {column}: invalid escape sequence")]
    InvalidEscape {
        /// The line of the backslash.
        line: usize,
        /// The column of the backslash.
        column: usize,
    },
    /// A UCHAR naming a surrogate or a value above U+10FFFF, which no Rust string can hold.
    #[error("line {line}, column {column}: \\u escape names U+{value:X}, which is not a Unicode scalar value")]
    InvalidCodePoint {
        /// The line of the escape.
        line: usize,
        /// The column of the escape.
        column: usize,
        /// The escaped value.
        value: u32,
    },
    /// An IRI that is not absolute, or that decodes to a character IRIREF forbids.
    #[error("line {line}: invalid IRI <{iri}>: {reason}")]
    InvalidIri {
        /// The line of the IRI.
        line: usize,
        /// The IRI after unescaping.
        iri: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Parses an N-Quads document into quads, in document order.
///
/// Accepts the whole [N-Quads grammar](https://www.w3.org/TR/n-quads/#sec-grammar): IRIs, blank
/// nodes, literals with ECHAR and UCHAR escapes, language tags and datatypes, an optional graph
/// label, comments and blank lines. Duplicate statements are kept; RDFC-1.0 treats the input as
/// a set and removes them itself.
///
/// ```
/// use accolade_core::rdf::{parse_nquads, Literal, Term};
///
/// let quads = parse_nquads("_:b0 <http://schema.org/name> \"Ada\"@en <urn:g> . # who\n").unwrap();
/// assert_eq!(quads[0].object, Term::Literal(Literal::lang("Ada", "en")));
/// assert_eq!(quads[0].graph, Some(Term::Iri("urn:g".into())));
/// ```
pub fn parse_nquads(text: &str) -> Result<Vec<Quad>, NQuadsError> {
    let mut quads = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        // EOL is `[#xD#xA]+`, so a lone CR also ends a statement; it does not start a new
        // numbered line for the reader, though, so all pieces share one line number.
        for piece in line.split('\r') {
            let mut parser = LineParser { text: piece, pos: 0, line: index + 1 };
            if let Some(quad) = parser.statement()? {
                quads.push(quad);
            }
        }
    }
    Ok(quads)
}

/// A cursor over one line of N-Quads.
struct LineParser<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl LineParser<'_> {
    /// Parses the line's statement; `None` for a blank or comment-only line.
    fn statement(&mut self) -> Result<Option<Quad>, NQuadsError> {
        self.skip_ws();
        match self.peek() {
            None | Some('#') => return Ok(None),
            _ => {}
        }
        let subject = match self.peek() {
            Some('<') => Term::Iri(self.iri()?),
            Some('_') => Term::Blank(self.blank()?),
            _ => return Err(self.unexpected("subject (IRI or blank node)")),
        };
        self.skip_ws();
        let predicate = match self.peek() {
            Some('<') => Term::Iri(self.iri()?),
            _ => return Err(self.unexpected("predicate (IRI)")),
        };
        self.skip_ws();
        let object = match self.peek() {
            Some('<') => Term::Iri(self.iri()?),
            Some('_') => Term::Blank(self.blank()?),
            Some('"') => Term::Literal(self.literal()?),
            _ => return Err(self.unexpected("object (IRI, blank node or literal)")),
        };
        self.skip_ws();
        let graph = match self.peek() {
            Some('<') => Some(Term::Iri(self.iri()?)),
            Some('_') => Some(Term::Blank(self.blank()?)),
            _ => None,
        };
        self.skip_ws();
        if self.peek() != Some('.') {
            return Err(self.unexpected(if graph.is_some() { "'.'" } else { "graph label or '.'" }));
        }
        self.pos += 1;
        self.skip_ws();
        match self.peek() {
            None | Some('#') => Ok(Some(Quad { subject, predicate, object, graph })),
            Some(_) => Err(self.unexpected("end of line or comment")),
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn column_at(&self, pos: usize) -> usize {
        self.text[..pos].chars().count() + 1
    }

    /// The error for the character at the cursor, or for the end of the line.
    fn unexpected(&self, expected: &'static str) -> NQuadsError {
        match self.peek() {
            Some(found) => {
                NQuadsError::Unexpected { line: self.line, column: self.column_at(self.pos), expected, found }
            }
            None => NQuadsError::UnexpectedEndOfLine { line: self.line, expected },
        }
    }

    /// `IRIREF`, returning the IRI without brackets and with UCHARs decoded.
    fn iri(&mut self) -> Result<String, NQuadsError> {
        self.pos += 1; // '<'
        let mut iri = String::new();
        loop {
            let start = self.pos;
            match self.bump() {
                None => return Err(self.unexpected("'>' closing the IRI")),
                Some('>') => break,
                Some('\\') => iri.push(self.uchar(start)?),
                Some(c) if iri_char_forbidden(c) => {
                    self.pos = start;
                    return Err(self.unexpected("IRI character or '>'"));
                }
                Some(c) => iri.push(c),
            }
        }
        // Canonical N-Quads writes IRIs raw, so a UCHAR that decodes to a character IRIREF
        // forbids would serialize as a different, or broken, IRI.
        if iri.chars().any(iri_char_forbidden) {
            return Err(NQuadsError::InvalidIri {
                line: self.line,
                iri,
                reason: "an escape decodes to a character IRIs may not contain",
            });
        }
        if !has_scheme(&iri) {
            return Err(NQuadsError::InvalidIri {
                line: self.line,
                iri,
                reason: "N-Quads IRIs must be absolute (start with a scheme)",
            });
        }
        Ok(iri)
    }

    /// The UCHAR whose backslash sits at `start`; the cursor is just past the backslash.
    fn uchar(&mut self, start: usize) -> Result<char, NQuadsError> {
        let digits = match self.bump() {
            Some('u') => 4,
            Some('U') => 8,
            _ => return Err(self.invalid_escape(start)),
        };
        let hex = self
            .text
            .get(self.pos..self.pos + digits)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.invalid_escape(start))?;
        let value = u32::from_str_radix(hex, 16).expect("invariant: 4 or 8 ASCII hex digits fit in a u32");
        self.pos += digits;
        char::from_u32(value).ok_or(NQuadsError::InvalidCodePoint {
            line: self.line,
            column: self.column_at(start),
            value,
        })
    }

    fn invalid_escape(&self, start: usize) -> NQuadsError {
        NQuadsError::InvalidEscape { line: self.line, column: self.column_at(start) }
    }

    /// `BLANK_NODE_LABEL`, returning the label without `_:`.
    fn blank(&mut self) -> Result<String, NQuadsError> {
        self.pos += 1; // '_'
        if self.peek() != Some(':') {
            return Err(self.unexpected("':' after '_' in a blank node label"));
        }
        self.pos += 1;
        let start = self.pos;
        match self.peek() {
            Some(c) if is_pn_chars_u(c) || c.is_ascii_digit() => self.pos += c.len_utf8(),
            _ => return Err(self.unexpected("blank node label")),
        }
        while let Some(c) = self.peek() {
            if is_pn_chars(c) || c == '.' {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        // A label cannot end in '.', so trailing dots belong to the statement terminator.
        let label = self.text[start..self.pos].trim_end_matches('.');
        self.pos = start + label.len();
        Ok(label.to_owned())
    }

    /// `literal`: a quoted string with an optional language tag or datatype.
    fn literal(&mut self) -> Result<Literal, NQuadsError> {
        self.pos += 1; // '"'
        let mut value = String::new();
        loop {
            let start = self.pos;
            match self.bump() {
                None => return Err(self.unexpected("'\"' closing the literal")),
                Some('"') => break,
                Some('\\') => {
                    let c = match self.peek() {
                        Some('t') => '\t',
                        Some('b') => '\u{8}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('f') => '\u{c}',
                        Some('"') => '"',
                        Some('\'') => '\'',
                        Some('\\') => '\\',
                        Some('u' | 'U') => {
                            value.push(self.uchar(start)?);
                            continue;
                        }
                        _ => return Err(self.invalid_escape(start)),
                    };
                    self.pos += 1;
                    value.push(c);
                }
                Some(c) => value.push(c),
            }
        }
        match self.peek() {
            Some('@') => {
                self.pos += 1;
                let language = self.language_tag()?;
                Ok(Literal::lang(value, language))
            }
            Some('^') => {
                self.pos += 1;
                if self.peek() != Some('^') {
                    return Err(self.unexpected("'^^' before a datatype"));
                }
                self.pos += 1;
                if self.peek() != Some('<') {
                    return Err(self.unexpected("datatype IRI"));
                }
                Ok(Literal::typed(value, self.iri()?))
            }
            _ => Ok(Literal::string(value)),
        }
    }

    /// `LANGTAG` after the `@`: `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`.
    fn language_tag(&mut self) -> Result<String, NQuadsError> {
        let start = self.pos;
        let mut subtag_len = 0;
        let mut first = true;
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_alphabetic() || (!first && c.is_ascii_digit()) => {
                    self.pos += 1;
                    subtag_len += 1;
                }
                Some('-') if subtag_len > 0 => {
                    self.pos += 1;
                    subtag_len = 0;
                    first = false;
                }
                _ if subtag_len > 0 => break,
                _ => return Err(self.unexpected("language tag letter")),
            }
        }
        Ok(self.text[start..self.pos].to_owned())
    }
}

/// Characters `IRIREF` does not allow unescaped: controls, space, `<>"{}|^\``, and `\`.
fn iri_char_forbidden(c: char) -> bool {
    c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\')
}

/// Whether `iri` starts with an RFC 3987 scheme, `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`.
fn has_scheme(iri: &str) -> bool {
    let mut chars = iri.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    for c in chars {
        match c {
            ':' => return true,
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return false,
        }
    }
    false
}

/// `PN_CHARS_BASE` from the N-Quads grammar.
fn is_pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// `PN_CHARS_U`: N-Quads, unlike Turtle, also allows `:` here.
fn is_pn_chars_u(c: char) -> bool {
    is_pn_chars_base(c) || c == '_' || c == ':'
}

/// `PN_CHARS`.
fn is_pn_chars(c: char) -> bool {
    is_pn_chars_u(c)
        || c == '-'
        || c.is_ascii_digit()
        || c == '\u{B7}'
        || ('\u{300}'..='\u{36F}').contains(&c)
        || ('\u{203F}'..='\u{2040}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(s: &str) -> Term {
        Term::Iri(s.to_owned())
    }

    #[test]
    fn parses_every_term_kind() {
        let text = "# header\n\
            \n\
            <http://a/s> <http://a/p> <http://a/o> .\n\
            _:b0 <http://a/p> \"plain\" <http://a/g> .\r\n\
            \t_:x.y <http://a/p> \"chat\"@fr-BE _:g1 .  # trailing\n\
            <http://a/s> <http://a/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>.\n";
        let quads = parse_nquads(text).unwrap();
        assert_eq!(quads.len(), 4);
        assert_eq!(quads[0].object, iri("http://a/o"));
        assert_eq!(quads[0].graph, None);
        assert_eq!(quads[1].subject, Term::Blank("b0".into()));
        assert_eq!(quads[1].object, Term::Literal(Literal::string("plain")));
        assert_eq!(quads[1].graph, Some(iri("http://a/g")));
        assert_eq!(quads[2].subject, Term::Blank("x.y".into()));
        assert_eq!(quads[2].object, Term::Literal(Literal::lang("chat", "fr-BE")));
        assert_eq!(quads[2].graph, Some(Term::Blank("g1".into())));
        assert_eq!(quads[3].object, Term::Literal(Literal::typed("1", "http://www.w3.org/2001/XMLSchema#integer")));
    }

    #[test]
    fn blank_label_does_not_swallow_the_final_dot() {
        let quads = parse_nquads("<http://a/s> <http://a/p> _:o.\n").unwrap();
        assert_eq!(quads[0].object, Term::Blank("o".into()));
    }

    #[test]
    fn decodes_echar_and_uchar() {
        let text = r#"<urn:ex:\u221e> <urn:p> "\t\b\n\r\f\"\'\\ \u00e9\U0001F383" ."#;
        let quads = parse_nquads(text).unwrap();
        assert_eq!(quads[0].subject, iri("urn:ex:∞"));
        assert_eq!(quads[0].object, Term::Literal(Literal::string("\t\u{8}\n\r\u{c}\"'\\ é🎃")));
    }

    #[test]
    fn round_trips_through_canonical_serialization() {
        let text = "<urn:s> <urn:p> \"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000\\u007F\\u001F\" _:g .\n";
        let quads = parse_nquads(text).unwrap();
        assert_eq!(to_nquads(&quads), text);
        assert_eq!(parse_nquads(&to_nquads(&quads)).unwrap(), quads);
    }

    #[test]
    fn reports_line_numbers() {
        let err = parse_nquads("<urn:s> <urn:p> <urn:o> .\n\"lit\" <urn:p> <urn:o> .\n").unwrap_err();
        assert!(matches!(err, NQuadsError::Unexpected { line: 2, column: 1, found: '"', .. }), "{err}");
        let err = parse_nquads("<urn:s> <urn:p> <urn:o>\n").unwrap_err();
        assert!(matches!(err, NQuadsError::UnexpectedEndOfLine { line: 1, .. }), "{err}");
    }

    #[test]
    fn rejects_malformed_input() {
        let bad = [
            "<urn:s> <urn:p> \"unterminated .",
            "<urn:s> <urn:p> \"\\x\" .",
            "<urn:s> <urn:p> \"\\uD800\" .",
            "<urn:s> <urn:p> \"\\u12\" .",
            "<urn:s> <urn:p> <urn:o> . <urn:s> <urn:p> <urn:o> .",
            "<relative> <urn:p> <urn:o> .",
            "<urn:s p> <urn:p> <urn:o> .",
            "<urn:\\u0020> <urn:p> <urn:o> .",
            "<urn:s> _:p <urn:o> .",
            "<urn:s> <urn:p> \"x\"@ .",
            "<urn:s> <urn:p> \"x\"@en- .",
            "<urn:s> <urn:p> \"x\"^<urn:d> .",
            "<urn:s> <urn:p> <urn:o> \"g\" .",
            "_:-a <urn:p> <urn:o> .",
            "<urn:s> <urn:p> <urn:o> <urn:g> <urn:h> .",
        ];
        for text in bad {
            assert!(parse_nquads(text).is_err(), "accepted {text:?}");
        }
    }
}
