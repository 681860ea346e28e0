//! JSON Schema validation of OB 3.0 and CLR 2.0 credentials against the 1EdTech schemas.
//!
//! [Open Badges 3.0](https://www.imsglobal.org/spec/ob/v3p0/) and
//! [CLR 2.0](https://www.imsglobal.org/spec/clr/v2p0/) publish a JSON schema for each credential
//! class (the ones a `credentialSchema` of type `1EdTechJsonSchemaValidator2019` names); they are
//! the structural check for `AchievementCredential`, `EndorsementCredential` and `ClrCredential`. The
//! schema files are compiled into the library from `core/schemas/` (see `core/schemas/SOURCES.md`
//! for their origin and sha256) and each is compiled once, on first use. Nothing is fetched: a
//! `$ref` to anything not bundled fails, naming the URI.
//!
//! Formats (`date-time`, `date`) are checked although JSON Schema 2019-09 makes that optional,
//! since a date that does not parse would otherwise surface later as a confusing validity error.
//! Patterns use the linear-time `regex` engine, because the instance is untrusted input.
//!
//! The CLR schema is the draft-04 form 1EdTech keeps for its validator. It predates VC 2.0: it
//! requires `issuanceDate` and knows nothing of `validFrom`, so a VC 2.0 `ClrCredential` (and any
//! VC 2.0 credential nested in it) fails it on `issuanceDate`. See the tests for the exact report.

use std::fmt;
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{BasicOutput, PatternOptions, Retrieve, Uri, ValidationError, Validator};
use serde_json::Value;

use crate::model::{ACHIEVEMENT_CREDENTIAL, CLR_CREDENTIAL, ENDORSEMENT_CREDENTIAL, OPEN_BADGE_CREDENTIAL};

/// The OB 3.0 AchievementCredential schema (JSON Schema 2019-09).
const ACHIEVEMENT_SCHEMA: &str = include_str!("../schemas/ob_v3p0_achievementcredential_schema.json");
/// The OB 3.0 EndorsementCredential schema (JSON Schema 2019-09).
const ENDORSEMENT_SCHEMA: &str = include_str!("../schemas/ob_v3p0_endorsementcredential_schema.json");
/// The CLR 2.0 ClrCredential schema (draft-04 form).
const CLR_SCHEMA: &str = include_str!("../schemas/clr_v2p0_clrcredential_schema_draft4.json");

/// Instances longer than this, once serialized, are not quoted in messages: a failing `oneOf` on
/// `issuer` would otherwise paste the whole profile into the report.
const MAX_QUOTED_INSTANCE: usize = 80;

/// Which 1EdTech schema a credential is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemaKind {
    /// OB 3.0 `AchievementCredential`, also for `OpenBadgeCredential`.
    AchievementCredential,
    /// OB 3.0 `EndorsementCredential`.
    EndorsementCredential,
    /// CLR 2.0 `ClrCredential`.
    ClrCredential,
}

/// One way in which a credential breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON Pointer (RFC 6901) to the offending value in the credential; `""` is the credential
    /// itself, as for a missing required property.
    pub pointer: String,
    /// What is wrong, for a person.
    pub message: String,
    /// JSON Pointer to the schema keyword that failed, for whoever debugs the schema.
    pub schema_path: String,
}

/// Failure of [`validate`] or [`validate_as`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaErrors {
    /// The credential was checked and breaks the schema; every violation is listed.
    #[error("the credential does not match the {kind} schema: {}", summary(.violations))]
    Invalid {
        /// The schema checked against.
        kind: SchemaKind,
        /// Every violation found, sorted by pointer.
        violations: Vec<Violation>,
    },
    /// The bundled schema could not be compiled, so the credential could not be checked. This is
    /// a defect in the build, which the unit tests rule out, and is reported rather than hidden.
    #[error("the {kind} schema could not be compiled, so the credential was not checked: {reason}")]
    Unavailable {
        /// The schema that failed to compile.
        kind: SchemaKind,
        /// The compiler's message.
        reason: String,
    },
}

