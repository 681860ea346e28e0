//! A JSON-LD 1.1 processor for credentials: expansion and deserialization to RDF.
//!
//! Implements [JSON-LD 1.1 Processing Algorithms and API](https://www.w3.org/TR/json-ld11-api/)
//! §4 (context processing), §5 (expansion) and §8 (RDF serialization), which is the part a
//! Data Integrity suite such as `eddsa-rdfc-2022` needs to turn a credential into the dataset it
//! signs. Why our own rather than `json-ld` 0.21 (ssi 0.16): that stack writes wrong RDF for a JSON
//! boolean whose term declares a `@type` and keeps the raw lexical form of typed numbers, so
//! credentials carrying `hashed: true` or `creditsAvailable: 3.5` (both typed in the OB 3.0.3
//! context) fail in jsonld.js-based verifiers; and it re-processes every context on every call.
//!
//! Output follows jsonld.js where the specification leaves room (lower-cased language tags, the
//! canonical `xsd:double` lexical form), since byte-identical canonical N-Quads with jsonld.js are
//! what interoperability means in practice.
//!
//! **Safe mode** (on by default, as jsonld.js's `safe: true` used by Digital Bazaar's signature
//! libraries): anything that expansion would silently drop — a term the contexts do not define, a
//! relative IRI, a free-floating value — is an error, because a signature over a dataset that
//! lost a claim would not cover that claim.

mod cache;
mod context;
mod direct;
mod expand;
mod iri;
mod to_rdf;

use std::sync::Arc;

use serde_json::{Map, Value};

pub use context::{ActiveContext, Container, Direction, TermDefinition};

use crate::contexts::{ContextError, ContextLoader, StaticLoader};
use crate::dataset::Dataset;
use crate::rdf::Quad;

/// A JSON-LD processing error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonLdError {
    /// A context could not be loaded: unknown (never fetched) or malformed.
    #[error(transparent)]
    Context(ContextError),
    /// The document or a context breaks a JSON-LD rule; `code` is the error code the JSON-LD API
    /// specification names.
    #[error("{code}: {detail}")]
    Syntax {
        /// The JSON-LD error code.
        code: ErrorCode,
        /// What was wrong, and where.
        detail: String,
    },
    /// Safe mode: a property is not defined by the document's contexts, so expansion would drop it.
    #[error("undefined term \"{term}\": the document's contexts do not define it, so it would not be signed")]
    UndefinedTerm {
        /// The property name as written in the document.
        term: String,
    },
    /// Safe mode: a value would be dropped by expansion or RDF conversion.
    #[error("{what} would be dropped: {detail}")]
    Dropped {
        /// The kind of value (`relative @id reference`, `free-floating scalar`, …), named as jsonld.js names the event.
        what: &'static str,
        /// The value in question.
        detail: String,
    },
}

impl JsonLdError {
    /// The JSON-LD API error code, where the error is one the specification names.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            JsonLdError::Syntax { code, .. } => Some(*code),
            JsonLdError::Context(ContextError::Unknown(_)) => Some(ErrorCode::LoadingRemoteContextFailed),
            JsonLdError::Context(_) => Some(ErrorCode::InvalidRemoteContext),
            _ => None,
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident => $text:literal,)*) => {
        /// The error codes of [JSON-LD 1.1 API §9.4.2](https://www.w3.org/TR/json-ld11-api/#jsonlderrorcode).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(#[doc = $text] $variant,)*
        }

        impl ErrorCode {
            /// The code as the specification spells it.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }
        }
    };
}

