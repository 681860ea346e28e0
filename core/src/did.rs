//! Controller documents, `did:key` and `did:web`, and the resolver the verifier asks for keys.
//!
//! - Controller documents and verification relationships:
//!   [Controlled Identifiers v1.0 §2](https://www.w3.org/TR/cid-1.0/#controlled-identifier-documents)
//!   and [DID Core §5.3](https://www.w3.org/TR/did-core/#verification-relationships).
//! - `did:key` (Ed25519 only): [did:key Method v0.7 §3](https://w3c-ccg.github.io/did-key-spec/),
//!   resolved locally, never fetched.
//! - `did:web`: [did:web Method §3.2](https://w3c-ccg.github.io/did-method-web/#read-resolve),
//!   `did:web:example.com:a:b` → `https://example.com/a/b/did.json`, bare domain →
//!   `/.well-known/did.json`, `%3A` for a port. Fetching goes through a [`Fetcher`], which the
//!   services implement with their guarded HTTP client; the core never opens a socket.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::contexts;
use crate::keys::{KeyError, PublicKey};

/// A verification relationship (DID Core §5.3): what a key is authorised to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofPurpose {
    /// `assertionMethod`: issuing credentials.
    AssertionMethod,
    /// `authentication`: proving control, as a holder signing a presentation.
    Authentication,
    /// `capabilityInvocation`.
    CapabilityInvocation,
    /// `capabilityDelegation`.
    CapabilityDelegation,
    /// `keyAgreement`.
    KeyAgreement,
}

impl ProofPurpose {
    /// The property name, as in `proofPurpose` and in controller documents.
    pub fn as_str(self) -> &'static str {
        match self {
            ProofPurpose::AssertionMethod => "assertionMethod",
            ProofPurpose::Authentication => "authentication",
            ProofPurpose::CapabilityInvocation => "capabilityInvocation",
            ProofPurpose::CapabilityDelegation => "capabilityDelegation",
            ProofPurpose::KeyAgreement => "keyAgreement",
        }
    }

    /// Parses a `proofPurpose` value.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "assertionMethod" => ProofPurpose::AssertionMethod,
            "authentication" => ProofPurpose::Authentication,
            "capabilityInvocation" => ProofPurpose::CapabilityInvocation,
            "capabilityDelegation" => ProofPurpose::CapabilityDelegation,
            "keyAgreement" => ProofPurpose::KeyAgreement,
            _ => return None,
        })
    }

    const ALL: [ProofPurpose; 5] = [
        ProofPurpose::AssertionMethod,
        ProofPurpose::Authentication,
        ProofPurpose::CapabilityInvocation,
        ProofPurpose::CapabilityDelegation,
        ProofPurpose::KeyAgreement,
    ];
}

/// A verification method with an Ed25519 public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationMethod {
    /// The method's id (an absolute URL, usually `DID#fragment`).
    pub id: String,
    /// Its `type`: `Multikey`, `Ed25519VerificationKey2020`, `JsonWebKey` or `JsonWebKey2020`.
    pub method_type: String,
    /// Its `controller`.
    pub controller: String,
    /// The public key.
    pub key: PublicKey,
}

/// A parsed controller document (a DID document, or an issuer's key document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerDocument {
    /// The document's `id`: the DID or controller URL.
    pub id: String,
    /// Every verification method found, in `verificationMethod` or embedded in a relationship.
    pub methods: Vec<VerificationMethod>,
    /// For each relationship, the ids of the methods it authorises.
    relationships: HashMap<&'static str, Vec<String>>,
}

/// A controller document or verification method that could not be resolved or understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The DID method is not one we resolve.
    #[error("unsupported DID method or identifier {0}: only did:key and did:web are resolved")]
    UnsupportedMethod(String),
    /// The identifier is not well-formed.
    #[error("invalid identifier {id}: {reason}")]
    InvalidId {
        /// The identifier.
        id: String,
        /// Why.
        reason: String,
    },
    /// The document could not be fetched.
    #[error("could not fetch {url}: {reason}")]
    Fetch {
        /// The URL tried.
        url: String,
        /// What went wrong (from the fetcher).
        reason: String,
    },
    /// The document is not a valid controller document.
    #[error("invalid controller document for {id}: {reason}")]
    InvalidDocument {
        /// The identifier resolved.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The document's `id` is not the identifier that was resolved (a document for someone else).
    #[error("controller document for {expected} claims to be {found}")]
    IdMismatch {
        /// The identifier resolved.
        expected: String,
        /// The `id` in the document.
        found: String,
    },
    /// The controller document has no such verification method.
    #[error("verification method {0} not found in its controller document")]
    MethodNotFound(String),
    /// A verification method's key could not be decoded.
    #[error("verification method {id} has an unusable key: {source}")]
    BadKey {
        /// The method's id.
        id: String,
        /// The key error.
        #[source]
        source: KeyError,
    },
}

