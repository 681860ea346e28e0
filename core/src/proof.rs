//! Data Integrity proofs: `eddsa-rdfc-2022` and `eddsa-jcs-2022` (create and verify), and the
//! legacy `Ed25519Signature2020` (verify).
//!
//! - [VC Data Integrity 1.0](https://www.w3.org/TR/vc-data-integrity/) §4.2 (add proof, proof
//!   sets and chains with `previousProof`), §4.4/§4.5 (verify proof, proof sets and chains),
//!   §2.1 (proof options: `created`, `expires`, `challenge`, `domain`, `nonce`).
//! - [vc-di-eddsa 1.0](https://www.w3.org/TR/vc-di-eddsa/) §3.3 (`eddsa-rdfc-2022`: RDFC-1.0 +
//!   SHA-256) and §3.4 (`eddsa-jcs-2022`: JCS + SHA-256). In both, the signed bytes are
//!   `SHA-256(canonical proof configuration) ‖ SHA-256(canonical document)`, and the proof
//!   configuration carries the document's `@context`.
//! - `Ed25519Signature2020` ([W3C CCG, 2020](https://w3c-ccg.github.io/di-eddsa-2020/)): the same
//!   transformation and hashing as `eddsa-rdfc-2022`, with its own proof type.
//!
//! This module checks cryptography and key authorisation (the verification method is listed
//! under the proof purpose in its controller's document). Whether that controller is the
//! credential's issuer is the verification engine's business ([`crate::verify`]).

use std::borrow::Cow;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::canon::{self, CanonicalizeError};
use crate::contexts;
use crate::dataset::Dataset;
use crate::did::{controller_of, ProofPurpose, ResolveError, Resolver};
use crate::keys::{decode_multibase, encode_multibase, SigningKey};

/// A cryptosuite Accolade can verify, and (all but the legacy one) create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cryptosuite {
    /// `DataIntegrityProof` with `cryptosuite: eddsa-rdfc-2022`.
    EddsaRdfc2022,
    /// `DataIntegrityProof` with `cryptosuite: eddsa-jcs-2022`.
    EddsaJcs2022,
    /// The legacy `Ed25519Signature2020` proof type (verify only).
    Ed25519Signature2020,
}

impl Cryptosuite {
    /// The name, as in `cryptosuite` (or the proof `type`, for the legacy suite).
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
            Cryptosuite::Ed25519Signature2020 => "Ed25519Signature2020",
        }
    }

    /// Parses a cryptosuite name accepted in issuance options.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "eddsa-rdfc-2022" => Some(Cryptosuite::EddsaRdfc2022),
            "eddsa-jcs-2022" => Some(Cryptosuite::EddsaJcs2022),
            _ => None,
        }
    }

    fn of_proof(proof: &Map<String, Value>) -> Option<Self> {
        match proof.get("type").and_then(Value::as_str)? {
            "DataIntegrityProof" => Self::parse(proof.get("cryptosuite").and_then(Value::as_str)?),
            "Ed25519Signature2020" => Some(Cryptosuite::Ed25519Signature2020),
            _ => None,
        }
    }
}

/// The options of a proof to create (Data Integrity §2.1).
#[derive(Clone, Debug)]
pub struct ProofOptions {
    /// The cryptosuite; `Ed25519Signature2020` is refused for signing.
    pub cryptosuite: Cryptosuite,
    /// The verification method id (`did:…#…`).
    pub verification_method: String,
    /// The proof purpose.
    pub proof_purpose: ProofPurpose,
    /// `created`, an XML Schema dateTime; `None` for the current time, to the second.
    pub created: Option<String>,
    /// `expires`, an XML Schema dateTime, if the proof should lapse.
    pub expires: Option<String>,
    /// `challenge`, for authentication proofs.
    pub challenge: Option<String>,
    /// `domain`, for authentication proofs.
    pub domain: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `previousProof`: the id (string) or ids (array) of proofs this one chains onto.
    pub previous_proof: Option<Value>,
    /// The proof's own `id`, so that later proofs can chain onto it.
    pub id: Option<String>,
}

