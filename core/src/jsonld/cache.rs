//! A process-wide cache of processed contexts, for loaders that serve a fixed set of documents.
//!
//! Context processing (§4.1) is deterministic in the active context, the local context, the
//! base URL and the flags; with a fixed loader nothing else can change its result. Credentials use
//! a handful of pinned contexts, so the same processing was being redone on every call — two
//! thirds of signing time in jsonld.js and ssi alike. Active contexts are immutable behind `Arc`,
//! so an active context is identified by its address, kept alive by the cache entry that holds it;
//! the local context is identified by its JSON text.
//!
//! Only pinned material is cached: a list of context URLs, or a scoped context that a bundled
//! context defined, applied to an active context that itself came from the cache. A document's
//! own inline contexts are processed afresh every time, so hostile documents cannot fill the cache.

use std::sync::{Arc, OnceLock, RwLock};

use super::context::{ActiveContext, ProcessFlags, TermDefinition};
use crate::hash::FastMap;

/// More entries than any honest workload needs; past it the cache starts afresh, so documents with
/// endless inline contexts cannot grow memory without bound.
const MAX_ENTRIES: usize = 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
enum Local {
    /// A local context given inline or as URLs: identified by its JSON text.
    Text(String, Option<String>),
    /// A term's scoped context: identified by the address of its (immutable) term definition.
    Term(usize),
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    active: usize,
    local: Local,
    flags: (bool, bool, bool),
}

struct Entry {
    /// Keeps the keyed active context alive, so its address cannot be reused by another.
    _active: Arc<ActiveContext>,
    /// Likewise for a keyed term definition.
    _term: Option<Arc<TermDefinition>>,
    result: Arc<ActiveContext>,
}

#[derive(Default)]
struct Cache {
    processed: FastMap<Key, Entry>,
    initial: FastMap<Option<String>, Arc<ActiveContext>>,
}

fn cache() -> &'static RwLock<Cache> {
    static CACHE: OnceLock<RwLock<Cache>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The one initial (empty) active context for `base`, so that processing from it can be cached.
pub(super) fn initial(base: Option<String>) -> Arc<ActiveContext> {
    if let Some(found) = cache().read().ok().and_then(|c| c.initial.get(&base).cloned()) {
        return found;
    }
    let mut guard = match cache().write() {
        Ok(g) => g,
        Err(_) => return Arc::new(ActiveContext::new(base)),
    };
    if guard.initial.len() >= MAX_ENTRIES {
        guard.initial.clear();
    }
    guard
        .initial
        .entry(base.clone())
        .or_insert_with(|| Arc::new(ActiveContext { cached: true, ..ActiveContext::new(base) }))
        .clone()
}

/// Whether processing `local` against `active` may be cached: see the module docs.
fn eligible(active: &ActiveContext, local: &serde_json::Value, base: Option<&str>) -> bool {
    if !active.cached {
        return false;
    }
    let urls_only = match local {
        serde_json::Value::String(_) => true,
        serde_json::Value::Array(items) => items.iter().all(serde_json::Value::is_string),
        _ => false,
    };
    urls_only || base.is_some_and(|url| crate::contexts::bundled(url).is_ok())
}

fn flags_key(flags: ProcessFlags) -> (bool, bool, bool) {
    (flags.override_protected, flags.propagate, flags.validate_scoped)
}

/// The cached result of processing `local` against `active`, or the result of `compute`, stored
/// if the pair is [`eligible`].
pub(super) fn processed<E>(
    active: &Arc<ActiveContext>,
    local: &serde_json::Value,
    base: Option<&str>,
    flags: ProcessFlags,
    compute: impl FnOnce() -> Result<Arc<ActiveContext>, E>,
) -> Result<Arc<ActiveContext>, E> {
    let key = Key {
        active: Arc::as_ptr(active) as usize,
        local: Local::Text(local.to_string(), base.map(str::to_owned)),
        flags: flags_key(flags),
    };
    lookup_or_insert(key, active, None, || eligible(active, local, base), compute)
}

/// The cached result of applying the scoped context of `term` to `active`, stored if the pair
/// is [`eligible`].
pub(super) fn processed_term<E>(
    active: &Arc<ActiveContext>,
    term: &Arc<TermDefinition>,
    flags: ProcessFlags,
    compute: impl FnOnce() -> Result<Arc<ActiveContext>, E>,
) -> Result<Arc<ActiveContext>, E> {
    let key = Key {
        active: Arc::as_ptr(active) as usize,
        local: Local::Term(Arc::as_ptr(term) as usize),
        flags: flags_key(flags),
    };
    let may_store = || term.context.as_ref().is_some_and(|local| eligible(active, local, term.base_url.as_deref()));
    lookup_or_insert(key, active, Some(term.clone()), may_store, compute)
}

/// The entry for `key`, or `compute`'s result, stored when `may_store` says the pair is
/// [`eligible`].
///
/// The lookup comes first, without asking: an entry exists only if its pair was
/// eligible when stored, and the entry keeps the keyed active context and term definition alive,
/// so no other object can take their addresses while it stands. A hit is therefore always for
/// the very pair it was stored for. Eligibility (which looks the base URL up among the bundled
/// contexts) is asked only on a miss.
fn lookup_or_insert<E>(
    key: Key,
    active: &Arc<ActiveContext>,
    term: Option<Arc<TermDefinition>>,
    may_store: impl FnOnce() -> bool,
    compute: impl FnOnce() -> Result<Arc<ActiveContext>, E>,
) -> Result<Arc<ActiveContext>, E> {
    if let Some(found) = cache().read().ok().and_then(|c| c.processed.get(&key).map(|e| e.result.clone())) {
        return Ok(found);
    }
    if !may_store() {
        return compute();
    }
    let mut result = compute()?;
    Arc::make_mut(&mut result).cached = true;
    if let Ok(mut guard) = cache().write() {
        if guard.processed.len() >= MAX_ENTRIES {
            guard.processed.clear();
        }
        guard.processed.insert(key, Entry { _active: active.clone(), _term: term, result: result.clone() });
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contexts::{StaticLoader, CREDENTIALS_V2, OB_V3P0_3_0_3};
    use crate::jsonld::{Options, Processor};

    #[test]
    fn bundled_contexts_are_processed_once() {
        let local = serde_json::json!([CREDENTIALS_V2, OB_V3P0_3_0_3]);
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        let start = initial(None);
        let a = processor.process_context(&start, &local, None, ProcessFlags::default()).unwrap();
        let b = processor.process_context(&start, &local, None, ProcessFlags::default()).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn inline_contexts_are_not_cached() {
        let local = serde_json::json!({"name": "https://schema.org/name"});
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        let start = initial(None);
        let a = processor.process_context(&start, &local, None, ProcessFlags::default()).unwrap();
        let b = processor.process_context(&start, &local, None, ProcessFlags::default()).unwrap();
        assert!(!Arc::ptr_eq(&a, &b));
        assert!(!a.cached);
    }

    #[test]
    fn loaders_with_extra_documents_are_not_cached() {
        let loader =
            StaticLoader::new().with("https://example.com/ctx", serde_json::json!({"@context": {"x": "urn:x"}}));
        let processor = Processor::new(&loader, Options::default());
        let local = serde_json::json!(["https://example.com/ctx"]);
        let start = initial(None);
        let a = processor.process_context(&start, &local, None, ProcessFlags::default()).unwrap();
        let b = processor.process_context(&start, &local, None, ProcessFlags::default()).unwrap();
        assert!(!Arc::ptr_eq(&a, &b));
        assert_eq!(a.term("x").unwrap().iri.as_deref(), Some("urn:x"));
    }
}