error_codes! {
    CollidingKeywords => "colliding keywords",
    ContextOverflow => "context overflow",
    CyclicIriMapping => "cyclic IRI mapping",
    InvalidBaseDirection => "invalid base direction",
    InvalidBaseIri => "invalid base IRI",
    InvalidContainerMapping => "invalid container mapping",
    InvalidContextEntry => "invalid context entry",
    InvalidContextNullification => "invalid context nullification",
    InvalidDefaultLanguage => "invalid default language",
    InvalidIdValue => "invalid @id value",
    InvalidImportValue => "invalid @import value",
    InvalidIncludedValue => "invalid @included value",
    InvalidIndexValue => "invalid @index value",
    InvalidIriMapping => "invalid IRI mapping",
    InvalidJsonLiteral => "invalid JSON literal",
    InvalidKeywordAlias => "invalid keyword alias",
    InvalidLanguageMapValue => "invalid language map value",
    InvalidLanguageMapping => "invalid language mapping",
    InvalidLanguageTaggedString => "invalid language-tagged string",
    InvalidLanguageTaggedValue => "invalid language-tagged value",
    InvalidLocalContext => "invalid local context",
    InvalidNestValue => "invalid @nest value",
    InvalidPrefixValue => "invalid @prefix value",
    InvalidPropagateValue => "invalid @propagate value",
    InvalidProtectedValue => "invalid @protected value",
    InvalidRemoteContext => "invalid remote context",
    InvalidReverseProperty => "invalid reverse property",
    InvalidReversePropertyMap => "invalid reverse property map",
    InvalidReversePropertyValue => "invalid reverse property value",
    InvalidReverseValue => "invalid @reverse value",
    InvalidScopedContext => "invalid scoped context",
    InvalidSetOrListObject => "invalid set or list object",
    InvalidTermDefinition => "invalid term definition",
    InvalidTypeMapping => "invalid type mapping",
    InvalidTypeValue => "invalid type value",
    InvalidTypedValue => "invalid typed value",
    InvalidValueObject => "invalid value object",
    InvalidValueObjectValue => "invalid value object value",
    InvalidVersionValue => "invalid @version value",
    InvalidVocabMapping => "invalid vocab mapping",
    IriConfusedWithPrefix => "IRI confused with prefix",
    KeywordRedefinition => "keyword redefinition",
    LoadingRemoteContextFailed => "loading remote context failed",
    ProtectedTermRedefinition => "protected term redefinition",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Processing options.
#[derive(Clone, Debug)]
pub struct Options {
    /// The document's base IRI, for relative references; `None` for credentials, which have none.
    pub base: Option<String>,
    /// Refuse to drop anything (see the module docs). On by default.
    pub safe: bool,
    /// How `@direction` reaches RDF (§8.2 step 13).
    pub rdf_direction: RdfDirection,
}

impl Default for Options {
    fn default() -> Self {
        Options { base: None, safe: true, rdf_direction: RdfDirection::I18nDatatype }
    }
}

/// The `rdfDirection` option of JSON-LD to RDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdfDirection {
    /// `i18n-datatype`: `"text"^^<https://www.w3.org/ns/i18n#ar_rtl>`. What the Data Integrity
    /// EdDSA cryptosuites use (jsonld.js is called with it), so our default.
    I18nDatatype,
    /// `null`: the direction is dropped (an error in safe mode).
    Drop,
}

/// A JSON-LD processor bound to a context loader and options.
pub struct Processor<'l> {
    loader: &'l dyn ContextLoader,
    options: Options,
}

impl<'l> Processor<'l> {
    /// A processor that loads contexts from `loader`.
    pub fn new(loader: &'l dyn ContextLoader, options: Options) -> Self {
        Processor { loader, options }
    }

    /// Expands `document` (§5.1), returning the expanded form: an array of node objects.
    pub fn expand(&self, document: &Value) -> Result<Vec<Value>, JsonLdError> {
        self.expand_document(&self.initial_context(), document)
    }

    /// Whether `document` expands (§5.1) without error, as [`Processor::expand`] would answer,
    /// without building the expanded form where safe mode's direct walk applies. The walk
    /// accepts only documents that expansion and conversion to RDF both accept (the conformance
    /// tests' `check_direct_walk` holds it to that), so its success answers; anything else it
    /// leaves to expansion.
    pub fn expands(&self, document: &Value) -> Result<(), JsonLdError> {
        if let (true, Value::Object(map)) = (self.options.safe, document) {
            if direct::to_dataset(self, &self.initial_context(), map, None).is_some() {
                return Ok(());
            }
        }
        self.expand(document).map(drop)
    }

    /// The active context a document starts from: the cached one for a fixed loader.
    fn initial_context(&self) -> Arc<ActiveContext> {
        if self.loader.fixed() {
            cache::initial(self.options.base.clone())
        } else {
            Arc::new(ActiveContext::new(self.options.base.clone()))
        }
    }

    /// Expands `document` and deserializes it to RDF (§8.1), returning its quads.
    pub fn to_rdf(&self, document: &Value) -> Result<Vec<Quad>, JsonLdError> {
        let expanded = self.expand(document)?;
        to_rdf::to_rdf(&expanded, self.options.safe, self.options.rdf_direction)
    }

    /// Expands `document` and deserializes it to RDF (§8.1) as a [`Dataset`], the form
    /// canonicalization takes. The quads are those of [`Processor::to_rdf`], possibly repeated.
    ///
    /// In safe mode, a document within the subset credentials use is converted in one walk,
    /// without building its expanded form ([`direct`]); any other document, and any document
    /// that would be refused, takes the general path, which gives the same dataset or the error.
    pub fn to_dataset(&self, document: &Value) -> Result<Dataset, JsonLdError> {
        let active = self.initial_context();
        if let (true, Value::Object(map)) = (self.options.safe, document) {
            if let Some(dataset) = direct::to_dataset(self, &active, map, None) {
                return Ok(dataset);
            }
        }
        let expanded = self.expand_document(&active, document)?;
        to_rdf::to_dataset(&expanded, self.options.safe, self.options.rdf_direction)
    }

