//! The direct route from a credential to its dataset: Expansion
//! ([JSON-LD 1.1 API §5.1.2](https://www.w3.org/TR/json-ld11-api/#algorithm-3), with Value
//! Expansion, §5.3) and Deserialize JSON-LD to RDF (§8.1, with Object to RDF, §8.2) in one walk
//! of the document, with no expanded JSON in between.
//!
//! Building the expanded form (a `serde_json` map per node and per value) and walking it again
//! was most of the cost of a signature (BENCHMARKS.md, stop 10). This walk covers what
//! credentials are made of:
//! - node objects with `@id`, `@type` and properties, under the document's contexts and the
//!   property- and type-scoped contexts they define (the reverting of type-scoped contexts,
//!   §5.1.2 step 7, included);
//! - property values that are strings, numbers, booleans, node objects, arrays of those, list
//!   containers (`allowedValue`) and graph containers (`proof`, `verifiableCredential`);
//! - type coercion to `@id`, `@vocab` or a datatype, and default or term languages.
//!
//! Anything else ends the walk with `None`: value, list or set objects written out, `@reverse`,
//! `@nest`, `@included`, `@graph` as a key, `@index`, language, index, id and type containers,
//! `@json`, base directions, `null`, nested arrays, blank node identifiers, a type-scoped context
//! that changes which keys name the types, and every input the general path would refuse or
//! drop. [`super::Processor::to_dataset`] then runs the general path (expansion, then
//! [`super::to_rdf`]), so errors, and everything outside this subset, come from one place and
//! stay exactly as they were.
//!
//! Where this walk answers, its dataset is the general path's up to blank node labels. The W3C
//! expand and toRdf suites (every input, in safe mode: `check_direct_walk` in
//! `core/tests/conformance/jsonld.rs`) and the fixtures check that, and that it never answers
//! where the general path refuses.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::context::{is_keyword, ActiveContext, Container, ProcessFlags, TermDefinition};
use super::expand::{scalar_tags, NodeContexts, ScalarTags};
use super::iri::{is_absolute_iri, looks_like_keyword};
use super::to_rdf::{ValueObject, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE};
use super::Processor;
use crate::dataset::{Dataset, Part};
use crate::hash::FastMap;

/// The dataset of `document`, or `None` when the document leaves the subset this walk covers
/// (see the module docs). Only for safe mode. `omit` names a top-level entry to read the
/// document without (a secured document's `proof`), as if it were absent.
pub(super) fn to_dataset(
    processor: &Processor<'_>,
    active: &Arc<ActiveContext>,
    document: &Map<String, Value>,
    omit: Option<&str>,
) -> Option<Dataset> {
    debug_assert!(processor.options.safe, "the direct walk mirrors safe mode only");
    // Room for a large credential's quads: growing the dataset's tables was 4% of the walk.
    let term_iris = FastMap::with_capacity_and_hasher(64, Default::default());
    let mut walk = Walk { processor, data: Dataset::with_capacity(256), rdf_type: None, omit, term_iris };
    walk.node(active, None, document, Part::Default)?;
    Some(walk.data)
}

/// A property's key and its definition in the node's active context, looked up once.
#[derive(Clone, Copy)]
struct Term<'a> {
    key: &'a str,
    def: Option<&'a Arc<TermDefinition>>,
}

struct Walk<'p, 'l> {
    processor: &'p Processor<'l>,
    data: Dataset,
    /// The `rdf:type` predicate, written once.
    rdf_type: Option<Part>,
    /// The top-level entry to leave out.
    omit: Option<&'p str>,
    /// Term definition address → the definition and the part of its IRI ([`Walk::term_iri`]).
    term_iris: FastMap<usize, (Arc<TermDefinition>, Option<Part>)>,
}

