//! The bundled JSON-LD contexts and the static loader that serves them.
//!
//! [JSON-LD 1.1 §9 (security considerations)](https://www.w3.org/TR/json-ld11/#security) and
//! [VC Data Model 2.0 §4.3](https://www.w3.org/TR/vc-data-model-2.0/#contexts) both advise that
//! verifiers pin the contexts they accept instead of fetching them: a fetched context can change
//! the meaning of a signed document. Every context Accolade accepts is compiled into the library
//! from `contexts/` (see `contexts/SOURCES.md` for URLs, hashes and origins). A document naming
//! any other context is refused with [`ContextError::Unknown`], which names the URL; nothing is
//! ever fetched.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// Context URL and text, for every bundled context.
const BUNDLED: &[(&str, &str)] = &[
    ("https://www.w3.org/ns/credentials/v2", include_str!("../../contexts/credentials-v2.jsonld")),
    ("https://www.w3.org/2018/credentials/v1", include_str!("../../contexts/credentials-v1.jsonld")),
    ("https://www.w3.org/ns/credentials/examples/v2", include_str!("../../contexts/credentials-examples-v2.jsonld")),
    ("https://www.w3.org/2018/credentials/examples/v1", include_str!("../../contexts/credentials-examples-v1.jsonld")),
    (
        "https://www.w3.org/ns/credentials/undefined-terms/v2",
        include_str!("../../contexts/credentials-undefined-terms-v2.jsonld"),
    ),
    ("https://w3id.org/security/data-integrity/v2", include_str!("../../contexts/data-integrity-v2.jsonld")),
    ("https://w3id.org/security/data-integrity/v1", include_str!("../../contexts/data-integrity-v1.jsonld")),
    ("https://w3id.org/security/multikey/v1", include_str!("../../contexts/multikey-v1.jsonld")),
    ("https://w3id.org/security/jwk/v1", include_str!("../../contexts/jwk-v1.jsonld")),
    ("https://www.w3.org/ns/cid/v1", include_str!("../../contexts/cid-v1.jsonld")),
    ("https://www.w3.org/ns/did/v1", include_str!("../../contexts/did-v1.jsonld")),
    ("https://www.w3.org/ns/credentials/status/v1", include_str!("../../contexts/credentials-status-v1.jsonld")),
    ("https://w3id.org/vc/status-list/2021/v1", include_str!("../../contexts/vc-status-list-2021-v1.jsonld")),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        include_str!("../../contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        include_str!("../../contexts/ob-v3p0-context-3.0.2.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        include_str!("../../contexts/ob-v3p0-context-3.0.1.json"),
    ),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context.json", include_str!("../../contexts/ob-v3p0-context.json")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", include_str!("../../contexts/ob-v3p0-extensions.json")),
    (
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        include_str!("../../contexts/clr-v2p0-context-2.0.1.json"),
    ),
    ("https://purl.imsglobal.org/spec/clr/v2p0/context.json", include_str!("../../contexts/clr-v2p0-context.json")),
    ("https://w3id.org/security/suites/ed25519-2020/v1", include_str!("../../contexts/ed25519-2020-v1.jsonld")),
    ("https://www.w3.org/ns/odrl.jsonld", include_str!("../../contexts/odrl.jsonld")),
    ("https://w3id.org/citizenship/v4rc1", include_str!("../../contexts/citizenship-v4rc1.jsonld")),
];

/// The OB 3.0.3 context URL, the one Accolade's issuer writes.
pub const OB_V3P0_3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The VC Data Model 2.0 base context URL.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The VC Data Model 1.1 base context URL.
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// The CLR 2.0 context URL, the one Accolade's issuer writes.
pub const CLR_V2P0_2_0_1: &str = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
/// The Data Integrity v2 context URL.
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
/// The Ed25519Signature2020 suite context URL.
pub const ED25519_2020_V1: &str = "https://w3id.org/security/suites/ed25519-2020/v1";
/// The DID Core v1 context URL.
pub const DID_V1: &str = "https://www.w3.org/ns/did/v1";
/// The Multikey v1 context URL.
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";

