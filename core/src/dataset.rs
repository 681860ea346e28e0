//! An RDF dataset in the form canonicalization works on: each distinct IRI and literal written
//! once as its canonical N-Quads text and known by number, each blank node a number.
//!
//! RDFC-1.0 writes the same quads as N-Quads again and again: once for every blank node a quad
//! mentions (Hash First Degree Quads, [RDFC-1.0 §4.6](https://www.w3.org/TR/rdf-canon/#hash-1d-quads)),
//! and once more for the canonical document (§5). Writing each term's text once, when the quad is
//! made, turns all of those into copies, and numbering blank nodes spares every lookup by label.
//! Writing each *distinct* term once (a predicate IRI serves every statement that uses it) makes
//! equal terms equal numbers, so that a quad's identity, which canonicalization needs to treat
//! the dataset as a set (§4.4 step 2), is four numbers rather than four texts.
//!
//! The JSON-LD processor writes its quads straight into a [`Dataset`]
//! ([`crate::jsonld::Processor::to_dataset`]); [`crate::rdfc::canonicalize`] converts a slice of
//! [`Quad`]s into one.
//!
//! Term texts follow canonical N-Quads ([RDFC-1.0 §5](https://www.w3.org/TR/rdf-canon/#serialization)):
//! `<iri>`, `"escaped"`, `"escaped"@lang`, `"escaped"^^<datatype>` (no datatype for
//! `xsd:string`), exactly as [`crate::rdf::Term::write_nquads`] writes them.

use std::borrow::Cow;

use crate::rdf::{decimal, escape_literal, Quad, Term, XSD_STRING};

/// One position of a quad in a [`Dataset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// An IRI or literal, by number. A dataset writes each distinct term once, so two parts of
    /// one dataset are the same term exactly when they are equal.
    Term(u32),
    /// A blank node, by number.
    Blank(u32),
    /// No term: the default graph, in graph position.
    Default,
}

/// A dataset of quads whose terms are stored as canonical N-Quads text (see the module docs).
/// Quads may repeat; canonicalization treats the dataset as a set.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    text: String,
    /// Term number → the byte range of its text in `text`.
    terms: Vec<(u32, u32)>,
    /// Term numbers with the hashes of their texts, to find a term already written.
    index: hashbrown::HashTable<(u64, u32)>,
    hasher: ahash::RandomState,
    quads: Vec<[Part; 4]>,
    blanks: u32,
    /// The input labels of the first blank nodes, for datasets read from labelled quads.
    labels: Vec<String>,
}

