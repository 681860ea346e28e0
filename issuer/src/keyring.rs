//! Issuer signing keys at rest: each Ed25519 seed is sealed with XChaCha20-Poly1305 under a
//! key-encryption key (KEK) that never enters the database.
//!
//! The KEK is 32 bytes, given as 64 hex digits or unpadded/padded base64, from
//! `ACCOLADE_KEK` or a file named by `--kek-file` (DESIGN.md, "Security rules": private keys are
//! encrypted at rest and held in `secrecy`-style types). The associated data binds each sealed
//! secret to its tenant and key id, so a sealed key copied onto another tenant's row does not open.
//!
//! RustCrypto's `chacha20poly1305` is the AEAD: audited, constant-time, and pure Rust. XChaCha's
//! 192-bit nonces are drawn at random without any risk of reuse across keys.

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use zeroize::Zeroizing;

use accolade_core::keys::SigningKey;

/// The environment variable that holds the KEK.
pub const KEK_ENV: &str = "ACCOLADE_KEK";

const NONCE_LEN: usize = 24;

/// Why a KEK could not be loaded or a key could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    /// Neither `ACCOLADE_KEK` nor a KEK file was given.
    #[error("no key-encryption key: set ACCOLADE_KEK to 32 random bytes (64 hex digits) or pass --kek-file FILE")]
    Missing,
    /// The KEK is not 32 bytes in hex or base64.
    #[error("the key-encryption key must be 32 bytes, as 64 hex digits or base64")]
    Malformed,
    /// The KEK file could not be read.
    #[error("cannot read the key-encryption key file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A sealed key did not open: wrong KEK, or the row was altered.
    #[error("signing key {0} does not open with this key-encryption key (wrong ACCOLADE_KEK, or the stored key was altered)")]
    Unseal(String),
}

/// The key-encryption key.
pub struct Kek(SecretBox<[u8; 32]>);

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(…)")
    }
}

impl Kek {
    /// Parses 64 hex digits or the base64 of 32 bytes, surrounding whitespace ignored.
    pub fn parse(text: &str) -> Result<Kek, KeyringError> {
        let text = text.trim();
        let bytes = Zeroizing::new(
            hex::decode(text)
                .ok()
                .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
                .or_else(|| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text).ok())
                .or_else(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).ok())
                .ok_or(KeyringError::Malformed)?,
        );
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| KeyringError::Malformed)?;
        Ok(Kek(SecretBox::new(Box::new(array))))
    }

    /// The KEK from `file` if given, else from `ACCOLADE_KEK`.
    pub fn load(file: Option<&std::path::Path>) -> Result<Kek, KeyringError> {
        match file {
            Some(path) => {
                let text = Zeroizing::new(
                    std::fs::read_to_string(path)
                        .map_err(|source| KeyringError::File { path: path.display().to_string(), source })?,
                );
                Kek::parse(&text)
            }
            None => match std::env::var(KEK_ENV) {
                Ok(text) => Kek::parse(&Zeroizing::new(text)),
                Err(_) => Err(KeyringError::Missing),
            },
        }
    }

    /// A fresh random KEK, hex-encoded, for `--demo` and first-time set-up.
    pub fn generate_hex() -> Zeroizing<String> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        Zeroizing::new(hex::encode(bytes.as_ref()))
    }

    /// Seals `key`'s seed for the tenant and key id: nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, key: &SigningKey, tenant: &str, key_id: &str) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new(self.0.expose_secret().into());
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = associated_data(tenant, key_id);
        let seed = key.seed();
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: seed.as_ref(), aad: aad.as_bytes() })
            // Encryption fails only for messages beyond 2^38 bytes; a seed is 32.
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a sealed seed.
    pub fn open(&self, sealed: &[u8], tenant: &str, key_id: &str) -> Result<SigningKey, KeyringError> {
        let fail = || KeyringError::Unseal(format!("{tenant}#{key_id}"));
        if sealed.len() < NONCE_LEN {
            return Err(fail());
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new(self.0.expose_secret().into());
        let aad = associated_data(tenant, key_id);
        let seed = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: aad.as_bytes() })
                .map_err(|_| fail())?,
        );
        let seed: [u8; 32] = seed.as_slice().try_into().map_err(|_| fail())?;
        let seed = Zeroizing::new(seed);
        Ok(SigningKey::from_seed(&seed))
    }
}

fn associated_data(tenant: &str, key_id: &str) -> String {
    format!("accolade signing key v1\0{tenant}\0{key_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek() -> Kek {
        Kek::parse(&"11".repeat(32)).unwrap()
    }

    #[test]
    fn sealed_keys_open_only_for_their_tenant_and_id() {
        let key = SigningKey::generate();
        let sealed = kek().seal(&key, "uni", "key-1");
        assert_eq!(kek().open(&sealed, "uni", "key-1").unwrap().public(), key.public());
        assert!(matches!(kek().open(&sealed, "other", "key-1"), Err(KeyringError::Unseal(_))));
        assert!(matches!(kek().open(&sealed, "uni", "key-2"), Err(KeyringError::Unseal(_))));
        let wrong = Kek::parse(&"22".repeat(32)).unwrap();
        let err = wrong.open(&sealed, "uni", "key-1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "signing key uni#key-1 does not open with this key-encryption key (wrong ACCOLADE_KEK, or the stored key was altered)"
        );
        assert!(!sealed.windows(32).any(|w| w == key.seed().as_ref()), "the seed must not appear in clear");
    }

    #[test]
    fn kek_formats() {
        assert!(Kek::parse(&"ab".repeat(32)).is_ok());
        assert!(Kek::parse(&base64::engine::general_purpose::STANDARD.encode([7u8; 32])).is_ok());
        assert!(matches!(Kek::parse("abcd"), Err(KeyringError::Malformed)));
        assert!(matches!(Kek::parse(&"ab".repeat(33)), Err(KeyringError::Malformed)));
        assert_eq!(Kek::generate_hex().len(), 64);
    }
}