/// Something that fetches a URL's body: the services' guarded HTTP client, or a fixture map in tests.
pub trait Fetcher: Send + Sync {
    /// Fetches `url` and returns the response body, or a reason.
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String>;
}

/// Resolves identifiers to controller documents.
pub trait Resolver: Send + Sync {
    /// The controller document of `id` (a DID or controller URL, without fragment).
    fn resolve(&self, id: &str) -> Result<Arc<ControllerDocument>, ResolveError>;
}

impl ControllerDocument {
    /// Parses a controller document (DID Core / CID JSON). Method ids that are relative
    /// (`#key-1`) are resolved against the document's id.
    pub fn from_json(doc: &Value) -> Result<Self, ResolveError> {
        let id = doc.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let invalid = |reason: String| ResolveError::InvalidDocument { id: id.clone(), reason };
        if id.is_empty() {
            return Err(invalid("no id".into()));
        }
        let absolute = |vm_id: &str| if vm_id.starts_with('#') { format!("{id}{vm_id}") } else { vm_id.to_owned() };
        let mut methods = Vec::new();
        if let Some(list) = doc.get("verificationMethod") {
            for vm in list.as_array().ok_or_else(|| invalid("verificationMethod is not an array".into()))? {
                methods.push(parse_method(vm, &id)?);
            }
        }
        let mut relationships = HashMap::new();
        for purpose in ProofPurpose::ALL {
            let Some(entries) = doc.get(purpose.as_str()) else { continue };
            let entries = entries.as_array().ok_or_else(|| invalid(format!("{} is not an array", purpose.as_str())))?;
            let mut ids = Vec::new();
            for entry in entries {
                match entry {
                    Value::String(s) => ids.push(absolute(s)),
                    Value::Object(_) => {
                        let vm = parse_method(entry, &id)?;
                        ids.push(vm.id.clone());
                        if !methods.iter().any(|m| m.id == vm.id) {
                            methods.push(vm);
                        }
                    }
                    _ => return Err(invalid(format!("bad entry in {}", purpose.as_str()))),
                }
            }
            relationships.insert(purpose.as_str(), ids);
        }
        Ok(ControllerDocument { id, methods, relationships })
    }

    /// The verification method with this id.
    pub fn method(&self, id: &str) -> Option<&VerificationMethod> {
        self.methods.iter().find(|m| m.id == id)
    }

    /// Whether the method `id` is authorised for `purpose` in this document.
    pub fn authorises(&self, id: &str, purpose: ProofPurpose) -> bool {
        self.relationships.get(purpose.as_str()).is_some_and(|ids| ids.iter().any(|i| i == id))
    }
}

fn parse_method(vm: &Value, doc_id: &str) -> Result<VerificationMethod, ResolveError> {
    let raw_id = vm.get("id").and_then(Value::as_str).unwrap_or_default();
    let id = if raw_id.starts_with('#') { format!("{doc_id}{raw_id}") } else { raw_id.to_owned() };
    let invalid = |reason: &str| ResolveError::InvalidDocument { id: doc_id.to_owned(), reason: reason.to_owned() };
    if id.is_empty() {
        return Err(invalid("a verification method has no id"));
    }
    let method_type =
        vm.get("type").and_then(Value::as_str).ok_or_else(|| invalid("a verification method has no type"))?;
    let controller = vm.get("controller").and_then(Value::as_str).unwrap_or(doc_id).to_owned();
    let bad_key = |source| ResolveError::BadKey { id: id.clone(), source };
    let key = match (vm.get("publicKeyMultibase").and_then(Value::as_str), vm.get("publicKeyJwk")) {
        (Some(mb), _) => PublicKey::from_multibase(mb).map_err(bad_key)?,
        (None, Some(jwk)) => PublicKey::from_jwk(jwk).map_err(bad_key)?,
        (None, None) => match vm.get("publicKeyBase58").and_then(Value::as_str) {
            Some(b58) => PublicKey::from_base58_raw(b58).map_err(bad_key)?,
            None => return Err(invalid("a verification method has no public key")),
        },
    };
    Ok(VerificationMethod { id, method_type: method_type.to_owned(), controller, key })
}

