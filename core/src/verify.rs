//! The verification engine: one function per kind of input, one report shape for everyone.
//!
//! The report (DESIGN.md, "Contracts") is `{verified, checks: [{check, status, code, message}],
//! credential}`. Each check is `valid`, `invalid` or `indeterminate`; `verified` is true only when
//! every check ran and none is invalid or indeterminate (`trust` informs but does not decide).
//! This follows [VC Data Model 2.0 §7.1 (Verification)](https://www.w3.org/TR/vc-data-model-2.0/#verification)
//! and [Data Integrity §4.5](https://www.w3.org/TR/vc-data-integrity/#verify-proof); the issuer
//! binding (the proof's verification method is controlled by the credential's `issuer`) is
//! VC 2.0 §8.2's "the issuer is the controller of the verification method", which ssi 0.16 does
//! not check.
//!
//! Checks, in order: `parse` (a JSON object with the VC shape), `context` (bundled contexts only,
//! every term defined), `schema` (1EdTech JSON schemas for OB 3.0 and CLR 2.0), `proof`,
//! `issuer`, `validity` (`validFrom`/`validUntil`, or VC 1.1's dates), `status` (through a
//! [`StatusChecker`]), `trust` (a [`TrustList`]); for presentations, `presentation` (holder
//! binding, challenge, domain) and a nested report per credential.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::contexts::{self, ContextLoader, StaticLoader};
use crate::dataset::Dataset;
use crate::did::{controller_of, ProofPurpose, Resolver};
use crate::jose::{self, enveloped_token};
use crate::jsonld::{JsonLdError, Options, Processor};
use crate::model::{has_type, id_of};
use crate::proof::{self, Expectations, Outcome, ProofReport};
use crate::schema;

/// The name of a check in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckName {
    /// The input is a credential (or presentation) at all.
    Parse,
    /// Its contexts are known and define every term.
    Context,
    /// It satisfies the 1EdTech JSON schema for its type.
    Schema,
    /// Its proofs verify.
    Proof,
    /// Its proofs were made by its issuer.
    Issuer,
    /// Now is within its validity window.
    Validity,
    /// It is not revoked or suspended.
    Status,
    /// Its issuer is on the verifier's trusted list (informative).
    Trust,
    /// The presentation's holder binding, challenge and domain.
    Presentation,
}

/// A check's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Ran and passed.
    Valid,
    /// Ran and failed.
    Invalid,
    /// Could not be completed; neither proven valid nor invalid.
    Indeterminate,
}

/// One entry of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which check.
    pub check: CheckName,
    /// Its outcome.
    pub status: Status,
    /// A stable code for machines (`PROOF_SIGNATURE_MISMATCH`, …).
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// The verification report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// True only if every deciding check is valid.
    pub verified: bool,
    /// The checks, in the order they ran.
    pub checks: Vec<Check>,
    /// A summary of the credential (or presentation) for display.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub credential: Value,
    /// For a presentation, the report on each credential it carries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<Report>,
}

impl Report {
    fn new(checks: Vec<Check>, credential: Value, credentials: Vec<Report>) -> Self {
        let deciding_ok = checks.iter().filter(|c| c.check != CheckName::Trust).all(|c| c.status == Status::Valid)
            && !checks.is_empty();
        let verified = deciding_ok && credentials.iter().all(|r| r.verified);
        Report { verified, checks, credential, credentials }
    }

    /// The report on an input that is not a credential at all: one invalid `parse` check.
    fn unparsable(code: &str, message: String) -> Self {
        let check = Check { check: CheckName::Parse, status: Status::Invalid, code: code.into(), message };
        Report::new(vec![check], Value::Null, Vec::new())
    }

    /// The first check with this name.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|c| c.check == name)
    }

    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("reports serialize to JSON")
    }
}

/// The outcome of a status check for one `credentialStatus` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusOutcome {
    /// The entry's bit is clear: not revoked (or not suspended).
    Clear {
        /// What was checked (`revocation`, `suspension`, …).
        purpose: String,
    },
    /// The bit is set.
    Set {
        /// The status purpose (`revocation`, `suspension`, or `message` with its text).
        purpose: String,
        /// The status message, where the list defines one.
        message: Option<String>,
    },
    /// The status could not be established (list unreachable, unsigned, tampered, …).
    Unknown {
        /// Why.
        reason: String,
    },
}

/// Checks `credentialStatus` entries; implemented with the Bitstring Status List client.
pub trait StatusChecker: Send + Sync {
    /// The status of one entry of `credential`.
    fn check(&self, credential: &Value, entry: &Value) -> StatusOutcome;
}

/// The verifier's list of trusted issuers.
pub trait TrustList: Send + Sync {
    /// The display name under which the list trusts `issuer`, if it does.
    fn trusted_name(&self, issuer: &str) -> Option<String>;
}

/// Verifies credentials and presentations.
pub struct Verifier<'a> {
    resolver: &'a dyn Resolver,
    loader: &'a dyn ContextLoader,
    status: Option<&'a dyn StatusChecker>,
    trust: Option<&'a dyn TrustList>,
    now: Option<DateTime<Utc>>,
    /// Whether `loader` is the bundled set, which the proof check also uses: only then can the
    /// context check's expansion be handed to the proof check instead of being redone.
    bundled_loader: bool,
}

static DEFAULT_LOADER: std::sync::OnceLock<StaticLoader> = std::sync::OnceLock::new();

impl<'a> Verifier<'a> {
    /// A verifier resolving keys with `resolver`, contexts from the bundled set, and no status
    /// checker (so a credential with `credentialStatus` is indeterminate) and no trust list.
    pub fn new(resolver: &'a dyn Resolver) -> Self {
        Verifier {
            resolver,
            loader: DEFAULT_LOADER.get_or_init(StaticLoader::new),
            status: None,
            trust: None,
            now: None,
            bundled_loader: true,
        }
    }

