//! Active contexts, context processing and IRI expansion.
//!
//! Implements [JSON-LD 1.1 Processing Algorithms and API](https://www.w3.org/TR/json-ld11-api/)
//! §4.1 (Context Processing), §4.2 (Create Term Definition) and §5.2 (IRI Expansion), in
//! `json-ld-1.1` processing mode. Remote contexts come from a [`ContextLoader`] and are never
//! fetched.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::iri::{self, ends_with_gen_delim, has_scheme, is_blank, looks_like_keyword};
use super::{ErrorCode, JsonLdError, Processor};

/// The most remote contexts one document may pull in, directly or through other contexts; a
/// guard against context cycles and amplification.
const MAX_REMOTE_CONTEXTS: usize = 32;

/// A base direction (`@direction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// The container mapping of a term, as flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Container(u8);

impl Container {
    /// `@graph`.
    pub const GRAPH: u8 = 1;
    /// `@id`.
    pub const ID: u8 = 2;
    /// `@index`.
    pub const INDEX: u8 = 4;
    /// `@language`.
    pub const LANGUAGE: u8 = 8;
    /// `@list`.
    pub const LIST: u8 = 16;
    /// `@set`.
    pub const SET: u8 = 32;
    /// `@type`.
    pub const TYPE: u8 = 64;

    /// Whether the mapping includes `flag`.
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    fn parse(value: &Value) -> Option<Container> {
        let items: Vec<&Value> = match value {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        let mut flags = 0u8;
        for item in items {
            flags |= match item.as_str()? {
                "@graph" => Self::GRAPH,
                "@id" => Self::ID,
                "@index" => Self::INDEX,
                "@language" => Self::LANGUAGE,
                "@list" => Self::LIST,
                "@set" => Self::SET,
                "@type" => Self::TYPE,
                _ => return None,
            };
        }
        let is_array = value.is_array();
        // §4.2.2 step 19.2: the combinations JSON-LD 1.1 allows.
        let ok = match flags {
            0 => is_array,
            f if f == Self::LIST => true,
            f if f & Self::LIST != 0 => false,
            f if f == Self::GRAPH || f == Self::GRAPH | Self::SET => true,
            f if f & Self::GRAPH != 0 => {
                let rest = f & !(Self::GRAPH | Self::SET);
                rest == Self::ID || rest == Self::INDEX
            }
            f => {
                let base = f & !Self::SET;
                base == 0 || base.count_ones() == 1 && (is_array || f.count_ones() == 1)
            }
        };
        ok.then_some(Container(flags))
    }
}

/// One term definition of an active context.
#[derive(Clone, Debug, PartialEq)]
pub struct TermDefinition {
    /// The IRI or keyword the term maps to; `None` for a term explicitly mapped to `null`.
    pub iri: Option<String>,
    /// Whether the term may be used as a compact-IRI prefix.
    pub prefix: bool,
    /// Whether the term is protected.
    pub protected: bool,
    /// Whether the term is a reverse property.
    pub reverse: bool,
    /// The base URL of the context that defined the term, for its scoped context.
    pub base_url: Option<String>,
    /// The term's scoped context, unprocessed.
    pub context: Option<Value>,
    /// The container mapping.
    pub container: Container,
    /// The direction mapping: `Some(None)` when explicitly `null`.
    pub direction: Option<Option<Direction>>,
    /// The index mapping.
    pub index: Option<String>,
    /// The language mapping: `Some(None)` when explicitly `null`.
    pub language: Option<Option<String>>,
    /// The nest value.
    pub nest: Option<String>,
    /// The type mapping.
    pub type_mapping: Option<String>,
}

impl TermDefinition {
    fn new() -> Self {
        TermDefinition {
            iri: None,
            prefix: false,
            protected: false,
            reverse: false,
            base_url: None,
            context: None,
            container: Container::default(),
            direction: None,
            index: None,
            language: None,
            nest: None,
            type_mapping: None,
        }
    }

