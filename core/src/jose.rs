//! JOSE-secured credentials and presentations: VC-JOSE-COSE `vc+jwt` / `vp+jwt`, and the
//! Open Badges 3.0 JSON Web Token proof format.
//!
//! - [VC-JOSE-COSE §3.1.1 and §3.1.2](https://www.w3.org/TR/vc-jose-cose/#securing-with-jose): the
//!   JWT Claims Set *is* the credential (presentation); header `alg`, `kid`, `typ: vc+jwt`
//!   (`vp+jwt`), optional `cty: vc` (`vp`). §3.1.3: the claim names `vc` and `vp` MUST NOT be
//!   present, and JWT claims that are present SHOULD NOT conflict with the credential's properties;
//!   `exp`/`nbf` there concern the signature, not the credential's validity period.
//! - [Open Badges 3.0 §8.2](https://www.imsglobal.org/spec/ob/v3p0/#jwt-proof) (JSON Web Token
//!   Proof Format): `alg` RS256 at least, `typ: JWT`, `kid` or `jwk` (which MUST never contain
//!   `d`); claims `iss` = `issuer.id`, `jti` = `id`, `sub` = `credentialSubject.id`, `nbf` =
//!   `validFrom`, `exp` = `validUntil`. Tokens made after
//!   [VC Data Model 1.1 §6.3.1](https://www.w3.org/TR/vc-data-model/#jwt-encoding) carry the
//!   credential in a `vc` claim (`vp` for presentations), from which properties moved into JWT
//!   claims are restored as §6.3.1's decoding rules say.
//! - [RFC 7515](https://www.rfc-editor.org/rfc/rfc7515): §7.1 compact serialization, §4.1.11
//!   `crit`, §5.2 validation. [RFC 7519 §4.1](https://www.rfc-editor.org/rfc/rfc7519#section-4.1):
//!   registered claims. [RFC 8037 §3.1](https://www.rfc-editor.org/rfc/rfc8037#section-3.1):
//!   EdDSA (Ed25519 only). [RFC 7518 §3.3](https://www.rfc-editor.org/rfc/rfc7518#section-3.3):
//!   RS256, and §6.3 for RSA JWKs.
//!
//! [`verify`] separates "refused, or could not be checked" (`Err`) from "checked" (a
//! [`JwtVerification`] whose `signature_valid` and `failures` say what was found).
//!
//! # Whose key is it?
//!
//! A `kid` is dereferenced through the [`Resolver`] and must be authorised for
//! `assertionMethod` (credentials) or `authentication` (presentations) by its controller
//! document; [`JwtVerification::controller`] is then that controller, which the verification
//! engine compares with the credential's issuer. A key carried in the `jwk` header proves only
//! that *someone* holding its private half signed: the JWT alone cannot bind it to the issuer, so
//! `controller` is `None` and the binding has to come from elsewhere (a trust list, or a `kid`
//! that resolves).
//!
//! # Limitations
//!
//! - Algorithms: EdDSA with Ed25519, and RS256. Not ES256/PS256, nor RFC 9864's fully specified
//!   `Ed25519` name. No JWE, no JWS JSON serialization, no SD-JWT, no nested JWTs.
//! - RS256 keys are read from the `jwk` header only. Controller documents are parsed by
//!   [`crate::did`], which reads Ed25519 keys only, so a `kid` whose controller document
//!   publishes an RSA `publicKeyJwk` fails to resolve ([`JoseError::Resolve`]).
//! - RSA moduli above 4096 bits are refused (the `rsa` crate's bound, which also caps the cost
//!   of a hostile key).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use rsa::signature::Verifier as _;
use rsa::{BigUint, RsaPublicKey};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::did::{controller_of, did_key_method_id, ProofPurpose, ResolveError, Resolver};
use crate::keys::{PublicKey, SigningKey};

/// Tokens longer than this are refused before any decoding: 1 MiB, far above any credential.
pub const MAX_TOKEN_BYTES: usize = 1024 * 1024;

/// RSA moduli shorter than this are refused (NIST SP 800-131A; RFC 7518 §3.3 requires 2048).
pub const MIN_RSA_BITS: usize = 2048;

/// Members that only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
const PRIVATE_JWK_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// `typ` values that mean "the payload is the credential": VC-JOSE-COSE's, and the `+ld`
/// spellings of its 2023 drafts, which deployed issuers still write.
const VC_JOSE_TYPES: [&str; 6] = ["vc+jwt", "vp+jwt", "vc+ld+jwt", "vp+ld+jwt", "vc+ld+json+jwt", "vp+ld+json+jwt"];

/// A JWS algorithm Accolade accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `EdDSA` with an Ed25519 key (RFC 8037 §3.1).
    EdDsa,
    /// `RS256`: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    Rs256,
}

impl Algorithm {
    /// The `alg` header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Rs256 => "RS256",
        }
    }

    /// Parses an `alg` header value, naming why a refused one is refused.
    fn parse(alg: &str) -> Result<Self, JoseError> {
        match alg {
            "EdDSA" => Ok(Algorithm::EdDsa),
            "RS256" => Ok(Algorithm::Rs256),
            // RFC 7518 registers "none" in lower case; any spelling of it is refused, so that a
            // case-insensitive library further down the line can never be tricked by "None".
            _ if alg.eq_ignore_ascii_case("none") => Err(JoseError::AlgNone(alg.to_owned())),
            // With an HMAC, a verifier that uses the issuer's *public* key as the secret lets
            // anyone forge: the classic algorithm-confusion attack.
            _ if alg.get(..2).is_some_and(|prefix| prefix.eq_ignore_ascii_case("HS")) => {
                Err(JoseError::SymmetricAlgorithm(alg.to_owned()))
            }
            _ => Err(JoseError::UnsupportedAlgorithm(alg.to_owned())),
        }
    }
}

/// Which of the three JWT shapes a token has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtKind {
    /// VC-JOSE-COSE §3.1: `typ` `vc+jwt` or `vp+jwt` (or no `typ`, as in the W3C examples); the
    /// payload is the credential or presentation. JWT claims, when present, must not conflict.
    VcJwt,
    /// Open Badges 3.0 §8.2: `typ: JWT`, the payload is the credential with the JWT claims `iss`,
    /// `jti`, `sub`, `nbf` and `exp` beside its properties.
    ObJwt,
    /// VC Data Model 1.1 §6.3.1, as Open Badges 3.0 §8.2.6 still accepts: the payload carries the
    /// credential in a `vc` claim (a presentation in `vp`).
    ObVcClaim,
}

/// What a token secures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// A verifiable credential, signed by its issuer (`assertionMethod`).
    Credential,
    /// A verifiable presentation, signed by its holder (`authentication`).
    Presentation,
}

impl Content {
    /// The verification relationship the signing key must have.
    pub fn purpose(self) -> ProofPurpose {
        match self {
            Content::Credential => ProofPurpose::AssertionMethod,
            Content::Presentation => ProofPurpose::Authentication,
        }
    }

    fn base_type(self) -> &'static str {
        match self {
            Content::Credential => "VerifiableCredential",
            Content::Presentation => "VerifiablePresentation",
        }
    }

    fn claim(self) -> &'static str {
        match self {
            Content::Credential => "vc",
            Content::Presentation => "vp",
        }
    }
}

/// Where the verifying key came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// The `kid`'s verification method, in its controller document.
    ControllerDocument,
    /// The `jwk` header: self-asserted, bound to no one by the token itself.
    HeaderJwk,
}