    /// Uses `checker` for `credentialStatus` entries.
    pub fn with_status(mut self, checker: &'a dyn StatusChecker) -> Self {
        self.status = Some(checker);
        self
    }

    /// Reports whether issuers are on `list`.
    pub fn with_trust(mut self, list: &'a dyn TrustList) -> Self {
        self.trust = Some(list);
        self
    }

    /// Judges validity windows at `now` instead of the current time.
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now);
        self
    }

    /// Loads contexts from `loader` instead of the bundled set.
    pub fn with_loader(mut self, loader: &'a dyn ContextLoader) -> Self {
        self.loader = loader;
        self.bundled_loader = false;
        self
    }

    fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }

    /// Verifies a credential secured with Data Integrity proofs.
    pub fn verify_credential(&self, input: &Value) -> Report {
        self.verify_secured(input, |issuer, dataset| {
            let expect = Expectations {
                purpose: Some(ProofPurpose::AssertionMethod),
                now: Some(self.now()),
                document_dataset: dataset,
                ..Default::default()
            };
            let reports = proof::verify_proofs(input, self.resolver, &expect);
            (proof_check(&reports), binding_check(&reports, issuer, CheckName::Issuer, "issuer"))
        })
    }

    /// Verifies a credential secured as a JWT: VC-JOSE `vc+jwt` (VC-JOSE-COSE §3.1.1) or the
    /// Open Badges 3.0 JWT forms (OB 3.0 §8.2).
    pub fn verify_jwt(&self, token: &str) -> Report {
        let decoded = match jose::decode(token) {
            Ok(d) => d,
            Err(e) => return Report::unparsable(e.code(), e.to_string()),
        };
        if decoded.content() == jose::Content::Presentation {
            return Report::unparsable(
                "PARSE_WRONG_TYPE",
                "this token holds a presentation; verify it as a presentation".into(),
            );
        }
        self.verify_secured(decoded.credential(), |issuer, _| jwt_checks(self, &decoded, issuer))
    }

    /// Verifies whatever a person pasted or uploaded: a credential or presentation as JSON, an
    /// `EnvelopedVerifiableCredential`, or a compact JWT.
    pub fn verify_text(&self, text: &str) -> Report {
        let text = text.trim();
        if !text.starts_with('{') {
            return self.verify_jwt(text);
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return Report::unparsable("PARSE_MALFORMED_JSON", format!("not valid JSON: {e}")),
        };
        self.verify_value(&value)
    }

    /// Verifies a parsed JSON input: a presentation (without challenge or domain), an enveloped
    /// credential, or a credential.
    pub fn verify_value(&self, value: &Value) -> Report {
        if let Some(token) = enveloped_token(value) {
            return self.verify_jwt(token);
        }
        if has_type(value.get("type"), "VerifiablePresentation") {
            self.verify_presentation(value, None, None)
        } else {
            self.verify_credential(value)
        }
    }

    /// The checks every secured credential gets; `prove` supplies the `proof` and `issuer` checks
    /// for the securing mechanism, given the credential's issuer id.
    fn verify_secured(
        &self,
        input: &Value,
        prove: impl FnOnce(Option<&str>, Option<Arc<Dataset>>) -> (Check, Check),
    ) -> Report {
        let mut checks = Vec::new();
        let Some(doc) = self.parse(input, "VerifiableCredential", &mut checks) else {
            return Report::new(checks, Value::Null, Vec::new());
        };
        let summary = summarize(doc);
        let mut dataset = None;
        if !self.context(input, &mut checks, Some(&mut dataset)) {
            return Report::new(checks, summary, Vec::new());
        }
        checks.push(schema_check(input));
        let issuer = issuer_id(doc);
        let (proof, binding) = prove(issuer.as_deref(), dataset);
        checks.push(proof);
        let issuer_confirmed = binding.status == Status::Valid;
        checks.push(binding);
        checks.push(validity_check(doc, self.now()));
        checks.push(self.status_check(input, doc));
        if let Some(trust) = self.trust_check(issuer.as_deref(), issuer_confirmed) {
            checks.push(trust);
        }
        Report::new(checks, summary, Vec::new())
    }

    /// Verifies a presentation and every credential in it. `challenge` and `domain`, when given,
    /// must match the presentation proof's (replay protection).
    pub fn verify_presentation(&self, input: &Value, challenge: Option<&str>, domain: Option<&str>) -> Report {
        let mut checks = Vec::new();
        let Some(doc) = self.parse(input, "VerifiablePresentation", &mut checks) else {
            return Report::new(checks, Value::Null, Vec::new());
        };
        let holder = id_of(doc.get("holder"));
        let summary = json!({"type": doc.get("type"), "id": doc.get("id"), "holder": holder});
        let mut dataset = None;
        if !self.context(input, &mut checks, Some(&mut dataset)) {
            return Report::new(checks, summary, Vec::new());
        }
        let expect = Expectations {
            purpose: Some(ProofPurpose::Authentication),
            challenge: challenge.map(str::to_owned),
            domain: domain.map(str::to_owned),
            now: Some(self.now()),
            document_dataset: dataset,
        };
        let reports = proof::verify_proofs(input, self.resolver, &expect);
        checks.push(proof_check(&reports));
        let mut binding = binding_check(&reports, holder.as_deref(), CheckName::Presentation, "holder");
        if binding.status == Status::Valid && holder.is_none() {
            binding.code = "PRESENTATION_NO_HOLDER".into();
            binding.message = "the presentation names no holder; its signer is not bound to anyone".into();
        }
        if binding.status == Status::Valid && challenge.is_none() {
            binding.code = "PRESENTATION_NO_CHALLENGE_EXPECTED".into();
            binding.message.push_str("; no challenge was required, so replay was not checked");
        }
        checks.push(binding);
        let credentials: Vec<Report> = match doc.get("verifiableCredential") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().map(|c| self.verify_embedded(c)).collect(),
            Some(single) => vec![self.verify_embedded(single)],
        };
        Report::new(checks, summary, credentials)
    }

    fn verify_embedded(&self, credential: &Value) -> Report {
        match enveloped_token(credential) {
            Some(token) => self.verify_jwt(token),
            None => self.verify_credential(credential),
        }
    }

    fn parse<'d>(
        &self,
        input: &'d Value,
        required_type: &str,
        checks: &mut Vec<Check>,
    ) -> Option<&'d Map<String, Value>> {
        let fail = |code: &str, message: String| Check {
            check: CheckName::Parse,
            status: Status::Invalid,
            code: code.into(),
            message,
        };
        let Value::Object(doc) = input else {
            checks.push(fail("PARSE_NOT_AN_OBJECT", "the input is not a JSON object".into()));
            return None;
        };
        let types: Vec<&str> = match doc.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.contains(&required_type) {
            checks.push(fail("PARSE_WRONG_TYPE", format!("the document's type does not include {required_type}")));
            return None;
        }
        if required_type == "VerifiableCredential" {
            if issuer_id(doc).is_none() {
                checks.push(fail("PARSE_NO_ISSUER", "the credential names no issuer".into()));
                return None;
            }
            if !doc.contains_key("credentialSubject") {
                checks.push(fail("PARSE_NO_SUBJECT", "the credential has no credentialSubject".into()));
                return None;
            }
        }
        checks.push(Check {
            check: CheckName::Parse,
            status: Status::Valid,
            code: "PARSE_OK".into(),
            message: format!("a well-formed {required_type}"),
        });
        Some(doc)
    }

    /// The `context` check: the first context is a VC base context, every context is bundled,
    /// and the document expands without dropping anything (safe mode).
    ///
    /// With `reuse`, the document is converted to RDF without its proofs, and each proof on its
    /// own with the document's `@context` (as Data Integrity reads a proof); the document's
    /// dataset is handed back for the proof check, which would otherwise convert it again. The
    /// terms checked are the same ones, and conversion refuses whatever expansion refuses.
    fn context(&self, input: &Value, checks: &mut Vec<Check>, reuse: Option<&mut Option<Arc<Dataset>>>) -> bool {
        let invalid = |code: &str, message: String| Check {
            check: CheckName::Context,
            status: Status::Invalid,
            code: code.into(),
            message,
        };
        let first = match input.get("@context") {
            Some(Value::Array(items)) => items.first().and_then(Value::as_str),
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        if !matches!(first, Some(contexts::CREDENTIALS_V2 | contexts::CREDENTIALS_V1)) {
            checks.push(invalid(
                "CONTEXT_BASE_MISSING",
                format!(
                    "the first @context must be {} or {}, found {}",
                    contexts::CREDENTIALS_V2,
                    contexts::CREDENTIALS_V1,
                    first.unwrap_or("none")
                ),
            ));
            return false;
        }
        let processor = Processor::new(self.loader, Options::default());
        let split = reuse.filter(|_| self.bundled_loader).and_then(|out| split_proofs(input).map(|parts| (out, parts)));
        let expansion = match split {
            Some((out, (document, proofs))) => processor.to_dataset_omitting(document, "proof").and_then(|dataset| {
                for proof in &proofs {
                    processor.to_dataset(proof)?;
                }
                *out = Some(Arc::new(dataset));
                Ok(())
            }),
            None => processor.expands(input),
        };
        match expansion {
            Ok(_) => {
                checks.push(Check {
                    check: CheckName::Context,
                    status: Status::Valid,
                    code: "CONTEXT_OK".into(),
                    message: "all contexts are pinned and every term is defined".into(),
                });
                true
            }
            Err(e) => {
                let code = match &e {
                    JsonLdError::Context(_) => "CONTEXT_UNKNOWN",
                    JsonLdError::UndefinedTerm { .. } => "CONTEXT_UNDEFINED_TERM",
                    JsonLdError::Dropped { .. } => "CONTEXT_DROPPED_VALUE",
                    _ => "CONTEXT_INVALID",
                };
                checks.push(invalid(code, e.to_string()));
                false
            }
        }
    }

    fn status_check(&self, input: &Value, doc: &Map<String, Value>) -> Check {
        let entries: Vec<&Value> = match doc.get("credentialStatus") {
            None => {
                return Check {
                    check: CheckName::Status,
                    status: Status::Valid,
                    code: "STATUS_NONE".into(),
                    message: "the credential has no status entry, so it cannot be revoked".into(),
                }
            }
            Some(Value::Array(items)) => items.iter().collect(),
            Some(single) => vec![single],
        };
        let Some(checker) = self.status else {
            return Check {
                check: CheckName::Status,
                status: Status::Indeterminate,
                code: "STATUS_NOT_CHECKED".into(),
                message: "the credential has a status entry, but this verifier has no status list client".into(),
            };
        };
        let mut clear = Vec::new();
        for entry in entries {
            match checker.check(input, entry) {
                StatusOutcome::Clear { purpose } => clear.push(purpose),
                StatusOutcome::Set { purpose, message } => {
                    let code = match purpose.as_str() {
                        "revocation" => "STATUS_REVOKED",
                        "suspension" => "STATUS_SUSPENDED",
                        _ => "STATUS_SET",
                    };
                    let text = match (purpose.as_str(), message) {
                        ("revocation", _) => "the issuer has revoked this credential".to_owned(),
                        ("suspension", _) => "the issuer has suspended this credential".to_owned(),
                        (p, Some(m)) => format!("status {p}: {m}"),
                        (p, None) => format!("status {p} is set"),
                    };
                    return Check {
                        check: CheckName::Status,
                        status: Status::Invalid,
                        code: code.into(),
                        message: text,
                    };
                }
                StatusOutcome::Unknown { reason } => {
                    return Check {
                        check: CheckName::Status,
                        status: Status::Indeterminate,
                        code: "STATUS_UNAVAILABLE".into(),
                        message: format!("the status could not be checked: {reason}"),
                    }
                }
            }
        }
        Check {
            check: CheckName::Status,
            status: Status::Valid,
            code: "STATUS_OK".into(),
            message: format!("not {}", clear.iter().map(|p| describe_purpose(p)).collect::<Vec<_>>().join(" or ")),
        }
    }

    /// The `trust` check. A credential can name any issuer it likes, so the list is consulted only
    /// once the `issuer` check has confirmed that the issuer really signed it.
    fn trust_check(&self, issuer: Option<&str>, confirmed: bool) -> Option<Check> {
        let list = self.trust?;
        let issuer = issuer?;
        if !confirmed {
            return Some(Check {
                check: CheckName::Trust,
                status: Status::Indeterminate,
                code: "TRUST_ISSUER_UNCONFIRMED".into(),
                message: "the trusted list was not consulted: the issuer's signature is not confirmed".into(),
            });
        }
        Some(match list.trusted_name(issuer) {
            Some(name) => Check {
                check: CheckName::Trust,
                status: Status::Valid,
                code: "TRUST_LISTED".into(),
                message: format!("the issuer is on this verifier's trusted list as {name}"),
            },
            None => Check {
                check: CheckName::Trust,
                status: Status::Indeterminate,
                code: "TRUST_NOT_LISTED".into(),
                message: "the issuer is not on this verifier's trusted list".into(),
            },
        })
    }
}