    /// Equality ignoring `protected`, as §4.2.2 step 27 compares redefinitions of protected terms.
    fn same_as(&self, other: &TermDefinition) -> bool {
        let mut a = self.clone();
        a.protected = other.protected;
        a == *other
    }
}

/// An active context (§4.1).
#[derive(Clone, Debug, Default)]
pub struct ActiveContext {
    /// The base IRI.
    pub base: Option<String>,
    /// The document's original base URL.
    pub original_base: Option<String>,
    /// The vocabulary mapping.
    pub vocab: Option<String>,
    /// The default language.
    pub default_language: Option<String>,
    /// The default base direction.
    pub default_direction: Option<Direction>,
    /// The term definitions. Change them only through context processing, which keeps
    /// `keyword_aliases` in step.
    pub terms: crate::hash::FastMap<String, Arc<TermDefinition>>,
    /// The terms whose IRI mapping is a keyword (`id` → `@id`), with that keyword: few, so that
    /// [`Processor::keyword_of`] can scan them instead of hashing every key.
    pub(super) keyword_aliases: Vec<(String, String)>,
    /// The context to revert to when a non-propagated (type-scoped) context goes out of scope.
    pub previous: Option<Arc<ActiveContext>>,
    /// Whether this context is held by the process-wide cache, and so may key further entries.
    pub(super) cached: bool,
}

/// Options of one run of context processing (§4.1.2's optional arguments).
#[derive(Clone, Copy)]
pub struct ProcessFlags {
    /// Allow protected terms to be redefined (property-scoped contexts).
    pub override_protected: bool,
    /// Whether the context propagates into nested node objects.
    pub propagate: bool,
    /// Whether to validate scoped contexts when defining terms.
    pub validate_scoped: bool,
}

impl Default for ProcessFlags {
    fn default() -> Self {
        ProcessFlags { override_protected: false, propagate: true, validate_scoped: true }
    }
}

impl ActiveContext {
    /// A new empty active context with the given base.
    pub fn new(base: Option<String>) -> Self {
        ActiveContext { original_base: base.clone(), base, ..Default::default() }
    }

    /// The term definition for `term`, if any.
    pub fn term(&self, term: &str) -> Option<&TermDefinition> {
        self.terms.get(term).map(Arc::as_ref)
    }

    /// The keyword `term` is an alias of here (`id` → `@id`), if any, without hashing `term`.
    fn alias_of(&self, term: &str) -> Option<&str> {
        self.keyword_aliases.iter().find(|(t, _)| t == term).map(|(_, keyword)| keyword.as_str())
    }

    /// Sets `term`'s definition, keeping `keyword_aliases` in step.
    fn define(&mut self, term: &str, def: Arc<TermDefinition>) {
        self.keyword_aliases.retain(|(t, _)| t != term);
        if let Some(iri) = def.iri.as_deref().filter(|iri| is_keyword(iri)) {
            self.keyword_aliases.push((term.to_owned(), iri.to_owned()));
        }
        self.terms.insert(term.to_owned(), def);
    }

    /// Removes `term`'s definition, keeping `keyword_aliases` in step.
    fn undefine(&mut self, term: &str) -> Option<Arc<TermDefinition>> {
        self.keyword_aliases.retain(|(t, _)| t != term);
        self.terms.remove(term)
    }

    /// The definition of `term` when it carries a scoped context.
    pub fn scoped_term(&self, term: &str) -> Option<Arc<TermDefinition>> {
        self.terms.get(term).filter(|d| d.context.is_some()).cloned()
    }

    fn has_protected_terms(&self) -> bool {
        self.terms.values().any(|t| t.protected)
    }
}

impl Processor<'_> {
    /// Context Processing (§4.1.2): applies `local` to `active`.
    pub fn process_context(
        &self,
        active: &Arc<ActiveContext>,
        local: &Value,
        base_url: Option<&str>,
        flags: ProcessFlags,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        let compute = || self.process_context_inner(active, local, base_url, &mut Vec::new(), flags);
        if self.loader.fixed() && active.cached {
            super::cache::processed(active, local, base_url, flags, compute)
        } else {
            compute()
        }
    }

