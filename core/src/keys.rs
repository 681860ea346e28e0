//! Ed25519 keys and their encodings: Multikey (multibase + multicodec) and JWK.
//!
//! - Multikey: [Controlled Identifiers v1.0 §2.2.2](https://www.w3.org/TR/cid-1.0/#Multikey):
//!   `publicKeyMultibase` is base58-btc (`z`) of the multicodec `ed25519-pub` (0xed, varint
//!   `0xed 0x01`) followed by the 32-byte key; `secretKeyMultibase` uses `ed25519-priv` (0x1300,
//!   varint `0x80 0x26`) followed by the 32-byte seed.
//! - JWK: [RFC 8037 §2](https://www.rfc-editor.org/rfc/rfc8037#section-2), `kty: OKP`, `crv: Ed25519`.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use serde_json::{json, Value};
use zeroize::Zeroizing;

const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const ED25519_PRIV: [u8; 2] = [0x80, 0x26];

/// A key that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The multibase string is not base58-btc (`z…`) or does not decode.
    #[error("malformed multibase {value:?}: {reason}")]
    MalformedMultibase {
        /// The offending string (public keys only; secrets are never echoed).
        value: String,
        /// Why it does not decode.
        reason: String,
    },
    /// The multicodec prefix is not the expected Ed25519 one.
    #[error("unsupported multicodec key type: expected {expected}")]
    UnsupportedKeyType {
        /// The expected codec name.
        expected: &'static str,
    },
    /// The key material has the wrong length.
    #[error("wrong key length: {len} bytes, expected 32")]
    WrongLength {
        /// The length found.
        len: usize,
    },
    /// The public key bytes are not a valid Ed25519 point.
    #[error("invalid Ed25519 public key")]
    InvalidPoint,
    /// A JWK is not an Ed25519 OKP key.
    #[error("unsupported JWK: {0}")]
    UnsupportedJwk(String),
}

/// An Ed25519 signing key. Its secret never appears in `Debug` output and is zeroed on drop.
#[derive(Clone)]
pub struct SigningKey(ed25519_dalek::SigningKey);

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl SigningKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Self {
        SigningKey(ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng))
    }

    /// The key with this 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// Decodes a Multikey `secretKeyMultibase`.
    pub fn from_multibase(secret: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(decode_multibase(secret, false)?);
        let material = strip_codec(&bytes, ED25519_PRIV, "ed25519-priv")?;
        // Some implementations (1EdTech's guide among them) write the 64-byte form, seed then
        // public key; accept it when the halves agree.
        let seed = match material.len() {
            32 | 64 => &material[..32],
            len => return Err(KeyError::WrongLength { len }),
        };
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(seed.try_into().expect("sliced to 32 bytes"));
        let key = Self::from_seed(&seed);
        if material.len() == 64 && material[32..] != key.public().as_bytes()[..] {
            return Err(KeyError::InvalidPoint);
        }
        Ok(key)
    }

    /// The Multikey `secretKeyMultibase` encoding. Handle with care: this is the secret.
    pub fn to_multibase(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(34));
        bytes.extend_from_slice(&ED25519_PRIV);
        bytes.extend_from_slice(self.0.as_bytes());
        Zeroizing::new(format!("z{}", bs58::encode(&*bytes).into_string()))
    }

    /// The 32-byte seed. Handle with care: this is the secret.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs `message` (pure Ed25519, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("public", &self.public().to_multibase()).finish_non_exhaustive()
    }
}