impl ProofOptions {
    /// Options for an issuer's `assertionMethod` proof by `verification_method`.
    pub fn assertion(cryptosuite: Cryptosuite, verification_method: impl Into<String>) -> Self {
        ProofOptions {
            cryptosuite,
            verification_method: verification_method.into(),
            proof_purpose: ProofPurpose::AssertionMethod,
            created: None,
            expires: None,
            challenge: None,
            domain: None,
            nonce: None,
            previous_proof: None,
            id: None,
        }
    }

    /// Options for a holder's `authentication` proof, bound to `challenge` and `domain`.
    pub fn authentication(
        verification_method: impl Into<String>,
        challenge: Option<String>,
        domain: Option<String>,
    ) -> Self {
        ProofOptions {
            proof_purpose: ProofPurpose::Authentication,
            challenge,
            domain,
            ..Self::assertion(Cryptosuite::EddsaRdfc2022, verification_method)
        }
    }
}

/// Why a proof could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The document is not a JSON object.
    #[error("the document to sign must be a JSON object")]
    NotAnObject,
    /// The document has no canonical form (unknown context, undefined term, …).
    #[error("cannot canonicalize the document: {0}")]
    Canonicalize(#[from] CanonicalizeError),
    /// The cryptosuite can only be verified.
    #[error("{0} proofs can be verified but not created")]
    VerifyOnlySuite(&'static str),
    /// The verification method could not be resolved.
    #[error("cannot resolve the verification method: {0}")]
    Resolve(#[from] ResolveError),
    /// The signing key is not the verification method's key.
    #[error("the signing key does not match verification method {0}")]
    KeyMismatch(String),
    /// The verification method is not authorised for the proof purpose.
    #[error("verification method {method} is not authorised for {purpose}")]
    NotAuthorised {
        /// The verification method.
        method: String,
        /// The purpose.
        purpose: &'static str,
    },
    /// `previousProof` names a proof the document does not have.
    #[error("previousProof {0} is not among the document's proofs")]
    MissingPreviousProof(String),
}

/// Adds a proof to `document` (Data Integrity §4.2). Existing proofs are kept, making a proof
/// set, or chained onto when `options.previous_proof` names them. The key must be the
/// verification method's key, and the method must be authorised for the purpose.
pub fn add_proof(
    document: &Value,
    key: &SigningKey,
    options: &ProofOptions,
    resolver: &dyn Resolver,
) -> Result<Value, SignError> {
    let Value::Object(doc) = document else { return Err(SignError::NotAnObject) };
    secure(Cow::Borrowed(doc), key, options, resolver)
}

/// [`add_proof`] for a document the caller no longer needs: the proof is added to it rather than
/// to a copy. An issuer that builds a credential only to sign it saves copying the whole
/// credential (7% of signing the full OB 3.0 example, BENCHMARKS.md). On an error the document is
/// dropped; sign a borrowed one with [`add_proof`] to keep it.
pub fn add_proof_owned(
    document: Value,
    key: &SigningKey,
    options: &ProofOptions,
    resolver: &dyn Resolver,
) -> Result<Value, SignError> {
    let Value::Object(doc) = document else { return Err(SignError::NotAnObject) };
    secure(Cow::Owned(doc), key, options, resolver)
}

/// Data Integrity §4.2 for both [`add_proof`] and [`add_proof_owned`].
fn secure(
    doc: Cow<'_, Map<String, Value>>,
    key: &SigningKey,
    options: &ProofOptions,
    resolver: &dyn Resolver,
) -> Result<Value, SignError> {
    if options.cryptosuite == Cryptosuite::Ed25519Signature2020 {
        return Err(SignError::VerifyOnlySuite("Ed25519Signature2020"));
    }
    let vm = &options.verification_method;
    let controller = resolver.resolve(controller_of(vm))?;
    let method = controller.method(vm).ok_or_else(|| ResolveError::MethodNotFound(vm.clone()))?;
    if method.key != key.public() {
        return Err(SignError::KeyMismatch(vm.clone()));
    }
    if !controller.authorises(vm, options.proof_purpose) {
        return Err(SignError::NotAuthorised { method: vm.clone(), purpose: options.proof_purpose.as_str() });
    }

    let doc = with_suite_context(doc);
    // Proofs already on the document stay on it; the new one joins them.
    let existing: Vec<Value> = match doc.get("proof") {
        Some(Value::Array(items)) => items.clone(),
        Some(single) => vec![single.clone()],
        None => Vec::new(),
    };
    // The document as signed: without its proofs (read in place), or with only the chained-to
    // ones.
    let chained = match &options.previous_proof {
        Some(previous) => {
            let matching = matching_proofs(&existing, previous).map_err(SignError::MissingPreviousProof)?;
            let mut with_chain = doc.as_ref().clone();
            with_chain.insert("proof".into(), Value::Array(matching));
            Some(Value::Object(with_chain))
        }
        None => None,
    };

    let mut config = Map::new();
    config.insert("type".into(), "DataIntegrityProof".into());
    if let Some(id) = &options.id {
        config.insert("id".into(), id.clone().into());
    }
    config.insert("cryptosuite".into(), options.cryptosuite.as_str().into());
    let created =
        options.created.clone().unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string());
    config.insert("created".into(), created.into());
    if let Some(expires) = &options.expires {
        config.insert("expires".into(), expires.clone().into());
    }
    config.insert("verificationMethod".into(), vm.clone().into());
    config.insert("proofPurpose".into(), options.proof_purpose.as_str().into());
    for (name, value) in [("challenge", &options.challenge), ("domain", &options.domain), ("nonce", &options.nonce)] {
        if let Some(v) = value {
            config.insert(name.into(), v.clone().into());
        }
    }
    if let Some(previous) = &options.previous_proof {
        config.insert("previousProof".into(), previous.clone());
    }

    if options.cryptosuite == Cryptosuite::EddsaJcs2022 {
        // vc-di-eddsa §3.4.2: a JCS proof carries the document's @context itself, since nothing
        // else ties the proof's terms to a vocabulary.
        if let Some(ctx) = doc.get("@context") {
            config.insert("@context".into(), ctx.clone());
        }
    }
    let unsecured = chained.as_ref().map_or(Signed::WithoutProof(&doc), Signed::Whole);
    let hash = hash_data(options.cryptosuite, unsecured, None, config.clone(), doc.get("@context"))?;
    let signature = key.sign(&hash);
    config.insert("proofValue".into(), encode_multibase(&signature).into());

    let mut secured = doc.into_owned();
    let new_proof = Value::Object(config);
    let proof = if existing.is_empty() {
        new_proof
    } else {
        let mut all = existing;
        all.push(new_proof);
        Value::Array(all)
    };
    secured.insert("proof".into(), proof);
    Ok(Value::Object(secured))
}

/// The document, with the Data Integrity v2 context added when its contexts do not define
/// `DataIntegrityProof` (VC 1.1 documents): VC 2.0's base context includes those terms, VC 1.1's
/// does not. vc-js does the same (`ensureSuiteContext`), so both sign the same bytes.
fn with_suite_context(doc: Cow<'_, Map<String, Value>>) -> Cow<'_, Map<String, Value>> {
    let defines =
        |c: &Value| c.as_str().is_some_and(|s| s == contexts::CREDENTIALS_V2 || s == contexts::DATA_INTEGRITY_V2);
    let has = match doc.get("@context") {
        Some(Value::Array(items)) => items.iter().any(defines),
        Some(single) => defines(single),
        None => true,
    };
    if has {
        return doc;
    }
    let mut doc = doc.into_owned();
    match doc.get_mut("@context") {
        Some(Value::Array(items)) => items.push(contexts::DATA_INTEGRITY_V2.into()),
        Some(single) => *single = Value::Array(vec![single.take(), contexts::DATA_INTEGRITY_V2.into()]),
        None => {}
    }
    Cow::Owned(doc)
}

/// What the verifier expects of proofs beyond their cryptography.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// The purpose every proof must have; `None` accepts any known purpose.
    pub purpose: Option<ProofPurpose>,
    /// The challenge an authentication proof must carry.
    pub challenge: Option<String>,
    /// The domain an authentication proof must carry.
    pub domain: Option<String>,
    /// The time to judge `created`/`expires` against; `None` for now.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// The document without its proofs, already converted to RDF with the bundled contexts (by
    /// the engine's context check): unchained RDFC proofs canonicalize it instead of converting
    /// the document again. It must be exactly that document's dataset.
    pub document_dataset: Option<std::sync::Arc<Dataset>>,
}

/// The verdict on one proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Checked, and valid.
    Valid,
    /// Checked, and not valid.
    Invalid(ProofFailure),
    /// Could not be checked (key unresolvable, say): neither valid nor proven invalid.
    Indeterminate(ProofFailure),
}

