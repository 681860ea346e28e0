//! Deserialize JSON-LD to RDF, [JSON-LD 1.1 API §8.1](https://www.w3.org/TR/json-ld11-api/#deserialize-json-ld-to-rdf-algorithm),
//! with Object to RDF (§8.2) and List Conversion (§8.3).
//!
//! The specification builds a node map first (§7.2) and then walks it. We walk the expanded
//! form directly and remove duplicate quads at the end: the resulting dataset is the same (a node
//! described in two places contributes the union of its statements either way), blank node
//! labels differ only by name, which canonicalization erases, and one pass is cheaper.

use serde_json::{Map, Value};

use super::expand::is_bcp47;
use super::iri::{is_absolute_iri, is_blank};
use super::{JsonLdError, RdfDirection};
use crate::dataset::{Dataset, Part};
use crate::hash::{FastMap, FastSet};
use crate::rdf::{Literal, Quad, Term, RDF, XSD, XSD_STRING};

pub(super) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(super) const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
pub(super) const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
pub(super) const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";

/// Where the converter writes its quads: a [`Dataset`] (the fast path canonicalization takes) or
/// a `Vec<Quad>` (the public [`super::to_rdf`]).
pub(super) trait Sink {
    /// A term as the sink holds it.
    type Term: Clone;
    /// Blank node number `n` (numbers are dense, from 0, in order of first use).
    fn blank(&mut self, n: u32) -> Self::Term;
    fn iri(&mut self, iri: &str) -> Self::Term;
    fn typed(&mut self, value: &str, datatype: &str) -> Self::Term;
    fn lang(&mut self, value: &str, language: &str) -> Self::Term;
    fn quad(&mut self, subject: Self::Term, predicate: Self::Term, object: Self::Term, graph: Option<&Self::Term>);
}

impl Sink for Dataset {
    type Term = Part;
    fn blank(&mut self, n: u32) -> Part {
        let part = Dataset::blank(self);
        debug_assert_eq!(part, Part::Blank(n), "blank nodes are numbered in order");
        part
    }
    fn iri(&mut self, iri: &str) -> Part {
        Dataset::iri(self, iri)
    }
    fn typed(&mut self, value: &str, datatype: &str) -> Part {
        Dataset::typed(self, value, datatype)
    }
    fn lang(&mut self, value: &str, language: &str) -> Part {
        Dataset::lang(self, value, language)
    }
    fn quad(&mut self, subject: Part, predicate: Part, object: Part, graph: Option<&Part>) {
        self.push(subject, predicate, object, graph.copied().unwrap_or(Part::Default));
    }
}

impl Sink for Vec<Quad> {
    type Term = Term;
    fn blank(&mut self, n: u32) -> Term {
        Term::Blank(format!("b{n}"))
    }
    fn iri(&mut self, iri: &str) -> Term {
        Term::Iri(iri.to_owned())
    }
    fn typed(&mut self, value: &str, datatype: &str) -> Term {
        Term::Literal(Literal::typed(value, datatype))
    }
    fn lang(&mut self, value: &str, language: &str) -> Term {
        Term::Literal(Literal::lang(value, language))
    }
    fn quad(&mut self, subject: Term, predicate: Term, object: Term, graph: Option<&Term>) {
        self.push(Quad { subject, predicate, object, graph: graph.cloned() });
    }
}

/// Converts expanded JSON-LD to quads, in document order, without duplicates.
pub(super) fn to_rdf(expanded: &[Value], safe: bool, direction: RdfDirection) -> Result<Vec<Quad>, JsonLdError> {
    let mut quads = write(expanded, safe, direction, Vec::new())?;
    // Which quads are first occurrences, found by reference so that no quad is cloned.
    let keep: Vec<bool> = {
        let mut seen = FastSet::with_capacity_and_hasher(quads.len(), Default::default());
        quads.iter().map(|q| seen.insert(q)).collect()
    };
    let mut keep = keep.into_iter();
    quads.retain(|_| keep.next().unwrap_or(true));
    Ok(quads)
}