impl PublicKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::WrongLength { len: bytes.len() })?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes).map(PublicKey).map_err(|_| KeyError::InvalidPoint)
    }

    /// Decodes a Multikey `publicKeyMultibase` (`z6Mk…`).
    pub fn from_multibase(value: &str) -> Result<Self, KeyError> {
        let bytes = decode_multibase(value, true)?;
        Self::from_bytes(strip_codec(&bytes, ED25519_PUB, "ed25519-pub")?)
    }

    /// Decodes the bare base58-btc multibase form of `Ed25519VerificationKey2020`, which has the
    /// multicodec prefix, or of the older 2018 suite (`publicKeyBase58`), which has none.
    pub fn from_base58_raw(value: &str) -> Result<Self, KeyError> {
        let bytes = bs58::decode(value)
            .into_vec()
            .map_err(|e| KeyError::MalformedMultibase { value: value.to_owned(), reason: e.to_string() })?;
        Self::from_bytes(&bytes)
    }

    /// The Multikey `publicKeyMultibase` encoding.
    pub fn to_multibase(&self) -> String {
        let mut bytes = Vec::with_capacity(34);
        bytes.extend_from_slice(&ED25519_PUB);
        bytes.extend_from_slice(self.0.as_bytes());
        encode_multibase(&bytes)
    }

    /// The key as a public JWK.
    pub fn to_jwk(&self) -> Value {
        json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(self.0.as_bytes())})
    }

    /// Decodes a public JWK (`kty: OKP`, `crv: Ed25519`). A JWK carrying `d` is refused: a
    /// private key has no business in a document that is published.
    pub fn from_jwk(jwk: &Value) -> Result<Self, KeyError> {
        if jwk.get("kty").and_then(Value::as_str) != Some("OKP")
            || jwk.get("crv").and_then(Value::as_str) != Some("Ed25519")
        {
            return Err(KeyError::UnsupportedJwk("expected kty OKP and crv Ed25519".into()));
        }
        if jwk.get("d").is_some() {
            return Err(KeyError::UnsupportedJwk("a public JWK must not carry the private key d".into()));
        }
        let x = jwk.get("x").and_then(Value::as_str).ok_or_else(|| KeyError::UnsupportedJwk("missing x".into()))?;
        let bytes =
            URL_SAFE_NO_PAD.decode(x).map_err(|e| KeyError::UnsupportedJwk(format!("x is not base64url: {e}")))?;
        Self::from_bytes(&bytes)
    }

    /// The 32 bytes of the key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// Verifies an Ed25519 signature, rejecting non-canonical and small-order forms.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else { return false };
        // Strict verification refuses malleable and small-order forms that no honest signer makes.
        self.0.verify_strict(message, &sig).is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_multibase())
    }
}

/// Decodes a base58-btc multibase string (`z…`).
pub fn decode_multibase(value: &str, echo: bool) -> Result<Vec<u8>, KeyError> {
    let shown = if echo { value.to_owned() } else { "<secret>".to_owned() };
    let Some(body) = value.strip_prefix('z') else {
        return Err(KeyError::MalformedMultibase { value: shown, reason: "expected base58-btc, prefix z".into() });
    };
    match base58_decode(body) {
        Some(bytes) => Ok(bytes),
        // bs58 says what is wrong.
        None => bs58::decode(body)
            .into_vec()
            .map_err(|e| KeyError::MalformedMultibase { value: shown, reason: e.to_string() }),
    }
}

/// Decodes base58 nine digits at a time, the inverse of [`push_base58`]; `None` for a character
/// outside the alphabet.
fn base58_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| BASE58.iter().position(|&d| d == c).map(|d| d as u64);
    let zeros = text.bytes().take_while(|&c| c == b'1').count();
    // The number, little-endian, in base 2³².
    let mut limbs: Vec<u32> = Vec::with_capacity(text.len() * 3 / 16 + 1);
    for chunk in text.as_bytes()[zeros..].chunks(9) {
        let mut value = 0u64;
        for &c in chunk {
            value = value * 58 + digit(c)?;
        }
        let scale = u128::from(58u64.pow(chunk.len() as u32));
        let mut carry = u128::from(value);
        for limb in &mut limbs {
            let v = u128::from(*limb) * scale + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        while carry > 0 {
            limbs.push(carry as u32);
            carry >>= 32;
        }
    }
    let mut bytes = vec![0u8; zeros];
    let number: Vec<u8> = limbs.iter().rev().flat_map(|limb| limb.to_be_bytes()).skip_while(|&b| b == 0).collect();
    bytes.extend(number);
    Some(bytes)
}

/// Encodes bytes as base58-btc multibase (`z…`).
pub fn encode_multibase(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(1 + bytes.len() * 138 / 100 + 1);
    out.push('z');
    push_base58(bytes, &mut out);
    out
}

/// The Bitcoin base58 alphabet.
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// 58⁹, the base of the limbs [`push_base58`] works in: a limb times 256, plus a byte, fits a
/// `u64`.
const BASE58_LIMB: u64 = 58u64.pow(9);