/// The `did:key` DID for an Ed25519 public key.
pub fn did_key(key: &PublicKey) -> String {
    format!("did:key:{}", key.to_multibase())
}

/// The verification method id of a `did:key` DID (`did:key:z…#z…`).
pub fn did_key_method_id(key: &PublicKey) -> String {
    let mb = key.to_multibase();
    format!("did:key:{mb}#{mb}")
}

/// Builds the DID document of a `did:key` (Ed25519, Multikey form), as did:key v0.7 §3.1.
pub fn did_key_document(did: &str) -> Result<Value, ResolveError> {
    let mb = did.strip_prefix("did:key:").ok_or_else(|| ResolveError::UnsupportedMethod(did.to_owned()))?;
    let key = PublicKey::from_multibase(mb)
        .map_err(|e| ResolveError::InvalidId { id: did.to_owned(), reason: e.to_string() })?;
    let vm_id = format!("{did}#{mb}");
    Ok(json!({
        "@context": [contexts::DID_V1, contexts::MULTIKEY_V1],
        "id": did,
        "verificationMethod": [{"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": key.to_multibase()}],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }))
}

/// The controller document of a `did:key`, from a process-wide cache.
///
/// A `did:key` document is a pure function of the DID, so it can be kept. Building one decodes
/// the key and decompresses its curve point, a few percent of signing or verifying a large
/// credential (BENCHMARKS.md), and an issuer or a verifier sees the same few DIDs again and
/// again. Refused DIDs are not kept, and the cache starts afresh past [`DID_KEY_CACHE`]
/// entries, so a stream of distinct DIDs cannot grow memory without bound.
fn resolve_did_key(did: &str) -> Result<Arc<ControllerDocument>, ResolveError> {
    static CACHE: std::sync::OnceLock<std::sync::RwLock<crate::hash::FastMap<String, Arc<ControllerDocument>>>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.read().ok().and_then(|c| c.get(did).cloned()) {
        return Ok(found);
    }
    let doc = Arc::new(did_key_controller(did)?);
    if let Ok(mut guard) = cache.write() {
        if guard.len() >= DID_KEY_CACHE {
            guard.clear();
        }
        guard.insert(did.to_owned(), doc.clone());
    }
    Ok(doc)
}

/// The most `did:key` documents [`resolve_did_key`] keeps.
const DID_KEY_CACHE: usize = 4096;

/// The controller document of a `did:key`: what [`ControllerDocument::from_json`] reads from
/// [`did_key_document`], built directly, since every signature and verification resolves one.
fn did_key_controller(did: &str) -> Result<ControllerDocument, ResolveError> {
    let mb = did.strip_prefix("did:key:").ok_or_else(|| ResolveError::UnsupportedMethod(did.to_owned()))?;
    let key = PublicKey::from_multibase(mb)
        .map_err(|e| ResolveError::InvalidId { id: did.to_owned(), reason: e.to_string() })?;
    let vm_id = format!("{did}#{mb}");
    let relationships = [
        ProofPurpose::Authentication,
        ProofPurpose::AssertionMethod,
        ProofPurpose::CapabilityInvocation,
        ProofPurpose::CapabilityDelegation,
    ]
    .map(|purpose| (purpose.as_str(), vec![vm_id.clone()]));
    let method = VerificationMethod { id: vm_id, method_type: "Multikey".to_owned(), controller: did.to_owned(), key };
    Ok(ControllerDocument {
        id: did.to_owned(),
        methods: vec![method],
        relationships: relationships.into_iter().collect(),
    })
}