/// Converts expanded JSON-LD into a [`Dataset`], duplicates included (canonicalization treats
/// the dataset as a set).
pub(super) fn to_dataset(expanded: &[Value], safe: bool, direction: RdfDirection) -> Result<Dataset, JsonLdError> {
    write(expanded, safe, direction, Dataset::new())
}

fn write<S: Sink>(expanded: &[Value], safe: bool, direction: RdfDirection, sink: S) -> Result<S, JsonLdError> {
    let mut writer = Writer { sink, labels: FastMap::default(), counter: 0, safe, direction };
    for element in expanded {
        if let Value::Object(node) = element {
            if is_node(node) {
                writer.node(node, None)?;
            }
        }
    }
    Ok(writer.sink)
}

struct Writer<'e, S: Sink> {
    sink: S,
    /// Input blank node label → our number, so that labels in the input never collide with fresh ones.
    labels: FastMap<&'e str, S::Term>,
    counter: u32,
    safe: bool,
    direction: RdfDirection,
}

impl<'e, S: Sink> Writer<'e, S> {
    fn fresh(&mut self) -> S::Term {
        let n = self.counter;
        self.counter += 1;
        self.sink.blank(n)
    }

    fn blank(&mut self, input: &'e str) -> S::Term {
        if let Some(term) = self.labels.get(input) {
            return term.clone();
        }
        let term = self.fresh();
        self.labels.insert(input, term.clone());
        term
    }

    /// An IRI or blank node reference, or `None` (dropped) when it is relative.
    fn reference(&mut self, id: &'e str, what: &'static str) -> Result<Option<S::Term>, JsonLdError> {
        if is_blank(id) {
            return Ok(Some(self.blank(id)));
        }
        if is_absolute_iri(id) {
            return Ok(Some(self.sink.iri(id)));
        }
        if self.safe {
            return Err(JsonLdError::Dropped { what, detail: id.to_owned() });
        }
        Ok(None)
    }

    /// Emits the statements of a node object (and of everything nested in it); returns its subject.
    fn node(&mut self, node: &'e Map<String, Value>, graph: Option<&S::Term>) -> Result<Option<S::Term>, JsonLdError> {
        let subject = match node.get("@id").and_then(Value::as_str) {
            // A keyword-like @id expanded to null: the node cannot be named (§5.1.2 step 13.4.3.2).
            None if node.get("@id").is_some_and(Value::is_null) => return Ok(None),
            Some(id) => match self.reference(id, "relative subject reference")? {
                Some(s) => s,
                None => return Ok(None),
            },
            None => self.fresh(),
        };
        for (property, values) in node {
            match property.as_str() {
                "@id" | "@index" | "@context" => {}
                "@type" => {
                    let mut predicate = None;
                    for t in as_slice(values) {
                        let Some(t) = t.as_str() else { continue };
                        if let Some(object) = self.reference(t, "relative type reference")? {
                            let predicate = predicate.get_or_insert_with(|| self.sink.iri(RDF_TYPE)).clone();
                            self.sink.quad(subject.clone(), predicate, object, graph);
                        }
                    }
                }
                "@graph" => {
                    let name = subject.clone();
                    for element in as_slice(values) {
                        if let Value::Object(inner) = element {
                            if is_node(inner) {
                                self.node(inner, Some(&name))?;
                            }
                        }
                    }
                }
                "@included" => {
                    for element in as_slice(values) {
                        if let Value::Object(inner) = element {
                            self.node(inner, graph)?;
                        }
                    }
                }
                "@reverse" => {
                    let Value::Object(reverse) = values else { continue };
                    for (rprop, items) in reverse {
                        let Some(predicate) = self.predicate(rprop)? else { continue };
                        for item in as_slice(items) {
                            if let Value::Object(inner) = item {
                                if let Some(source) = self.node(inner, graph)? {
                                    self.sink.quad(source, predicate.clone(), subject.clone(), graph);
                                }
                            }
                        }
                    }
                }
                p if p.starts_with('@') => {}
                p => {
                    let Some(predicate) = self.predicate(p)? else { continue };
                    for item in as_slice(values) {
                        if let Some(object) = self.object(item, graph)? {
                            self.sink.quad(subject.clone(), predicate.clone(), object, graph);
                        }
                    }
                }
            }
        }
        Ok(Some(subject))
    }