/// The report on one proof of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofReport {
    /// The proof's position in the document's proof set.
    pub index: usize,
    /// The proof's `verificationMethod`.
    pub verification_method: Option<String>,
    /// The controller of the verification method, as its controller document says.
    pub controller: Option<String>,
    /// The proof's `proofPurpose`.
    pub purpose: Option<String>,
    /// The cryptosuite, if known.
    pub cryptosuite: Option<Cryptosuite>,
    /// The verdict.
    pub outcome: Outcome,
}

/// Why a proof is not valid (or could not be checked). Each has a stable code for reports.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofFailure {
    /// The document has no proof.
    #[error("the document has no proof")]
    NoProof,
    /// A proof entry is not an object, or lacks required properties.
    #[error("malformed proof: {0}")]
    Malformed(String),
    /// The proof type or cryptosuite is not one we know.
    #[error("unsupported proof type or cryptosuite: {0}")]
    UnsupportedSuite(String),
    /// `proofValue` is not base58-btc multibase of a 64-byte signature.
    #[error("malformed proofValue: {0}")]
    MalformedProofValue(String),
    /// The document (or proof configuration) has no canonical form.
    #[error("cannot canonicalize: {0}")]
    Canonicalize(String),
    /// The signature does not verify: the document or proof was changed, or another key signed.
    #[error("the signature does not match the document: it was altered after signing, or signed by another key")]
    SignatureMismatch,
    /// The proof's purpose is not the expected one.
    #[error("proof purpose is {found}, expected {expected}")]
    WrongPurpose {
        /// The expected purpose.
        expected: &'static str,
        /// The purpose found.
        found: String,
    },
    /// The verification method is not authorised for the purpose by its controller.
    #[error("verification method {method} is not authorised for {purpose} by its controller")]
    NotAuthorised {
        /// The verification method.
        method: String,
        /// The purpose.
        purpose: String,
    },
    /// The verification method could not be resolved.
    #[error("cannot resolve verification method: {0}")]
    Unresolvable(String),
    /// `challenge` missing or different.
    #[error("challenge mismatch: expected {expected:?}, found {found:?}")]
    ChallengeMismatch {
        /// Expected.
        expected: String,
        /// Found.
        found: Option<String>,
    },
    /// `domain` missing or different.
    #[error("domain mismatch: expected {expected:?}, found {found:?}")]
    DomainMismatch {
        /// Expected.
        expected: String,
        /// Found.
        found: Option<String>,
    },
    /// The proof's `expires` is past.
    #[error("the proof expired at {0}")]
    Expired(String),
    /// The proof's `created` is in the future.
    #[error("the proof was created in the future ({0})")]
    CreatedInFuture(String),
    /// `previousProof` names a proof that is not in the set.
    #[error("previousProof {0} is not among the document's proofs")]
    MissingPreviousProof(String),
}