/// Failure to load a context.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    /// The URL is not among the pinned contexts. Contexts are never fetched.
    #[error("unknown context {0}: it is not among the bundled contexts, and contexts are never fetched")]
    Unknown(String),
    /// A bundled or registered context text is not valid JSON.
    #[error("context {url} is not valid JSON: {reason}")]
    Malformed {
        /// The context URL.
        url: String,
        /// The parser's message.
        reason: String,
    },
}

/// A source of context documents, keyed by URL.
///
/// The JSON-LD processor asks its loader for every remote context it meets. Implementations must
/// not fetch from the network: [`StaticLoader`] serves the bundled set.
pub trait ContextLoader: Send + Sync {
    /// Returns the parsed context document (the whole document, with its `@context` key).
    fn load(&self, url: &str) -> Result<Arc<Value>, ContextError>;

    /// Whether this loader always serves the same documents for the same URLs, for the whole
    /// process, so that processed contexts may be cached process-wide. Only the bundled set is.
    fn fixed(&self) -> bool {
        false
    }
}

/// Serves the bundled contexts, plus any registered with [`StaticLoader::with`].
#[derive(Clone, Debug, Default)]
pub struct StaticLoader {
    extra: HashMap<String, Arc<Value>>,
}

impl StaticLoader {
    /// A loader serving exactly the bundled contexts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a context served at `url`, for deployments that pin further contexts (and tests).
    pub fn with(mut self, url: impl Into<String>, document: Value) -> Self {
        self.extra.insert(url.into(), Arc::new(document));
        self
    }

    /// The URLs this loader serves, bundled first.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        BUNDLED.iter().map(|(url, _)| *url).chain(self.extra.keys().map(String::as_str))
    }
}

impl ContextLoader for StaticLoader {
    fn load(&self, url: &str) -> Result<Arc<Value>, ContextError> {
        if let Some(doc) = self.extra.get(url) {
            return Ok(doc.clone());
        }
        bundled(url)
    }

    fn fixed(&self) -> bool {
        self.extra.is_empty()
    }
}

/// Returns a bundled context, parsed once per process.
pub fn bundled(url: &str) -> Result<Arc<Value>, ContextError> {
    static PARSED: OnceLock<HashMap<&'static str, Result<Arc<Value>, String>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        BUNDLED
            .iter()
            .map(|(url, text)| (*url, serde_json::from_str(text).map(Arc::new).map_err(|e| e.to_string())))
            .collect()
    });
    match parsed.get(url) {
        Some(Ok(doc)) => Ok(doc.clone()),
        Some(Err(reason)) => Err(ContextError::Malformed { url: url.to_owned(), reason: reason.clone() }),
        None => Err(ContextError::Unknown(url.to_owned())),
    }
}

/// The URLs of every bundled context.
pub fn bundled_urls() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(url, _)| *url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_parses_and_has_a_context_key() {
        for url in bundled_urls() {
            let doc = bundled(url).unwrap();
            assert!(doc.get("@context").is_some(), "{url} has no @context");
        }
    }

    #[test]
    fn unknown_context_names_the_url() {
        let err = StaticLoader::new().load("https://evil.example/ctx").unwrap_err();
        assert_eq!(err, ContextError::Unknown("https://evil.example/ctx".into()));
        assert_eq!(
            err.to_string(),
            "unknown context https://evil.example/ctx: it is not among the bundled contexts, and contexts are never fetched"
        );
    }

    #[test]
    fn validator_variant_of_ob_3_0_3_is_not_served() {
        let doc = bundled(OB_V3P0_3_0_3).unwrap();
        assert!(doc["@context"].get("jti").is_none());
        assert!(StaticLoader::new()
            .load("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json#validator-variant")
            .is_err());
    }
}