/// Checks a credential against the 1EdTech schema its `type` calls for.
///
/// `ClrCredential` wins over `EndorsementCredential`, which wins over `AchievementCredential` and
/// `OpenBadgeCredential`, as in [`crate::model::AnyCredential`]. `VerifiableCredential` is not
/// needed to choose: the schema itself requires it.
///
/// Returns `Ok(Some(kind))` when the credential matches that schema, and `Ok(None)` when its
/// `type` names none of these kinds, so that no 1EdTech schema applies and nothing was checked;
/// a report should show that as "not applicable" rather than "valid".
///
/// # Errors
///
/// [`SchemaErrors::Invalid`] with every violation, or [`SchemaErrors::Unavailable`] if the
/// bundled schema cannot be compiled.
pub fn validate(credential: &Value) -> Result<Option<SchemaKind>, SchemaErrors> {
    match SchemaKind::of(credential) {
        Some(kind) => validate_as(kind, credential).map(|()| Some(kind)),
        None => Ok(None),
    }
}

/// [`validate`], adapted to what the 1EdTech schemas predate. The engine and the issuer both
/// judge credentials with this.
///
/// The schemas were written before VC 2.0 and Bitstring Status List v1.0:
/// 1. the OB 3.0 schemas require every `proof` to be an array, where Data Integrity allows one
///    object. Their validators are compiled a second time with each such `proof` also allowed
///    to be one proof, as the CLR 2.0 schema already writes it (`accept_single_proofs`). This
///    also covers credentials nested in others, such as endorsements.
/// 2. the CLR schema requires `issuanceDate` (VC 1.1), where VC 2.0 has `validFrom`;
/// 3. the CLR schema's `CredentialStatus` allows only `id` and `type`, so a
///    `BitstringStatusListEntry` (with `statusPurpose`, `statusListIndex`,
///    `statusListCredential`) is reduced to those two for the CLR check. The entry itself is
///    judged by the status check.
///
/// Adaptations 2 and 3 are made on a copy of a `ClrCredential`; the signed document itself is
/// never changed.
///
/// # Errors
///
/// As [`validate`].
pub fn validate_adapted(credential: &Value) -> Result<Option<SchemaKind>, SchemaErrors> {
    let Some(kind) = SchemaKind::of(credential) else { return Ok(None) };
    let validator = kind.adapted_validator()?;
    if kind != SchemaKind::ClrCredential {
        return check(validator, kind, credential).map(|()| Some(kind));
    }
    let mut adapted = credential.clone();
    adapt_clr(&mut adapted);
    if let Some(Value::Array(nested)) = adapted.pointer_mut("/credentialSubject/verifiableCredential") {
        nested.iter_mut().for_each(adapt_clr);
    }
    check(validator, kind, &adapted).map(|()| Some(kind))
}

/// Adaptations 2 and 3 of [`validate_adapted`], on a CLR or a credential nested in one.
fn adapt_clr(doc: &mut Value) {
    let Value::Object(map) = doc else { return };
    if !map.contains_key("issuanceDate") {
        if let Some(from) = map.get("validFrom").cloned() {
            map.insert("issuanceDate".into(), from);
        }
    }
    let reduce = |entry: &mut Value| {
        if let Value::Object(e) = entry {
            e.retain(|k, _| k == "id" || k == "type");
        }
    };
    match map.get_mut("credentialStatus") {
        Some(Value::Array(entries)) => entries.iter_mut().for_each(reduce),
        Some(entry) => reduce(entry),
        None => {}
    }
}

/// Checks a credential against the given schema, whatever its `type` says.
///
/// # Errors
///
/// [`SchemaErrors::Invalid`] with every violation, or [`SchemaErrors::Unavailable`] if the
/// bundled schema cannot be compiled.
pub fn validate_as(kind: SchemaKind, credential: &Value) -> Result<(), SchemaErrors> {
    check(kind.validator()?, kind, credential)
}

/// `credential` against `validator`, compiled from `kind`'s schema.
fn check(validator: &Validator, kind: SchemaKind, credential: &Value) -> Result<(), SchemaErrors> {
    // The yes/no answer is much cheaper than collecting errors, and most credentials conform.
    if validator.is_valid(credential) {
        return Ok(());
    }
    let mut alternatives = false;
    let mut violations: Vec<Violation> = validator
        .iter_errors(credential)
        .map(|error| {
            alternatives |= matches!(error.kind, ValidationErrorKind::OneOfNotValid | ValidationErrorKind::AnyOf);
            Violation::from_error(&error)
        })
        .collect();
    if violations.is_empty() {
        return Ok(());
    }
    if alternatives {
        explain_alternatives(validator, credential, &mut violations);
    }
    // Parents before children, so that the report reads from the top of the document down; the
    // sort is stable, so violations at one place keep the schema's order.
    violations.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    Err(SchemaErrors::Invalid { kind, violations })
}