impl ProofFailure {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ProofFailure::NoProof => "PROOF_MISSING",
            ProofFailure::Malformed(_) => "PROOF_MALFORMED",
            ProofFailure::UnsupportedSuite(_) => "PROOF_UNSUPPORTED_SUITE",
            ProofFailure::MalformedProofValue(_) => "PROOF_VALUE_MALFORMED",
            ProofFailure::Canonicalize(_) => "PROOF_CANONICALIZATION_FAILED",
            ProofFailure::SignatureMismatch => "PROOF_SIGNATURE_MISMATCH",
            ProofFailure::WrongPurpose { .. } => "PROOF_WRONG_PURPOSE",
            ProofFailure::NotAuthorised { .. } => "PROOF_METHOD_NOT_AUTHORISED",
            ProofFailure::Unresolvable(_) => "PROOF_METHOD_UNRESOLVABLE",
            ProofFailure::ChallengeMismatch { .. } => "PROOF_CHALLENGE_MISMATCH",
            ProofFailure::DomainMismatch { .. } => "PROOF_DOMAIN_MISMATCH",
            ProofFailure::Expired(_) => "PROOF_EXPIRED",
            ProofFailure::CreatedInFuture(_) => "PROOF_CREATED_IN_FUTURE",
            ProofFailure::MissingPreviousProof(_) => "PROOF_PREVIOUS_MISSING",
        }
    }
}