/// A token refused, or one that could not be checked. Never a valid credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JoseError {
    /// The token exceeds [`MAX_TOKEN_BYTES`]; nothing of it was decoded.
    #[error("the token is {len} bytes, over the {max}-byte limit")]
    TooLarge {
        /// The token's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not a JWS compact serialization (three dot-separated segments, a non-empty signature).
    #[error("not a compact JWS: {0}")]
    Malformed(String),
    /// A segment is not base64url without padding (RFC 7515 §2), or has non-canonical trailing bits.
    #[error("the {segment} segment is not base64url without padding")]
    BadBase64 {
        /// `header`, `payload` or `signature`.
        segment: &'static str,
    },
    /// The header or payload is not a JSON object.
    #[error("the {segment} is not a JSON object: {reason}")]
    BadJson {
        /// `header` or `payload`.
        segment: &'static str,
        /// The parser's complaint.
        reason: String,
    },
    /// A header parameter has the wrong type, or `alg` is missing.
    #[error("invalid JOSE header: {0}")]
    BadHeader(String),
    /// `alg` is `none` in some spelling: an unsecured JWT.
    #[error("alg {0:?} (an unsecured JWT) is refused")]
    AlgNone(String),
    /// `alg` is an HMAC (`HS256`…): whatever the key, a credential is never checked with a shared
    /// secret.
    #[error("alg {0} is symmetric (HMAC) and is refused: a credential must be signed with its issuer's private key")]
    SymmetricAlgorithm(String),
    /// `alg` is none of EdDSA and RS256.
    #[error("unsupported alg {0}: only EdDSA (Ed25519) and RS256 are accepted")]
    UnsupportedAlgorithm(String),
    /// The header's `alg` does not fit the key's type (EdDSA with an RSA key, RS256 with Ed25519).
    #[error("alg {alg} cannot be used with an {key} key")]
    AlgorithmKeyMismatch {
        /// The header's `alg`.
        alg: &'static str,
        /// The key type: `Ed25519` or `RSA`.
        key: &'static str,
    },
    /// The header has `crit` (RFC 7515 §4.1.11); none of its extensions is understood here.
    #[error("the header marks {0:?} as critical; no such extension is understood, so the token is refused")]
    UnsupportedCritical(Vec<String>),
    /// A JWK (in the header, or given to check against) carries private or symmetric key
    /// material, named here.
    #[error("the JWK carries private key material ({0}): a public JWK must never contain it")]
    PrivateJwk(&'static str),
    /// A JWK is not a usable Ed25519 or RSA public key.
    #[error("unsupported JWK: {0}")]
    UnsupportedJwk(String),
    /// An RSA key shorter than [`MIN_RSA_BITS`].
    #[error("the RSA key has {bits} bits: at least 2048 are required")]
    WeakRsaKey {
        /// The modulus length.
        bits: usize,
    },
    /// `typ` is not `vc+jwt`, `vp+jwt` or `JWT`.
    #[error("unsupported typ {0:?}: expected vc+jwt, vp+jwt or JWT")]
    UnsupportedType(String),
    /// A `vc+jwt`/`vp+jwt` payload carries a `vc` or `vp` claim (VC-JOSE-COSE §3.1.3), which
    /// would leave two candidate credentials.
    #[error("a vc+jwt or vp+jwt payload must not carry a {0:?} claim (VC-JOSE-COSE §3.1.3)")]
    ForbiddenClaim(&'static str),
    /// The payload (or its `vc`/`vp` claim) is not a credential or presentation.
    #[error("the payload is not a {expected}: {reason}")]
    NotACredential {
        /// `VerifiableCredential` or `VerifiablePresentation`.
        expected: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The header names no key: it has neither `kid` nor `jwk` (or, at signing, the kid is empty).
    #[error("the header names no key: it needs kid or jwk")]
    NoKey,
    /// The `kid` is not a DID URL, the resolver does not handle it, and there is no `jwk`.
    #[error("kid {kid:?} is not a DID URL and no resolver handles it: use a DID URL kid, or carry the key in the jwk header")]
    UnsupportedKid {
        /// The kid.
        kid: String,
    },
    /// The `kid`'s controller document could not be resolved, or lacks the method.
    #[error("cannot resolve kid {kid}: {source}")]
    Resolve {
        /// The kid (made absolute).
        kid: String,
        /// Why.
        #[source]
        source: ResolveError,
    },
    /// The `kid`'s controller document does not authorise it for the purpose the token needs.
    #[error("verification method {kid} is not authorised for {purpose} by its controller")]
    NotAuthorised {
        /// The kid.
        kid: String,
        /// `assertionMethod` or `authentication`.
        purpose: &'static str,
    },
    /// The key does not belong to `kid`: a `jwk` header different from the kid's key, or, at
    /// signing, a `did:key` kid of another key.
    #[error("the key does not match kid {kid}")]
    KeyMismatch {
        /// The kid.
        kid: String,
    },
}

impl JoseError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            JoseError::TooLarge { .. } => "JOSE_TOO_LARGE",
            JoseError::Malformed(_) => "JOSE_MALFORMED",
            JoseError::BadBase64 { .. } => "JOSE_BASE64_INVALID",
            JoseError::BadJson { .. } => "JOSE_JSON_INVALID",
            JoseError::BadHeader(_) => "JOSE_HEADER_INVALID",
            JoseError::AlgNone(_) => "JOSE_ALG_NONE",
            JoseError::SymmetricAlgorithm(_) => "JOSE_ALG_SYMMETRIC",
            JoseError::UnsupportedAlgorithm(_) => "JOSE_ALG_UNSUPPORTED",
            JoseError::AlgorithmKeyMismatch { .. } => "JOSE_ALG_KEY_MISMATCH",
            JoseError::UnsupportedCritical(_) => "JOSE_CRIT_UNSUPPORTED",
            JoseError::PrivateJwk(_) => "JOSE_JWK_PRIVATE",
            JoseError::UnsupportedJwk(_) => "JOSE_JWK_UNSUPPORTED",
            JoseError::WeakRsaKey { .. } => "JOSE_RSA_KEY_TOO_SMALL",
            JoseError::UnsupportedType(_) => "JOSE_TYP_UNSUPPORTED",
            JoseError::ForbiddenClaim(_) => "JOSE_CLAIM_FORBIDDEN",
            JoseError::NotACredential { .. } => "JOSE_NOT_A_CREDENTIAL",
            JoseError::NoKey => "JOSE_NO_KEY",
            JoseError::UnsupportedKid { .. } => "JOSE_KID_UNSUPPORTED",
            JoseError::Resolve { .. } => "JOSE_KID_UNRESOLVABLE",
            JoseError::NotAuthorised { .. } => "JOSE_KEY_NOT_AUTHORISED",
            JoseError::KeyMismatch { .. } => "JOSE_KID_KEY_MISMATCH",
        }
    }

    /// Whether the token might still be valid and only its key could not be obtained (report
    /// *indeterminate*); every other error is a refusal (report *invalid*).
    pub fn is_indeterminate(&self) -> bool {
        matches!(self, JoseError::Resolve { .. } | JoseError::UnsupportedKid { .. })
    }
}

/// A claim check that failed on a token whose key was found. Each has a stable code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtFailure {
    /// The signature does not verify with the key: the token was altered, or another key signed.
    #[error("the JWT signature does not verify: the token was altered after signing, or signed by another key")]
    SignatureInvalid,
    /// `iss` differs from the credential's `issuer` id (the presentation's `holder`), or is
    /// missing where Open Badges 3.0 requires it.
    #[error("iss {iss:?} does not match the issuer {issuer:?}")]
    IssMismatch {
        /// The `iss` claim.
        iss: Option<String>,
        /// The credential's issuer id (presentation's holder id).
        issuer: Option<String>,
    },
    /// `jti` differs from the credential's `id`.
    #[error("jti {jti:?} does not match the id {id:?}")]
    JtiMismatch {
        /// The `jti` claim.
        jti: String,
        /// The credential's id.
        id: String,
    },
    /// `sub` is none of the `credentialSubject` ids.
    #[error("sub {sub:?} does not match the credentialSubject id {subject:?}")]
    SubMismatch {
        /// The `sub` claim.
        sub: String,
        /// The (first) subject id.
        subject: String,
    },
    /// `nbf` is in the future.
    #[error("the JWT is not valid before {nbf}")]
    NotYetValid {
        /// The `nbf` claim.
        nbf: DateTime<Utc>,
    },
    /// `exp` is past.
    #[error("the JWT expired at {exp}")]
    Expired {
        /// The `exp` claim.
        exp: DateTime<Utc>,
    },
    /// `nbf` differs from the credential's `validFrom` (`issuanceDate`).
    #[error("nbf {nbf} does not match the credential's validFrom {valid_from}")]
    NbfMismatch {
        /// The `nbf` claim.
        nbf: DateTime<Utc>,
        /// The credential's `validFrom` (or `issuanceDate`).
        valid_from: String,
    },
    /// `exp` differs from the credential's `validUntil` (`expirationDate`).
    #[error("exp {exp} does not match the credential's validUntil {valid_until}")]
    ExpMismatch {
        /// The `exp` claim.
        exp: DateTime<Utc>,
        /// The credential's `validUntil` (or `expirationDate`).
        valid_until: String,
    },
    /// A registered claim has the wrong type (`nbf` that is not a NumericDate, say).
    #[error("the {claim} claim is malformed: {reason}")]
    ClaimMalformed {
        /// The claim name.
        claim: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl JwtFailure {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            JwtFailure::SignatureInvalid => "JWT_SIGNATURE_INVALID",
            JwtFailure::IssMismatch { .. } => "JWT_ISS_MISMATCH",
            JwtFailure::JtiMismatch { .. } => "JWT_JTI_MISMATCH",
            JwtFailure::SubMismatch { .. } => "JWT_SUB_MISMATCH",
            JwtFailure::NotYetValid { .. } => "JWT_NOT_YET_VALID",
            JwtFailure::Expired { .. } => "JWT_EXPIRED",
            JwtFailure::NbfMismatch { .. } => "JWT_NBF_MISMATCH",
            JwtFailure::ExpMismatch { .. } => "JWT_EXP_MISMATCH",
            JwtFailure::ClaimMalformed { .. } => "JWT_CLAIM_MALFORMED",
        }
    }
}

/// What [`verify`] or [`verify_decoded`] found on a token it could check. The credential the
/// token secures is the [`DecodedJwt`]'s.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct JwtVerification {
    /// The token's shape.
    pub kind: JwtKind,
    /// Credential or presentation.
    pub content: Content,
    /// The algorithm.
    pub alg: Algorithm,
    /// The `kid` (made absolute when it was a bare `#fragment`), if the header had one.
    pub kid: Option<String>,
    /// Where the key came from.
    pub key_source: KeySource,
    /// The key's controller, from its controller document; `None` when the key came from the
    /// `jwk` header, because then the JWT alone cannot say whose key it is.
    pub controller: Option<String>,
    /// Whether the signature verifies with the key.
    pub signature_valid: bool,
    /// Every failure found, [`JwtFailure::SignatureInvalid`] included; empty when all passed.
    pub failures: Vec<JwtFailure>,
}