impl Walk<'_, '_> {
    /// §5.1.2 for a node object under `active_property` (`None` at the top), emitting its
    /// statements into `graph`; returns its subject.
    fn node(
        &mut self,
        active: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &Map<String, Value>,
        graph: Part,
    ) -> Option<Part> {
        let processor = self.processor;
        let omit = if active_property.is_none() { self.omit } else { None };
        let present = |key: &&String| Some(key.as_str()) != omit;
        // Steps 7 to 11, taken exactly as expansion takes them. Where expansion would go on to
        // refuse (a value object, a @type that is not strings), the steps below give up.
        let base = processor.options.base.as_deref();
        let NodeContexts { active, type_scoped, type_keys } =
            processor.node_contexts(active, active_property, element, omit, base, false).ok()?;

        // Step 13, in two passes: the subject first, since statements need it.
        let mut id = None;
        // The keys that were `@type` before the type-scoped contexts must still be, and be all of
        // them, or expansion would read types and properties differently from this walk. Keys
        // are distinct, so counting the ones found among `type_keys` checks that.
        let mut types_found = 0;
        let mut properties = Vec::with_capacity(element.len());
        for (key, value) in element {
            if key == "@context" || !present(&key) {
                continue;
            }
            // One lookup of the key's definition serves its expansion and its values.
            let (def, expanded) = if is_keyword(key) {
                (None, Cow::Borrowed(key.as_str()))
            } else if looks_like_keyword(key) {
                return None;
            } else {
                let def = active.terms.get(key.as_str());
                (def, processor.expand_term(&active, key, def.map(Arc::as_ref), false, true)?)
            };
            match expanded.as_ref() {
                "@id" if id.is_none() => id = Some(value.as_str()?),
                "@type" if type_keys.iter().any(|&(k, _)| k == key) => types_found += 1,
                "@type" => return None,
                k if is_keyword(k) => return None,
                // A defined term expands to its IRI mapping (`expand_term` with `vocab`).
                iri => {
                    let predicate = match def {
                        Some(def) => self.term_iri(def)?,
                        None if is_absolute_iri(iri) => self.data.iri(iri),
                        None => return None,
                    };
                    properties.push((key.as_str(), def, predicate, value));
                }
            }
        }
        if types_found != type_keys.len() {
            return None;
        }
        // A top-level object with nothing but an @id (or nothing) is dropped (step 19), which
        // safe mode refuses.
        if active_property.is_none() && properties.is_empty() && type_keys.is_empty() {
            return None;
        }
        let subject = match id {
            Some(id) => {
                let iri = processor.expand_iri(&active, id, true, false).ok()??;
                if !is_absolute_iri(&iri) {
                    return None;
                }
                self.data.iri(&iri)
            }
            None => self.data.blank(),
        };
        for (_, value) in type_keys {
            let types = match value {
                Value::Array(items) => items.as_slice(),
                single => std::slice::from_ref(single),
            };
            for t in types {
                let t = t.as_str()?;
                let object = match type_scoped.terms.get(t) {
                    // A defined type expands to its IRI mapping (a keyword is not absolute);
                    // one mapped to null is left out, below.
                    Some(def) if def.iri.is_some() => self.term_iri(def)?,
                    _ => {
                        let Some(iri) = processor.expand_iri(&type_scoped, t, true, true).ok()? else { continue };
                        if !is_absolute_iri(&iri) {
                            return None;
                        }
                        self.data.iri(&iri)
                    }
                };
                let predicate = *self.rdf_type.get_or_insert_with(|| self.data.iri(RDF_TYPE));
                self.data.push(subject, predicate, object, graph);
            }
        }
        for (key, def, predicate, value) in properties {
            self.property(&active, subject, Term { key, def }, predicate, value, graph)?;
        }
        Some(subject)
    }

    /// The part of the IRI mapping of term definition `def`, or `None` if that is not an
    /// absolute IRI. Predicates and types repeat throughout a credential, so each definition's
    /// IRI is checked and written once per walk, found again by the definition's address (which
    /// the entry's clone of the definition keeps from being reused meanwhile).
    fn term_iri(&mut self, def: &Arc<TermDefinition>) -> Option<Part> {
        let key = Arc::as_ptr(def) as usize;
        if let Some(&(_, part)) = self.term_iris.get(&key) {
            return part;
        }
        let part = def.iri.as_deref().filter(|iri| is_absolute_iri(iri)).map(|iri| self.data.iri(iri));
        self.term_iris.insert(key, (def.clone(), part));
        part
    }