    /// [`Processor::to_dataset`] of `document` without its top-level entry `omit` (a secured
    /// document without its `proof`), read in place where the direct walk applies and copied
    /// without that entry otherwise.
    pub fn to_dataset_omitting(&self, document: &Map<String, Value>, omit: &str) -> Result<Dataset, JsonLdError> {
        if self.options.safe {
            if let Some(dataset) = direct::to_dataset(self, &self.initial_context(), document, Some(omit)) {
                return Ok(dataset);
            }
        }
        let mut copy = document.clone();
        copy.remove(omit);
        self.to_dataset(&Value::Object(copy))
    }
}

/// Expands `document` with the bundled contexts, in safe mode.
pub fn expand(document: &Value) -> Result<Vec<Value>, JsonLdError> {
    Processor::new(&StaticLoader::new(), Options::default()).expand(document)
}

/// Deserializes `document` to RDF with the bundled contexts, in safe mode.
pub fn to_rdf(document: &Value) -> Result<Vec<Quad>, JsonLdError> {
    Processor::new(&StaticLoader::new(), Options::default()).to_rdf(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contexts::{CREDENTIALS_V2, OB_V3P0_3_0_3};
    use crate::rdf::to_nquads;

    fn conformance(path: &str) -> String {
        let full = format!("{}/../../shared/conformance/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    fn sorted_nquads(doc: &Value) -> String {
        let mut lines: Vec<String> = to_nquads(&to_rdf(doc).unwrap()).lines().map(|l| format!("{l}\n")).collect();
        lines.sort();
        lines.concat()
    }

    #[test]
    fn keyword_of_answers_as_iri_expansion_does() {
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        let contexts = [
            serde_json::json!({"ex": "http://example.org/", "key": "@id", "kind": "@type", "name": "ex:name"}),
            serde_json::json!([CREDENTIALS_V2, OB_V3P0_3_0_3]),
            // A prefix whose IRI joined to a suffix spells a keyword, if processing allows one.
            serde_json::json!({"p": {"@id": "@", "@prefix": true}}),
            serde_json::json!({"@vocab": "@"}),
        ];
        let keys = ["@id", "@type", "key", "kind", "id", "type", "name", "ex:type", "p:type", "type2", "@foo", "value"];
        for local in &contexts {
            let Ok(active) = processor.process_context(&processor.initial_context(), local, None, Default::default())
            else {
                continue;
            };
            for key in keys {
                let expanded = processor.expand_iri(&active, key, false, true).unwrap();
                let keyword = expanded.filter(|iri| context::is_keyword(iri));
                assert_eq!(processor.keyword_of(&active, key), keyword, "{key} under {local}");
            }
        }
    }

    #[test]
    fn w3c_eddsa_unsigned_credential_gives_the_vector_dataset() {
        let doc: Value = serde_json::from_str(&conformance("w3c-vc-di-eddsa/TestVectors/unsigned.json")).unwrap();
        assert_eq!(sorted_nquads(&doc), conformance("w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt"));
    }

    #[test]
    fn issue_2_typed_booleans_and_numbers_follow_jsonld_js() {
        let doc = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "did:example:issuer", "type": "Profile"},
            "credentialSubject": {
                "type": "AchievementSubject",
                "identifier": [{"type": "IdentityObject", "hashed": true, "identityHash": "sha256$abc", "identityType": "emailAddress", "salt": "s"}],
                "achievement": {"id": "urn:uuid:2", "type": "Achievement", "name": "A", "description": "d",
                                "criteria": {"narrative": "n"}, "creditsAvailable": 3.5}
            }
        });
        let nquads = sorted_nquads(&doc);
        assert!(nquads.contains("\"true\"^^<https://www.w3.org/2001/XMLSchema#boolean>"), "{nquads}");
        assert!(nquads.contains("\"3.5E0\"^^<https://www.w3.org/2001/XMLSchema#float>"), "{nquads}");
    }

    /// A VC 1.1 credential (whose context has no `@vocab`) with a term no context defines.
    fn credential_with_an_undefined_term() -> Value {
        serde_json::json!({
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:1",
            "issuanceDate": "2020-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:2", "favouriteColour": "blue"}
        })
    }

    #[test]
    fn undefined_term_is_refused_in_safe_mode() {
        let doc = credential_with_an_undefined_term();
        assert_eq!(to_rdf(&doc).unwrap_err(), JsonLdError::UndefinedTerm { term: "favouriteColour".into() });
    }

    #[test]
    fn reserved_id_is_refused_in_safe_mode_and_unnamed_otherwise() {
        // Before: the keyword-like @id was silently dropped, turning the node into a blank node.
        let doc = serde_json::json!({
            "@context": {"@vocab": "http://example.org/"},
            "@id": "http://example.org/a",
            "knows": {"@id": "@ignoreMe", "name": "x"}
        });
        assert!(matches!(expand(&doc), Err(JsonLdError::Dropped { what: "reserved @id value", .. })));
        let lenient = Options { safe: false, ..Options::default() };
        let quads = Processor::new(&StaticLoader::new(), lenient).to_rdf(&doc).unwrap();
        assert!(quads.is_empty(), "{quads:?}");
    }

    /// The direct walk (`to_dataset` without the expanded form) must answer for the credentials
    /// it was made for, and agree with the general path on every fixture.
    #[test]
    fn direct_walk_covers_the_fixtures_and_agrees_with_the_general_path() {
        use crate::rdfc::{canonicalize, canonicalize_dataset};
        let dir = format!("{}/../fixtures/interop", env!("CARGO_MANIFEST_DIR"));
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        let mut direct_count = 0;
        let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            let general = canonicalize(&to_rdf(&doc).unwrap()).unwrap();
            let active = processor.initial_context();
            let map = doc.as_object().unwrap();
            if let Some(dataset) = direct::to_dataset(&processor, &active, map, None) {
                direct_count += 1;
                assert_eq!(canonicalize_dataset(&dataset).unwrap(), general, "{name}");
            }
            let via_api = canonicalize_dataset(&processor.to_dataset(&doc).unwrap()).unwrap();
            assert_eq!(via_api, general, "{name}");
            if name.starts_with("05-") || name.starts_with("06-") || name.starts_with("23-") {
                assert!(direct::to_dataset(&processor, &active, map, None).is_some(), "{name} takes the direct walk");
            }
        }
        assert!(direct_count >= 20, "only {direct_count} fixtures took the direct walk");
    }

    /// A type-scoped context that turns the key naming the types into a property: expansion
    /// reads that key's types first, then the key as a property, so the walk must not answer.
    #[test]
    fn direct_walk_leaves_a_type_key_redefined_by_its_type_to_the_general_path() {
        use crate::rdfc::{canonicalize, canonicalize_dataset};
        let doc = serde_json::json!({
            "@context": {"@vocab": "http://example.org/", "kind": "@type",
                         "T": {"@id": "http://example.org/T", "@context": {"kind": "http://example.org/kind"}}},
            "@id": "http://example.org/a",
            "kind": "T",
            "name": "x"
        });
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        let map = doc.as_object().unwrap();
        assert!(direct::to_dataset(&processor, &processor.initial_context(), map, None).is_none());
        let general = canonicalize(&processor.to_rdf(&doc).unwrap()).unwrap();
        assert_eq!(canonicalize_dataset(&processor.to_dataset(&doc).unwrap()).unwrap(), general);
    }

    /// A secured document read without its `proof` gives the unsecured document's dataset,
    /// whichever path reads it; the stand-in proof here would be refused if it were read.
    #[test]
    fn omitting_the_proof_reads_the_unsecured_document() {
        use crate::rdfc::canonicalize_dataset;
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        for name in ["05-ob3-minimal.json", "06-ob3-full.json", "03-vc11-issuance-date.json"] {
            let path = format!("{}/../fixtures/interop/{name}", env!("CARGO_MANIFEST_DIR"));
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let mut secured = doc.as_object().unwrap().clone();
            secured.insert("proof".into(), serde_json::json!({"undefinedTerm": "x"}));
            let unsecured = canonicalize_dataset(&processor.to_dataset(&doc).unwrap()).unwrap();
            let omitted = canonicalize_dataset(&processor.to_dataset_omitting(&secured, "proof").unwrap()).unwrap();
            assert_eq!(omitted, unsecured, "{name}");
            assert!(processor.to_dataset(&Value::Object(secured)).is_err(), "{name}: the stand-in proof is refused");
        }
    }

    #[test]
    fn direct_walk_leaves_refusals_to_the_general_path() {
        let doc = credential_with_an_undefined_term();
        let loader = StaticLoader::new();
        let processor = Processor::new(&loader, Options::default());
        let map = doc.as_object().unwrap();
        assert!(direct::to_dataset(&processor, &processor.initial_context(), map, None).is_none());
        assert_eq!(
            processor.to_dataset(&doc).unwrap_err(),
            JsonLdError::UndefinedTerm { term: "favouriteColour".into() }
        );
    }

    #[test]
    fn unknown_context_is_refused_with_its_url() {
        let doc = serde_json::json!({"@context": "https://example.com/ctx", "name": "x"});
        assert_eq!(
            to_rdf(&doc).unwrap_err().to_string(),
            "unknown context https://example.com/ctx: it is not among the bundled contexts, and contexts are never fetched"
        );
    }
}