/// The `proof` and `issuer` checks of a JWT-secured credential.
fn jwt_checks(verifier: &Verifier<'_>, decoded: &jose::DecodedJwt, issuer: Option<&str>) -> (Check, Check) {
    let proof =
        |status, code: &str, message: String| Check { check: CheckName::Proof, status, code: code.into(), message };
    let binding =
        |status, code: &str, message: String| Check { check: CheckName::Issuer, status, code: code.into(), message };
    let verification = match jose::verify_decoded(decoded, verifier.resolver, verifier.now()) {
        Ok(v) => v,
        Err(e) => {
            let status = if e.is_indeterminate() { Status::Indeterminate } else { Status::Invalid };
            let unverified =
                binding(status, "ISSUER_UNVERIFIED", "the issuer cannot be confirmed without a valid signature".into());
            return (proof(status, e.code(), e.to_string()), unverified);
        }
    };
    if let Some(failure) = verification.failures.first() {
        let unverified = binding(
            Status::Invalid,
            "ISSUER_UNVERIFIED",
            "the issuer cannot be confirmed without a valid signature".into(),
        );
        return (proof(Status::Invalid, failure.code(), failure.to_string()), unverified);
    }
    let proof_ok =
        proof(Status::Valid, "PROOF_OK", format!("the {} JWT signature is genuine", verification.alg.as_str()));
    let kid = verification.kid.clone().unwrap_or_default();
    let issuer_check = match (&verification.controller, issuer) {
        (None, _) => binding(
            Status::Indeterminate,
            "ISSUER_KEY_UNBOUND",
            "the signing key came inside the token, so nothing ties it to the issuer".into(),
        ),
        (Some(controller), Some(issuer)) if controller == issuer && controller_of(&kid) == issuer => {
            binding(Status::Valid, "ISSUER_OK", format!("signed by the issuer's own key ({issuer})"))
        }
        (Some(controller), Some(issuer)) => binding(
            Status::Invalid,
            "ISSUER_KEY_MISMATCH",
            format!("signed with {kid}, which is controlled by {controller}, not by the issuer {issuer}"),
        ),
        (Some(_), None) => binding(Status::Invalid, "ISSUER_MISSING", "the credential names no issuer".into()),
    };
    (proof_ok, issuer_check)
}