impl JwtVerification {
    /// True when the signature verifies and no claim check failed. The issuer binding (is
    /// `controller` the credential's issuer?) is the verification engine's to judge.
    pub fn verified(&self) -> bool {
        self.signature_valid && self.failures.is_empty()
    }
}

/// A parsed JWS compact serialization (RFC 7515 §7.1) whose header passed the algorithm, `crit`
/// and `jwk` policies. The payload is left as bytes.
#[derive(Clone, Debug)]
pub struct CompactJws {
    header: Map<String, Value>,
    alg: Algorithm,
    header_key: Option<Key>,
    payload: Vec<u8>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

impl CompactJws {
    /// Parses `token`. Refuses, before decoding, a token over [`MAX_TOKEN_BYTES`]; then anything
    /// but three base64url segments (no padding, no stray characters), a header that is not a
    /// JSON object, an `alg` other than EdDSA and RS256, any `crit`, and a `jwk` header that is
    /// not a public Ed25519 or RSA key.
    pub fn parse(token: &str) -> Result<Self, JoseError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(JoseError::TooLarge { len: token.len(), max: MAX_TOKEN_BYTES });
        }
        // Iterated rather than collected, so that a token of dots allocates nothing.
        let mut segments = token.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (segments.next(), segments.next(), segments.next(), segments.next())
        else {
            return Err(JoseError::Malformed(match token.matches('.').count() + 1 {
                5 => "5 segments: an encrypted JWT (JWE) is not supported".to_owned(),
                n => format!("{n} segments, expected 3"),
            }));
        };
        let header_bytes = base64url(header_b64, "header")?;
        let payload = base64url(payload_b64, "payload")?;
        let signature = base64url(signature_b64, "signature")?;
        let header = match serde_json::from_slice::<Value>(&header_bytes) {
            Ok(Value::Object(header)) => header,
            Ok(_) => return Err(JoseError::BadJson { segment: "header", reason: "not an object".into() }),
            Err(e) => return Err(JoseError::BadJson { segment: "header", reason: e.to_string() }),
        };
        let alg = match header.get("alg") {
            Some(Value::String(alg)) => Algorithm::parse(alg)?,
            Some(_) => return Err(JoseError::BadHeader("alg must be a string".into())),
            None => return Err(JoseError::BadHeader("alg is missing".into())),
        };
        if let Some(crit) = header.get("crit") {
            // We implement no JWS extension (not even RFC 7797's b64), so any crit is refused;
            // only the message depends on its shape.
            let names: Option<Vec<String>> =
                crit.as_array().map(|names| names.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect());
            return Err(match names {
                Some(names) if !names.is_empty() => JoseError::UnsupportedCritical(names),
                _ => JoseError::BadHeader("crit must be a non-empty array of header names".into()),
            });
        }
        for name in ["kid", "typ", "cty"] {
            if header.get(name).is_some_and(|v| !v.is_string()) {
                return Err(JoseError::BadHeader(format!("{name} must be a string")));
            }
        }
        let header_key = header.get("jwk").map(|jwk| Key::from_jwk(jwk, alg)).transpose()?;
        if signature.is_empty() {
            return Err(JoseError::Malformed("the signature segment is empty".into()));
        }
        let signing_input = token.as_bytes()[..header_b64.len() + 1 + payload_b64.len()].to_vec();
        Ok(CompactJws { header, alg, header_key, payload, signing_input, signature })
    }

    /// The JOSE header.
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// The algorithm.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The `kid` header, if any.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The decoded payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The JWS Signing Input, `BASE64URL(header) '.' BASE64URL(payload)`: the signed bytes.
    pub fn signing_input(&self) -> &[u8] {
        &self.signing_input
    }

    /// The decoded signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Checks the signature with a public JWK. `Err` when the JWK is private, unusable, or of
    /// the wrong type for `alg`; `Ok(false)` when the signature does not verify.
    pub fn verify_with_jwk(&self, jwk: &Value) -> Result<bool, JoseError> {
        let key = Key::from_jwk(jwk, self.alg)?;
        key.check_alg(self.alg)?;
        Ok(key.verify(&self.signing_input, &self.signature))
    }
}

/// A decoded credential JWT: its JWS parts, payload, shape, and the credential it secures.
#[derive(Clone, Debug)]
pub struct DecodedJwt {
    jws: CompactJws,
    /// The Claims Set, a JSON object.
    payload: Value,
    kind: JwtKind,
    content: Content,
    /// The credential restored from a `vc`/`vp` claim; `None` when the payload is the credential
    /// (kept once, not copied: a copy was a tenth of verifying a large token).
    restored: Option<Value>,
}

impl DecodedJwt {
    /// The JWS layer.
    pub fn jws(&self) -> &CompactJws {
        &self.jws
    }

    /// The JOSE header.
    pub fn header(&self) -> &Map<String, Value> {
        self.jws.header()
    }

    /// The JWT payload (the Claims Set) as signed: a JSON object.
    pub fn payload(&self) -> &Value {
        &self.payload
    }

    /// The token's shape.
    pub fn kind(&self) -> JwtKind {
        self.kind
    }

    /// Credential or presentation.
    pub fn content(&self) -> Content {
        self.content
    }

    /// The algorithm.
    pub fn alg(&self) -> Algorithm {
        self.jws.alg()
    }

    /// The `kid` header, as written.
    pub fn kid(&self) -> Option<&str> {
        self.jws.kid()
    }

    /// The credential or presentation: the payload itself, or its `vc`/`vp` claim with the
    /// properties VC 1.1 §6.3.1 moves into JWT claims restored.
    pub fn credential(&self) -> &Value {
        self.restored.as_ref().unwrap_or(&self.payload)
    }

    /// The credential or presentation, by value.
    pub fn into_credential(self) -> Value {
        self.restored.unwrap_or(self.payload)
    }

    /// The signed bytes.
    pub fn signing_input(&self) -> &[u8] {
        self.jws.signing_input()
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        self.jws.signature()
    }
}

/// Signs `credential` as a VC-JOSE-COSE `vc+jwt` (EdDSA; header `alg`, `kid`, `typ: vc+jwt`,
/// `cty: vc`; the payload is the credential as given, compact JSON).
///
/// Refuses a credential that is not an object typed `VerifiableCredential` or carries a `vc`/`vp`
/// claim, an empty kid, and a `did:key` kid of another key. Whether any other kid names `key`
/// is the caller's to ensure (the issuer's signer checks against its controller document).
pub fn sign_vc_jwt(credential: &Value, key: &SigningKey, kid: &str) -> Result<String, JoseError> {
    sign_enveloped(credential, key, kid, Content::Credential)
}

/// Signs `presentation` as a VC-JOSE-COSE `vp+jwt` (EdDSA; `typ: vp+jwt`, `cty: vp`), with the
/// same refusals as [`sign_vc_jwt`]. The holder's `kid` must be authorised for `authentication`.
pub fn sign_vp_jwt(presentation: &Value, key: &SigningKey, kid: &str) -> Result<String, JoseError> {
    sign_enveloped(presentation, key, kid, Content::Presentation)
}

fn sign_enveloped(document: &Value, key: &SigningKey, kid: &str, content: Content) -> Result<String, JoseError> {
    let Value::Object(map) = document else {
        return Err(not_a(content, "not a JSON object"));
    };
    if let Some(claim) = ["vc", "vp"].into_iter().find(|c| map.contains_key(*c)) {
        return Err(JoseError::ForbiddenClaim(claim));
    }
    if !has_type(map, content.base_type()) {
        return Err(not_a(content, &format!("its type does not include {}", content.base_type())));
    }
    if kid.is_empty() {
        return Err(JoseError::NoKey);
    }
    if kid.starts_with("did:key:") && kid != did_key_method_id(&key.public()) {
        return Err(JoseError::KeyMismatch { kid: kid.to_owned() });
    }
    let (typ, cty) = match content {
        Content::Credential => ("vc+jwt", "vc"),
        Content::Presentation => ("vp+jwt", "vp"),
    };
    let header = json!({"alg": Algorithm::EdDsa.as_str(), "kid": kid, "typ": typ, "cty": cty});
    let header = serde_json::to_vec(&header).expect("a JSON value always serializes");
    let payload = serde_json::to_vec(document).expect("a JSON value always serializes");
    let signing_input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(payload));
    let signature = key.sign(signing_input.as_bytes());
    let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));
    if token.len() > MAX_TOKEN_BYTES {
        // Verifiers refuse it, ours first; better to fail at the issuer.
        return Err(JoseError::TooLarge { len: token.len(), max: MAX_TOKEN_BYTES });
    }
    Ok(token)
}