impl SchemaKind {
    /// Every kind, in the order [`validate`] prefers them.
    pub const ALL: [Self; 3] = [Self::ClrCredential, Self::EndorsementCredential, Self::AchievementCredential];

    /// The kind a credential's `type` (a string or an array of strings) calls for, if any.
    pub fn of(credential: &Value) -> Option<Self> {
        let types: Vec<&str> = match credential.get("type")? {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        let has = |wanted: &str| types.contains(&wanted);
        if has(CLR_CREDENTIAL) {
            Some(Self::ClrCredential)
        } else if has(ENDORSEMENT_CREDENTIAL) {
            Some(Self::EndorsementCredential)
        } else if has(ACHIEVEMENT_CREDENTIAL) || has(OPEN_BADGE_CREDENTIAL) {
            Some(Self::AchievementCredential)
        } else {
            None
        }
    }

    /// The `$id` of the bundled schema.
    pub fn schema_id(self) -> &'static str {
        match self {
            Self::AchievementCredential => {
                "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json"
            }
            Self::EndorsementCredential => {
                "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json"
            }
            Self::ClrCredential => {
                "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
            }
        }
    }

    fn text(self) -> &'static str {
        match self {
            Self::AchievementCredential => ACHIEVEMENT_SCHEMA,
            Self::EndorsementCredential => ENDORSEMENT_SCHEMA,
            Self::ClrCredential => CLR_SCHEMA,
        }
    }

    /// The compiled validator of the schema as published, built on first use and kept.
    fn validator(self) -> Result<&'static Validator, SchemaErrors> {
        static VALIDATORS: [OnceLock<Result<Validator, String>>; 3] = [const { OnceLock::new() }; 3];
        self.compiled(&VALIDATORS, |_| {})
    }

    /// The compiled validator of the schema with adaptation 1 of [`validate_adapted`].
    fn adapted_validator(self) -> Result<&'static Validator, SchemaErrors> {
        static VALIDATORS: [OnceLock<Result<Validator, String>>; 3] = [const { OnceLock::new() }; 3];
        self.compiled(&VALIDATORS, accept_single_proofs)
    }

    /// This kind's validator among `cells` (one per kind, in [`SchemaKind::ALL`]'s order), compiled
    /// on first use from the schema as `adapt` changes it.
    fn compiled(
        self,
        cells: &'static [OnceLock<Result<Validator, String>>; 3],
        adapt: fn(&mut Value),
    ) -> Result<&'static Validator, SchemaErrors> {
        let index = Self::ALL.iter().position(|k| *k == self).expect("every kind is in ALL");
        cells[index]
            .get_or_init(|| compile(self.text(), adapt))
            .as_ref()
            .map_err(|reason| SchemaErrors::Unavailable { kind: self, reason: reason.clone() })
    }
}

impl fmt::Display for SchemaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AchievementCredential => "OB 3.0 AchievementCredential",
            Self::EndorsementCredential => "OB 3.0 EndorsementCredential",
            Self::ClrCredential => "CLR 2.0 ClrCredential",
        })
    }
}