    fn predicate(&mut self, iri: &str) -> Result<Option<S::Term>, JsonLdError> {
        if is_blank(iri) {
            if self.safe {
                return Err(JsonLdError::Dropped { what: "blank node predicate", detail: iri.to_owned() });
            }
            return Ok(None);
        }
        if !is_absolute_iri(iri) {
            if self.safe {
                return Err(JsonLdError::Dropped { what: "relative predicate reference", detail: iri.to_owned() });
            }
            return Ok(None);
        }
        Ok(Some(self.sink.iri(iri)))
    }

    /// Object to RDF (§8.2): the term for `item`, emitting the statements of nested nodes and lists.
    fn object(&mut self, item: &'e Value, graph: Option<&S::Term>) -> Result<Option<S::Term>, JsonLdError> {
        let Value::Object(map) = item else { return Ok(None) };
        // Expanded objects have a handful of entries: one scan beats hashing each keyword.
        for (key, value) in map {
            match key.as_str() {
                "@list" => return self.list(as_slice(value), graph),
                "@value" => return self.literal(map),
                _ => {}
            }
        }
        self.node(map, graph)
    }

    /// List Conversion (§8.3).
    fn list(&mut self, items: &'e [Value], graph: Option<&S::Term>) -> Result<Option<S::Term>, JsonLdError> {
        if items.is_empty() {
            return Ok(Some(self.sink.iri(RDF_NIL)));
        }
        let heads: Vec<S::Term> = (0..items.len()).map(|_| self.fresh()).collect();
        let (first, rest) = (self.sink.iri(RDF_FIRST), self.sink.iri(RDF_REST));
        let nil = self.sink.iri(RDF_NIL);
        for (i, item) in items.iter().enumerate() {
            let head = heads[i].clone();
            if let Some(object) = self.object(item, graph)? {
                self.sink.quad(head.clone(), first.clone(), object, graph);
            }
            let next = heads.get(i + 1).cloned().unwrap_or_else(|| nil.clone());
            self.sink.quad(head, rest.clone(), next, graph);
        }
        Ok(Some(heads[0].clone()))
    }

    fn literal(&mut self, map: &Map<String, Value>) -> Result<Option<S::Term>, JsonLdError> {
        let mut literal = ValueObject { value: &Value::Null, datatype: None, language: None, direction: None };
        for (key, entry) in map {
            match key.as_str() {
                "@value" => literal.value = entry,
                "@type" => literal.datatype = entry.as_str(),
                "@language" => literal.language = entry.as_str(),
                "@direction" => literal.direction = entry.as_str(),
                _ => {}
            }
        }
        literal.to_term(&mut self.sink, self.safe, self.direction)
    }
}

/// The parts of an expanded value object that make its literal.
pub(super) struct ValueObject<'v> {
    pub value: &'v Value,
    pub datatype: Option<&'v str>,
    pub language: Option<&'v str>,
    pub direction: Option<&'v str>,
}

