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
use crate::hash::{FastMap, FastSet};
use crate::rdf::{Literal, Quad, Term, RDF, XSD};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";

/// Converts expanded JSON-LD to quads, in document order, without duplicates.
pub(super) fn to_rdf(expanded: &[Value], safe: bool, direction: RdfDirection) -> Result<Vec<Quad>, JsonLdError> {
    let mut writer = Writer { quads: Vec::new(), labels: FastMap::default(), counter: 0, safe, direction };
    for element in expanded {
        if let Value::Object(node) = element {
            if is_node(node) {
                writer.node(node, None)?;
            }
        }
    }
    // Which quads are first occurrences, found by reference so that no quad is cloned.
    let keep: Vec<bool> = {
        let mut seen = FastSet::with_capacity_and_hasher(writer.quads.len(), Default::default());
        writer.quads.iter().map(|q| seen.insert(q)).collect()
    };
    let mut keep = keep.into_iter();
    writer.quads.retain(|_| keep.next().unwrap_or(true));
    Ok(writer.quads)
}

struct Writer {
    quads: Vec<Quad>,
    /// Input blank node label → our label, so that labels in the input never collide with fresh ones.
    labels: FastMap<String, String>,
    counter: usize,
    safe: bool,
    direction: RdfDirection,
}

impl Writer {
    fn fresh(&mut self) -> Term {
        let label = format!("b{}", self.counter);
        self.counter += 1;
        Term::Blank(label)
    }

    fn blank(&mut self, input: &str) -> Term {
        if let Some(label) = self.labels.get(input) {
            return Term::Blank(label.clone());
        }
        let Term::Blank(label) = self.fresh() else { unreachable!("fresh returns a blank node") };
        self.labels.insert(input.to_owned(), label.clone());
        Term::Blank(label)
    }

    /// An IRI or blank node reference, or `None` (dropped) when it is relative.
    fn reference(&mut self, id: &str, what: &'static str) -> Result<Option<Term>, JsonLdError> {
        if is_blank(id) {
            return Ok(Some(self.blank(id)));
        }
        if is_absolute_iri(id) {
            return Ok(Some(Term::Iri(id.to_owned())));
        }
        if self.safe {
            return Err(JsonLdError::Dropped { what, detail: id.to_owned() });
        }
        Ok(None)
    }

    /// Emits the statements of a node object (and of everything nested in it); returns its subject.
    fn node(&mut self, node: &Map<String, Value>, graph: Option<&Term>) -> Result<Option<Term>, JsonLdError> {
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
                    for t in as_slice(values) {
                        let Some(t) = t.as_str() else { continue };
                        if let Some(object) = self.reference(t, "relative type reference")? {
                            self.emit(subject.clone(), RDF_TYPE, object, graph);
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
                                    self.emit(source, &predicate, subject.clone(), graph);
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
                            self.emit(subject.clone(), &predicate, object, graph);
                        }
                    }
                }
            }
        }
        Ok(Some(subject))
    }

    fn predicate(&mut self, iri: &str) -> Result<Option<String>, JsonLdError> {
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
        Ok(Some(iri.to_owned()))
    }

    fn emit(&mut self, subject: Term, predicate: &str, object: Term, graph: Option<&Term>) {
        self.quads.push(Quad { subject, predicate: Term::Iri(predicate.to_owned()), object, graph: graph.cloned() });
    }

    /// Object to RDF (§8.2): the term for `item`, emitting the statements of nested nodes and lists.
    fn object(&mut self, item: &Value, graph: Option<&Term>) -> Result<Option<Term>, JsonLdError> {
        let Value::Object(map) = item else { return Ok(None) };
        if let Some(list) = map.get("@list") {
            return self.list(as_slice(list), graph);
        }
        if map.contains_key("@value") {
            return self.literal(map);
        }
        self.node(map, graph)
    }

    /// List Conversion (§8.3).
    fn list(&mut self, items: &[Value], graph: Option<&Term>) -> Result<Option<Term>, JsonLdError> {
        if items.is_empty() {
            return Ok(Some(Term::Iri(RDF_NIL.to_owned())));
        }
        let heads: Vec<Term> = (0..items.len()).map(|_| self.fresh()).collect();
        for (i, item) in items.iter().enumerate() {
            let head = heads[i].clone();
            if let Some(object) = self.object(item, graph)? {
                self.emit(head.clone(), RDF_FIRST, object, graph);
            }
            let rest = heads.get(i + 1).cloned().unwrap_or_else(|| Term::Iri(RDF_NIL.to_owned()));
            self.emit(head, RDF_REST, rest, graph);
        }
        Ok(Some(heads[0].clone()))
    }

    fn literal(&mut self, map: &Map<String, Value>) -> Result<Option<Term>, JsonLdError> {
        let value = &map["@value"];
        let datatype = map.get("@type").and_then(Value::as_str);
        if datatype == Some("@json") {
            return Ok(Some(Term::Literal(Literal::typed(crate::jcs::canonicalize(value), RDF_JSON))));
        }
        if let Some(dt) = datatype {
            if !is_absolute_iri(dt) {
                if self.safe {
                    return Err(JsonLdError::Dropped { what: "relative type reference", detail: dt.to_owned() });
                }
                return Ok(None);
            }
        }
        let literal = match value {
            Value::Bool(b) => Literal::typed(b.to_string(), datatype.unwrap_or(XSD_BOOLEAN)),
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                let integral = n.is_i64() || n.is_u64() || (f.fract() == 0.0 && f.abs() < 1e21);
                if !integral || datatype == Some(XSD_DOUBLE) {
                    Literal::typed(canonical_double(f), datatype.unwrap_or(XSD_DOUBLE))
                } else {
                    let lexical = if let Some(i) = n.as_i64() {
                        i.to_string()
                    } else if let Some(u) = n.as_u64() {
                        u.to_string()
                    } else {
                        // `+ 0.0` turns -0 into 0, as JavaScript's number formatting does.
                        format!("{:.0}", f + 0.0)
                    };
                    Literal::typed(lexical, datatype.unwrap_or(XSD_INTEGER))
                }
            }
            Value::String(s) => {
                if let Some(direction) = map.get("@direction").and_then(Value::as_str) {
                    match self.direction {
                        RdfDirection::I18nDatatype => {
                            let language = map.get("@language").and_then(Value::as_str).unwrap_or_default();
                            let datatype = format!("https://www.w3.org/ns/i18n#{language}_{direction}");
                            return Ok(Some(Term::Literal(Literal::typed(s.clone(), datatype))));
                        }
                        RdfDirection::Drop if self.safe => {
                            return Err(JsonLdError::Dropped { what: "rdfDirection not set", detail: s.clone() });
                        }
                        RdfDirection::Drop => {}
                    }
                }
                match (map.get("@language").and_then(Value::as_str), datatype) {
                    // §8.2 step 13: an ill-formed language tag drops the literal (safe mode: refuses).
                    (Some(lang), _) if !is_bcp47(lang) => {
                        if self.safe {
                            return Err(JsonLdError::Dropped {
                                what: "invalid @language value",
                                detail: lang.to_owned(),
                            });
                        }
                        return Ok(None);
                    }
                    (Some(lang), _) => Literal::lang(s.clone(), lang),
                    (None, Some(dt)) => Literal::typed(s.clone(), dt),
                    (None, None) => Literal::string(s.clone()),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Term::Literal(literal)))
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
    !map.contains_key("@value") && !map.contains_key("@list") && !map.contains_key("@set")
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
