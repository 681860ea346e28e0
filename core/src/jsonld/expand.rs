//! The Expansion Algorithm, [JSON-LD 1.1 API §5.1](https://www.w3.org/TR/json-ld11-api/#expansion-algorithm),
//! and Value Expansion, §5.3.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::context::{is_keyword, ActiveContext, Container, Direction, ProcessFlags, TermDefinition};
use super::iri::{is_absolute_iri, is_blank};
use super::{ErrorCode, JsonLdError, Processor};

impl Processor<'_> {
    /// Expands a whole document: §5.1.2, then the post-processing of §5.1.1 (unwrap a lone
    /// top-level `@graph`, always return an array).
    pub(super) fn expand_document(
        &self,
        active: &Arc<ActiveContext>,
        document: &Value,
    ) -> Result<Vec<Value>, JsonLdError> {
        let base = self.options.base.clone();
        let expanded = self.expand_element(active, None, document, base.as_deref(), false)?;
        Ok(match expanded {
            None => Vec::new(),
            Some(Value::Object(mut map)) if map.len() == 1 && map.contains_key("@graph") => {
                match map.remove("@graph") {
                    Some(Value::Array(items)) => items,
                    Some(other) => vec![other],
                    None => Vec::new(),
                }
            }
            Some(Value::Array(items)) => items,
            Some(other) => vec![other],
        })
    }

    fn expand_element(
        &self,
        active: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &Value,
        base_url: Option<&str>,
        from_map: bool,
    ) -> Result<Option<Value>, JsonLdError> {
        let property_def = active_property.and_then(|p| active.term(p));
        match element {
            Value::Null => Ok(None),
            Value::Array(items) => {
                let is_list = property_def.is_some_and(|d| d.container.has(Container::LIST));
                let mut result = Vec::with_capacity(items.len());
                for item in items {
                    let expanded = self.expand_element(active, active_property, item, base_url, from_map)?;
                    match expanded {
                        Some(Value::Array(inner)) if is_list => {
                            result.push(Value::Object(Map::from_iter([("@list".to_owned(), Value::Array(inner))])));
                        }
                        Some(Value::Array(inner)) => result.extend(inner),
                        Some(v) => result.push(v),
                        None => {}
                    }
                }
                Ok(Some(Value::Array(result)))
            }
            Value::Object(map) => self.expand_object(active, active_property, map, base_url, from_map),
            scalar => {
                if matches!(active_property, None | Some("@graph")) {
                    if self.options.safe {
                        return Err(dropped("free-floating scalar", scalar.to_string()));
                    }
                    return Ok(None);
                }
                let active = match active_property.and_then(|p| active.scoped_term(p)) {
                    Some(def) => self.process_scoped(active, &def, ProcessFlags::default())?,
                    None => active.clone(),
                };
                Ok(Some(self.expand_value(&active, active_property, scalar)?))
            }
        }
    }

    fn expand_object(
        &self,
        active: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &Map<String, Value>,
        base_url: Option<&str>,
        from_map: bool,
    ) -> Result<Option<Value>, JsonLdError> {
        let NodeContexts { active, type_scoped, type_keys } =
            self.node_contexts(active, active_property, element, None, base_url, from_map)?;
        // The last type of the first type key, for type maps (§5.1.2 step 11).
        let input_type = match type_keys.first().map(|&(_, value)| value) {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).next_back(),
            _ => None,
        };
        let input_type = match input_type {
            Some(last) => self.expand_iri(&type_scoped, last, false, true)?.map(Cow::into_owned),
            None => None,
        };
        let mut result = Map::new();
        self.expand_entries(
            &active,
            &type_scoped,
            active_property,
            element,
            &mut result,
            base_url,
            input_type.as_deref(),
        )?;
        self.finish_object(result, active_property)
    }

    /// §5.1.2 steps 7 to 11 for the node object `element` under `active_property`: the contexts
    /// its entries and its types expand with, and its type keys. An entry named `omit` (a
    /// top-level entry read as absent) takes no part. Expansion and the direct walk
    /// ([`super::direct`]) both take these steps here.
    pub(super) fn node_contexts<'e>(
        &self,
        active: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &'e Map<String, Value>,
        omit: Option<&str>,
        base_url: Option<&str>,
        from_map: bool,
    ) -> Result<NodeContexts<'e>, JsonLdError> {
        let present = |key: &&String| Some(key.as_str()) != omit;
        let mut active = active.clone();
        let property_scoped = active_property.and_then(|p| active.scoped_term(p));
        // §5.1.2 step 7: a type-scoped context does not reach into nested node objects.
        if let Some(previous) = active.previous.clone() {
            if !from_map {
                let mut has_value = false;
                let mut only_id = element.keys().filter(present).count() == 1;
                for key in element.keys().filter(present) {
                    match self.keyword_of(&active, key).as_deref() {
                        Some("@value") => has_value = true,
                        Some("@id") => {}
                        _ => only_id = false,
                    }
                }
                if !has_value && !only_id {
                    active = previous;
                }
            }
        }
        if let Some(def) = property_scoped {
            let flags = ProcessFlags { override_protected: true, ..ProcessFlags::default() };
            active = self.process_scoped(&active, &def, flags)?;
        }
        // Node objects have a handful of entries: a scan beats hashing the key (indexmap's
        // SipHash), here and for the type keys' values below.
        let embedded = element.iter().find(|(key, _)| *key == "@context" && omit != Some("@context"));
        if let Some((_, ctx)) = embedded {
            active = self.process_context(&active, ctx, base_url, ProcessFlags::default())?;
        }
        let type_scoped = active.clone();
        let mut type_keys: Vec<(&String, &Value)> = Vec::new();
        for (key, value) in element.iter().filter(|(key, _)| present(key)) {
            if self.keyword_of(&active, key).as_deref() == Some("@type") {
                type_keys.push((key, value));
            }
        }
        type_keys.sort_by_key(|&(key, _)| key);
        let flags = ProcessFlags { propagate: false, ..ProcessFlags::default() };
        for &(_, value) in &type_keys {
            let mut apply = |term: &str| match type_scoped.scoped_term(term) {
                Some(def) => self.process_scoped(&active, &def, flags).map(|scoped| active = scoped),
                None => Ok(()),
            };
            match value {
                Value::String(term) => apply(term)?,
                Value::Array(items) => {
                    let mut terms: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                    terms.sort_unstable();
                    for term in terms {
                        apply(term)?;
                    }
                }
                _ => {}
            }
        }
        Ok(NodeContexts { active, type_scoped, type_keys })
    }

    /// §5.1.2 steps 15 to 20: check and normalise the expanded object.
    fn finish_object(
        &self,
        mut result: Map<String, Value>,
        active_property: Option<&str>,
    ) -> Result<Option<Value>, JsonLdError> {
        if result.contains_key("@value") {
            for key in result.keys() {
                if !matches!(key.as_str(), "@direction" | "@index" | "@language" | "@type" | "@value") {
                    return Err(syntax(ErrorCode::InvalidValueObject, format!("a value object cannot have {key}")));
                }
            }
            if result.contains_key("@type") && (result.contains_key("@language") || result.contains_key("@direction")) {
                return Err(syntax(
                    ErrorCode::InvalidValueObject,
                    "a value object cannot have both @type and @language",
                ));
            }
            let is_json = result.get("@type").and_then(Value::as_str) == Some("@json");
            if !is_json {
                match &result["@value"] {
                    Value::Null => return Ok(None),
                    v if !v.is_string() && result.contains_key("@language") => {
                        return Err(syntax(
                            ErrorCode::InvalidLanguageTaggedValue,
                            format!("{v} cannot have a language"),
                        ));
                    }
                    _ => {}
                }
                if let Some(t) = result.get("@type") {
                    match t.as_str() {
                        Some(t) if is_absolute_iri(t) && !is_blank(t) => {}
                        _ => return Err(syntax(ErrorCode::InvalidTypedValue, format!("invalid @type {t} of a value"))),
                    }
                }
            }
        } else if let Some(t) = result.get_mut("@type") {
            if !t.is_array() {
                *t = Value::Array(vec![t.take()]);
            }
        } else if result.contains_key("@set") || result.contains_key("@list") {
            if result.len() > 2 || result.len() == 2 && !result.contains_key("@index") {
                return Err(syntax(ErrorCode::InvalidSetOrListObject, "@set and @list objects may only add @index"));
            }
            if let Some(set) = result.remove("@set") {
                return Ok(Some(set));
            }
        }
        if result.len() == 1 && result.contains_key("@language") {
            if self.options.safe {
                return Err(dropped("object with only @language", Value::Object(result).to_string()));
            }
            return Ok(None);
        }
        if matches!(active_property, None | Some("@graph")) {
            let drop_reason = if result.is_empty() {
                Some("empty object")
            } else if result.contains_key("@value") {
                Some("free-floating scalar")
            } else if result.contains_key("@list") {
                Some("object with only @list")
            } else if result.len() == 1 && result.contains_key("@id") {
                Some("object with only @id")
            } else {
                None
            };
            if let Some(reason) = drop_reason {
                if self.options.safe {
                    return Err(dropped(reason, Value::Object(result).to_string()));
                }
                return Ok(None);
            }
        }
        Ok(Some(Value::Object(result)))
    }

    /// §5.1.2 step 13, for the entries of one object (the element itself, or a nested object).
    #[allow(clippy::too_many_arguments)]
    fn expand_entries(
        &self,
        active: &Arc<ActiveContext>,
        type_scoped: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &Map<String, Value>,
        result: &mut Map<String, Value>,
        base_url: Option<&str>,
        input_type: Option<&str>,
    ) -> Result<(), JsonLdError> {
        let mut nests: Vec<String> = Vec::new();
        let mut keys: Vec<&String> = element.keys().collect();
        keys.sort();
        for key in keys {
            let value = &element[key.as_str()];
            if key == "@context" {
                continue;
            }
            let expanded_property = self.expand_iri(active, key, false, true)?;
            let expanded_property = match expanded_property {
                Some(p) if is_keyword(&p) => p,
                Some(p) if (self.options.safe && is_absolute_iri(&p)) || (!self.options.safe && p.contains(':')) => p,
                _ => {
                    if self.options.safe {
                        return Err(JsonLdError::UndefinedTerm { term: key.clone() });
                    }
                    continue;
                }
            };
            if is_keyword(&expanded_property) {
                self.expand_keyword_entry(
                    active,
                    type_scoped,
                    active_property,
                    key,
                    &expanded_property,
                    value,
                    result,
                    base_url,
                    input_type,
                    &mut nests,
                )?;
                continue;
            }
            let def = active.term(key);
            let container = def.map(|d| d.container).unwrap_or_default();
            let mut expanded_value: Value = if def.and_then(|d| d.type_mapping.as_deref()) == Some("@json") {
                Value::Object(Map::from_iter([
                    ("@value".to_owned(), value.clone()),
                    ("@type".to_owned(), Value::String("@json".to_owned())),
                ]))
            } else if container.has(Container::LANGUAGE) && value.is_object() {
                self.expand_language_map(active, key, value)?
            } else if (container.has(Container::INDEX)
                || container.has(Container::TYPE)
                || container.has(Container::ID))
                && value.is_object()
            {
                self.expand_index_map(active, key, value, base_url)?
            } else {
                match self.expand_element(active, Some(key), value, base_url, false)? {
                    Some(v) => v,
                    None => continue,
                }
            };
            if container.has(Container::LIST) && !is_list_object(&expanded_value) {
                expanded_value = Value::Object(Map::from_iter([("@list".to_owned(), into_array(expanded_value))]));
            }
            if container.has(Container::GRAPH) && !container.has(Container::ID) && !container.has(Container::INDEX) {
                let items = into_array(expanded_value);
                let wrapped = match items {
                    Value::Array(items) => items
                        .into_iter()
                        .map(|ev| Value::Object(Map::from_iter([("@graph".to_owned(), into_array(ev))])))
                        .collect(),
                    other => vec![other],
                };
                expanded_value = Value::Array(wrapped);
            }
            if def.is_some_and(|d| d.reverse) {
                let reverse = result
                    .entry("@reverse")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("@reverse entries are always objects");
                let Value::Array(items) = into_array(expanded_value) else {
                    unreachable!("into_array returns an array")
                };
                for item in items {
                    if item.get("@value").is_some() || item.get("@list").is_some() {
                        return Err(syntax(
                            ErrorCode::InvalidReversePropertyValue,
                            format!("{key} holds a value or list"),
                        ));
                    }
                    add_value(reverse, &expanded_property, item);
                }
            } else {
                match expanded_value {
                    Value::Array(items) => {
                        let slot = result.entry(expanded_property).or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(existing) = slot {
                            existing.extend(items);
                        }
                    }
                    single => add_value(result, &expanded_property, single),
                }
            }
        }
        // §5.1.2 step 14: nested properties are expanded as if they were the element's own.
        nests.sort();
        for nesting_key in nests {
            let values: Vec<&Value> = match &element[nesting_key.as_str()] {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            // Steps 14.2.2, 3 and 8: the nesting key's own scoped context applies to its contents.
            let nest_active = match active.scoped_term(&nesting_key) {
                Some(def) => {
                    let flags = ProcessFlags { override_protected: true, ..ProcessFlags::default() };
                    self.process_scoped(active, &def, flags)?
                }
                None => active.clone(),
            };
            for nested in values {
                let Value::Object(nested) = nested else {
                    return Err(syntax(ErrorCode::InvalidNestValue, format!("{nesting_key} must hold objects")));
                };
                for key in nested.keys() {
                    if self.expand_iri(&nest_active, key, false, true)?.as_deref() == Some("@value") {
                        return Err(syntax(ErrorCode::InvalidNestValue, "a nested object cannot be a value object"));
                    }
                }
                self.expand_entries(
                    &nest_active,
                    type_scoped,
                    Some(&nesting_key),
                    nested,
                    result,
                    base_url,
                    input_type,
                )?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_keyword_entry(
        &self,
        active: &Arc<ActiveContext>,
        type_scoped: &Arc<ActiveContext>,
        active_property: Option<&str>,
        key: &str,
        expanded_property: &str,
        value: &Value,
        result: &mut Map<String, Value>,
        base_url: Option<&str>,
        input_type: Option<&str>,
        nests: &mut Vec<String>,
    ) -> Result<(), JsonLdError> {
        if active_property == Some("@reverse") {
            return Err(syntax(ErrorCode::InvalidReversePropertyMap, "a reverse map cannot hold keywords"));
        }
        if result.contains_key(expanded_property) && !matches!(expanded_property, "@included" | "@type") {
            return Err(syntax(ErrorCode::CollidingKeywords, format!("{expanded_property} appears twice")));
        }
        let expanded_value: Value = match expanded_property {
            "@id" => {
                let id = value
                    .as_str()
                    .ok_or_else(|| syntax(ErrorCode::InvalidIdValue, format!("@id {value} is not a string")))?;
                match self.expand_iri(active, id, true, false)? {
                    Some(e) => {
                        if self.options.safe && !is_absolute_iri(&e) {
                            return Err(dropped("relative @id reference", e));
                        }
                        Value::String(e.into_owned())
                    }
                    // §5.1.2 step 13.4.3.2: a keyword-like @id expands to null, which is kept (and
                    // makes the node unreferenceable in RDF).
                    None if self.options.safe => return Err(dropped("reserved @id value", id.to_owned())),
                    None => Value::Null,
                }
            }
            "@type" => {
                let strings: Vec<&str> = match value {
                    Value::String(s) => vec![s],
                    Value::Array(items) => items
                        .iter()
                        .map(|i| {
                            i.as_str()
                                .ok_or_else(|| syntax(ErrorCode::InvalidTypeValue, "@type values must be strings"))
                        })
                        .collect::<Result<_, _>>()?,
                    _ => {
                        return Err(syntax(
                            ErrorCode::InvalidTypeValue,
                            "@type must be a string or an array of strings",
                        ))
                    }
                };
                let mut types = Vec::with_capacity(strings.len());
                for s in strings {
                    if let Some(t) = self.expand_iri(type_scoped, s, true, true)? {
                        if self.options.safe && !is_absolute_iri(&t) {
                            return Err(dropped("relative @type reference", t));
                        }
                        types.push(Value::String(t.into_owned()));
                    }
                }
                let mut types = if value.is_array() || types.len() != 1 {
                    Value::Array(types)
                } else {
                    types.pop().expect("one type")
                };
                if let Some(existing) = result.remove("@type") {
                    let mut all = match existing {
                        Value::Array(a) => a,
                        other => vec![other],
                    };
                    match types {
                        Value::Array(a) => all.extend(a),
                        other => all.push(other),
                    }
                    types = Value::Array(all);
                }
                types
            }
            "@graph" => into_array(
                self.expand_element(active, Some("@graph"), value, base_url, false)?.unwrap_or(Value::Array(vec![])),
            ),
            "@included" => {
                // Expand with a non-null active property so that scalars, value objects and list
                // objects survive long enough to be refused (§5.1.2 step 13.4.6.3) rather than
                // being dropped as free-floating.
                let property = match active_property {
                    None | Some("@graph") => Some("@included"),
                    p => p,
                };
                let expanded = into_array(
                    self.expand_element(active, property, value, base_url, false)?.unwrap_or(Value::Array(vec![])),
                );
                if let Value::Array(items) = &expanded {
                    if items.iter().any(|i| !is_node_object(i)) {
                        return Err(syntax(ErrorCode::InvalidIncludedValue, "@included must hold node objects"));
                    }
                }
                match result.remove("@included") {
                    Some(Value::Array(mut prior)) => {
                        if let Value::Array(items) = expanded {
                            prior.extend(items);
                        }
                        Value::Array(prior)
                    }
                    _ => expanded,
                }
            }
            "@value" => {
                if input_type == Some("@json") {
                    value.clone()
                } else if value.is_object() || value.is_array() {
                    return Err(syntax(ErrorCode::InvalidValueObjectValue, format!("@value {value} is not a scalar")));
                } else if value.is_null() {
                    result.insert("@value".to_owned(), Value::Null);
                    return Ok(());
                } else {
                    value.clone()
                }
            }
            "@language" => {
                let lang = value.as_str().ok_or_else(|| {
                    syntax(ErrorCode::InvalidLanguageTaggedString, format!("@language {value} is not a string"))
                })?;
                if self.options.safe && !is_bcp47(lang) {
                    return Err(dropped("invalid @language value", lang.to_owned()));
                }
                Value::String(lang.to_lowercase())
            }
            "@direction" => match value.as_str() {
                Some("ltr" | "rtl") => value.clone(),
                _ => return Err(syntax(ErrorCode::InvalidBaseDirection, format!("@direction {value}"))),
            },
            "@index" => {
                if !value.is_string() {
                    return Err(syntax(ErrorCode::InvalidIndexValue, "@index must be a string"));
                }
                value.clone()
            }
            "@list" => {
                if matches!(active_property, None | Some("@graph")) {
                    return Ok(());
                }
                into_array(
                    self.expand_element(active, active_property, value, base_url, false)?
                        .unwrap_or(Value::Array(vec![])),
                )
            }
            "@set" => match self.expand_element(active, active_property, value, base_url, false)? {
                Some(v) => v,
                None => Value::Array(vec![]),
            },
            "@reverse" => {
                if !value.is_object() {
                    return Err(syntax(ErrorCode::InvalidReverseValue, "@reverse must be an object"));
                }
                let Some(Value::Object(mut expanded)) =
                    self.expand_element(active, Some("@reverse"), value, base_url, false)?
                else {
                    return Ok(());
                };
                if let Some(Value::Object(doubly)) = expanded.remove("@reverse") {
                    for (property, items) in doubly {
                        if let Value::Array(items) = items {
                            for item in items {
                                add_value(result, &property, item);
                            }
                        }
                    }
                }
                if !expanded.is_empty() {
                    let reverse = result
                        .entry("@reverse")
                        .or_insert_with(|| Value::Object(Map::new()))
                        .as_object_mut()
                        .expect("@reverse entries are always objects");
                    for (property, items) in expanded {
                        let Value::Array(items) = items else { continue };
                        for item in items {
                            if item.get("@value").is_some() || item.get("@list").is_some() {
                                return Err(syntax(
                                    ErrorCode::InvalidReversePropertyValue,
                                    format!("{property} holds a value or list"),
                                ));
                            }
                            add_value(reverse, &property, item);
                        }
                    }
                }
                return Ok(());
            }
            "@nest" => {
                nests.push(key.to_owned());
                return Ok(());
            }
            // Framing keywords and @context carry nothing in expansion.
            _ => return Ok(()),
        };
        result.insert(expanded_property.to_owned(), expanded_value);
        Ok(())
    }

    /// §5.1.2 step 13.7: a language map.
    fn expand_language_map(&self, active: &ActiveContext, key: &str, value: &Value) -> Result<Value, JsonLdError> {
        let def = active.term(key);
        let direction = match def.and_then(|d| d.direction) {
            Some(d) => d,
            None => active.default_direction,
        };
        let mut out = Vec::new();
        let Value::Object(map) = value else { unreachable!("checked by the caller") };
        let mut languages: Vec<&String> = map.keys().collect();
        languages.sort();
        for language in languages {
            let items = match &map[language.as_str()] {
                Value::Array(a) => a.iter().collect::<Vec<_>>(),
                other => vec![other],
            };
            let expanded_language = self.expand_iri(active, language, false, true)?;
            for item in items {
                match item {
                    Value::Null => continue,
                    Value::String(s) => {
                        let mut v = Map::new();
                        v.insert("@value".to_owned(), Value::String(s.clone()));
                        if expanded_language.as_deref() != Some("@none") {
                            if self.options.safe && !is_bcp47(language) {
                                return Err(dropped("invalid @language value", language.clone()));
                            }
                            v.insert("@language".to_owned(), Value::String(language.to_lowercase()));
                        }
                        if let Some(d) = direction {
                            v.insert("@direction".to_owned(), Value::String(direction_str(d).to_owned()));
                        }
                        out.push(Value::Object(v));
                    }
                    other => {
                        return Err(syntax(
                            ErrorCode::InvalidLanguageMapValue,
                            format!("{other} in the language map of {key}"),
                        ));
                    }
                }
            }
        }
        Ok(Value::Array(out))
    }

    /// §5.1.2 step 13.8: an index, id or type map.
    fn expand_index_map(
        &self,
        active: &Arc<ActiveContext>,
        key: &str,
        value: &Value,
        base_url: Option<&str>,
    ) -> Result<Value, JsonLdError> {
        let def = active.term(key).expect("index maps need a term definition").clone();
        let container = def.container;
        let index_key = def.index.clone().unwrap_or_else(|| "@index".to_owned());
        let Value::Object(map) = value else { unreachable!("checked by the caller") };
        let mut indexes: Vec<&String> = map.keys().collect();
        indexes.sort();
        let mut out = Vec::new();
        for index in indexes {
            let mut map_context = if container.has(Container::ID) || container.has(Container::TYPE) {
                active.previous.clone().unwrap_or_else(|| active.clone())
            } else {
                active.clone()
            };
            if container.has(Container::TYPE) {
                if let Some(def) = map_context.scoped_term(index) {
                    map_context = self.process_scoped(&map_context, &def, ProcessFlags::default())?;
                }
            }
            let expanded_index = self.expand_iri(active, index, false, true)?;
            let items = match self.expand_element(&map_context, Some(key), &map[index.as_str()], base_url, true)? {
                Some(Value::Array(items)) => items,
                Some(other) => vec![other],
                None => vec![],
            };
            for mut item in items {
                if container.has(Container::GRAPH) && item.get("@graph").is_none() {
                    item = Value::Object(Map::from_iter([("@graph".to_owned(), Value::Array(vec![item]))]));
                }
                let none = expanded_index.as_deref() == Some("@none");
                let obj = item
                    .as_object_mut()
                    .ok_or_else(|| syntax(ErrorCode::InvalidValueObject, "index map items must be objects"))?;
                if container.has(Container::INDEX) && index_key != "@index" && !none {
                    let re_expanded = self.expand_value(active, Some(&index_key), &Value::String(index.clone()))?;
                    let property =
                        self.expand_iri(active, &index_key, false, true)?.map(Cow::into_owned).ok_or_else(|| {
                            syntax(ErrorCode::InvalidTermDefinition, format!("@index {index_key} does not expand"))
                        })?;
                    let mut values = vec![re_expanded];
                    match obj.remove(&property) {
                        Some(Value::Array(a)) => values.extend(a),
                        Some(other) => values.push(other),
                        None => {}
                    }
                    obj.insert(property, Value::Array(values));
                    if obj.contains_key("@value") && obj.len() > 1 {
                        return Err(syntax(ErrorCode::InvalidValueObject, "a property-valued index on a value object"));
                    }
                } else if container.has(Container::INDEX) && !obj.contains_key("@index") && !none {
                    obj.insert("@index".to_owned(), Value::String(index.clone()));
                } else if container.has(Container::ID) && !obj.contains_key("@id") && !none {
                    if let Some(id) = self.expand_iri(active, index, true, false)? {
                        obj.insert("@id".to_owned(), Value::String(id.into_owned()));
                    }
                } else if container.has(Container::TYPE) && !none {
                    let mut types = vec![Value::String(expanded_index.as_deref().unwrap_or_default().to_owned())];
                    match obj.remove("@type") {
                        Some(Value::Array(a)) => types.extend(a),
                        Some(other) => types.push(other),
                        None => {}
                    }
                    obj.insert("@type".to_owned(), Value::Array(types));
                }
                out.push(item);
            }
        }
        Ok(Value::Array(out))
    }

    /// Value Expansion (§5.3.2).
    pub(super) fn expand_value(
        &self,
        active: &ActiveContext,
        active_property: Option<&str>,
        value: &Value,
    ) -> Result<Value, JsonLdError> {
        let def = active_property.and_then(|p| active.term(p));
        let type_mapping = def.and_then(|d| d.type_mapping.as_deref());
        if let (Some("@id" | "@vocab"), Value::String(s)) = (type_mapping, value) {
            let vocab = type_mapping == Some("@vocab");
            let id = self.expand_iri(active, s, true, vocab)?;
            let Some(id) = id else { return Ok(Value::Object(Map::from_iter([("@id".to_owned(), Value::Null)]))) };
            if self.options.safe && !is_absolute_iri(&id) {
                return Err(dropped("relative @id reference", id));
            }
            return Ok(Value::Object(Map::from_iter([("@id".to_owned(), Value::String(id.into_owned()))])));
        }
        let mut result = Map::with_capacity(2);
        result.insert("@value".to_owned(), value.clone());
        let tags = scalar_tags(active, def, value);
        if let Some(t) = tags.datatype {
            result.insert("@type".to_owned(), Value::String(t.to_owned()));
        }
        if let Some(l) = tags.language {
            result.insert("@language".to_owned(), Value::String(l.to_owned()));
        }
        if let Some(d) = tags.direction {
            result.insert("@direction".to_owned(), Value::String(direction_str(d).to_owned()));
        }
        Ok(Value::Object(result))
    }
}

/// What [`Processor::node_contexts`] gives: the active context a node's entries expand with,
/// the type-scoped context its types expand with, and its type keys, sorted.
pub(super) struct NodeContexts<'e> {
    pub active: Arc<ActiveContext>,
    pub type_scoped: Arc<ActiveContext>,
    /// The entries whose keys expand to `@type`, sorted by key.
    pub type_keys: Vec<(&'e String, &'e Value)>,
}

/// What Value Expansion (§5.3 steps 3 to 5) adds to a scalar that is not coerced to an IRI: the
/// term's datatype, or, for a string, its language and base direction (the term's own, else the
/// context's defaults). Expansion and the direct walk both read them here.
pub(super) struct ScalarTags<'a> {
    pub datatype: Option<&'a str>,
    pub language: Option<&'a str>,
    pub direction: Option<Direction>,
}

pub(super) fn scalar_tags<'a>(
    active: &'a ActiveContext,
    def: Option<&'a TermDefinition>,
    value: &Value,
) -> ScalarTags<'a> {
    let datatype = def.and_then(|d| d.type_mapping.as_deref()).filter(|t| !matches!(*t, "@id" | "@vocab" | "@none"));
    if datatype.is_some() || !value.is_string() {
        return ScalarTags { datatype, language: None, direction: None };
    }
    let language = match def.and_then(|d| d.language.as_ref()) {
        Some(l) => l.as_deref(),
        None => active.default_language.as_deref(),
    };
    let direction = match def.and_then(|d| d.direction) {
        Some(d) => d,
        None => active.default_direction,
    };
    ScalarTags { datatype, language, direction }
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Ltr => "ltr",
        Direction::Rtl => "rtl",
    }
}

/// The BCP 47 shape jsonld.js checks in safe mode.
pub(super) fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    (1..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_list_object(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("@list"))
}

fn is_node_object(v: &Value) -> bool {
    v.as_object().is_some_and(|m| !m.contains_key("@value") && !m.contains_key("@list") && !m.contains_key("@set"))
}

fn into_array(v: Value) -> Value {
    match v {
        Value::Array(_) => v,
        other => Value::Array(vec![other]),
    }
}

/// Appends `value` to the array at `key`, creating it.
fn add_value(map: &mut Map<String, Value>, key: &str, value: Value) {
    let slot = map.entry(key).or_insert_with(|| Value::Array(Vec::new()));
    match slot {
        Value::Array(items) => match value {
            Value::Array(more) => items.extend(more),
            v => items.push(v),
        },
        other => {
            let prior = other.take();
            *other = Value::Array(vec![prior, value]);
        }
    }
}

fn syntax(code: ErrorCode, detail: impl Into<String>) -> JsonLdError {
    JsonLdError::Syntax { code, detail: detail.into() }
}

fn dropped(what: &'static str, detail: impl Into<String>) -> JsonLdError {
    JsonLdError::Dropped { what, detail: detail.into() }
}