/// Why a quad cannot go into a [`Dataset`]: it is outside RDF 1.1's abstract syntax, so has no
/// canonical N-Quads form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidQuad {
    /// The quad's position in the input.
    pub index: usize,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Dataset {
    /// An empty dataset.
    pub fn new() -> Self {
        Dataset::default()
    }

    /// An empty dataset with room for `quads` quads, as many distinct terms and 64 bytes of
    /// text for each, before it reallocates.
    pub fn with_capacity(quads: usize) -> Self {
        Dataset {
            text: String::with_capacity(quads * 64),
            terms: Vec::with_capacity(quads),
            index: hashbrown::HashTable::with_capacity(quads),
            quads: Vec::with_capacity(quads),
            ..Dataset::default()
        }
    }

    /// The dataset of `quads`, keeping their blank node labels (so that canonicalization can
    /// report which input label got which canonical one).
    pub fn from_quads<'q>(quads: &'q [Quad]) -> Result<Self, InvalidQuad> {
        let mut dataset = Dataset::new();
        let mut numbers = crate::hash::FastMap::<&str, Part>::default();
        for (index, quad) in quads.iter().enumerate() {
            let reason = if matches!(quad.subject, Term::Literal(_)) {
                Some("literal subject")
            } else if !matches!(quad.predicate, Term::Iri(_)) {
                Some("predicate is not an IRI")
            } else if matches!(quad.graph, Some(Term::Literal(_))) {
                Some("literal graph name")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(InvalidQuad { index, reason });
            }
            let mut part = |term: &'q Term, dataset: &mut Dataset| match term {
                Term::Blank(label) => {
                    *numbers.entry(label.as_str()).or_insert_with(|| dataset.labelled_blank(label.clone()))
                }
                other => dataset.term(other),
            };
            let subject = part(&quad.subject, &mut dataset);
            let predicate = part(&quad.predicate, &mut dataset);
            let object = part(&quad.object, &mut dataset);
            let graph = quad.graph.as_ref().map_or(Part::Default, |g| part(g, &mut dataset));
            dataset.push(subject, predicate, object, graph);
        }
        Ok(dataset)
    }

    /// Writes an IRI, returning its part.
    pub fn iri(&mut self, iri: &str) -> Part {
        let start = self.text.len();
        self.text.push('<');
        self.text.push_str(iri);
        self.text.push('>');
        self.intern(start)
    }

    /// Writes a literal with the given datatype (`xsd:string` for a plain literal), returning
    /// its part.
    pub fn typed(&mut self, value: &str, datatype: &str) -> Part {
        let start = self.text.len();
        self.text.push('"');
        escape_literal(value, &mut self.text);
        self.text.push('"');
        if datatype != XSD_STRING {
            self.text.push_str("^^<");
            self.text.push_str(datatype);
            self.text.push('>');
        }
        self.intern(start)
    }

    /// Writes a language-tagged (`rdf:langString`) literal, returning its part.
    pub fn lang(&mut self, value: &str, language: &str) -> Part {
        let start = self.text.len();
        self.text.push('"');
        escape_literal(value, &mut self.text);
        self.text.push_str("\"@");
        self.text.push_str(language);
        self.intern(start)
    }

    /// Writes any IRI or literal term; a blank node becomes a new, unlabelled one.
    pub fn term(&mut self, term: &Term) -> Part {
        match term {
            Term::Iri(iri) => self.iri(iri),
            Term::Blank(_) => self.blank(),
            Term::Literal(lit) => match &lit.language {
                Some(language) => self.lang(&lit.value, language),
                None => self.typed(&lit.value, &lit.datatype),
            },
        }
    }

    /// A new blank node.
    pub fn blank(&mut self) -> Part {
        let n = self.blanks;
        self.blanks = n.checked_add(1).expect("fewer than 2^32 blank nodes");
        Part::Blank(n)
    }

    fn labelled_blank(&mut self, label: String) -> Part {
        let part = self.blank();
        // Blank nodes made before without a label keep their `b{n}` names.
        while self.labels.len() + 1 < self.blanks as usize {
            self.labels.push(format!("b{}", self.labels.len()));
        }
        self.labels.push(label);
        part
    }

    /// Adds a quad. `graph` is [`Part::Default`] for the default graph.
    pub fn push(&mut self, subject: Part, predicate: Part, object: Part, graph: Part) {
        self.quads.push([subject, predicate, object, graph]);
    }

    /// The quads, as subject, predicate, object and graph parts, in the order they were added.
    pub fn quads(&self) -> &[[Part; 4]] {
        &self.quads
    }

    /// The N-Quads text of an IRI or literal part; empty for a blank node or the default graph.
    pub fn text(&self, part: Part) -> &str {
        match part {
            Part::Term(n) => {
                let (start, end) = self.terms[n as usize];
                &self.text[start as usize..end as usize]
            }
            _ => "",
        }
    }

    /// The number of distinct IRIs and literals: their parts are `Part::Term(0..term_count)`.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The number of blank nodes.
    pub fn blank_count(&self) -> usize {
        self.blanks as usize
    }

    /// The label of blank node `n`: its input label, or `b{n}` for one made here.
    pub fn label(&self, n: u32) -> Cow<'_, str> {
        match self.labels.get(n as usize) {
            Some(label) => Cow::Borrowed(label),
            None => Cow::Owned(format!("b{n}")),
        }
    }

    /// Compares the labels of blank nodes `a` and `b` as strings, without writing `b{n}` names
    /// out.
    pub fn cmp_labels(&self, a: u32, b: u32) -> std::cmp::Ordering {
        match (self.labels.get(a as usize), self.labels.get(b as usize)) {
            (Some(x), Some(y)) => x.cmp(y),
            (None, None) => {
                let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
                decimal(a.into(), &mut x).cmp(decimal(b.into(), &mut y))
            }
            _ => self.label(a).cmp(&self.label(b)),
        }
    }

    /// The term whose text was just written at `text[start..]`: a new one, or the one already
    /// written with that text, in which case the new copy is taken back.
    fn intern(&mut self, start: usize) -> Part {
        let Dataset { text, terms, index, hasher, .. } = self;
        let written = &text[start..];
        let hash = hasher.hash_one(written);
        let same = |&(h, n): &(u64, u32)| {
            let (s, e) = terms[n as usize];
            h == hash && &text[s as usize..e as usize] == written
        };
        if let Some(&(_, n)) = index.find(hash, same) {
            text.truncate(start);
            return Part::Term(n);
        }
        let n = u32::try_from(terms.len()).expect("fewer than 2^32 terms");
        let range = u32::try_from(start).ok().zip(u32::try_from(text.len()).ok());
        terms.push(range.expect("a dataset's text is under 4 GiB"));
        index.insert_unique(hash, (hash, n), |&(h, _)| h);
        Part::Term(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::{parse_nquads, Literal};

    #[test]
    fn term_texts_are_the_canonical_nquads_forms() {
        let mut d = Dataset::new();
        let iri = d.iri("urn:x");
        let plain = d.typed("a \"q\"\n", XSD_STRING);
        let typed = d.typed("3", "http://www.w3.org/2001/XMLSchema#integer");
        let lang = d.lang("hola", "es");
        assert_eq!(d.text(iri), "<urn:x>");
        assert_eq!(d.text(plain), r#""a \"q\"\n""#);
        assert_eq!(d.text(typed), "\"3\"^^<http://www.w3.org/2001/XMLSchema#integer>");
        assert_eq!(d.text(lang), "\"hola\"@es");
        for term in [Term::Iri("urn:x".into()), Term::Literal(Literal::lang("hola", "es"))] {
            let part = d.term(&term);
            assert_eq!(d.text(part), term.to_string());
        }
    }

    #[test]
    fn each_distinct_term_is_written_once() {
        let mut d = Dataset::new();
        let a = d.iri("urn:a");
        let plain = d.typed("urn:a", XSD_STRING);
        assert_eq!(d.iri("urn:a"), a);
        assert_ne!(plain, a);
        assert_eq!(d.typed("urn:a", XSD_STRING), plain);
        assert_ne!(d.lang("urn:a", "en"), plain);
        assert_eq!(d.text(a), "<urn:a>");
        assert_eq!(d.text(plain), "\"urn:a\"");
    }

    #[test]
    fn blank_nodes_made_here_are_named_by_number() {
        let mut d = Dataset::new();
        let first = d.blank();
        assert_eq!((first, d.blank()), (Part::Blank(0), Part::Blank(1)));
        assert_eq!((d.blank_count(), d.label(1).as_ref()), (2, "b1"));
    }

    #[test]
    fn labels_compare_as_their_strings() {
        let mut made = Dataset::new();
        let mut labelled = Dataset::from_quads(&parse_nquads("_:b10 <urn:p> _:b9 .\n").unwrap()).unwrap();
        for _ in 0..12 {
            made.blank();
        }
        labelled.blank();
        for d in [&made, &labelled] {
            for (a, b) in [(1, 10), (10, 2), (9, 10), (0, 0), (11, 1), (2, 0)] {
                if (a as usize) < d.blank_count() && (b as usize) < d.blank_count() {
                    assert_eq!(d.cmp_labels(a, b), d.label(a).cmp(&d.label(b)), "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn from_quads_numbers_blank_nodes_by_label() {
        let quads = parse_nquads("_:x <urn:p> _:y .\n_:y <urn:p> _:x <urn:g> .\n").unwrap();
        let d = Dataset::from_quads(&quads).unwrap();
        assert_eq!(d.blank_count(), 2);
        assert_eq!((d.label(0).as_ref(), d.label(1).as_ref()), ("x", "y"));
        assert_eq!(d.quads()[1][0], Part::Blank(1));
        assert_eq!(d.quads()[1][2], Part::Blank(0));
        assert_eq!(d.text(d.quads()[1][3]), "<urn:g>");
        assert_eq!(d.quads()[0][3], Part::Default);
    }

    #[test]
    fn from_quads_refuses_a_literal_subject() {
        let quad = Quad {
            subject: Term::Literal(Literal::string("s")),
            predicate: Term::Iri("urn:p".into()),
            object: Term::Iri("urn:o".into()),
            graph: None,
        };
        assert_eq!(Dataset::from_quads(&[quad]).unwrap_err(), InvalidQuad { index: 0, reason: "literal subject" });
    }
}