impl ValueObject<'_> {
    /// Object to RDF (§8.2) for a value object: its literal, `None` when it is dropped (an error
    /// instead in safe mode, except for a value that is not a scalar).
    pub(super) fn to_term<S: Sink>(
        &self,
        sink: &mut S,
        safe: bool,
        rdf_direction: RdfDirection,
    ) -> Result<Option<S::Term>, JsonLdError> {
        let (value, datatype) = (self.value, self.datatype);
        if datatype == Some("@json") {
            return Ok(Some(sink.typed(&crate::jcs::canonicalize(value), RDF_JSON)));
        }
        if let Some(dt) = datatype {
            if !is_absolute_iri(dt) {
                if safe {
                    return Err(JsonLdError::Dropped { what: "relative type reference", detail: dt.to_owned() });
                }
                return Ok(None);
            }
        }
        let term = match value {
            Value::Bool(b) => sink.typed(if *b { "true" } else { "false" }, datatype.unwrap_or(XSD_BOOLEAN)),
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                let integral = n.is_i64() || n.is_u64() || (f.fract() == 0.0 && f.abs() < 1e21);
                if !integral || datatype == Some(XSD_DOUBLE) {
                    sink.typed(&canonical_double(f), datatype.unwrap_or(XSD_DOUBLE))
                } else {
                    let lexical = if let Some(i) = n.as_i64() {
                        i.to_string()
                    } else if let Some(u) = n.as_u64() {
                        u.to_string()
                    } else {
                        // `+ 0.0` turns -0 into 0, as JavaScript's number formatting does.
                        format!("{:.0}", f + 0.0)
                    };
                    sink.typed(&lexical, datatype.unwrap_or(XSD_INTEGER))
                }
            }
            Value::String(s) => {
                if let Some(direction) = self.direction {
                    match rdf_direction {
                        RdfDirection::I18nDatatype => {
                            let language = self.language.unwrap_or_default();
                            let datatype = format!("https://www.w3.org/ns/i18n#{language}_{direction}");
                            return Ok(Some(sink.typed(s, &datatype)));
                        }
                        RdfDirection::Drop if safe => {
                            return Err(JsonLdError::Dropped { what: "rdfDirection not set", detail: s.clone() });
                        }
                        RdfDirection::Drop => {}
                    }
                }
                match (self.language, datatype) {
                    // §8.2 step 13: an ill-formed language tag drops the literal (safe mode: refuses).
                    (Some(lang), _) if !is_bcp47(lang) => {
                        if safe {
                            return Err(JsonLdError::Dropped {
                                what: "invalid @language value",
                                detail: lang.to_owned(),
                            });
                        }
                        return Ok(None);
                    }
                    (Some(lang), _) => sink.lang(s, lang),
                    (None, Some(dt)) => sink.typed(s, dt),
                    (None, None) => sink.typed(s, XSD_STRING),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(term))
    }
}

const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// The canonical `xsd:double` lexical form JSON-LD prescribes (§8.6): one digit, a point, at least
/// one more digit, `E`, the exponent; e.g. `3.5E0`, `1.0E21`, `-1.25E-7`. This is what jsonld.js
/// writes with `toExponential(15)` and trailing zeros removed.
pub fn canonical_double(value: f64) -> String {
    let formatted = format!("{value:.15e}");
    let (mantissa, exponent) = formatted.split_once('e').expect("exponential format has an e");
    let mantissa = match mantissa.split_once('.') {
        Some((int, frac)) => {
            let trimmed = frac.trim_end_matches('0');
            format!("{int}.{}", if trimmed.is_empty() { "0" } else { trimmed })
        }
        None => format!("{mantissa}.0"),
    };
    format!("{mantissa}E{exponent}")
}

fn is_node(map: &Map<String, Value>) -> bool {
    !map.keys().any(|k| matches!(k.as_str(), "@value" | "@list" | "@set"))
}

fn as_slice(v: &Value) -> &[Value] {
    match v {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

// Keep the namespace constants referenced so a reader sees where the IRIs come from.
const _: (&str, &str) = (RDF, XSD);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_doubles_match_jsonld_js() {
        assert_eq!(canonical_double(3.5), "3.5E0");
        assert_eq!(canonical_double(1.0), "1.0E0");
        assert_eq!(canonical_double(1.1), "1.1E0");
        assert_eq!(canonical_double(-0.000000125), "-1.25E-7");
        assert_eq!(canonical_double(1e21), "1.0E21");
        assert_eq!(canonical_double(123456.789), "1.23456789E5");
        assert_eq!(canonical_double(0.1 + 0.2), "3.0E-1");
    }
}