impl Violation {
    fn from_error(error: &ValidationError<'_>) -> Self {
        let quoted_len = serde_json::to_string(&*error.instance).map_or(usize::MAX, |s| s.chars().count());
        let message = if quoted_len <= MAX_QUOTED_INSTANCE {
            error.to_string()
        } else {
            error.masked_with("the value").to_string()
        };
        Self {
            pointer: error.instance_path.as_str().to_owned(),
            message,
            schema_path: error.schema_path.as_str().to_owned(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "at the top level: {}", self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}

impl SchemaErrors {
    /// The violations, empty when the credential could not be checked.
    pub fn violations(&self) -> &[Violation] {
        match self {
            Self::Invalid { violations, .. } => violations,
            Self::Unavailable { .. } => &[],
        }
    }

    /// The schema concerned.
    pub fn kind(&self) -> SchemaKind {
        match self {
            Self::Invalid { kind, .. } | Self::Unavailable { kind, .. } => *kind,
        }
    }
}

/// Refuses every external reference: schemas are bundled, never fetched.
struct NoFetch;

impl Retrieve for NoFetch {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        Err(format!("{} is not a bundled schema, and schemas are never fetched", uri.as_str()).into())
    }
}

/// Compiles a bundled schema, as `adapt` changes it, with Accolade's options.
fn compile(text: &str, adapt: fn(&mut Value)) -> Result<Validator, String> {
    let mut schema: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    adapt(&mut schema);
    options().build(&schema).map_err(|e| e.to_string())
}

/// Lets every `proof` property that a schema types as an array of `Proof`s also be one `Proof`,
/// as Data Integrity allows: `{"oneOf": [proof, [proof]]}`, the form the CLR 2.0 schema uses.
fn accept_single_proofs(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(proof) = map.get_mut("properties").and_then(|p| p.get_mut("proof")) {
                let item = proof
                    .get("items")
                    .filter(|item| item.get("$ref").and_then(Value::as_str).is_some_and(|r| r.ends_with("/Proof")));
                if let (Some("array"), Some(item)) = (proof.get("type").and_then(Value::as_str), item.cloned()) {
                    *proof = serde_json::json!({"oneOf": [item, proof.take()]});
                }
            }
            map.values_mut().for_each(accept_single_proofs);
        }
        Value::Array(items) => items.iter_mut().for_each(accept_single_proofs),
        _ => {}
    }
}

fn options() -> jsonschema::ValidationOptions {
    jsonschema::options()
        .should_validate_formats(true)
        .with_pattern_options(PatternOptions::regex())
        .with_retriever(NoFetch)
}

/// Says why each alternative of a failed `oneOf`/`anyOf` failed.
///
/// The validator reports only "not valid under any of the schemas listed", which leaves a person
/// guessing: for `issuer` the useful part is that the object form lacks `id`. The detailed
/// "basic" output has the reasons; it is computed only when such a violation occurred.
fn explain_alternatives(validator: &Validator, credential: &Value, violations: &mut [Violation]) {
    let BasicOutput::Invalid(units) = validator.apply(credential).basic() else {
        return;
    };
    let units: Vec<(String, String, String)> = units
        .into_iter()
        .map(|unit| {
            let pointer = unit.instance_location().as_str().to_owned();
            let message = unquote_instance(credential, &pointer, unit.error_description().to_string());
            (unit.keyword_location().as_str().to_owned(), pointer, message)
        })
        .collect();
    for violation in violations.iter_mut() {
        if !(violation.schema_path.ends_with("/oneOf") || violation.schema_path.ends_with("/anyOf")) {
            continue;
        }
        let prefix = format!("{}/", violation.schema_path);
        // (branch index, reasons), in branch order.
        let mut branches: Vec<(&str, Vec<String>)> = Vec::new();
        for (keyword, pointer, message) in &units {
            let Some(rest) = keyword.strip_prefix(&prefix) else { continue };
            if !is_at_or_under(pointer, &violation.pointer) {
                continue;
            }
            let branch = rest.split('/').next().unwrap_or(rest);
            let reason =
                if *pointer == violation.pointer { message.clone() } else { format!("at {pointer}: {message}") };
            match branches.iter_mut().find(|(b, _)| *b == branch) {
                Some((_, reasons)) => reasons.push(reason),
                None => branches.push((branch, vec![reason])),
            }
        }
        if branches.is_empty() {
            continue;
        }
        let explained: Vec<String> = branches
            .iter()
            .map(|(branch, reasons)| {
                let number = branch.parse::<usize>().map_or_else(|_| (*branch).to_owned(), |i| (i + 1).to_string());
                format!("option {number}: {}", reasons.join(", "))
            })
            .collect();
        violation.message = format!("{} ({})", violation.message, explained.join("; "));
    }
}

/// Replaces a leading copy of a long instance in a detailed-output message with "the value", as
/// [`Violation::from_error`] does for the top-level errors.
fn unquote_instance(credential: &Value, pointer: &str, message: String) -> String {
    let Some(instance) = credential.pointer(pointer) else { return message };
    let quoted = instance.to_string();
    if quoted.chars().count() <= MAX_QUOTED_INSTANCE {
        return message;
    }
    match message.strip_prefix(&quoted) {
        Some(rest) => format!("the value{rest}"),
        None => message,
    }
}

