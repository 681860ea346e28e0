//! An RDF dataset in the form canonicalization works on: each IRI and literal already written as
//! its canonical N-Quads text, each blank node a number.
//!
//! RDFC-1.0 writes the same quads as N-Quads again and again: once for every blank node a quad
//! mentions (Hash First Degree Quads, [RDFC-1.0 §4.6](https://www.w3.org/TR/rdf-canon/#hash-1d-quads)),
//! and once more for the canonical document (§5). Writing each term's text once, when the quad is
//! made, turns all of those into copies, and numbering blank nodes spares every lookup by label.
//! The JSON-LD processor writes its quads straight into a [`Dataset`]
//! ([`crate::jsonld::Processor::to_dataset`]); [`crate::rdfc::canonicalize`] converts a slice of
//! [`Quad`]s into one.
//!
//! Term texts follow canonical N-Quads ([RDFC-1.0 §5](https://www.w3.org/TR/rdf-canon/#serialization)):
//! `<iri>`, `"escaped"`, `"escaped"@lang`, `"escaped"^^<datatype>` (no datatype for
//! `xsd:string`), exactly as [`crate::rdf::Term::write_nquads`] writes them.

use crate::rdf::{escape_literal, Quad, Term, XSD_STRING};

/// One position of a quad in a [`Dataset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// An IRI or literal: the byte range of its N-Quads text in the dataset's text.
    Text {
        /// Where the text starts.
        start: u32,
        /// Where it ends (exclusive).
        end: u32,
    },
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
    quads: Vec<[Part; 4]>,
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
        let start = self.start();
        self.text.push('<');
        self.text.push_str(iri);
        self.text.push('>');
        self.end(start)
    }

    /// Writes a literal with the given datatype (`xsd:string` for a plain literal), returning
    /// its part.
    pub fn typed(&mut self, value: &str, datatype: &str) -> Part {
        let start = self.start();
        self.text.push('"');
        escape_literal(value, &mut self.text);
        self.text.push('"');
        if datatype != XSD_STRING {
            self.text.push_str("^^<");
            self.text.push_str(datatype);
            self.text.push('>');
        }
        self.end(start)
    }

    /// Writes a language-tagged (`rdf:langString`) literal, returning its part.
    pub fn lang(&mut self, value: &str, language: &str) -> Part {
        let start = self.start();
        self.text.push('"');
        escape_literal(value, &mut self.text);
        self.text.push_str("\"@");
        self.text.push_str(language);
        self.end(start)
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
        let n = self.labels.len();
        self.labelled_blank(format!("b{n}"))
    }

    fn labelled_blank(&mut self, label: String) -> Part {
        let n = u32::try_from(self.labels.len()).expect("fewer than 2^32 blank nodes");
        self.labels.push(label);
        Part::Blank(n)
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
            Part::Text { start, end } => &self.text[start as usize..end as usize],
            _ => "",
        }
    }

    /// The number of blank nodes.
    pub fn blank_count(&self) -> usize {
        self.labels.len()
    }

    /// The label of blank node `n`: its input label, or `b{n}` for one made here.
    pub fn label(&self, n: u32) -> &str {
        &self.labels[n as usize]
    }

    fn start(&self) -> u32 {
        u32::try_from(self.text.len()).expect("a dataset's text is under 4 GiB")
    }

    fn end(&self, start: u32) -> Part {
        Part::Text { start, end: self.start() }
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
    fn from_quads_numbers_blank_nodes_by_label() {
        let quads = parse_nquads("_:x <urn:p> _:y .\n_:y <urn:p> _:x <urn:g> .\n").unwrap();
        let d = Dataset::from_quads(&quads).unwrap();
        assert_eq!(d.blank_count(), 2);
        assert_eq!((d.label(0), d.label(1)), ("x", "y"));
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