/// Verifies every proof of `document` (Data Integrity §4.5 for sets and chains). Returns one
/// report per proof; a document without proof gives a single `NoProof` report.
pub fn verify_proofs(document: &Value, resolver: &dyn Resolver, expect: &Expectations) -> Vec<ProofReport> {
    let Value::Object(doc) = document else {
        return vec![report(0, None, Outcome::Invalid(ProofFailure::Malformed("not a JSON object".into())))];
    };
    let proofs: Vec<Value> = match doc.get("proof") {
        Some(Value::Array(items)) if !items.is_empty() => items.clone(),
        Some(Value::Array(_)) | None => return vec![report(0, None, Outcome::Invalid(ProofFailure::NoProof))],
        Some(single) => vec![single.clone()],
    };
    // Unchained proofs sign the document without its proofs, which is read in place.
    let unsecured = Signed::WithoutProof(doc);
    proofs
        .iter()
        .enumerate()
        .map(|(i, proof)| verify_one(i, proof, &proofs, unsecured, doc, resolver, expect))
        .collect()
}

fn verify_one(
    index: usize,
    proof: &Value,
    all: &[Value],
    unsecured: Signed<'_>,
    doc: &Map<String, Value>,
    resolver: &dyn Resolver,
    expect: &Expectations,
) -> ProofReport {
    let Value::Object(proof) = proof else {
        return report(index, None, Outcome::Invalid(ProofFailure::Malformed("a proof must be an object".into())));
    };
    let mut rep = report(index, Some(proof), Outcome::Valid);
    rep.outcome = match check_proof(proof, all, unsecured, doc, resolver, expect, &mut rep) {
        Ok(()) => Outcome::Valid,
        Err(Verdict::Invalid(f)) => Outcome::Invalid(f),
        Err(Verdict::Indeterminate(f)) => Outcome::Indeterminate(f),
    };
    rep
}

enum Verdict {
    Invalid(ProofFailure),
    Indeterminate(ProofFailure),
}

fn invalid(f: ProofFailure) -> Verdict {
    Verdict::Invalid(f)
}