    /// Applies the scoped context of `term` (a term definition of some active context) to
    /// `active`, with the term's base URL.
    pub fn process_scoped(
        &self,
        active: &Arc<ActiveContext>,
        term: &Arc<TermDefinition>,
        flags: ProcessFlags,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        let Some(local) = &term.context else { return Ok(active.clone()) };
        let base_url = term.base_url.as_deref();
        let compute = || self.process_context_inner(active, local, base_url, &mut Vec::new(), flags);
        if self.loader.fixed() && active.cached {
            super::cache::processed_term(active, term, flags, compute)
        } else {
            compute()
        }
    }

    fn process_context_inner(
        &self,
        active: &Arc<ActiveContext>,
        local: &Value,
        base_url: Option<&str>,
        remote_contexts: &mut Vec<String>,
        mut flags: ProcessFlags,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        let mut result: ActiveContext = (**active).clone();
        result.cached = false;
        if let Some(p) = local.get("@propagate") {
            flags.propagate =
                p.as_bool().ok_or_else(|| err(ErrorCode::InvalidPropagateValue, "@propagate must be a boolean"))?;
        }
        if !flags.propagate && result.previous.is_none() {
            result.previous = Some(active.clone());
        }
        let contexts: &[Value] = match local {
            Value::Array(items) => items,
            other => std::slice::from_ref(other),
        };
        for context in contexts {
            match context {
                Value::Null => {
                    if !flags.override_protected && result.has_protected_terms() {
                        return Err(err(
                            ErrorCode::InvalidContextNullification,
                            "cannot nullify a context with protected terms",
                        ));
                    }
                    let previous = result.clone();
                    result = ActiveContext::new(active.original_base.clone());
                    if !flags.propagate {
                        result.previous = Some(Arc::new(previous));
                    }
                }
                Value::String(reference) => {
                    let url = iri::resolve(reference, base_url);
                    if !flags.validate_scoped && remote_contexts.contains(&url) {
                        continue;
                    }
                    if remote_contexts.len() >= MAX_REMOTE_CONTEXTS {
                        return Err(err(ErrorCode::ContextOverflow, format!("too many remote contexts at {url}")));
                    }
                    remote_contexts.push(url.clone());
                    let document = self.loader.load(&url).map_err(JsonLdError::Context)?;
                    let loaded = document.get("@context").ok_or_else(|| {
                        err(ErrorCode::InvalidRemoteContext, format!("context {url} has no @context entry"))
                    })?;
                    let current = Arc::new(result);
                    let inner_flags = ProcessFlags { propagate: true, ..flags };
                    let processed =
                        self.process_context_inner(&current, loaded, Some(&url), remote_contexts, inner_flags)?;
                    result = Arc::try_unwrap(processed).unwrap_or_else(|arc| (*arc).clone());
                    // §4.1.2 step 5.2.6 hands the recursion a copy of remote contexts.
                    remote_contexts.pop();
                }
                Value::Object(definition) => {
                    self.apply_context_definition(&mut result, definition, base_url, remote_contexts, flags)?;
                }
                _ => return Err(err(ErrorCode::InvalidLocalContext, "a context must be an object, string or null")),
            }
        }
        Ok(Arc::new(result))
    }