/// Whether `pointer` is `base` or points inside it.
fn is_at_or_under(pointer: &str, base: &str) -> bool {
    pointer == base || pointer.strip_prefix(base).is_some_and(|rest| rest.starts_with('/'))
}

/// "N violation(s): first; second; ..." for the error message.
fn summary(violations: &[Violation]) -> String {
    let list: Vec<String> = violations.iter().map(Violation::to_string).collect();
    let noun = if violations.len() == 1 { "violation" } else { "violations" };
    format!("{} {noun}: {}", violations.len(), list.join("; "))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    const OB_SPEC: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance/1edtech-openbadges-specification");

    fn read_json(relative: &str) -> Value {
        let path = Path::new(OB_SPEC).join(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e} (is shared/ beside the repository?)", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
    }

    fn violations(result: Result<Option<SchemaKind>, SchemaErrors>) -> Vec<(String, String)> {
        match result {
            Err(SchemaErrors::Invalid { violations, .. }) => {
                violations.into_iter().map(|v| (v.pointer, v.message)).collect()
            }
            other => panic!("expected violations, got {other:?}"),
        }
    }

    fn basic() -> Value {
        read_json("examples/basicOpenBadgeCredential/01-sample-openbadgecredential.json")
    }

    #[test]
    fn every_bundled_schema_compiles() {
        for kind in SchemaKind::ALL {
            kind.validator().unwrap_or_else(|e| panic!("{e}"));
            kind.adapted_validator().unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn the_ob_spec_examples_validate() {
        for (file, kind) in [
            ("examples/achievementAlignmentCase/01-achievement-alignment-case.json", SchemaKind::AchievementCredential),
            (
                "examples/achievementAlignmentCe/01-achievement-alignment-credential-engine.json",
                SchemaKind::AchievementCredential,
            ),
            ("examples/basicOpenBadgeCredential/01-sample-openbadgecredential.json", SchemaKind::AchievementCredential),
            ("examples/endorsement/01-sample-endorsementcredential.json", SchemaKind::EndorsementCredential),
            ("examples/fullOpenBadge/01-complete-openbadgecredential.json", SchemaKind::AchievementCredential),
            ("examples/skillAssertionCase/01-skill-assertion-case.json", SchemaKind::AchievementCredential),
            (
                "examples/skillAssertionCtdl/01-skill-assertion-credential-registry.json",
                SchemaKind::AchievementCredential,
            ),
        ] {
            assert_eq!(validate(&read_json(file)), Ok(Some(kind)), "{file}");
        }
    }

    #[test]
    fn a_missing_credential_subject_is_reported_at_the_top() {
        let mut credential = basic();
        credential.as_object_mut().unwrap().remove("credentialSubject");
        let found = violations(validate(&credential));
        assert_eq!(found, [(String::new(), "\"credentialSubject\" is a required property".to_string())]);
        let err = validate(&credential).unwrap_err();
        assert!(err.to_string().contains("at the top level: \"credentialSubject\""), "{err}");
    }

    #[test]
    fn a_wrong_type_is_reported_where_it_is() {
        let mut credential = basic();
        credential["credentialSubject"]["achievement"]["name"] = json!(42);
        let found = violations(validate(&credential));
        assert_eq!(
            found,
            [("/credentialSubject/achievement/name".to_string(), "42 is not of type \"string\"".to_string())]
        );
    }

    #[test]
    fn formats_and_patterns_are_checked() {
        let mut credential = basic();
        credential["validFrom"] = json!("yesterday");
        credential["@context"][1] = json!("https://example.org/not-ob.json");
        let found = violations(validate(&credential));
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pointers, ["/@context/1", "/validFrom"], "{found:?}");
        assert_eq!(found[1].1, "\"yesterday\" is not a \"date-time\"");
    }

    #[test]
    fn long_values_are_not_quoted_and_alternatives_are_explained() {
        let mut credential = basic();
        credential["issuer"] = json!({"type": ["Profile"], "name": "x".repeat(500)});
        let found = violations(validate(&credential));
        assert_eq!(
            found,
            [(
                "/issuer".to_string(),
                "the value is not valid under any of the schemas listed in the 'oneOf' keyword \
                 (option 1: the value is not of type \"string\"; option 2: \"id\" is a required property)"
                    .to_string()
            )]
        );
    }

    #[test]
    fn other_credentials_have_no_schema() {
        let plain = json!({"type": ["VerifiableCredential"], "credentialSubject": {}});
        assert_eq!(validate(&plain), Ok(None));
        assert_eq!(validate(&json!("not even an object")), Ok(None));
    }

    #[test]
    fn validate_as_ignores_the_declared_type() {
        let plain = json!({"type": ["VerifiableCredential"]});
        let err = validate_as(SchemaKind::AchievementCredential, &plain).unwrap_err();
        assert_eq!(err.kind(), SchemaKind::AchievementCredential);
        assert!(err.violations().iter().any(|v| v.pointer.is_empty() && v.message.contains("credentialSubject")));
        assert_eq!(
            validate_as(
                SchemaKind::EndorsementCredential,
                &read_json("examples/endorsement/01-sample-endorsementcredential.json")
            ),
            Ok(())
        );
    }

    #[test]
    fn the_kind_follows_the_most_specific_type() {
        assert_eq!(SchemaKind::of(&json!({"type": "OpenBadgeCredential"})), Some(SchemaKind::AchievementCredential));
        assert_eq!(
            SchemaKind::of(&json!({"type": ["VerifiableCredential", "AchievementCredential", "ClrCredential"]})),
            Some(SchemaKind::ClrCredential)
        );
        assert_eq!(
            SchemaKind::of(&json!({"type": ["EndorsementCredential"]})),
            Some(SchemaKind::EndorsementCredential)
        );
    }

    /// The implementation guide's signed OB vector writes `proof` as one object; the schema
    /// allows only an array. VC 2.0 allows both, so the vector is right and the schema strict.
    #[test]
    fn the_signed_ob_vector_breaks_the_schema_on_proof_shape() {
        let credential = read_json("impl-test-vectors/linked-data-proof-ob/06-signed-credential.json");
        let found = violations(validate(&credential));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/proof");
        assert!(found[0].1.ends_with("is not of type \"array\""), "{}", found[0].1);
    }

    /// Adapted, the OB schemas take `proof` as one object (Data Integrity's usual form) as well
    /// as an array: at the top, and in credentials nested in others, such as endorsements. A
    /// proof that is neither is still refused, where it is.
    #[test]
    fn adapted_schemas_take_one_proof_object_anywhere() {
        let signed = read_json("impl-test-vectors/linked-data-proof-ob/06-signed-credential.json");
        assert_eq!(validate_adapted(&signed), Ok(Some(SchemaKind::AchievementCredential)));

        let mut full = read_json("examples/fullOpenBadge/01-complete-openbadgecredential.json");
        let endorsement = &mut full["credentialSubject"]["achievement"]["endorsement"][0];
        endorsement["proof"] = endorsement["proof"][0].clone();
        assert!(endorsement["proof"].is_object());
        let found = violations(validate(&full));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/credentialSubject/achievement/endorsement/0/proof");
        assert_eq!(validate_adapted(&full), Ok(Some(SchemaKind::AchievementCredential)));

        let mut broken = signed;
        broken["proof"] = json!("signed");
        let found = violations(validate_adapted(&broken));
        assert!(!found.is_empty() && found.iter().all(|(pointer, _)| pointer == "/proof"), "{found:?}");
    }

    /// The CLR schema 1EdTech publishes in draft-04 form predates VC 2.0: it requires
    /// `issuanceDate` at the top and in each nested credential, where the VC 2.0 vector has
    /// `validFrom`. Those are its only complaints.
    #[test]
    fn the_signed_clr_vector_breaks_the_vc_1_1_era_schema_on_issuance_date() {
        let credential = read_json("impl-test-vectors/linked-data-proof-clr/06-signed-credential.json");
        let found = violations(validate(&credential));
        assert_eq!(
            found,
            [
                (String::new(), "\"issuanceDate\" is a required property".to_string()),
                (
                    "/credentialSubject/verifiableCredential/0".to_string(),
                    "\"issuanceDate\" is a required property".to_string()
                ),
            ]
        );
    }

    #[test]
    fn external_references_are_never_fetched() {
        let schema = json!({"$ref": "https://example.org/elsewhere.json"});
        let err = options().build(&schema).unwrap_err();
        assert!(err.to_string().contains("never fetched"), "{err}");
    }
}