/// The document (to be read without its `proof`), and each proof as Data Integrity reads it: on
/// its own, with the document's `@context`. `None` when that split does not apply (no proofs, a
/// proof that is not an object, or one with its own `@context`): the whole input is then
/// expanded as it is.
fn split_proofs(input: &Value) -> Option<(&Map<String, Value>, Vec<Value>)> {
    let doc = input.as_object()?;
    let proofs: Vec<&Value> = match doc.get("proof")? {
        Value::Array(items) if !items.is_empty() => items.iter().collect(),
        Value::Array(_) => return None,
        single => vec![single],
    };
    let context = doc.get("@context")?;
    let mut standalone = Vec::with_capacity(proofs.len());
    for proof in proofs {
        let map = proof.as_object().filter(|m| !m.contains_key("@context"))?;
        let mut with_context = Map::with_capacity(map.len() + 1);
        with_context.insert("@context".into(), context.clone());
        with_context.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
        standalone.push(Value::Object(with_context));
    }
    Some((doc, standalone))
}

fn describe_purpose(purpose: &str) -> &str {
    match purpose {
        "revocation" => "revoked",
        "suspension" => "suspended",
        other => other,
    }
}

fn schema_check(input: &Value) -> Check {
    match schema::validate_adapted(input) {
        Ok(None) => Check {
            check: CheckName::Schema,
            status: Status::Valid,
            code: "SCHEMA_NOT_APPLICABLE".into(),
            message: "no 1EdTech schema applies to this credential type".into(),
        },
        Ok(Some(kind)) => Check {
            check: CheckName::Schema,
            status: Status::Valid,
            code: "SCHEMA_OK".into(),
            message: format!("conforms to the {kind:?} schema"),
        },
        Err(e) => {
            let violations = e.violations();
            let listed = violations
                .iter()
                .take(5)
                .map(|v| format!("{}: {}", if v.pointer.is_empty() { "/" } else { &v.pointer }, v.message))
                .collect::<Vec<_>>()
                .join("; ");
            let (status, code) = match e {
                schema::SchemaErrors::Invalid { .. } => (Status::Invalid, "SCHEMA_INVALID"),
                _ => (Status::Indeterminate, "SCHEMA_UNAVAILABLE"),
            };
            Check { check: CheckName::Schema, status, code: code.into(), message: format!("{e}: {listed}") }
        }
    }
}

