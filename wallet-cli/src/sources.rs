//! Where an import comes from: a file (credential JSON, a `vc+jwt` token, a baked PNG or SVG
//! badge, or a photo of a QR code), standard input, or a URL (an issuer's public link, fetched
//! through the guarded client).

use std::io::Read as _;
use std::path::Path;

use accolade_core::bake;
use accolade_core::did::Fetcher as _;
use accolade_core::fetch::{FetchPolicy, GuardedClient};
use accolade_verifier::qr;

/// Why a source gave no credential. Each message carries a hint.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The file does not exist.
    #[error("file not found: {0}")]
    NotFound(String),
    /// The file could not be read.
    #[error("cannot read {0}: {1}")]
    Unreadable(String, std::io::Error),
    /// The URL could not be fetched.
    #[error("cannot fetch {0}: {1}")]
    Fetch(String, String),
    /// An image with neither a baked credential nor a readable QR code.
    #[error("{0} is an image with no baked credential and no readable QR code; try a sharper photo, or the badge file itself")]
    NoQrCode(String),
    /// Not a credential at all.
    #[error("{0} is not a credential: expected credential JSON, a vc+jwt token, a baked badge or a QR code image")]
    NotACredential(String),
}

/// The credential text (JSON or compact JWT) a source holds, and a label for it.
pub fn load(source: &str, policy: &FetchPolicy) -> Result<(String, String), SourceError> {
    let (bytes, label) = if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| SourceError::Unreadable("stdin".into(), e))?;
        (bytes, "stdin".to_owned())
    } else if source.starts_with("https://") || source.starts_with("http://") {
        (fetch(source, policy)?, source.to_owned())
    } else {
        let path = Path::new(source);
        if !path.exists() {
            return Err(SourceError::NotFound(source.to_owned()));
        }
        (std::fs::read(path).map_err(|e| SourceError::Unreadable(source.to_owned(), e))?, source.to_owned())
    };
    let text = credential_text(bytes, &label, policy)?;
    Ok((text, label))
}

fn fetch(url: &str, policy: &FetchPolicy) -> Result<Vec<u8>, SourceError> {
    GuardedClient::new(policy.clone()).fetch(url).map_err(|e| SourceError::Fetch(url.to_owned(), e))
}

fn credential_text(bytes: Vec<u8>, label: &str, policy: &FetchPolicy) -> Result<String, SourceError> {
    if bake::detect(&bytes).is_some() {
        if let Ok(text) = bake::unbake(&bytes) {
            return Ok(text);
        }
    }
    let is_image = bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8]);
    if is_image {
        let content = qr::decode(&bytes).map_err(|_| SourceError::NoQrCode(label.to_owned()))?;
        let content = content.trim();
        if content.starts_with("https://") || content.starts_with("http://") {
            let link = qr::credential_link(content);
            return credential_text(fetch(&link, policy)?, &link, policy);
        }
        return checked(content.to_owned(), label);
    }
    let text = String::from_utf8(bytes).map_err(|_| SourceError::NotACredential(label.to_owned()))?;
    checked(text, label)
}

/// Keeps text that looks like credential JSON (an object) or a compact JWS.
fn checked(text: String, label: &str) -> Result<String, SourceError> {
    let trimmed = text.trim();
    let json_object =
        trimmed.starts_with('{') && serde_json::from_str::<serde_json::Value>(trimmed).is_ok_and(|v| v.is_object());
    let jwt = trimmed.split('.').count() == 3
        && trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if json_object || jwt {
        Ok(trimmed.to_owned())
    } else {
        Err(SourceError::NotACredential(label.to_owned()))
    }
}