    /// §4.1.2 steps 5.5 to 5.13, for one context definition (a JSON object).
    fn apply_context_definition(
        &self,
        result: &mut ActiveContext,
        definition: &Map<String, Value>,
        base_url: Option<&str>,
        remote_contexts: &mut Vec<String>,
        flags: ProcessFlags,
    ) -> Result<(), JsonLdError> {
        if let Some(version) = definition.get("@version") {
            if version.as_f64() != Some(1.1) {
                return Err(err(ErrorCode::InvalidVersionValue, "@version must be 1.1"));
            }
        }
        let imported;
        let definition: &Map<String, Value> = if let Some(import) = definition.get("@import") {
            let reference =
                import.as_str().ok_or_else(|| err(ErrorCode::InvalidImportValue, "@import must be a string"))?;
            let url = iri::resolve(reference, base_url);
            let document = self.loader.load(&url).map_err(JsonLdError::Context)?;
            let Some(Value::Object(import_ctx)) = document.get("@context") else {
                return Err(err(ErrorCode::InvalidRemoteContext, format!("imported context {url} is not an object")));
            };
            if import_ctx.contains_key("@import") {
                return Err(err(ErrorCode::InvalidContextEntry, "an imported context must not itself @import"));
            }
            let mut merged = import_ctx.clone();
            for (k, v) in definition {
                merged.insert(k.clone(), v.clone());
            }
            imported = merged;
            &imported
        } else {
            definition
        };
        if let Some(base) = definition.get("@base") {
            if remote_contexts.is_empty() {
                match base {
                    Value::Null => result.base = None,
                    Value::String(b) if has_scheme(b) => result.base = Some(b.clone()),
                    Value::String(b) if result.base.is_some() => {
                        result.base = Some(iri::resolve(b, result.base.as_deref()));
                    }
                    _ => return Err(err(ErrorCode::InvalidBaseIri, "@base must be an IRI or null")),
                }
            }
        }
        if let Some(vocab) = definition.get("@vocab") {
            match vocab {
                Value::Null => result.vocab = None,
                Value::String(v) => {
                    let expanded = self.expand_iri(result, v, true, true)?.map(Cow::into_owned);
                    match expanded {
                        Some(e) if has_scheme(&e) || is_blank(&e) || e.is_empty() && result.base.is_some() => {
                            result.vocab = Some(e);
                        }
                        Some(e) if !e.contains(':') && !looks_like_keyword(&e) => {
                            // A relative vocabulary resolved against no base stays relative.
                            result.vocab = Some(e);
                        }
                        _ => return Err(err(ErrorCode::InvalidVocabMapping, format!("invalid @vocab {v}"))),
                    }
                }
                _ => return Err(err(ErrorCode::InvalidVocabMapping, "@vocab must be a string or null")),
            }
        }
        if let Some(language) = definition.get("@language") {
            result.default_language = match language {
                Value::Null => None,
                Value::String(l) => Some(l.to_lowercase()),
                _ => return Err(err(ErrorCode::InvalidDefaultLanguage, "@language must be a string or null")),
            };
        }
        if let Some(direction) = definition.get("@direction") {
            result.default_direction = match direction {
                Value::Null => None,
                other => Some(parse_direction(other)?),
            };
        }
        if let Some(p) = definition.get("@propagate") {
            if !p.is_boolean() {
                return Err(err(ErrorCode::InvalidPropagateValue, "@propagate must be a boolean"));
            }
        }
        let protected = match definition.get("@protected") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(err(ErrorCode::InvalidProtectedValue, "@protected must be a boolean")),
        };
        let mut defined: HashMap<String, bool> = HashMap::new();
        let mut scope = DefinitionScope { local: definition, defined: &mut defined, base_url, protected, flags };
        for term in definition.keys() {
            if matches!(
                term.as_str(),
                "@base" | "@direction" | "@import" | "@language" | "@propagate" | "@protected" | "@version" | "@vocab"
            ) {
                continue;
            }
            self.create_term_definition(result, &mut scope, term, remote_contexts)?;
        }
        Ok(())
    }

    /// Create Term Definition (§4.2.2).
    fn create_term_definition(
        &self,
        active: &mut ActiveContext,
        scope: &mut DefinitionScope<'_, '_>,
        term: &str,
        remote_contexts: &mut Vec<String>,
    ) -> Result<(), JsonLdError> {
        match scope.defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => return Err(err(ErrorCode::CyclicIriMapping, format!("cyclic IRI mapping for {term}"))),
            None => {}
        }
        if term.is_empty() {
            return Err(err(ErrorCode::InvalidTermDefinition, "the empty string is not a valid term"));
        }
        scope.defined.insert(term.to_owned(), false);
        let value = scope.local.get(term).cloned().unwrap_or(Value::Null);
        if term == "@type" {
            let ok = match &value {
                Value::Object(m) => {
                    !m.is_empty()
                        && m.iter().all(|(k, v)| match k.as_str() {
                            "@container" => v == "@set",
                            "@protected" => true,
                            _ => false,
                        })
                }
                _ => false,
            };
            if !ok {
                return Err(err(ErrorCode::KeywordRedefinition, "@type may only be given @container: @set"));
            }
        } else if is_keyword(term) {
            return Err(err(ErrorCode::KeywordRedefinition, format!("keyword {term} cannot be redefined")));
        } else if looks_like_keyword(term) {
            // Reserved for future keywords: ignored, as §4.2.2 step 5 says.
            scope.defined.insert(term.to_owned(), true);
            return Ok(());
        }
        let previous = active.undefine(term);
        let (value, simple_term) = match value {
            Value::Null => (Map::from_iter([("@id".to_owned(), Value::Null)]), false),
            Value::String(s) => (Map::from_iter([("@id".to_owned(), Value::String(s))]), true),
            Value::Object(m) => (m, false),
            _ => return Err(err(ErrorCode::InvalidTermDefinition, format!("definition of {term} must be an object"))),
        };
        let mut def = TermDefinition::new();
        def.protected = match value.get("@protected") {
            None => scope.protected,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(err(ErrorCode::InvalidProtectedValue, "@protected must be a boolean")),
        };
        if let Some(t) = value.get("@type") {
            let t = t.as_str().ok_or_else(|| err(ErrorCode::InvalidTypeMapping, format!("@type of {term}")))?;
            let expanded = self.expand_iri_defining(active, scope, t, false, true, remote_contexts)?;
            match expanded {
                Some(e) if matches!(e.as_str(), "@id" | "@json" | "@none" | "@vocab") || has_scheme(&e) => {
                    def.type_mapping = Some(e);
                }
                _ => return Err(err(ErrorCode::InvalidTypeMapping, format!("invalid @type {t} for {term}"))),
            }
        }
        if let Some(reverse) = value.get("@reverse") {
            if value.contains_key("@id") || value.contains_key("@nest") {
                return Err(err(ErrorCode::InvalidReverseProperty, format!("{term} has @reverse with @id or @nest")));
            }
            let r = reverse.as_str().ok_or_else(|| err(ErrorCode::InvalidIriMapping, "@reverse must be a string"))?;
            if looks_like_keyword(r) {
                scope.defined.insert(term.to_owned(), true);
                return Ok(());
            }
            match self.expand_iri_defining(active, scope, r, false, true, remote_contexts)? {
                Some(e) if e.contains(':') => def.iri = Some(e),
                _ => return Err(err(ErrorCode::InvalidIriMapping, format!("invalid @reverse for {term}"))),
            }
            if let Some(c) = value.get("@container") {
                match c {
                    Value::Null => {}
                    Value::String(s) if s == "@set" || s == "@index" => {
                        def.container = Container::parse(c).expect("@set and @index are valid containers");
                    }
                    _ => {
                        return Err(err(ErrorCode::InvalidReverseProperty, "reverse container must be @set or @index"))
                    }
                }
            }
            // A reverse property may have a property-valued index (the W3C expand suite's #t0131).
            if let Some(index) = value.get("@index") {
                let i = index.as_str().filter(|_| def.container.has(Container::INDEX) && !is_keyword_str(index));
                let i = i.ok_or_else(|| err(ErrorCode::InvalidTermDefinition, format!("invalid @index for {term}")))?;
                def.index = Some(i.to_owned());
            }
            def.reverse = true;
            self.finish_definition(active, scope, term, def, previous)?;
            return Ok(());
        }
        let id = value.get("@id");
        if let Some(id) = id.filter(|id| id.as_str() != Some(term)) {
            match id {
                Value::Null => def.iri = None,
                Value::String(s) => {
                    if !is_keyword(s) && looks_like_keyword(s) {
                        scope.defined.insert(term.to_owned(), true);
                        return Ok(());
                    }
                    let expanded = self.expand_iri_defining(active, scope, s, false, true, remote_contexts)?;
                    match &expanded {
                        Some(e) if is_keyword(e) || e.contains(':') => {}
                        _ => return Err(err(ErrorCode::InvalidIriMapping, format!("invalid @id for {term}"))),
                    }
                    if expanded.as_deref() == Some("@context") {
                        return Err(err(ErrorCode::InvalidKeywordAlias, "@context cannot be aliased"));
                    }
                    let inner_colon = term.get(1..term.len().saturating_sub(1)).is_some_and(|t| t.contains(':'));
                    if inner_colon || term.contains('/') {
                        scope.defined.insert(term.to_owned(), true);
                        let self_expanded =
                            self.expand_iri_defining(active, scope, term, false, true, remote_contexts)?;
                        if self_expanded != expanded {
                            return Err(err(
                                ErrorCode::InvalidIriMapping,
                                format!("{term} looks like an IRI but maps elsewhere"),
                            ));
                        }
                    }
                    if !term.contains(':') && !term.contains('/') && simple_term {
                        if let Some(e) = &expanded {
                            def.prefix = ends_with_gen_delim(e) || is_blank(e);
                        }
                    }
                    def.iri = expanded;
                }
                _ => return Err(err(ErrorCode::InvalidIriMapping, format!("@id of {term} must be a string"))),
            }
        } else if let Some(colon) = term[1..].find(':').map(|i| i + 1) {
            let (prefix, suffix) = (&term[..colon], &term[colon + 1..]);
            if scope.local.contains_key(prefix) {
                self.create_term_definition(active, scope, prefix, remote_contexts)?;
            }
            def.iri = match active.term(prefix).and_then(|p| p.iri.clone()) {
                Some(p) if !suffix.starts_with("//") => Some(format!("{p}{suffix}")),
                _ => Some(term.to_owned()),
            };
        } else if term.contains('/') {
            match self.expand_iri(active, term, false, true)? {
                Some(e) if has_scheme(&e) => def.iri = Some(e.into_owned()),
                _ => return Err(err(ErrorCode::InvalidIriMapping, format!("{term} is not an IRI"))),
            }
        } else if term == "@type" {
            def.iri = Some("@type".to_owned());
        } else if let Some(vocab) = &active.vocab {
            def.iri = Some(format!("{vocab}{term}"));
        } else {
            return Err(err(ErrorCode::InvalidIriMapping, format!("{term} has no IRI and there is no @vocab")));
        }
        if let Some(c) = value.get("@container") {
            def.container = Container::parse(c)
                .ok_or_else(|| err(ErrorCode::InvalidContainerMapping, format!("invalid @container for {term}")))?;
            if def.container.has(Container::TYPE) {
                match def.type_mapping.as_deref() {
                    None => def.type_mapping = Some("@id".to_owned()),
                    Some("@id" | "@vocab") => {}
                    Some(_) => return Err(err(ErrorCode::InvalidTypeMapping, "@type containers need @id or @vocab")),
                }
            }
        }
        if let Some(index) = value.get("@index") {
            let i = index.as_str().filter(|_| def.container.has(Container::INDEX) && !is_keyword_str(index));
            let i = i.ok_or_else(|| err(ErrorCode::InvalidTermDefinition, format!("invalid @index for {term}")))?;
            match self.expand_iri(active, i, false, true)? {
                Some(e) if has_scheme(&e) => def.index = Some(i.to_owned()),
                _ => return Err(err(ErrorCode::InvalidTermDefinition, format!("@index of {term} is not an IRI"))),
            }
        }
        if let Some(ctx) = value.get("@context") {
            // §4.2.2 step 21.3: validate now, with protected terms overridable and no scoped
            // validation, so that errors surface at definition time.
            let probe = Arc::new(active.clone());
            let probe_flags = ProcessFlags { override_protected: true, propagate: true, validate_scoped: false };
            let mut copy = remote_contexts.clone();
            self.process_context_inner(&probe, ctx, scope.base_url, &mut copy, probe_flags).map_err(|e| match e {
                JsonLdError::Context(c) => JsonLdError::Context(c),
                other => err(ErrorCode::InvalidScopedContext, format!("scoped context of {term}: {other}")),
            })?;
            def.context = Some(ctx.clone());
            def.base_url = scope.base_url.map(str::to_owned);
        }
        if !value.contains_key("@type") {
            if let Some(language) = value.get("@language") {
                def.language = Some(match language {
                    Value::Null => None,
                    Value::String(l) => Some(l.to_lowercase()),
                    _ => return Err(err(ErrorCode::InvalidLanguageMapping, format!("@language of {term}"))),
                });
            }
            if let Some(direction) = value.get("@direction") {
                def.direction = Some(match direction {
                    Value::Null => None,
                    other => Some(parse_direction(other)?),
                });
            }
        }
        if let Some(nest) = value.get("@nest") {
            match nest.as_str() {
                Some(n) if n == "@nest" || !is_keyword(n) => def.nest = Some(n.to_owned()),
                _ => return Err(err(ErrorCode::InvalidNestValue, format!("invalid @nest for {term}"))),
            }
        }
        if let Some(prefix) = value.get("@prefix") {
            if term.contains(':') || term.contains('/') {
                return Err(err(ErrorCode::InvalidTermDefinition, format!("{term} cannot be a prefix")));
            }
            def.prefix =
                prefix.as_bool().ok_or_else(|| err(ErrorCode::InvalidPrefixValue, "@prefix must be a boolean"))?;
            if def.prefix && def.iri.as_deref().is_some_and(is_keyword) {
                return Err(err(ErrorCode::InvalidTermDefinition, "a keyword alias cannot be a prefix"));
            }
        }
        for key in value.keys() {
            if !matches!(
                key.as_str(),
                "@id"
                    | "@reverse"
                    | "@container"
                    | "@context"
                    | "@direction"
                    | "@index"
                    | "@language"
                    | "@nest"
                    | "@prefix"
                    | "@protected"
                    | "@type"
            ) {
                return Err(err(ErrorCode::InvalidTermDefinition, format!("{term} has unexpected entry {key}")));
            }
        }
        self.finish_definition(active, scope, term, def, previous)
    }

    /// §4.2.2 steps 27 and 28: protected-term checks, then store the definition.
    fn finish_definition(
        &self,
        active: &mut ActiveContext,
        scope: &mut DefinitionScope<'_, '_>,
        term: &str,
        def: TermDefinition,
        previous: Option<Arc<TermDefinition>>,
    ) -> Result<(), JsonLdError> {
        let def = match previous {
            Some(prev) if !scope.flags.override_protected && prev.protected => {
                if !def.same_as(&prev) {
                    return Err(err(
                        ErrorCode::ProtectedTermRedefinition,
                        format!("protected term {term} cannot be redefined"),
                    ));
                }
                prev
            }
            _ => Arc::new(def),
        };
        active.define(term, def);
        scope.defined.insert(term.to_owned(), true);
        Ok(())
    }

    /// IRI Expansion (§5.2.2) while a local context is being processed: terms of the local
    /// context that the value depends on are defined first.
    fn expand_iri_defining(
        &self,
        active: &mut ActiveContext,
        scope: &mut DefinitionScope<'_, '_>,
        value: &str,
        document_relative: bool,
        vocab: bool,
        remote_contexts: &mut Vec<String>,
    ) -> Result<Option<String>, JsonLdError> {
        if is_keyword(value) {
            return Ok(Some(value.to_owned()));
        }
        if looks_like_keyword(value) {
            return Ok(None);
        }
        if scope.local.contains_key(value) && scope.defined.get(value) != Some(&true) {
            self.create_term_definition(active, scope, value, remote_contexts)?;
        }
        if let Some(colon) = value.get(1..).and_then(|v| v.find(':')).map(|i| i + 1) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            // §5.2.2 step 6.2 comes first: `_:b` and `http://…` are never compact IRIs.
            if prefix == "_" || suffix.starts_with("//") {
                return Ok(Some(value.to_owned()));
            }
            if scope.local.contains_key(prefix) && scope.defined.get(prefix) != Some(&true) {
                self.create_term_definition(active, scope, prefix, remote_contexts)?;
            }
        }
        Ok(self.expand_iri(active, value, document_relative, vocab)?.map(Cow::into_owned))
    }

    /// The keyword that the map key `key` expands to under `active`, if any: exactly when
    /// [`Processor::expand_iri`] with `vocab` gives a keyword, but without a term lookup, for the
    /// steps of expansion that only ask whether a key is `@id`, `@type` or `@value`. A keyword
    /// expands to itself and an alias to its keyword (§5.2.2 steps 1 and 4). Otherwise only a
    /// compact IRI (step 5: a prefix's IRI joined to a suffix) or the vocabulary mapping (step 6)
    /// could spell a keyword, and for a key with a colon, or under a vocabulary mapping that
    /// starts with `@`, the full expansion answers.
    pub(super) fn keyword_of<'a>(&self, active: &'a ActiveContext, key: &'a str) -> Option<Cow<'a, str>> {
        if is_keyword(key) {
            return Some(Cow::Borrowed(key));
        }
        if key.contains(':') || active.vocab.as_deref().is_some_and(|v| v.starts_with('@')) {
            return self.expand_iri(active, key, false, true).ok().flatten().filter(|iri| is_keyword(iri));
        }
        active.alias_of(key).map(Cow::Borrowed)
    }

    /// IRI Expansion (§5.2.2) against a finished active context. `None` means the value maps to
    /// `null` (or is reserved): the caller drops it.
    pub fn expand_iri<'a>(
        &self,
        active: &'a ActiveContext,
        value: &'a str,
        document_relative: bool,
        vocab: bool,
    ) -> Result<Option<Cow<'a, str>>, JsonLdError> {
        if is_keyword(value) {
            return Ok(Some(Cow::Borrowed(value)));
        }
        if looks_like_keyword(value) {
            return Ok(None);
        }
        Ok(self.expand_term(active, value, active.term(value), document_relative, vocab))
    }

    /// [`Processor::expand_iri`] from step 4 on, for a `value` that is neither a keyword nor
    /// has the form of one, whose term definition `def` (`active.term(value)`) the caller has
    /// already looked up.
    pub(super) fn expand_term<'a>(
        &self,
        active: &'a ActiveContext,
        value: &'a str,
        def: Option<&'a TermDefinition>,
        document_relative: bool,
        vocab: bool,
    ) -> Option<Cow<'a, str>> {
        if let Some(def) = def {
            if let Some(iri) = &def.iri {
                if is_keyword(iri) {
                    return Some(Cow::Borrowed(iri));
                }
            }
            if vocab {
                return def.iri.as_deref().map(Cow::Borrowed);
            }
        }
        if let Some(colon) = value.get(1..).and_then(|v| v.find(':')).map(|i| i + 1) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Some(Cow::Borrowed(value));
            }
            if let Some(def) = active.term(prefix) {
                if let (Some(iri), true) = (&def.iri, def.prefix) {
                    return Some(Cow::Owned(format!("{iri}{suffix}")));
                }
            }
            if has_scheme(value) {
                return Some(Cow::Borrowed(value));
            }
        }
        if vocab {
            if let Some(v) = &active.vocab {
                return Some(Cow::Owned(format!("{v}{value}")));
            }
        }
        if document_relative {
            return Some(Cow::Owned(iri::resolve(value, active.base.as_deref())));
        }
        Some(Cow::Borrowed(value))
    }
}