fn proof_check(reports: &[ProofReport]) -> Check {
    let check =
        |status, code: &str, message: String| Check { check: CheckName::Proof, status, code: code.into(), message };
    if let Some(bad) = reports.iter().find_map(|r| match &r.outcome {
        Outcome::Invalid(f) => Some((r, f)),
        _ => None,
    }) {
        return check(Status::Invalid, bad.1.code(), proof_message(bad.0, &bad.1.to_string(), reports.len()));
    }
    if let Some(unknown) = reports.iter().find_map(|r| match &r.outcome {
        Outcome::Indeterminate(f) => Some((r, f)),
        _ => None,
    }) {
        return check(
            Status::Indeterminate,
            unknown.1.code(),
            proof_message(unknown.0, &unknown.1.to_string(), reports.len()),
        );
    }
    let suites: Vec<&str> = reports.iter().filter_map(|r| r.cryptosuite.map(|c| c.as_str())).collect();
    check(
        Status::Valid,
        "PROOF_OK",
        if reports.len() == 1 {
            format!("the {} signature is genuine", suites.join(""))
        } else {
            format!("all {} signatures are genuine ({})", reports.len(), suites.join(", "))
        },
    )
}

fn proof_message(report: &ProofReport, detail: &str, total: usize) -> String {
    if total > 1 {
        format!("proof {} of {total}: {detail}", report.index + 1)
    } else {
        detail.to_owned()
    }
}

/// Every valid proof's verification method must be controlled by `expected` (the issuer, or the
/// presentation's holder): by the controller document's own statement, and by the method's id
/// living under `expected`.
fn binding_check(reports: &[ProofReport], expected: Option<&str>, name: CheckName, role: &str) -> Check {
    let prefix = if name == CheckName::Issuer { "ISSUER" } else { "PRESENTATION" };
    let check = |status, code: String, message: String| Check { check: name, status, code, message };
    if reports.iter().any(|r| !matches!(r.outcome, Outcome::Valid)) {
        let status = if reports.iter().any(|r| matches!(r.outcome, Outcome::Invalid(_))) {
            Status::Invalid
        } else {
            Status::Indeterminate
        };
        return check(
            status,
            format!("{prefix}_UNVERIFIED"),
            format!("the {role} cannot be confirmed without a valid proof"),
        );
    }
    let Some(expected) = expected else {
        return check(Status::Valid, format!("{prefix}_OK"), "the signer is not bound to a named party".into());
    };
    for report in reports {
        let vm = report.verification_method.as_deref().unwrap_or_default();
        let controller = report.controller.as_deref().unwrap_or_default();
        if controller != expected || controller_of(vm) != expected {
            return check(
                Status::Invalid,
                format!("{prefix}_KEY_MISMATCH"),
                format!("signed with {vm}, which is controlled by {controller}, not by the {role} {expected}"),
            );
        }
    }
    check(Status::Valid, format!("{prefix}_OK"), format!("signed by the {role}'s own key ({expected})"))
}

fn validity_check(doc: &Map<String, Value>, now: DateTime<Utc>) -> Check {
    let check =
        |status, code: &str, message: String| Check { check: CheckName::Validity, status, code: code.into(), message };
    let read = |names: [&str; 2]| -> Result<Option<(String, DateTime<Utc>)>, String> {
        for name in names {
            match doc.get(name) {
                None => continue,
                Some(Value::String(s)) => {
                    return DateTime::parse_from_rfc3339(s)
                        .map(|t| Some((s.clone(), t.with_timezone(&Utc))))
                        .map_err(|_| format!("{name} is not a date-time with a time zone: {s}"));
                }
                Some(_) => return Err(format!("{name} must be a string")),
            }
        }
        Ok(None)
    };
    let from = match read(["validFrom", "issuanceDate"]) {
        Ok(v) => v,
        Err(m) => return check(Status::Invalid, "VALIDITY_MALFORMED", m),
    };
    let until = match read(["validUntil", "expirationDate"]) {
        Ok(v) => v,
        Err(m) => return check(Status::Invalid, "VALIDITY_MALFORMED", m),
    };
    if let Some((text, t)) = &from {
        if *t > now {
            return check(Status::Invalid, "VALIDITY_NOT_YET_VALID", format!("not valid until {text}"));
        }
    }
    if let Some((text, t)) = &until {
        if *t < now {
            return check(Status::Invalid, "VALIDITY_EXPIRED", format!("expired on {text}"));
        }
    }
    let message = match (&from, &until) {
        (Some((f, _)), Some((u, _))) => format!("valid from {f} until {u}"),
        (Some((f, _)), None) => format!("valid from {f}, with no end date"),
        (None, Some((u, _))) => format!("valid until {u}"),
        (None, None) => "no validity period is stated".into(),
    };
    check(Status::Valid, "VALIDITY_OK", message)
}

fn issuer_id(doc: &Map<String, Value>) -> Option<String> {
    id_of(doc.get("issuer"))
}