/// The HTTPS URL of a `did:web` DID document.
pub fn did_web_url(did: &str) -> Result<String, ResolveError> {
    let invalid = |reason: &str| ResolveError::InvalidId { id: did.to_owned(), reason: reason.to_owned() };
    let rest = did.strip_prefix("did:web:").ok_or_else(|| ResolveError::UnsupportedMethod(did.to_owned()))?;
    if rest.is_empty() || rest.contains('/') || rest.contains('#') || rest.contains('?') {
        return Err(invalid("a did:web identifier is a domain and colon-separated path"));
    }
    let mut parts = rest.split(':');
    let host = parts.next().unwrap_or_default().replace("%3A", ":").replace("%3a", ":");
    if host.is_empty() || host.contains('@') || host.chars().any(|c| c.is_whitespace()) {
        return Err(invalid("bad host"));
    }
    let path: Vec<String> = parts.map(|p| p.to_owned()).collect();
    if path.iter().any(|p| p.is_empty() || p == "." || p == ".." || p.contains('%')) {
        return Err(invalid("bad path segment"));
    }
    Ok(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// The `did:web` DID for a host (with optional port) and path segments.
pub fn did_web(host: &str, path: &[&str]) -> String {
    let mut did = format!("did:web:{}", host.replace(':', "%3A"));
    for segment in path {
        did.push(':');
        did.push_str(segment);
    }
    did
}

/// Builds a `did:web` DID document publishing `keys` (Multikey form) for assertion and
/// authentication. Keep old keys in the list after rotation so credentials they signed still verify.
pub fn did_web_document(did: &str, keys: &[(String, PublicKey)]) -> Value {
    let mut methods = Vec::new();
    let mut ids = Vec::new();
    for (fragment, key) in keys {
        let id = format!("{did}#{fragment}");
        methods
            .push(json!({"id": id, "type": "Multikey", "controller": did, "publicKeyMultibase": key.to_multibase()}));
        ids.push(Value::String(id));
    }
    let mut doc = Map::new();
    doc.insert("@context".into(), json!([contexts::DID_V1, contexts::MULTIKEY_V1]));
    doc.insert("id".into(), json!(did));
    doc.insert("verificationMethod".into(), Value::Array(methods));
    doc.insert("authentication".into(), Value::Array(ids.clone()));
    doc.insert("assertionMethod".into(), Value::Array(ids));
    Value::Object(doc)
}

/// Resolves `did:key` locally, `did:web` through a [`Fetcher`] (when one is given), and any
/// identifier pinned with [`StandardResolver::with_document`].
#[derive(Default, Clone)]
pub struct StandardResolver {
    fetcher: Option<Arc<dyn Fetcher>>,
    pinned: HashMap<String, Arc<ControllerDocument>>,
}

impl StandardResolver {
    /// A resolver for `did:key` only: nothing is fetched. The wallet's offline mode.
    pub fn offline() -> Self {
        Self::default()
    }

    /// A resolver that also fetches `did:web` documents with `fetcher`.
    pub fn with_fetcher(fetcher: Arc<dyn Fetcher>) -> Self {
        StandardResolver { fetcher: Some(fetcher), pinned: HashMap::new() }
    }

    /// Pins a controller document: `id` resolves to it without any fetch.
    pub fn with_document(mut self, doc: ControllerDocument) -> Self {
        self.pinned.insert(doc.id.clone(), Arc::new(doc));
        self
    }
}

impl Resolver for StandardResolver {
    fn resolve(&self, id: &str) -> Result<Arc<ControllerDocument>, ResolveError> {
        if let Some(doc) = self.pinned.get(id) {
            return Ok(doc.clone());
        }
        if id.starts_with("did:key:") {
            return resolve_did_key(id);
        }
        if id.starts_with("did:web:") {
            let url = did_web_url(id)?;
            let fetcher = self.fetcher.as_ref().ok_or_else(|| ResolveError::Fetch {
                url: url.clone(),
                reason: "offline: did:web documents are not fetched".into(),
            })?;
            let body = fetcher.fetch(&url).map_err(|reason| ResolveError::Fetch { url: url.clone(), reason })?;
            let json: Value = serde_json::from_slice(&body)
                .map_err(|e| ResolveError::InvalidDocument { id: id.to_owned(), reason: format!("not JSON: {e}") })?;
            let doc = ControllerDocument::from_json(&json)?;
            if doc.id != id {
                return Err(ResolveError::IdMismatch { expected: id.to_owned(), found: doc.id });
            }
            return Ok(Arc::new(doc));
        }
        Err(ResolveError::UnsupportedMethod(id.to_owned()))
    }
}

/// The controller-document id of a verification method id: everything before `#`.
pub fn controller_of(method_id: &str) -> &str {
    method_id.split('#').next().unwrap_or(method_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SigningKey;

    #[test]
    fn did_key_controller_is_what_its_document_says() {
        let did = did_key(&SigningKey::generate().public());
        let direct = did_key_controller(&did).unwrap();
        let via_json = ControllerDocument::from_json(&did_key_document(&did).unwrap()).unwrap();
        assert_eq!(direct, via_json);
    }

    #[test]
    fn did_key_documents_are_built_once_and_refusals_are_not_kept() {
        let did = did_key(&SigningKey::generate().public());
        let resolver = StandardResolver::offline();
        assert!(Arc::ptr_eq(&resolver.resolve(&did).unwrap(), &resolver.resolve(&did).unwrap()));
        let bad = "did:key:z6MkNotAKey";
        for _ in 0..2 {
            assert!(matches!(resolver.resolve(bad), Err(ResolveError::InvalidId { .. })));
        }
    }

    #[test]
    fn did_key_resolves_locally_for_both_purposes() {
        let key = SigningKey::generate().public();
        let did = did_key(&key);
        let doc = StandardResolver::offline().resolve(&did).unwrap();
        let vm = did_key_method_id(&key);
        assert_eq!(doc.method(&vm).unwrap().key, key);
        assert!(doc.authorises(&vm, ProofPurpose::AssertionMethod));
        assert!(doc.authorises(&vm, ProofPurpose::Authentication));
        assert!(!doc.authorises(&vm, ProofPurpose::KeyAgreement));
    }

    #[test]
    fn did_web_urls() {
        assert_eq!(did_web_url("did:web:w3c-ccg.github.io").unwrap(), "https://w3c-ccg.github.io/.well-known/did.json");
        assert_eq!(
            did_web_url("did:web:w3c-ccg.github.io:user:alice").unwrap(),
            "https://w3c-ccg.github.io/user/alice/did.json"
        );
        assert_eq!(
            did_web_url("did:web:example.com%3A3000:user:alice").unwrap(),
            "https://example.com:3000/user/alice/did.json"
        );
        assert!(matches!(did_web_url("did:web:example.com:..:x"), Err(ResolveError::InvalidId { .. })));
        assert_eq!(did_web("localhost:8080", &["issuers", "u1"]), "did:web:localhost%3A8080:issuers:u1");
    }

    struct MapFetcher(HashMap<String, Vec<u8>>);
    impl Fetcher for MapFetcher {
        fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
            self.0.get(url).cloned().ok_or_else(|| "404 Not Found".to_owned())
        }
    }

    #[test]
    fn did_web_resolves_through_the_fetcher_and_checks_the_id() {
        let key = SigningKey::generate().public();
        let did = "did:web:example.com:issuers:a";
        let doc = did_web_document(did, &[("key-1".into(), key)]);
        let other = did_web_document("did:web:evil.example", &[("key-1".into(), key)]);
        let fetcher = MapFetcher(HashMap::from([
            ("https://example.com/issuers/a/did.json".to_owned(), serde_json::to_vec(&doc).unwrap()),
            ("https://example.com/issuers/b/did.json".to_owned(), serde_json::to_vec(&other).unwrap()),
        ]));
        let resolver = StandardResolver::with_fetcher(Arc::new(fetcher));
        let resolved = resolver.resolve(did).unwrap();
        assert!(resolved.authorises("did:web:example.com:issuers:a#key-1", ProofPurpose::AssertionMethod));
        assert_eq!(
            resolver.resolve("did:web:example.com:issuers:b").unwrap_err(),
            ResolveError::IdMismatch {
                expected: "did:web:example.com:issuers:b".into(),
                found: "did:web:evil.example".into()
            }
        );
        assert!(matches!(resolver.resolve("did:web:example.com:issuers:c"), Err(ResolveError::Fetch { .. })));
        assert!(matches!(StandardResolver::offline().resolve(did), Err(ResolveError::Fetch { .. })));
        assert_eq!(
            StandardResolver::offline().resolve("did:ion:abc").unwrap_err().to_string(),
            "unsupported DID method or identifier did:ion:abc: only did:key and did:web are resolved"
        );
    }
}