/// What Create Term Definition carries between terms of one local context.
struct DefinitionScope<'a, 'b> {
    local: &'a Map<String, Value>,
    defined: &'b mut HashMap<String, bool>,
    base_url: Option<&'a str>,
    protected: bool,
    flags: ProcessFlags,
}

fn parse_direction(value: &Value) -> Result<Direction, JsonLdError> {
    match value.as_str() {
        Some("ltr") => Ok(Direction::Ltr),
        Some("rtl") => Ok(Direction::Rtl),
        _ => Err(err(ErrorCode::InvalidBaseDirection, "@direction must be \"ltr\", \"rtl\" or null")),
    }
}

fn is_keyword_str(value: &Value) -> bool {
    value.as_str().is_some_and(is_keyword)
}

/// Whether `value` is a JSON-LD 1.1 keyword.
pub fn is_keyword(value: &str) -> bool {
    value.starts_with('@')
        && matches!(
            value,
            "@base"
                | "@container"
                | "@context"
                | "@default"
                | "@direction"
                | "@embed"
                | "@explicit"
                | "@graph"
                | "@id"
                | "@import"
                | "@included"
                | "@index"
                | "@json"
                | "@language"
                | "@list"
                | "@nest"
                | "@none"
                | "@omitDefault"
                | "@prefix"
                | "@preserve"
                | "@protected"
                | "@requireAll"
                | "@reverse"
                | "@set"
                | "@type"
                | "@value"
                | "@version"
                | "@vocab"
        )
}

fn err(code: ErrorCode, detail: impl Into<String>) -> JsonLdError {
    JsonLdError::Syntax { code, detail: detail.into() }
}