/// Appends `bytes` in base58 (each leading zero byte as `1`, then the big-endian number's
/// digits), as the `bs58` crate does, but in limbs of nine digits at a time rather than one:
/// every proof value is encoded so, and one digit at a time it cost 6 µs of a signature.
/// Public data only (signatures, public keys): the working buffers are not wiped.
fn push_base58(bytes: &[u8], out: &mut String) {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    // The number, little-endian, in base 58⁹.
    let mut limbs: Vec<u64> = Vec::with_capacity(bytes.len() / 6 + 1);
    for &byte in &bytes[zeros..] {
        let mut carry = u64::from(byte);
        for limb in &mut limbs {
            let v = *limb * 256 + carry;
            *limb = v % BASE58_LIMB;
            carry = v / BASE58_LIMB;
        }
        while carry > 0 {
            limbs.push(carry % BASE58_LIMB);
            carry /= BASE58_LIMB;
        }
    }
    let mut digits: Vec<u8> = Vec::with_capacity(limbs.len() * 9);
    for &limb in &limbs {
        let mut v = limb;
        for _ in 0..9 {
            digits.push((v % 58) as u8);
            v /= 58;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(digits.iter().rev().map(|&d| char::from(BASE58[d as usize])));
}

fn strip_codec<'a>(bytes: &'a [u8], codec: [u8; 2], name: &'static str) -> Result<&'a [u8], KeyError> {
    bytes.strip_prefix(&codec[..]).ok_or(KeyError::UnsupportedKeyType { expected: name })
}

#[cfg(test)]
mod tests {
    use super::*;

    const W3C_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const W3C_SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

    #[test]
    fn w3c_vector_key_pair_round_trips() {
        let key = SigningKey::from_multibase(W3C_SECRET).unwrap();
        assert_eq!(key.public().to_multibase(), W3C_PUBLIC);
        assert_eq!(key.to_multibase().as_str(), W3C_SECRET);
        assert_eq!(PublicKey::from_multibase(W3C_PUBLIC).unwrap(), key.public());
    }

    #[test]
    fn one_edtech_64_byte_secret_is_accepted() {
        let key = SigningKey::from_multibase(
            "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx",
        )
        .unwrap();
        assert_eq!(key.public().to_multibase(), "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
    }

    #[test]
    fn jwk_round_trips_and_refuses_private_material() {
        let key = SigningKey::generate();
        let jwk = key.public().to_jwk();
        assert_eq!(PublicKey::from_jwk(&jwk).unwrap(), key.public());
        let mut private = jwk.clone();
        private["d"] = json!("AAAA");
        assert!(matches!(PublicKey::from_jwk(&private), Err(KeyError::UnsupportedJwk(_))));
    }

    #[test]
    fn malformed_multibase_is_named() {
        assert_eq!(
            PublicKey::from_multibase("u6Mk").unwrap_err().to_string(),
            "malformed multibase \"u6Mk\": expected base58-btc, prefix z"
        );
        assert!(matches!(PublicKey::from_multibase("z0OIl").unwrap_err(), KeyError::MalformedMultibase { .. }));
        assert_eq!(
            PublicKey::from_multibase(&encode_multibase(&[0x12, 0x00, 1, 2])).unwrap_err(),
            KeyError::UnsupportedKeyType { expected: "ed25519-pub" }
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let key = SigningKey::from_multibase(W3C_SECRET).unwrap();
        assert!(!format!("{key:?}").contains(&W3C_SECRET[1..]));
    }

    proptest::proptest! {
        #[test]
        fn base58_reads_back_what_it_writes(bytes in proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just(0u8), proptest::num::u8::ANY], 0..80)) {
            let text = encode_multibase(&bytes);
            proptest::prop_assert_eq!(decode_multibase(&text, true).unwrap(), bytes);
        }

        #[test]
        fn base58_is_what_bs58_reads(text in "[1-9A-HJ-NP-Za-km-z]{0,100}") {
            proptest::prop_assert_eq!(base58_decode(&text), Some(bs58::decode(&text).into_vec().unwrap()));
        }

        #[test]
        fn base58_is_what_bs58_writes(bytes in proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just(0u8), proptest::num::u8::ANY], 0..80)) {
            proptest::prop_assert_eq!(encode_multibase(&bytes), format!("z{}", bs58::encode(&bytes).into_string()));
        }

        #[test]
        fn multibase_round_trips(seed: [u8; 32]) {
            let key = SigningKey::from_seed(&seed);
            let back = SigningKey::from_multibase(&key.to_multibase()).unwrap();
            proptest::prop_assert_eq!(back.public(), key.public());
            proptest::prop_assert_eq!(PublicKey::from_multibase(&key.public().to_multibase()).unwrap(), key.public());
        }
    }
}