    /// One property of a node (§5.1.2 step 13.7 onwards, and §8.2 for its values).
    fn property(
        &mut self,
        active: &Arc<ActiveContext>,
        subject: Part,
        term: Term<'_>,
        predicate: Part,
        value: &Value,
        graph: Part,
    ) -> Option<()> {
        let def = term.def;
        let container = def.map(|d| d.container).unwrap_or_default();
        let unsupported = Container::LANGUAGE | Container::INDEX | Container::ID | Container::TYPE;
        if container.has(unsupported) || def.is_some_and(|d| d.reverse || d.type_mapping.as_deref() == Some("@json")) {
            return None;
        }
        let (in_graph, in_list) = (container.has(Container::GRAPH), container.has(Container::LIST));
        if in_graph && in_list {
            return None;
        }
        let items = match value {
            Value::Array(items) => items.as_slice(),
            single => std::slice::from_ref(single),
        };
        if in_list {
            // A list container makes the values one list (§5.1.2 step 13.9), converted by List
            // Conversion (§8.3): a chain of blank nodes through rdf:first and rdf:rest.
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(self.value(active, term, item, false, graph)?);
            }
            let nil = self.data.iri(RDF_NIL);
            let mut head = nil;
            if !values.is_empty() {
                let (first, rest) = (self.data.iri(RDF_FIRST), self.data.iri(RDF_REST));
                let cells: Vec<Part> = values.iter().map(|_| self.data.blank()).collect();
                for (i, (&cell, &value)) in cells.iter().zip(&values).enumerate() {
                    self.data.push(cell, first, value, graph);
                    self.data.push(cell, rest, cells.get(i + 1).copied().unwrap_or(nil), graph);
                }
                head = cells[0];
            }
            self.data.push(subject, predicate, head, graph);
            return Some(());
        }
        for item in items {
            let object = self.value(active, term, item, in_graph, graph)?;
            self.data.push(subject, predicate, object, graph);
        }
        Some(())
    }

    /// One value of property `term`, as the term the property's statement takes.
    fn value(
        &mut self,
        active: &Arc<ActiveContext>,
        term: Term<'_>,
        item: &Value,
        in_graph: bool,
        graph: Part,
    ) -> Option<Part> {
        match item {
            Value::Null | Value::Array(_) => None,
            // A graph container holds each node in a graph of its own, named by a blank node that
            // is the property's value.
            Value::Object(node) if in_graph => {
                let name = self.data.blank();
                self.node(active, Some(term.key), node, name)?;
                Some(name)
            }
            Value::Object(node) => self.node(active, Some(term.key), node, graph),
            _ if in_graph => None,
            scalar => self.scalar(active, term, scalar),
        }
    }

    /// A scalar value of property `term`: Value Expansion (§5.3) under the property's scoped
    /// context, then Object to RDF (§8.2).
    fn scalar(&mut self, active: &Arc<ActiveContext>, term: Term<'_>, value: &Value) -> Option<Part> {
        let processor = self.processor;
        // Under its own scoped context the property may be defined anew; without one, its
        // definition is the one already in hand.
        let scoped;
        let (active, def) = match term.def {
            Some(def) if def.context.is_some() => {
                scoped = processor.process_scoped(active, def, ProcessFlags::default()).ok()?;
                (&scoped, scoped.term(term.key))
            }
            def => (active, def.map(Arc::as_ref)),
        };
        let type_mapping = def.and_then(|d| d.type_mapping.as_deref());
        if let (Some(mapping @ ("@id" | "@vocab")), Value::String(s)) = (type_mapping, value) {
            let iri = processor.expand_iri(active, s, true, mapping == "@vocab").ok()??;
            return is_absolute_iri(&iri).then(|| self.data.iri(&iri));
        }
        let ScalarTags { datatype, language, direction } = scalar_tags(active, def, value);
        if direction.is_some() {
            return None;
        }
        let literal = ValueObject { value, datatype, language, direction: None };
        literal.to_term(&mut self.data, true, processor.options.rdf_direction).ok()?
    }
}