#[allow(clippy::too_many_arguments)]
fn check_proof(
    proof: &Map<String, Value>,
    all: &[Value],
    unsecured: Signed<'_>,
    doc: &Map<String, Value>,
    resolver: &dyn Resolver,
    expect: &Expectations,
    rep: &mut ProofReport,
) -> Result<(), Verdict> {
    let suite = Cryptosuite::of_proof(proof).ok_or_else(|| {
        let name = proof.get("cryptosuite").or_else(|| proof.get("type")).map(|v| v.to_string()).unwrap_or_default();
        invalid(ProofFailure::UnsupportedSuite(name))
    })?;
    rep.cryptosuite = Some(suite);
    let vm = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(ProofFailure::Malformed("verificationMethod is missing".into())))?;
    let purpose_name = proof
        .get("proofPurpose")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(ProofFailure::Malformed("proofPurpose is missing".into())))?;
    let purpose = ProofPurpose::parse(purpose_name)
        .ok_or_else(|| invalid(ProofFailure::Malformed(format!("unknown proofPurpose {purpose_name}"))))?;
    if let Some(expected) = expect.purpose {
        if expected != purpose {
            return Err(invalid(ProofFailure::WrongPurpose {
                expected: expected.as_str(),
                found: purpose_name.into(),
            }));
        }
    }
    let signature = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(ProofFailure::Malformed("proofValue is missing".into())))?;
    let signature =
        decode_multibase(signature, true).map_err(|e| invalid(ProofFailure::MalformedProofValue(e.to_string())))?;
    if signature.len() != 64 {
        return Err(invalid(ProofFailure::MalformedProofValue(format!("{} bytes, expected 64", signature.len()))));
    }
    check_binding(proof, expect)?;
    check_times(proof, expect)?;

    // A chained proof signs the document with the proofs it chains onto; any other proof signs
    // the document without proofs, which is hashed as it is, without a copy.
    let chained = match proof.get("previousProof") {
        Some(previous) => {
            let matching =
                matching_proofs(all, previous).map_err(|id| invalid(ProofFailure::MissingPreviousProof(id)))?;
            // The document with only the chained-to proofs in place of its own.
            let mut with_chain = doc.clone();
            with_chain.insert("proof".into(), Value::Array(matching));
            Some(Value::Object(with_chain))
        }
        None => None,
    };
    let to_verify = chained.as_ref().map_or(unsecured, Signed::Whole);
    let mut config = proof.clone();
    config.remove("proofValue");
    if let Some(ctx) = config.get("@context") {
        // §4.4 step 4: a proof's own @context must be a prefix of the document's.
        let doc_ctx = doc.get("@context").map(as_vec).unwrap_or_default();
        let proof_ctx = as_vec(ctx);
        if proof_ctx.len() > doc_ctx.len() || proof_ctx.iter().zip(&doc_ctx).any(|(a, b)| a != b) {
            return Err(invalid(ProofFailure::Malformed(
                "the proof's @context is not a prefix of the document's".into(),
            )));
        }
    }
    let dataset = if chained.is_none() { expect.document_dataset.as_deref() } else { None };
    let hash = hash_data(suite, to_verify, dataset, config, doc.get("@context"))
        .map_err(|e| invalid(ProofFailure::Canonicalize(e.to_string())))?;

    let controller_doc = resolver
        .resolve(controller_of(vm))
        .map_err(|e| Verdict::Indeterminate(ProofFailure::Unresolvable(e.to_string())))?;
    let method = controller_doc
        .method(vm)
        .ok_or_else(|| invalid(ProofFailure::Unresolvable(format!("{vm} is not in its controller document"))))?;
    rep.controller = Some(method.controller.clone());
    if !controller_doc.authorises(vm, purpose) {
        return Err(invalid(ProofFailure::NotAuthorised { method: vm.into(), purpose: purpose_name.into() }));
    }
    if !method.key.verify(&hash, &signature) {
        return Err(invalid(ProofFailure::SignatureMismatch));
    }
    Ok(())
}

fn check_binding(proof: &Map<String, Value>, expect: &Expectations) -> Result<(), Verdict> {
    let found = |name: &str| proof.get(name).and_then(Value::as_str).map(str::to_owned);
    if let Some(expected) = &expect.challenge {
        if found("challenge").as_deref() != Some(expected) {
            return Err(invalid(ProofFailure::ChallengeMismatch {
                expected: expected.clone(),
                found: found("challenge"),
            }));
        }
    }
    if let Some(expected) = &expect.domain {
        let ok = match proof.get("domain") {
            Some(Value::String(d)) => d == expected,
            Some(Value::Array(ds)) => ds.iter().any(|d| d.as_str() == Some(expected)),
            _ => false,
        };
        if !ok {
            return Err(invalid(ProofFailure::DomainMismatch { expected: expected.clone(), found: found("domain") }));
        }
    }
    Ok(())
}

/// Clock skew tolerated on a proof's `created` (and a JWT's `nbf`), for signers whose clocks run
/// a little fast.
pub const CLOCK_SKEW_SECONDS: i64 = 300;