/// Decodes a credential JWT without checking its signature: the JWS (as
/// [`CompactJws::parse`]), the payload as a JSON object, its shape ([`JwtKind`]) and what it
/// secures, and the credential or presentation, which must carry its base type.
pub fn decode(token: &str) -> Result<DecodedJwt, JoseError> {
    let jws = CompactJws::parse(token)?;
    let payload = match serde_json::from_slice::<Value>(jws.payload()) {
        Ok(Value::Object(payload)) => payload,
        Ok(_) => return Err(JoseError::BadJson { segment: "payload", reason: "not an object".into() }),
        Err(e) => return Err(JoseError::BadJson { segment: "payload", reason: e.to_string() }),
    };
    // RFC 7515 §4.1.9: typ is compared case-insensitively, "application/" may be left off.
    let typ = jws.header().get("typ").and_then(Value::as_str);
    let normalized = typ.map(|t| {
        let t = t.to_ascii_lowercase();
        t.strip_prefix("application/").map(str::to_owned).unwrap_or(t)
    });
    let vc_jose = normalized.as_deref().filter(|t| VC_JOSE_TYPES.contains(t));
    let claim = match (payload.contains_key("vc"), payload.contains_key("vp")) {
        (true, true) => return Err(not_a(Content::Credential, "the payload has both vc and vp claims")),
        (true, false) => Some(Content::Credential),
        (false, true) => Some(Content::Presentation),
        (false, false) => None,
    };
    let (kind, content) = match (normalized.as_deref(), vc_jose, claim) {
        (_, Some(_), Some(content)) => return Err(JoseError::ForbiddenClaim(content.claim())),
        (_, Some(t), None) if t.starts_with("vp") => (JwtKind::VcJwt, Content::Presentation),
        (_, Some(_), None) => (JwtKind::VcJwt, Content::Credential),
        (None | Some("jwt"), None, Some(content)) => (JwtKind::ObVcClaim, content),
        (None, None, None) => (JwtKind::VcJwt, content_of(&payload)),
        (Some("jwt"), None, None) => (JwtKind::ObJwt, content_of(&payload)),
        (Some(_), None, _) => return Err(JoseError::UnsupportedType(typ.unwrap_or_default().to_owned())),
    };
    let restored = match kind {
        JwtKind::ObVcClaim => match payload.get(content.claim()) {
            Some(Value::Object(inner)) => Some(restore_claims(inner.clone(), &payload, content)),
            _ => return Err(not_a(content, &format!("the {} claim is not an object", content.claim()))),
        },
        _ => None,
    };
    if !has_type(restored.as_ref().unwrap_or(&payload), content.base_type()) {
        return Err(not_a(content, &format!("its type does not include {}", content.base_type())));
    }
    Ok(DecodedJwt { jws, payload: Value::Object(payload), kind, content, restored: restored.map(Value::Object) })
}

/// Verifies a credential or presentation JWT at time `now`.
///
/// `Err` when the token is refused or its key cannot be obtained (see [`JoseError`]): malformed,
/// over-long, `alg` none / HMAC / other, algorithm-key confusion, unknown `crit`, a private
/// `jwk`, an unresolvable `kid`, or a `kid` not authorised for the purpose. Otherwise the
/// returned report says whether the signature verifies and lists the claim checks that failed:
/// `iss`, `jti` and `sub` against the credential, `nbf` and `exp` against `now` and (for the
/// Open Badges shapes) against `validFrom`/`validUntil`.
pub fn verify(token: &str, resolver: &dyn Resolver, now: DateTime<Utc>) -> Result<JwtVerification, JoseError> {
    verify_decoded(&decode(token)?, resolver, now)
}

/// [`verify`] for a token already decoded, so that a caller who needs its credential as well
/// parses the token once.
pub fn verify_decoded(
    decoded: &DecodedJwt,
    resolver: &dyn Resolver,
    now: DateTime<Utc>,
) -> Result<JwtVerification, JoseError> {
    let FoundKey { key, source: key_source, controller, kid } = find_key(decoded, resolver)?;
    key.check_alg(decoded.alg())?;
    let signature_valid = key.verify(decoded.signing_input(), decoded.signature());
    let mut failures = Vec::new();
    if !signature_valid {
        failures.push(JwtFailure::SignatureInvalid);
    }
    failures.extend(check_claims(decoded, now));
    Ok(JwtVerification {
        kind: decoded.kind,
        content: decoded.content,
        alg: decoded.alg(),
        kid,
        key_source,
        controller,
        signature_valid,
        failures,
    })
}

/// A verifying key.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    Ed25519(PublicKey),
    Rsa(RsaPublicKey),
}

impl Key {
    /// Reads a public JWK for use with `alg`.
    fn from_jwk(jwk: &Value, alg: Algorithm) -> Result<Self, JoseError> {
        let Value::Object(members) = jwk else {
            return Err(JoseError::UnsupportedJwk("a JWK must be a JSON object".into()));
        };
        if let Some(private) = PRIVATE_JWK_MEMBERS.into_iter().find(|m| members.contains_key(*m)) {
            return Err(JoseError::PrivateJwk(private));
        }
        if members.get("use").is_some_and(|u| u != "sig") {
            return Err(JoseError::UnsupportedJwk("its use is not sig".into()));
        }
        if let Some(restricted) = members.get("alg") {
            if restricted != alg.as_str() {
                return Err(JoseError::UnsupportedJwk(format!(
                    "it is for alg {restricted}, the header says {}",
                    alg.as_str()
                )));
            }
        }
        match members.get("kty").and_then(Value::as_str) {
            Some("OKP") => {
                PublicKey::from_jwk(jwk).map(Key::Ed25519).map_err(|e| JoseError::UnsupportedJwk(e.to_string()))
            }
            Some("RSA") => Self::rsa_from_jwk(members),
            Some(other) => {
                Err(JoseError::UnsupportedJwk(format!("kty {other}: only OKP (Ed25519) and RSA are supported")))
            }
            None => Err(JoseError::UnsupportedJwk("kty is missing".into())),
        }
    }

    fn rsa_from_jwk(members: &Map<String, Value>) -> Result<Self, JoseError> {
        let integer = |name: &str| -> Result<BigUint, JoseError> {
            let text = members
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| JoseError::UnsupportedJwk(format!("the RSA key has no {name}")))?;
            let bytes = URL_SAFE_NO_PAD
                .decode(text)
                .map_err(|_| JoseError::UnsupportedJwk(format!("the RSA key's {name} is not base64url")))?;
            Ok(BigUint::from_bytes_be(&bytes))
        };
        let (n, e) = (integer("n")?, integer("e")?);
        let bits = n.bits();
        if bits < MIN_RSA_BITS {
            return Err(JoseError::WeakRsaKey { bits });
        }
        RsaPublicKey::new(n, e).map(Key::Rsa).map_err(|e| JoseError::UnsupportedJwk(format!("invalid RSA key: {e}")))
    }

    fn type_name(&self) -> &'static str {
        match self {
            Key::Ed25519(_) => "Ed25519",
            Key::Rsa(_) => "RSA",
        }
    }

    /// Refuses algorithm confusion: each algorithm with its one key type.
    fn check_alg(&self, alg: Algorithm) -> Result<(), JoseError> {
        match (alg, self) {
            (Algorithm::EdDsa, Key::Ed25519(_)) | (Algorithm::Rs256, Key::Rsa(_)) => Ok(()),
            _ => Err(JoseError::AlgorithmKeyMismatch { alg: alg.as_str(), key: self.type_name() }),
        }
    }

    /// Verifies a signature; call [`Key::check_alg`] first.
    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Key::Ed25519(key) => key.verify(message, signature),
            Key::Rsa(key) => {
                // The crate checks the length against the modulus and rejects s >= n.
                let Ok(signature) = rsa::pkcs1v15::Signature::try_from(signature) else { return false };
                rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key.clone()).verify(message, &signature).is_ok()
            }
        }
    }
}

/// The key a token is checked with, and what is known of it.
struct FoundKey {
    key: Key,
    source: KeySource,
    controller: Option<String>,
    kid: Option<String>,
}

/// Finds the key: the `kid`'s verification method when it resolves, else the `jwk` header.
fn find_key(decoded: &DecodedJwt, resolver: &dyn Resolver) -> Result<FoundKey, JoseError> {
    let header_key = decoded.jws.header_key.clone();
    let from_header = |key, kid| FoundKey { key, source: KeySource::HeaderJwk, controller: None, kid };
    let Some(kid) = decoded.kid() else {
        return header_key.map(|key| from_header(key, None)).ok_or(JoseError::NoKey);
    };
    let kid = absolute_kid(kid, decoded);
    let purpose = decoded.content().purpose();
    match (resolver.resolve(controller_of(&kid)), header_key) {
        (Ok(document), header_key) => {
            let Some(method) = document.method(&kid) else {
                return Err(JoseError::Resolve { source: ResolveError::MethodNotFound(kid.clone()), kid });
            };
            if !document.authorises(&kid, purpose) {
                return Err(JoseError::NotAuthorised { kid, purpose: purpose.as_str() });
            }
            let key = Key::Ed25519(method.key);
            if header_key.is_some_and(|h| h != key) {
                return Err(JoseError::KeyMismatch { kid });
            }
            let controller = Some(method.controller.clone());
            Ok(FoundKey { key, source: KeySource::ControllerDocument, controller, kid: Some(kid) })
        }
        // A kid that is only a label (OB 3.0 allows a kid beside the jwk): the jwk is the key.
        (Err(ResolveError::UnsupportedMethod(_)), Some(key)) => Ok(from_header(key, Some(kid))),
        (Err(ResolveError::UnsupportedMethod(_)), None) if !kid.starts_with("did:") => {
            Err(JoseError::UnsupportedKid { kid })
        }
        (Err(source), _) => Err(JoseError::Resolve { kid, source }),
    }
}

