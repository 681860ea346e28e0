//! The verifier's list of trusted issuers, loaded from a JSON file.
//!
//! ```json
//! {"issuers": [{"id": "did:web:univ.example", "name": "Université Exemple"}]}
//! ```
//!
//! The engine consults it only after the issuer's signature is confirmed, so a credential that
//! merely names a listed issuer is never reported as trusted ([`accolade_core::verify`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accolade_core::verify::TrustList;
use serde::Deserialize;

/// Issuers this verifier trusts, by identifier, with the names to show for them.
#[derive(Clone, Debug, Default)]
pub struct TrustedIssuers {
    names: HashMap<String, String>,
}

/// Why a trusted-issuer list could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustListError {
    /// The file could not be read.
    #[error("cannot read the trusted-issuer list {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        #[source]
        source: std::io::Error,
    },
    /// The text is not the expected JSON.
    #[error(
        "the trusted-issuer list is not valid: {0}; expected {{\"issuers\": [{{\"id\": \"did:…\", \"name\": \"…\"}}]}}"
    )]
    Malformed(String),
    /// The same issuer is listed twice.
    #[error("the trusted-issuer list names {0} twice")]
    Duplicate(String),
    /// An entry has an empty id or name.
    #[error("the trusted-issuer list has an entry with an empty id or name")]
    Empty,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    issuers: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    name: String,
}

impl TrustedIssuers {
    /// Parses the list from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, TrustListError> {
        let file: File = serde_json::from_str(text).map_err(|e| TrustListError::Malformed(e.to_string()))?;
        let mut names = HashMap::new();
        for entry in file.issuers {
            if entry.id.trim().is_empty() || entry.name.trim().is_empty() {
                return Err(TrustListError::Empty);
            }
            if names.insert(entry.id.clone(), entry.name).is_some() {
                return Err(TrustListError::Duplicate(entry.id));
            }
        }
        Ok(TrustedIssuers { names })
    }

    /// Reads and parses the list at `path`.
    pub fn load(path: &Path) -> Result<Self, TrustListError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| TrustListError::Io { path: path.to_owned(), source })?;
        Self::from_json(&text)
    }

    /// How many issuers are listed.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

impl TrustList for TrustedIssuers {
    fn trusted_name(&self, issuer: &str) -> Option<String> {
        self.names.get(issuer).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_answers() {
        let list =
            TrustedIssuers::from_json(r#"{"issuers": [{"id": "did:web:a.example", "name": "A College"}]}"#).unwrap();
        assert_eq!(list.trusted_name("did:web:a.example").as_deref(), Some("A College"));
        assert_eq!(list.trusted_name("did:web:b.example"), None);
    }

    #[test]
    fn bad_lists_are_refused_with_the_reason() {
        let dup = r#"{"issuers": [{"id": "did:x:1", "name": "A"}, {"id": "did:x:1", "name": "B"}]}"#;
        assert_eq!(
            TrustedIssuers::from_json(dup).unwrap_err().to_string(),
            "the trusted-issuer list names did:x:1 twice"
        );
        assert!(matches!(
            TrustedIssuers::from_json(r#"{"issuers": [{"id": "", "name": "A"}]}"#),
            Err(TrustListError::Empty)
        ));
        let typo = TrustedIssuers::from_json(r#"{"issuer": []}"#).unwrap_err().to_string();
        assert!(typo.starts_with("the trusted-issuer list is not valid: unknown field `issuer`"), "{typo}");
    }
}