fn check_times(proof: &Map<String, Value>, expect: &Expectations) -> Result<(), Verdict> {
    let now = expect.now.unwrap_or_else(chrono::Utc::now);
    let parse = |name: &str| -> Result<Option<(String, chrono::DateTime<chrono::Utc>)>, Verdict> {
        match proof.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| Some((s.clone(), t.with_timezone(&chrono::Utc))))
                .map_err(|_| invalid(ProofFailure::Malformed(format!("{name} is not a dateTime: {s}")))),
            Some(_) => Err(invalid(ProofFailure::Malformed(format!("{name} must be a string")))),
        }
    };
    if let Some((text, created)) = parse("created")? {
        if created > now + chrono::Duration::seconds(CLOCK_SKEW_SECONDS) {
            return Err(invalid(ProofFailure::CreatedInFuture(text)));
        }
    }
    if let Some((text, expires)) = parse("expires")? {
        if expires < now {
            return Err(invalid(ProofFailure::Expired(text)));
        }
    }
    Ok(())
}

fn report(index: usize, proof: Option<&Map<String, Value>>, outcome: Outcome) -> ProofReport {
    let text = |name: &str| proof.and_then(|p| p.get(name)).and_then(Value::as_str).map(str::to_owned);
    ProofReport {
        index,
        verification_method: text("verificationMethod"),
        controller: None,
        purpose: text("proofPurpose"),
        cryptosuite: None,
        outcome,
    }
}

fn as_vec(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

/// The proofs whose `id` is named by `previous` (a string or an array of strings).
fn matching_proofs(proofs: &[Value], previous: &Value) -> Result<Vec<Value>, String> {
    let ids: Vec<&str> = match previous {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        other => return Err(other.to_string()),
    };
    ids.into_iter()
        .map(|id| {
            proofs
                .iter()
                .find(|p| p.get("id").and_then(Value::as_str) == Some(id))
                .cloned()
                .ok_or_else(|| id.to_owned())
        })
        .collect()
}

/// The document a proof signs: a whole document, or a secured document without its `proof`
/// entry, read in place instead of copied.
#[derive(Clone, Copy)]
enum Signed<'a> {
    Whole(&'a Value),
    WithoutProof(&'a Map<String, Value>),
}

impl Signed<'_> {
    fn rdfc(self) -> Result<String, CanonicalizeError> {
        match self {
            Signed::Whole(document) => canon::rdfc(document),
            Signed::WithoutProof(document) => canon::rdfc_omitting(document, "proof"),
        }
    }

    fn jcs(self) -> String {
        match self {
            Signed::Whole(document) => canon::jcs(document),
            Signed::WithoutProof(document) => canon::jcs_omitting(document, "proof"),
        }
    }
}

/// The bytes a proof signs: `SHA-256(proof configuration) ‖ SHA-256(document)`, each in the
/// suite's canonical form; the configuration takes the document's `@context`.
fn hash_data(
    suite: Cryptosuite,
    document: Signed<'_>,
    dataset: Option<&Dataset>,
    mut config: Map<String, Value>,
    context: Option<&Value>,
) -> Result<[u8; 64], CanonicalizeError> {
    if let Some(ctx) = context {
        config.insert("@context".into(), ctx.clone());
    }
    let config = Value::Object(config);
    let (config_c14n, doc_c14n) = match suite {
        Cryptosuite::EddsaRdfc2022 | Cryptosuite::Ed25519Signature2020 => {
            let doc_c14n = match dataset {
                Some(dataset) => crate::rdfc::canonicalize_dataset(dataset)?,
                None => document.rdfc()?,
            };
            (canon::rdfc(&config)?, doc_c14n)
        }
        Cryptosuite::EddsaJcs2022 => (canon::jcs(&config), document.jcs()),
    };
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&Sha256::digest(config_c14n.as_bytes()));
    out[32..].copy_from_slice(&Sha256::digest(doc_c14n.as_bytes()));
    Ok(out)
}