/// A `#fragment` kid is relative to the signer the token names: the credential's issuer, or
/// the presentation's holder (the `iss` claim having been restored into it already).
fn absolute_kid(kid: &str, decoded: &DecodedJwt) -> String {
    if !kid.starts_with('#') {
        return kid.to_owned();
    }
    let signer = match decoded.content() {
        Content::Credential => crate::model::id_of(decoded.credential().get("issuer")),
        Content::Presentation => crate::model::id_of(decoded.credential().get("holder")),
    };
    match signer {
        Some(signer) => format!("{}{kid}", controller_of(&signer)),
        None => kid.to_owned(),
    }
}

/// VC Data Model 1.1 §6.3.1, JWT decoding: properties an issuer moved into JWT claims are put back
/// where the credential (presentation) lacks them. Where both exist, [`check_claims`] compares them.
fn restore_claims(mut inner: Map<String, Value>, claims: &Map<String, Value>, content: Content) -> Map<String, Value> {
    let claim_str = |name: &str| claims.get(name).and_then(Value::as_str).map(|s| Value::String(s.to_owned()));
    let signer_property = match content {
        Content::Credential => "issuer",
        Content::Presentation => "holder",
    };
    if let Some(iss) = claim_str("iss") {
        match inner.get_mut(signer_property) {
            None => {
                inner.insert(signer_property.into(), iss);
            }
            Some(Value::Object(signer)) if !signer.contains_key("id") => {
                signer.insert("id".into(), iss);
            }
            Some(_) => {}
        }
    }
    if let Some(jti) = claim_str("jti") {
        inner.entry("id").or_insert(jti);
    }
    if content == Content::Presentation {
        return inner;
    }
    if let Some(sub) = claim_str("sub") {
        if let Some(Value::Object(subject)) = inner.get_mut("credentialSubject") {
            subject.entry("id").or_insert(sub);
        }
    }
    let v1 = is_v1(&inner);
    let dates = [("nbf", "validFrom", "issuanceDate"), ("exp", "validUntil", "expirationDate")];
    for (claim, v2_name, v1_name) in dates {
        let Some(time) = claims.get(claim).and_then(numeric_date) else { continue };
        if !inner.contains_key(v2_name) && !inner.contains_key(v1_name) {
            let name = if v1 { v1_name } else { v2_name };
            inner.insert(name.into(), Value::String(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
        }
    }
    inner
}

/// The claim checks of a token (signature aside).
fn check_claims(decoded: &DecodedJwt, now: DateTime<Utc>) -> Vec<JwtFailure> {
    let claims = decoded.payload();
    let credential = decoded.credential();
    let content = decoded.content();
    // The Open Badges shapes define each claim as a copy of a credential property; VC-JOSE-COSE
    // only asks that claims present do not conflict, and gives exp/nbf to the signature.
    let ob = decoded.kind() != JwtKind::VcJwt;
    let mut failures = Vec::new();
    let mut string_claim = |name: &'static str| match claims.get(name) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            failures.push(JwtFailure::ClaimMalformed { claim: name, reason: "not a string".into() });
            None
        }
    };
    let (iss, jti, sub) = (string_claim("iss"), string_claim("jti"), string_claim("sub"));

    let issuer = match content {
        Content::Credential => crate::model::id_of(credential.get("issuer")),
        Content::Presentation => crate::model::id_of(credential.get("holder")),
    };
    let iss_required = ob && content == Content::Credential;
    let iss_fails = match (&iss, &issuer) {
        (Some(iss), Some(issuer)) => iss != issuer,
        _ => iss_required,
    };
    if iss_fails {
        failures.push(JwtFailure::IssMismatch { iss, issuer });
    }
    if let (Some(jti), Some(id)) = (jti, credential.get("id").and_then(Value::as_str)) {
        if jti != id {
            failures.push(JwtFailure::JtiMismatch { jti, id: id.to_owned() });
        }
    }
    if let (Some(sub), Content::Credential) = (sub, content) {
        let subjects = subject_ids(credential.get("credentialSubject"));
        if !subjects.is_empty() && !subjects.contains(&sub.as_str()) {
            failures.push(JwtFailure::SubMismatch { sub, subject: subjects[0].to_owned() });
        }
    }

    let mut date_claim = |name: &'static str| match claims.get(name) {
        None => None,
        Some(value) => {
            let date = numeric_date(value);
            if date.is_none() {
                failures
                    .push(JwtFailure::ClaimMalformed { claim: name, reason: format!("{value} is not a NumericDate") });
            }
            date
        }
    };
    let (nbf, exp) = (date_claim("nbf"), date_claim("exp"));
    if let Some(nbf) = nbf {
        if nbf > now + chrono::Duration::seconds(crate::proof::CLOCK_SKEW_SECONDS) {
            failures.push(JwtFailure::NotYetValid { nbf });
        }
    }
    if let Some(exp) = exp {
        // RFC 7519 §4.1.4: not accepted "on or after" exp.
        if exp <= now {
            failures.push(JwtFailure::Expired { exp });
        }
    }
    if ob && content == Content::Credential {
        // An unparseable validFrom is the validity check's to report, not a claim mismatch.
        if let (Some(nbf), Some((text, from))) = (nbf, credential_date(credential, "validFrom", "issuanceDate")) {
            if nbf.timestamp() != from.timestamp() {
                failures.push(JwtFailure::NbfMismatch { nbf, valid_from: text });
            }
        }
        if let (Some(exp), Some((text, until))) = (exp, credential_date(credential, "validUntil", "expirationDate")) {
            if exp.timestamp() != until.timestamp() {
                failures.push(JwtFailure::ExpMismatch { exp, valid_until: text });
            }
        }
    }
    failures
}

fn base64url(segment: &str, name: &'static str) -> Result<Vec<u8>, JoseError> {
    // The engine refuses padding, the standard alphabet's + and /, whitespace, and non-zero
    // trailing bits, so each token has one encoding and a signature cannot be re-spelled.
    URL_SAFE_NO_PAD.decode(segment).map_err(|_| JoseError::BadBase64 { segment: name })
}

fn not_a(content: Content, reason: &str) -> JoseError {
    JoseError::NotACredential { expected: content.base_type(), reason: reason.to_owned() }
}

fn has_type(map: &Map<String, Value>, wanted: &str) -> bool {
    crate::model::has_type(map.get("type"), wanted)
}

/// The token inside an `EnvelopedVerifiableCredential` (VC 2.0 §4.13): its `id` is a `data:`
/// URL, `data:application/vc+jwt,<token>` (VC-JOSE-COSE §3.1.3).
pub fn enveloped_token(value: &Value) -> Option<&str> {
    if !crate::model::has_type(value.get("type"), "EnvelopedVerifiableCredential") {
        return None;
    }
    let (media_type, token) = value.get("id")?.as_str()?.strip_prefix("data:")?.split_once(',')?;
    matches!(media_type, "application/vc+jwt" | "application/vc+ld+json+jwt" | "application/jwt").then_some(token)
}

fn content_of(payload: &Map<String, Value>) -> Content {
    if has_type(payload, Content::Presentation.base_type()) {
        Content::Presentation
    } else {
        Content::Credential
    }
}

fn is_v1(credential: &Map<String, Value>) -> bool {
    let v1 = "https://www.w3.org/2018/credentials/v1";
    match credential.get("@context") {
        Some(Value::Array(contexts)) => contexts.first().is_some_and(|c| c == v1),
        Some(Value::String(context)) => context == v1,
        _ => false,
    }
}

fn subject_ids(subjects: Option<&Value>) -> Vec<&str> {
    match subjects {
        Some(Value::Object(subject)) => subject.get("id").and_then(Value::as_str).into_iter().collect(),
        Some(Value::Array(subjects)) => subjects.iter().filter_map(|s| s.get("id").and_then(Value::as_str)).collect(),
        _ => Vec::new(),
    }
}

/// A NumericDate (RFC 7519 §2): seconds since the epoch, possibly fractional.
fn numeric_date(value: &Value) -> Option<DateTime<Utc>> {
    let seconds = match value.as_i64() {
        Some(seconds) => seconds,
        // Bounded first, so that the cast cannot saturate into a plausible date.
        None => value.as_f64().filter(|s| s.is_finite() && s.abs() < 1e15)?.floor() as i64,
    };
    DateTime::from_timestamp(seconds, 0)
}