/// What a person needs to see: who issued what to whom, and when.
fn summarize(doc: &Map<String, Value>) -> Value {
    let issuer = doc.get("issuer");
    let subject = match doc.get("credentialSubject") {
        Some(Value::Array(items)) => items.first(),
        other => other,
    };
    let achievement = subject.and_then(|s| s.get("achievement"));
    let pick = |v: Option<&Value>, k: &str| v.and_then(|x| x.get(k)).cloned().unwrap_or(Value::Null);
    let mut out = Map::new();
    out.insert("id".into(), doc.get("id").cloned().unwrap_or(Value::Null));
    out.insert("type".into(), doc.get("type").cloned().unwrap_or(Value::Null));
    out.insert("name".into(), doc.get("name").cloned().unwrap_or(Value::Null));
    out.insert("issuer".into(), json!({"id": id_of(issuer), "name": pick(issuer, "name"), "url": pick(issuer, "url")}));
    // OB 3.0 has no subject name; a learner's name travels as a plain `IdentityObject` of type
    // `name` (§B.1.9), which is what a person reading the report wants to see.
    let name = match pick(subject, "name") {
        Value::Null => subject
            .and_then(|s| s.get("identifier"))
            .and_then(Value::as_array)
            .and_then(|ids| {
                ids.iter()
                    .find(|i| i.get("identityType") == Some(&json!("name")) && i.get("hashed") == Some(&json!(false)))
            })
            .map(|i| pick(Some(i), "identityHash"))
            .unwrap_or(Value::Null),
        name => name,
    };
    out.insert("subject".into(), json!({"id": pick(subject, "id"), "name": name}));
    if achievement.is_some() {
        out.insert(
            "achievement".into(),
            json!({
                "id": pick(achievement, "id"),
                "name": pick(achievement, "name"),
                "description": pick(achievement, "description"),
                "criteria": pick(achievement, "criteria"),
                "alignment": pick(achievement, "alignment"),
                "image": pick(achievement, "image"),
                "inLanguage": pick(achievement, "inLanguage"),
            }),
        );
    }
    for key in ["validFrom", "validUntil", "issuanceDate", "expirationDate", "evidence"] {
        if let Some(v) = doc.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::did::{did_key, did_key_method_id, StandardResolver};
    use crate::keys::SigningKey;
    use crate::proof::{add_proof, Cryptosuite, ProofOptions};

    /// An unsigned OB 3.0 badge from `issuer`, for the engine's tests here and in `status`.
    pub(crate) fn badge(issuer: &str) -> Value {
        json!({
            "@context": [contexts::CREDENTIALS_V2, contexts::OB_V3P0_3_0_3],
            "id": "urn:uuid:8d3c4a4e-1f0b-4b9e-9a53-2b0c1d3e4f50",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
            "validFrom": "2024-01-01T00:00:00Z",
            "name": "Data Literacy",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "urn:uuid:0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
                    "type": ["Achievement"],
                    "name": "Data Literacy",
                    "description": "Reads and questions data.",
                    "criteria": {"narrative": "Passed the assessment."},
                    "creditsAvailable": 3.5
                }
            }
        })
    }

    fn signed(key: &SigningKey, doc: &Value) -> Value {
        let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
        options.created = Some("2024-01-01T00:00:00Z".into());
        add_proof(doc, key, &options, &StandardResolver::offline()).unwrap()
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-06-01T00:00:00Z").unwrap().with_timezone(&Utc)
    }

    #[test]
    fn signing_an_owned_badge_gives_what_signing_a_borrowed_one_does() {
        let key = SigningKey::generate();
        let doc = badge(&did_key(&key.public()));
        let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
        options.created = Some("2024-01-01T00:00:00Z".into());
        let resolver = StandardResolver::offline();
        let owned = crate::proof::add_proof_owned(doc.clone(), &key, &options, &resolver).unwrap();
        assert_eq!(owned, signed(&key, &doc));
        let refused = crate::proof::add_proof_owned(Value::Null, &key, &options, &resolver);
        assert_eq!(refused, Err(crate::proof::SignError::NotAnObject));
    }

    #[test]
    fn a_genuine_badge_verifies_with_every_check_valid() {
        let key = SigningKey::generate();
        let vc = signed(&key, &badge(&did_key(&key.public())));
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        assert!(report.verified, "{:#?}", report);
        let names: Vec<CheckName> = report.checks.iter().map(|c| c.check).collect();
        assert_eq!(
            names,
            [
                CheckName::Parse,
                CheckName::Context,
                CheckName::Schema,
                CheckName::Proof,
                CheckName::Issuer,
                CheckName::Validity,
                CheckName::Status
            ]
        );
    }

    #[test]
    fn tampered_field_is_a_signature_mismatch() {
        let key = SigningKey::generate();
        let mut vc = signed(&key, &badge(&did_key(&key.public())));
        vc["credentialSubject"]["achievement"]["name"] = "Rocket Science".into();
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        assert!(!report.verified);
        assert_eq!(report.check(CheckName::Proof).unwrap().code, "PROOF_SIGNATURE_MISMATCH");
    }

    #[test]
    fn key_not_controlled_by_the_issuer_is_refused() {
        let key = SigningKey::generate();
        let victim = SigningKey::generate();
        // Signed with the attacker's own (valid) key, but naming the victim as issuer.
        let vc = signed(&key, &badge(&did_key(&victim.public())));
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        assert!(!report.verified);
        assert_eq!(report.check(CheckName::Proof).unwrap().status, Status::Valid);
        let issuer = report.check(CheckName::Issuer).unwrap();
        assert_eq!(issuer.code, "ISSUER_KEY_MISMATCH");
        assert_eq!(issuer.status, Status::Invalid);
    }

    #[test]
    fn swapped_issuer_breaks_the_signature() {
        let key = SigningKey::generate();
        let mut vc = signed(&key, &badge(&did_key(&key.public())));
        vc["issuer"]["id"] = did_key(&SigningKey::generate().public()).into();
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        assert_eq!(report.check(CheckName::Proof).unwrap().code, "PROOF_SIGNATURE_MISMATCH");
        assert_eq!(report.check(CheckName::Issuer).unwrap().code, "ISSUER_UNVERIFIED");
    }

    #[test]
    fn wrong_proof_purpose_is_refused() {
        let key = SigningKey::generate();
        let mut options = ProofOptions::authentication(did_key_method_id(&key.public()), None, None);
        options.created = Some("2024-01-01T00:00:00Z".into());
        let vc = add_proof(&badge(&did_key(&key.public())), &key, &options, &StandardResolver::offline()).unwrap();
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        let proof = report.check(CheckName::Proof).unwrap();
        assert_eq!(proof.code, "PROOF_WRONG_PURPOSE");
        assert_eq!(proof.message, "proof purpose is authentication, expected assertionMethod");
    }

    #[test]
    fn expired_and_not_yet_valid() {
        let key = SigningKey::generate();
        let mut doc = badge(&did_key(&key.public()));
        doc["validUntil"] = "2025-01-01T00:00:00Z".into();
        let vc = signed(&key, &doc);
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        let validity = report.check(CheckName::Validity).unwrap();
        assert_eq!(
            (validity.code.as_str(), validity.message.as_str()),
            ("VALIDITY_EXPIRED", "expired on 2025-01-01T00:00:00Z")
        );
        let early = DateTime::parse_from_rfc3339("2023-06-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let report = Verifier::new(&resolver).at(early).verify_credential(&vc);
        assert_eq!(report.check(CheckName::Validity).unwrap().code, "VALIDITY_NOT_YET_VALID");
        assert!(!report.verified);
    }

    #[test]
    fn unknown_context_and_undefined_term() {
        let key = SigningKey::generate();
        let resolver = StandardResolver::offline();
        let mut doc = badge(&did_key(&key.public()));
        doc["@context"][1] = "https://example.com/evil-context.jsonld".into();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&doc);
        let c = report.check(CheckName::Context).unwrap();
        assert_eq!(c.code, "CONTEXT_UNKNOWN");
        assert!(c.message.contains("https://example.com/evil-context.jsonld"), "{}", c.message);

        let vc11 = json!({
            "@context": [contexts::CREDENTIALS_V1],
            "type": ["VerifiableCredential"],
            "issuer": did_key(&key.public()),
            "issuanceDate": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:alice", "nickname": "Al"}
        });
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc11);
        let c = report.check(CheckName::Context).unwrap();
        assert_eq!(
            (c.code.as_str(), c.message.as_str()),
            (
                "CONTEXT_UNDEFINED_TERM",
                "undefined term \"nickname\": the document's contexts do not define it, so it would not be signed"
            )
        );
    }

    #[test]
    fn a_status_entry_without_a_checker_is_indeterminate() {
        let key = SigningKey::generate();
        let mut doc = badge(&did_key(&key.public()));
        doc["credentialStatus"] = json!({
            "id": "https://example.edu/status/1#42", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": "42", "statusListCredential": "https://example.edu/status/1"
        });
        let vc = signed(&key, &doc);
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        assert!(!report.verified);
        assert_eq!(report.check(CheckName::Status).unwrap().code, "STATUS_NOT_CHECKED");
    }

    #[test]
    fn presentations_check_challenge_domain_and_holder() {
        let issuer = SigningKey::generate();
        let holder = SigningKey::generate();
        let vc = signed(&issuer, &badge(&did_key(&issuer.public())));
        let vp = json!({
            "@context": [contexts::CREDENTIALS_V2],
            "type": ["VerifiablePresentation"],
            "holder": did_key(&holder.public()),
            "verifiableCredential": [vc]
        });
        let mut options = ProofOptions::authentication(
            did_key_method_id(&holder.public()),
            Some("c-123".into()),
            Some("https://employer.example".into()),
        );
        options.created = Some("2025-05-31T12:00:00Z".into());
        let resolver = StandardResolver::offline();
        let signed_vp = add_proof(&vp, &holder, &options, &resolver).unwrap();
        let verifier = Verifier::new(&resolver).at(now());
        let ok = verifier.verify_presentation(&signed_vp, Some("c-123"), Some("https://employer.example"));
        assert!(ok.verified, "{ok:#?}");
        assert!(ok.credentials[0].verified);

        let replayed = verifier.verify_presentation(&signed_vp, Some("c-456"), Some("https://employer.example"));
        assert_eq!(replayed.check(CheckName::Proof).unwrap().code, "PROOF_CHALLENGE_MISMATCH");
        let wrong_domain = verifier.verify_presentation(&signed_vp, Some("c-123"), Some("https://other.example"));
        assert_eq!(wrong_domain.check(CheckName::Proof).unwrap().code, "PROOF_DOMAIN_MISMATCH");

        let mut impostor = vp.clone();
        impostor["holder"] = did_key(&issuer.public()).into();
        let impostor = add_proof(&impostor, &holder, &options, &resolver).unwrap();
        let report = verifier.verify_presentation(&impostor, Some("c-123"), Some("https://employer.example"));
        assert_eq!(report.check(CheckName::Presentation).unwrap().code, "PRESENTATION_KEY_MISMATCH");
        assert!(!report.verified);
    }

    #[test]
    fn vc_jwt_badges_verify_and_forgeries_do_not() {
        use base64::Engine as _;
        let key = SigningKey::generate();
        let kid = did_key_method_id(&key.public());
        let token = jose::sign_vc_jwt(&badge(&did_key(&key.public())), &key, &kid).unwrap();
        let resolver = StandardResolver::offline();
        let verifier = Verifier::new(&resolver).at(now());
        let report = verifier.verify_jwt(&token);
        assert!(report.verified, "{report:#?}");
        assert_eq!(report.check(CheckName::Proof).unwrap().message, "the EdDSA JWT signature is genuine");

        // The same token, enveloped (VC 2.0 §4.13), and pasted as text.
        let enveloped = json!({"@context": [contexts::CREDENTIALS_V2], "type": "EnvelopedVerifiableCredential",
                               "id": format!("data:application/vc+jwt,{token}")});
        assert!(verifier.verify_value(&enveloped).verified);
        assert!(verifier.verify_text(&format!("  {token}\n")).verified);

        // alg: none, with the signature stripped.
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = token.split('.').nth(1).unwrap();
        let none = format!("{}.{payload}.", b64.encode(br#"{"alg":"none","typ":"vc+jwt"}"#));
        let report = verifier.verify_jwt(&none);
        assert_eq!(report.check(CheckName::Parse).unwrap().code, "JOSE_ALG_NONE");
        assert!(!report.verified);

        // A claim changed after signing.
        let mut forged: Value = serde_json::from_slice(&b64.decode(payload).unwrap()).unwrap();
        forged["name"] = "Brain Surgery".into();
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], b64.encode(serde_json::to_vec(&forged).unwrap()), parts[2]);
        let report = verifier.verify_jwt(&forged);
        assert_eq!(report.check(CheckName::Proof).unwrap().code, "JWT_SIGNATURE_INVALID");

        // Someone else's key, claiming the victim as issuer.
        let victim = SigningKey::generate();
        let token = jose::sign_vc_jwt(&badge(&did_key(&victim.public())), &key, &kid).unwrap();
        let report = verifier.verify_jwt(&token);
        assert_eq!(report.check(CheckName::Issuer).unwrap().code, "ISSUER_KEY_MISMATCH");
        assert!(!report.verified);
    }

    #[test]
    fn malformed_json_is_a_parse_error_with_the_reason() {
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).verify_text("{\"type\": [\"VerifiableCredential\"");
        let parse = report.check(CheckName::Parse).unwrap();
        assert_eq!(parse.code, "PARSE_MALFORMED_JSON");
        assert_eq!(parse.message, "not valid JSON: EOF while parsing a list at line 1 column 32");
    }

    #[test]
    fn malformed_multibase_proof_value_is_named() {
        let key = SigningKey::generate();
        let mut vc = signed(&key, &badge(&did_key(&key.public())));
        vc["proof"]["proofValue"] = "zNotBase58!0OIl".into();
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        let proof = report.check(CheckName::Proof).unwrap();
        assert_eq!(proof.code, "PROOF_VALUE_MALFORMED");
        assert!(
            proof.message.starts_with("malformed proofValue: malformed multibase \"zNotBase58!0OIl\""),
            "{}",
            proof.message
        );
        vc["proof"]["proofValue"] = "uAAAA".into();
        let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
        assert_eq!(
            report.check(CheckName::Proof).unwrap().message,
            "malformed proofValue: malformed multibase \"uAAAA\": expected base58-btc, prefix z"
        );
    }

    struct MapFetcher(std::collections::HashMap<String, Vec<u8>>);

    impl crate::did::Fetcher for MapFetcher {
        fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
            self.0.get(url).cloned().ok_or_else(|| "404 Not Found".to_owned())
        }
    }

    #[test]
    fn did_web_issuers_verify_and_rotated_keys_still_count() {
        use crate::did::did_web_document;
        let old = SigningKey::generate();
        let new = SigningKey::generate();
        let did = "did:web:univ.example:issuers:1";
        let document = did_web_document(did, &[("key-2".into(), new.public()), ("key-1".into(), old.public())]);
        let fetcher = MapFetcher(std::collections::HashMap::from([(
            "https://univ.example/issuers/1/did.json".to_owned(),
            serde_json::to_vec(&document).unwrap(),
        )]));
        let resolver = StandardResolver::with_fetcher(std::sync::Arc::new(fetcher));
        for (key, fragment) in [(&new, "key-2"), (&old, "key-1")] {
            let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, format!("{did}#{fragment}"));
            options.created = Some("2024-01-01T00:00:00Z".into());
            let vc = add_proof(&badge(did), key, &options, &resolver).unwrap();
            let report = Verifier::new(&resolver).at(now()).verify_credential(&vc);
            assert!(report.verified, "{fragment}: {report:#?}");
            assert_eq!(
                report.check(CheckName::Issuer).unwrap().message,
                format!("signed by the issuer's own key ({did})")
            );
        }
        // The issuer's site is down: the proof cannot be checked, which is not the same as forged.
        let offline = StandardResolver::offline();
        let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, format!("{did}#key-2"));
        options.created = Some("2024-01-01T00:00:00Z".into());
        let vc = add_proof(&badge(did), &new, &options, &resolver).unwrap();
        let report = Verifier::new(&offline).at(now()).verify_credential(&vc);
        let proof = report.check(CheckName::Proof).unwrap();
        assert_eq!((proof.status, proof.code.as_str()), (Status::Indeterminate, "PROOF_METHOD_UNRESOLVABLE"));
        assert!(!report.verified);
    }

    struct Listed(String);

    impl TrustList for Listed {
        fn trusted_name(&self, issuer: &str) -> Option<String> {
            (issuer == self.0).then(|| "Example University".to_owned())
        }
    }

    #[test]
    fn trust_is_reported_only_for_a_confirmed_issuer() {
        let key = SigningKey::generate();
        let issuer = did_key(&key.public());
        let vc = signed(&key, &badge(&issuer));
        let resolver = StandardResolver::offline();
        let list = Listed(issuer.clone());
        let report = Verifier::new(&resolver).with_trust(&list).at(now()).verify_credential(&vc);
        assert!(report.verified);
        let trust = report.check(CheckName::Trust).unwrap();
        assert_eq!(trust.message, "the issuer is on this verifier's trusted list as Example University");

        // A forger names the trusted issuer but signs with their own key.
        let forger = SigningKey::generate();
        let forged = signed(&forger, &badge(&issuer));
        let report = Verifier::new(&resolver).with_trust(&list).at(now()).verify_credential(&forged);
        let trust = report.check(CheckName::Trust).unwrap();
        assert_eq!((trust.status, trust.code.as_str()), (Status::Indeterminate, "TRUST_ISSUER_UNCONFIRMED"));
        assert!(!report.verified);

        // Not being listed informs but does not decide.
        let other = Listed("did:example:someone-else".into());
        let report = Verifier::new(&resolver).with_trust(&other).at(now()).verify_credential(&vc);
        assert_eq!(report.check(CheckName::Trust).unwrap().code, "TRUST_NOT_LISTED");
        assert!(report.verified);
    }

    #[test]
    fn report_serializes_in_the_contract_shape() {
        let resolver = StandardResolver::offline();
        let report = Verifier::new(&resolver).verify_credential(&json!("not an object"));
        assert_eq!(
            report.to_json(),
            json!({"verified": false, "checks": [{"check": "parse", "status": "invalid", "code": "PARSE_NOT_AN_OBJECT", "message": "the input is not a JSON object"}]})
        );
    }
}
