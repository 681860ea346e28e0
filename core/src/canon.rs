//! Canonical forms of JSON-LD documents: RDFC-1.0 N-Quads of the document's dataset, and JCS.
//!
//! The RDF route is the one `eddsa-rdfc-2022` and `Ed25519Signature2020` sign
//! ([vc-di-eddsa §3.3.4](https://www.w3.org/TR/vc-di-eddsa/#transformation-eddsa-rdfc-2022)):
//! JSON-LD → RDF ([`crate::jsonld`], safe mode) → RDFC-1.0 ([`crate::rdfc`]). The JSON route,
//! for `eddsa-jcs-2022` (§3.4.4), is RFC 8785 ([`crate::jcs`]).

use serde_json::{Map, Value};

use crate::contexts::{ContextLoader, StaticLoader};
use crate::jsonld::{JsonLdError, Options, Processor};
use crate::rdfc::CanonError;

/// Why a document has no canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CanonicalizeError {
    /// JSON-LD processing failed: unknown context, undefined term, malformed JSON-LD.
    #[error(transparent)]
    JsonLd(#[from] JsonLdError),
    /// RDFC-1.0 refused the dataset (work limit).
    #[error(transparent)]
    Canon(#[from] CanonError),
}

/// The RDFC-1.0 canonical N-Quads of `document`, with the bundled contexts.
pub fn rdfc(document: &Value) -> Result<String, CanonicalizeError> {
    rdfc_with(document, &StaticLoader::new())
}

/// The RDFC-1.0 canonical N-Quads of `document`, with contexts from `loader`.
pub fn rdfc_with(document: &Value, loader: &dyn ContextLoader) -> Result<String, CanonicalizeError> {
    let dataset = Processor::new(loader, Options::default()).to_dataset(document)?;
    Ok(crate::rdfc::canonicalize_dataset(&dataset)?)
}

/// The RDFC-1.0 canonical N-Quads of `document` without its top-level entry `omit`, with the
/// bundled contexts: a secured document's unsecured form (without `proof`), read in place.
pub fn rdfc_omitting(document: &Map<String, Value>, omit: &str) -> Result<String, CanonicalizeError> {
    let dataset = Processor::new(&StaticLoader::new(), Options::default()).to_dataset_omitting(document, omit)?;
    Ok(crate::rdfc::canonicalize_dataset(&dataset)?)
}

/// The JCS (RFC 8785) canonical form of `document`.
pub fn jcs(document: &Value) -> String {
    crate::jcs::canonicalize(document)
}

/// The JCS (RFC 8785) canonical form of `document` without its top-level entry `omit`.
pub fn jcs_omitting(document: &Map<String, Value>, omit: &str) -> String {
    crate::jcs::canonicalize_object_omitting(document, omit)
}