fn credential_date(credential: &Value, v2_name: &str, v1_name: &str) -> Option<(String, DateTime<Utc>)> {
    let text = credential.get(v2_name).or_else(|| credential.get(v1_name))?.as_str()?;
    let date = DateTime::parse_from_rfc3339(text).ok()?;
    Some((text.to_owned(), date.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use rsa::pkcs1v15::SigningKey as RsaSigningKey;
    use rsa::signature::{SignatureEncoding as _, Signer as _};
    use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};
    use rsa::RsaPrivateKey;

    use super::*;
    use crate::did::{did_key, ControllerDocument, StandardResolver};

    fn b64(bytes: impl AsRef<[u8]>) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn now() -> DateTime<Utc> {
        "2024-06-01T00:00:00Z".parse().unwrap()
    }

    fn ts(text: &str) -> i64 {
        text.parse::<DateTime<Utc>>().unwrap().timestamp()
    }

    fn issuer_key() -> SigningKey {
        SigningKey::from_seed(&[7; 32])
    }

    fn credential(issuer: &str) -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
            "validFrom": "2024-01-01T00:00:00Z",
            "validUntil": "2030-01-01T00:00:00Z",
            "name": "Teamwork Badge",
            "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]}
        })
    }

    fn presentation(holder: &str) -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": holder,
        })
    }

    /// A token with any header and payload, signed with Ed25519 whatever the header says.
    fn ed_token(header: &Value, payload: &Value, key: &SigningKey) -> String {
        let input =
            format!("{}.{}", b64(serde_json::to_vec(header).unwrap()), b64(serde_json::to_vec(payload).unwrap()));
        format!("{input}.{}", b64(key.sign(input.as_bytes())))
    }

    fn rsa_key() -> &'static RsaPrivateKey {
        // Generating a 2048-bit key takes seconds in a debug build: once per test binary.
        static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
        KEY.get_or_init(|| RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap())
    }

    fn rsa_jwk(key: &RsaPrivateKey) -> Value {
        json!({"kty": "RSA", "n": b64(key.n().to_bytes_be()), "e": b64(key.e().to_bytes_be())})
    }

    fn rs_token(header: &Value, payload: &Value, key: &RsaPrivateKey) -> String {
        let input =
            format!("{}.{}", b64(serde_json::to_vec(header).unwrap()), b64(serde_json::to_vec(payload).unwrap()));
        let signature = RsaSigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes()).to_vec();
        format!("{input}.{}", b64(signature))
    }

    /// An OB 3.0 / VC 1.1 style payload: the credential in the vc claim, with the JWT claims.
    fn ob_claims(vc: &Value) -> Value {
        json!({
            "iss": vc["issuer"]["id"],
            "jti": vc["id"],
            "sub": vc["credentialSubject"]["id"],
            "nbf": ts("2024-01-01T00:00:00Z"),
            "exp": ts("2030-01-01T00:00:00Z"),
            "vc": vc,
        })
    }

    fn verify_offline(token: &str) -> Result<JwtVerification, JoseError> {
        verify(token, &StandardResolver::offline(), now())
    }

    #[test]
    fn did_key_vc_jwt_round_trips() {
        let key = issuer_key();
        let did = did_key(&key.public());
        let kid = did_key_method_id(&key.public());
        let vc = credential(&did);
        let token = sign_vc_jwt(&vc, &key, &kid).unwrap();

        let decoded = decode(&token).unwrap();
        assert_eq!(decoded.kind(), JwtKind::VcJwt);
        assert_eq!(decoded.content(), Content::Credential);
        assert_eq!(decoded.credential(), &vc);
        assert_eq!(
            decoded.header(),
            json!({"alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"}).as_object().unwrap()
        );
        assert_eq!(decoded.signature().len(), 64);

        let report = verify_offline(&token).unwrap();
        assert!(report.verified(), "{report:?}");
        assert_eq!(report.controller.as_deref(), Some(did.as_str()));
        assert_eq!(report.key_source, KeySource::ControllerDocument);
        assert_eq!(report.kid.as_deref(), Some(kid.as_str()));
        assert_eq!(report.alg, Algorithm::EdDsa);
    }

    #[test]
    fn vp_jwt_round_trips_with_authentication() {
        let key = issuer_key();
        let did = did_key(&key.public());
        let token = sign_vp_jwt(&presentation(&did), &key, &did_key_method_id(&key.public())).unwrap();
        let report = verify_offline(&token).unwrap();
        assert!(report.verified(), "{report:?}");
        assert_eq!(report.content, Content::Presentation);
        assert_eq!(decode(&token).unwrap().header()["typ"], "vp+jwt");
    }

    #[test]
    fn tampered_payload_is_signature_invalid() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        let token = sign_vc_jwt(&vc, &key, &did_key_method_id(&key.public())).unwrap();
        let mut forged = vc.clone();
        forged["name"] = json!("Master of the Universe");
        let parts: Vec<&str> = token.split('.').collect();
        let tampered = format!("{}.{}.{}", parts[0], b64(serde_json::to_vec(&forged).unwrap()), parts[2]);

        let report = verify_offline(&tampered).unwrap();
        assert!(!report.signature_valid);
        assert_eq!(report.failures, vec![JwtFailure::SignatureInvalid]);
        assert_eq!(report.failures[0].code(), "JWT_SIGNATURE_INVALID");
        assert!(!report.verified());
    }

    #[test]
    fn alg_none_is_refused_in_any_case() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        for alg in ["none", "NONE", "None", "nOnE"] {
            let header = json!({"alg": alg, "typ": "vc+jwt"});
            let unsecured = format!("{}.{}.", b64(header.to_string()), b64(vc.to_string()));
            assert_eq!(decode(&unsecured).unwrap_err(), JoseError::AlgNone(alg.into()));
            // Even with a signature attached, the header alone condemns it.
            let signed = ed_token(&header, &vc, &key);
            assert_eq!(verify_offline(&signed).unwrap_err(), JoseError::AlgNone(alg.into()));
            assert_eq!(JoseError::AlgNone(alg.into()).code(), "JOSE_ALG_NONE");
        }
    }

    #[test]
    fn other_algorithms_are_refused() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        for alg in ["ES256", "PS256", "RS512", "Ed25519", "eddsa"] {
            let token = ed_token(&json!({"alg": alg, "kid": did_key_method_id(&key.public())}), &vc, &key);
            assert_eq!(verify_offline(&token).unwrap_err(), JoseError::UnsupportedAlgorithm(alg.into()));
        }
        let token = ed_token(&json!({"kid": "x"}), &vc, &key);
        assert!(matches!(decode(&token).unwrap_err(), JoseError::BadHeader(_)));
    }

    #[test]
    fn hmac_is_refused_whatever_the_key() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        let kid = did_key_method_id(&key.public());
        for header in [
            json!({"alg": "HS256", "kid": kid}),
            json!({"alg": "HS256", "jwk": key.public().to_jwk()}),
            json!({"alg": "HS512", "jwk": rsa_jwk(rsa_key())}),
            json!({"alg": "hs256", "jwk": {"kty": "oct", "k": "c2VjcmV0"}}),
        ] {
            let alg = header["alg"].as_str().unwrap().to_owned();
            let token = ed_token(&header, &vc, &key);
            assert_eq!(verify_offline(&token).unwrap_err(), JoseError::SymmetricAlgorithm(alg));
        }
    }

    #[test]
    fn eddsa_header_with_rsa_key_is_refused() {
        let key = issuer_key();
        let vc = credential("https://example.edu/issuers/1");
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "JWT", "jwk": rsa_jwk(rsa_key())}), &vc, &key);
        assert_eq!(verify_offline(&token).unwrap_err(), JoseError::AlgorithmKeyMismatch { alg: "EdDSA", key: "RSA" });
    }

    #[test]
    fn rs256_header_with_ed25519_key_is_refused() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        for header in [
            json!({"alg": "RS256", "kid": did_key_method_id(&key.public())}),
            json!({"alg": "RS256", "jwk": key.public().to_jwk()}),
        ] {
            let token = ed_token(&header, &vc, &key);
            assert_eq!(
                verify_offline(&token).unwrap_err(),
                JoseError::AlgorithmKeyMismatch { alg: "RS256", key: "Ed25519" }
            );
        }
        let jws = CompactJws::parse(&ed_token(&json!({"alg": "RS256"}), &vc, &key)).unwrap();
        assert_eq!(
            jws.verify_with_jwk(&key.public().to_jwk()).unwrap_err(),
            JoseError::AlgorithmKeyMismatch { alg: "RS256", key: "Ed25519" }
        );
    }

    #[test]
    fn unknown_crit_is_refused() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        let kid = did_key_method_id(&key.public());
        let token = ed_token(&json!({"alg": "EdDSA", "kid": kid, "crit": ["b64"], "b64": false}), &vc, &key);
        assert_eq!(verify_offline(&token).unwrap_err(), JoseError::UnsupportedCritical(vec!["b64".into()]));
        let token = ed_token(&json!({"alg": "EdDSA", "kid": kid, "crit": []}), &vc, &key);
        assert!(matches!(decode(&token).unwrap_err(), JoseError::BadHeader(_)));
    }

    #[test]
    fn private_jwk_header_is_refused() {
        let key = issuer_key();
        let vc = credential("https://example.edu/issuers/1");
        let mut okp = key.public().to_jwk();
        okp["d"] = json!(b64(key.seed().as_slice()));
        let token = ed_token(&json!({"alg": "EdDSA", "jwk": okp}), &vc, &key);
        assert_eq!(decode(&token).unwrap_err(), JoseError::PrivateJwk("d"));

        let mut rsa = rsa_jwk(rsa_key());
        rsa["p"] = json!(b64(rsa_key().primes()[0].to_bytes_be()));
        let token = ed_token(&json!({"alg": "RS256", "jwk": rsa}), &vc, &key);
        assert_eq!(verify_offline(&token).unwrap_err(), JoseError::PrivateJwk("p"));
        assert_eq!(JoseError::PrivateJwk("p").code(), "JOSE_JWK_PRIVATE");
    }

    fn pinned_resolver(did: &str, key: &SigningKey, relationships: Value) -> StandardResolver {
        let mut doc = json!({
            "id": did,
            "verificationMethod": [{
                "id": format!("{did}#key-1"), "type": "Multikey", "controller": did,
                "publicKeyMultibase": key.public().to_multibase(),
            }],
        });
        for (purpose, ids) in relationships.as_object().unwrap() {
            doc[purpose] = ids.clone();
        }
        StandardResolver::offline().with_document(ControllerDocument::from_json(&doc).unwrap())
    }

    #[test]
    fn kid_not_authorised_for_assertion_is_refused() {
        let key = issuer_key();
        let did = "did:web:example.edu";
        let kid = format!("{did}#key-1");
        let resolver = pinned_resolver(did, &key, json!({"authentication": [kid]}));
        let token = sign_vc_jwt(&credential(did), &key, &kid).unwrap();
        assert_eq!(
            verify(&token, &resolver, now()).unwrap_err(),
            JoseError::NotAuthorised { kid: kid.clone(), purpose: "assertionMethod" }
        );
        // The same key may sign the holder's presentations.
        let vp = sign_vp_jwt(&presentation(did), &key, &kid).unwrap();
        assert!(verify(&vp, &resolver, now()).unwrap().verified());
    }

    #[test]
    fn vp_jwt_needs_authentication() {
        let key = issuer_key();
        let did = "did:web:example.edu";
        let kid = format!("{did}#key-1");
        let resolver = pinned_resolver(did, &key, json!({"assertionMethod": [kid]}));
        let token = sign_vp_jwt(&presentation(did), &key, &kid).unwrap();
        assert_eq!(
            verify(&token, &resolver, now()).unwrap_err(),
            JoseError::NotAuthorised { kid, purpose: "authentication" }
        );
    }

    #[test]
    fn relative_kid_resolves_against_the_issuer() {
        let key = issuer_key();
        let did = "did:web:example.edu";
        let resolver = pinned_resolver(did, &key, json!({"assertionMethod": ["#key-1"]}));
        let token = ed_token(&json!({"alg": "EdDSA", "kid": "#key-1", "typ": "vc+jwt"}), &credential(did), &key);
        let report = verify(&token, &resolver, now()).unwrap();
        assert!(report.verified(), "{report:?}");
        assert_eq!(report.kid.as_deref(), Some("did:web:example.edu#key-1"));
    }

    #[test]
    fn oversized_token_is_refused_before_decoding() {
        // Not even base64: had it been decoded, the error would be another one.
        let token = "!".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(decode(&token).unwrap_err(), JoseError::TooLarge { len: MAX_TOKEN_BYTES + 1, max: MAX_TOKEN_BYTES });
        assert_eq!(verify_offline(&token).unwrap_err().code(), "JOSE_TOO_LARGE");
    }

    #[test]
    fn non_did_kid_without_resolver_is_named() {
        let key = issuer_key();
        let token =
            sign_vc_jwt(&credential("https://example.edu/issuers/1"), &key, "https://example.edu/keys#key-1").unwrap();
        let err = verify_offline(&token).unwrap_err();
        assert_eq!(err, JoseError::UnsupportedKid { kid: "https://example.edu/keys#key-1".into() });
        assert!(err.to_string().contains("https://example.edu/keys#key-1"), "{err}");
        assert!(err.is_indeterminate());
        // A DID of a method we do not resolve is a resolution error that names it too.
        let token = ed_token(&json!({"alg": "EdDSA", "kid": "did:ion:abc#k"}), &credential("did:ion:abc"), &key);
        let err = verify_offline(&token).unwrap_err();
        assert!(matches!(&err, JoseError::Resolve { kid, .. } if kid == "did:ion:abc#k"), "{err:?}");
    }

    #[test]
    fn ob_vc_claim_rs256_with_jwk_header_verifies() {
        let vc = credential("https://example.edu/issuers/565049");
        let header = json!({"alg": "RS256", "typ": "JWT", "jwk": rsa_jwk(rsa_key())});
        let token = rs_token(&header, &ob_claims(&vc), rsa_key());

        let report = verify_offline(&token).unwrap();
        assert!(report.verified(), "{report:?}");
        assert_eq!(report.kind, JwtKind::ObVcClaim);
        assert_eq!(report.alg, Algorithm::Rs256);
        assert_eq!(report.key_source, KeySource::HeaderJwk);
        assert_eq!(report.controller, None);
        assert_eq!(decode(&token).unwrap().credential(), &vc);
    }

    #[test]
    fn ob_vc_claim_iss_mismatch_is_reported() {
        let vc = credential("https://example.edu/issuers/565049");
        let mut claims = ob_claims(&vc);
        claims["iss"] = json!("https://evil.example/issuers/1");
        let token = rs_token(&json!({"alg": "RS256", "typ": "JWT", "jwk": rsa_jwk(rsa_key())}), &claims, rsa_key());

        let report = verify_offline(&token).unwrap();
        assert!(report.signature_valid);
        assert_eq!(
            report.failures,
            vec![JwtFailure::IssMismatch {
                iss: Some("https://evil.example/issuers/1".into()),
                issuer: Some("https://example.edu/issuers/565049".into()),
            }]
        );
        assert_eq!(report.failures[0].code(), "JWT_ISS_MISMATCH");
        assert!(!report.verified());
    }

    #[test]
    fn rs256_tampered_is_signature_invalid() {
        let vc = credential("https://example.edu/issuers/565049");
        let token = rs_token(&json!({"alg": "RS256", "jwk": rsa_jwk(rsa_key())}), &ob_claims(&vc), rsa_key());
        let mut sig = decode(&token).unwrap().signature().to_vec();
        sig[10] ^= 1;
        let (input, _) = token.rsplit_once('.').unwrap();
        let report = verify_offline(&format!("{input}.{}", b64(sig))).unwrap();
        assert_eq!(report.failures, vec![JwtFailure::SignatureInvalid]);
    }

    #[test]
    fn small_rsa_keys_are_refused() {
        let key = issuer_key();
        // Only the length is checked before refusal, so any 1024-bit number will do.
        let jwk = json!({"kty": "RSA", "n": b64([0xc5; 128]), "e": "AQAB"});
        let token = ed_token(&json!({"alg": "RS256", "jwk": jwk}), &credential("https://example.edu/i"), &key);
        assert_eq!(decode(&token).unwrap_err(), JoseError::WeakRsaKey { bits: 1024 });
    }

    #[test]
    fn ob_jwt_payload_claims_are_checked() {
        let key = issuer_key();
        let did = did_key(&key.public());
        let kid = did_key_method_id(&key.public());
        let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": kid});
        let mut payload = credential(&did);
        let claims = ob_claims(&credential(&did));
        for name in ["iss", "jti", "sub", "nbf", "exp"] {
            payload[name] = claims[name].clone();
        }
        let report = verify_offline(&ed_token(&header, &payload, &key)).unwrap();
        assert_eq!(report.kind, JwtKind::ObJwt);
        assert!(report.verified(), "{report:?}");

        payload["jti"] = json!("urn:uuid:other");
        payload["sub"] = json!("did:example:someone-else");
        payload["nbf"] = json!(ts("2024-02-01T00:00:00Z"));
        payload["exp"] = json!(ts("2024-05-01T00:00:00Z"));
        let report = verify_offline(&ed_token(&header, &payload, &key)).unwrap();
        assert!(report.signature_valid);
        let codes: Vec<&str> = report.failures.iter().map(JwtFailure::code).collect();
        assert_eq!(
            codes,
            ["JWT_JTI_MISMATCH", "JWT_SUB_MISMATCH", "JWT_EXPIRED", "JWT_NBF_MISMATCH", "JWT_EXP_MISMATCH"]
        );

        payload.as_object_mut().unwrap().remove("iss");
        let report = verify_offline(&ed_token(&header, &payload, &key)).unwrap();
        assert_eq!(report.failures[0], JwtFailure::IssMismatch { iss: None, issuer: Some(did.clone()) });
    }

    #[test]
    fn nbf_in_the_future_and_malformed_claims() {
        let key = issuer_key();
        let did = did_key(&key.public());
        let header = json!({"alg": "EdDSA", "kid": did_key_method_id(&key.public()), "typ": "vc+jwt"});
        let mut payload = credential(&did);
        payload["nbf"] = json!(ts("2024-07-01T00:00:00Z"));
        payload["exp"] = json!("tomorrow");
        let report = verify_offline(&ed_token(&header, &payload, &key)).unwrap();
        assert_eq!(
            report.failures,
            vec![
                JwtFailure::ClaimMalformed { claim: "exp", reason: "\"tomorrow\" is not a NumericDate".into() },
                JwtFailure::NotYetValid { nbf: "2024-07-01T00:00:00Z".parse().unwrap() },
            ]
        );
        // Within the tolerated skew, and a vc+jwt's nbf need not equal validFrom.
        payload["nbf"] = json!(now().timestamp() + 60);
        payload.as_object_mut().unwrap().remove("exp");
        assert!(verify_offline(&ed_token(&header, &payload, &key)).unwrap().verified());
    }

    #[test]
    fn vc_1_1_claims_are_restored_into_the_credential() {
        let key = issuer_key();
        let did = did_key(&key.public());
        let vc = json!({
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"degree": "BSc"},
        });
        let claims = json!({"iss": did, "jti": "urn:uuid:1", "sub": "did:example:s", "nbf": ts("2024-01-01T00:00:00Z"), "vc": vc});
        let token =
            ed_token(&json!({"alg": "EdDSA", "typ": "JWT", "kid": did_key_method_id(&key.public())}), &claims, &key);
        let report = verify_offline(&token).unwrap();
        assert!(report.verified(), "{report:?}");
        let credential = decode(&token).unwrap().into_credential();
        assert_eq!(credential["issuer"], json!(did));
        assert_eq!(credential["id"], "urn:uuid:1");
        assert_eq!(credential["credentialSubject"]["id"], "did:example:s");
        assert_eq!(credential["issuanceDate"], "2024-01-01T00:00:00Z");
    }

    #[test]
    fn jwk_that_is_not_the_kid_key_is_refused() {
        let key = issuer_key();
        let other = SigningKey::from_seed(&[9; 32]);
        let kid = did_key_method_id(&key.public());
        let token = ed_token(
            &json!({"alg": "EdDSA", "kid": kid, "jwk": other.public().to_jwk()}),
            &credential(&did_key(&key.public())),
            &key,
        );
        assert_eq!(verify_offline(&token).unwrap_err(), JoseError::KeyMismatch { kid });
    }

    #[test]
    fn a_label_kid_beside_a_jwk_uses_the_jwk() {
        let vc = credential("https://example.edu/issuers/565049");
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": "key-1", "jwk": rsa_jwk(rsa_key())});
        let report = verify_offline(&rs_token(&header, &ob_claims(&vc), rsa_key())).unwrap();
        assert!(report.verified(), "{report:?}");
        assert_eq!((report.key_source, report.controller), (KeySource::HeaderJwk, None));
    }

    #[test]
    fn vc_claim_in_a_vc_jwt_is_refused() {
        let key = issuer_key();
        let mut payload = credential(&did_key(&key.public()));
        payload["vc"] = credential("did:example:other");
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "vc+jwt"}), &payload, &key);
        assert_eq!(decode(&token).unwrap_err(), JoseError::ForbiddenClaim("vc"));
        assert_eq!(
            sign_vc_jwt(&payload, &key, &did_key_method_id(&key.public())).unwrap_err(),
            JoseError::ForbiddenClaim("vc")
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let key = issuer_key();
        let token = sign_vc_jwt(&credential(&did_key(&key.public())), &key, &did_key_method_id(&key.public())).unwrap();
        let (h, rest) = token.split_once('.').unwrap();
        let (p, s) = rest.split_once('.').unwrap();
        assert!(matches!(decode(&format!("{h}.{p}")), Err(JoseError::Malformed(_))));
        assert!(matches!(decode("a.b.c.d.e"), Err(JoseError::Malformed(m)) if m.contains("JWE")));
        assert_eq!(decode(&format!("{h}=.{p}.{s}")).unwrap_err(), JoseError::BadBase64 { segment: "header" });
        assert_eq!(decode(&format!("{h}.{p}.{s}==")).unwrap_err(), JoseError::BadBase64 { segment: "signature" });
        assert_eq!(
            decode(&format!("{h}.{}.{s}", p.replacen('-', "+", 1).replacen('_', "/", 1) + "+")).unwrap_err(),
            JoseError::BadBase64 { segment: "payload" }
        );
        assert_eq!(decode(&format!(" {h}.{p}.{s}")).unwrap_err(), JoseError::BadBase64 { segment: "header" });
        assert!(matches!(decode(&format!("{h}.{p}.")), Err(JoseError::Malformed(_))));
        assert!(matches!(
            decode(&format!("{}.{p}.{s}", b64("[1]"))),
            Err(JoseError::BadJson { segment: "header", .. })
        ));
        assert!(matches!(
            decode(&format!("{h}.{}.{s}", b64("\"x\""))),
            Err(JoseError::BadJson { segment: "payload", .. })
        ));
    }

    #[test]
    fn non_canonical_base64_signature_is_refused() {
        // 64 bytes encode to 86 characters, the last carrying 4 unused bits: setting them gives
        // another spelling of the same signature, which must not verify as the same token.
        let key = issuer_key();
        let token = sign_vc_jwt(&credential(&did_key(&key.public())), &key, &did_key_method_id(&key.public())).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let last = sig.chars().last().unwrap();
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let index = alphabet.find(last).unwrap();
        // Canonical, its low four bits are zero; setting one keeps the decoded byte.
        let respelled = alphabet.chars().nth(index | 1).unwrap();
        let forged = format!("{input}.{}{respelled}", &sig[..sig.len() - 1]);
        assert_eq!(decode(&forged).unwrap_err(), JoseError::BadBase64 { segment: "signature" });
    }

    #[test]
    fn typ_and_content_are_checked() {
        let key = issuer_key();
        let vc = credential(&did_key(&key.public()));
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "dpop+jwt"}), &vc, &key);
        assert_eq!(decode(&token).unwrap_err(), JoseError::UnsupportedType("dpop+jwt".into()));
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "application/VC+JWT"}), &vc, &key);
        assert_eq!(decode(&token).unwrap().kind(), JwtKind::VcJwt);
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "vc+jwt"}), &json!({"sub": "x"}), &key);
        assert!(matches!(
            decode(&token).unwrap_err(),
            JoseError::NotACredential { expected: "VerifiableCredential", .. }
        ));
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "vp+jwt"}), &vc, &key);
        assert!(matches!(
            decode(&token).unwrap_err(),
            JoseError::NotACredential { expected: "VerifiablePresentation", .. }
        ));
        let token = ed_token(&json!({"alg": "EdDSA"}), &json!({"iss": "joe"}), &key);
        assert!(matches!(decode(&token).unwrap_err(), JoseError::NotACredential { .. }));
    }

    #[test]
    fn signing_refuses_what_verifiers_would_refuse() {
        let key = issuer_key();
        let other = SigningKey::from_seed(&[9; 32]);
        let vc = credential(&did_key(&key.public()));
        let foreign = did_key_method_id(&other.public());
        assert_eq!(sign_vc_jwt(&vc, &key, &foreign).unwrap_err(), JoseError::KeyMismatch { kid: foreign });
        assert_eq!(sign_vc_jwt(&vc, &key, "").unwrap_err(), JoseError::NoKey);
        assert!(matches!(sign_vc_jwt(&json!([1]), &key, "k").unwrap_err(), JoseError::NotACredential { .. }));
        assert!(matches!(sign_vp_jwt(&vc, &key, "k").unwrap_err(), JoseError::NotACredential { .. }));
    }

    #[test]
    fn unknown_key_is_reported() {
        let key = issuer_key();
        let token = ed_token(&json!({"alg": "EdDSA", "typ": "vc+jwt"}), &credential("https://example.edu/i"), &key);
        assert_eq!(verify_offline(&token).unwrap_err(), JoseError::NoKey);
        let did = did_key(&key.public());
        let token = ed_token(&json!({"alg": "EdDSA", "kid": format!("{did}#nope")}), &credential(&did), &key);
        assert!(matches!(
            verify_offline(&token).unwrap_err(),
            JoseError::Resolve { source: ResolveError::MethodNotFound(_), .. }
        ));
    }

    proptest! {
        #[test]
        fn sign_decode_round_trips_and_any_flipped_signature_byte_fails(
            name in any::<String>(),
            id in "[a-z0-9:/.-]{1,40}",
            subject in "[a-zA-Z0-9:]{1,30}",
            score in any::<i64>(),
            quarters in any::<i32>(),
            index in 0usize..64,
            mask in 1u8..=255,
        ) {
            let key = issuer_key();
            let did = did_key(&key.public());
            let vc = json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": id,
                "type": ["VerifiableCredential"],
                "issuer": did,
                "name": name,
                // Quarters are exact in binary and decimal, so the number survives parsing.
                "credentialSubject": {"id": subject, "score": score, "grade": f64::from(quarters) / 4.0},
            });
            let token = sign_vc_jwt(&vc, &key, &did_key_method_id(&key.public())).unwrap();
            let decoded = decode(&token).unwrap();
            prop_assert_eq!(decoded.credential(), &vc);
            prop_assert_eq!(decoded.payload(), &vc);

            let mut signature = decoded.signature().to_vec();
            signature[index] ^= mask;
            let input = std::str::from_utf8(decoded.signing_input()).unwrap();
            let report = verify_offline(&format!("{input}.{}", b64(signature))).unwrap();
            prop_assert!(!report.signature_valid);
            prop_assert_eq!(report.failures, vec![JwtFailure::SignatureInvalid]);
        }
    }
}
