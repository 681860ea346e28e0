//! The credential data model: typed serde views of the JSON that issuers sign and verifiers read.
//!
//! - [`vc`]: [VC Data Model 2.0 §4](https://www.w3.org/TR/vc-data-model-2.0/#basic-concepts)
//!   credentials and presentations, also reading the VC 1.1 `issuanceDate`/`expirationDate`.
//! - [`ob`]: the [Open Badges 3.0 data models](https://www.imsglobal.org/spec/ob/v3p0/#data-models),
//!   with field names as in the 1EdTech JSON schemas.
//! - [`clr`]: the [CLR 2.0 data models](https://www.imsglobal.org/spec/clr/v2p0/#data-models).
//!
//! Every struct keeps the properties it does not know in an `extra` map, and every value keeps the
//! shape it arrived in (one value or an array, `42` or `42.0`, a plain string or a language
//! object), so that parsing then serializing gives back the same JSON value. That matters because
//! the signature covers the JSON-LD meaning of the document, and a changed shape can change it.
//! Serialization writes the known properties in the order they are declared here, then the
//! extension properties in the order they arrived; the JSON value is equal, the text may differ.
//!
//! [`AnyCredential::from_value`] picks the most specific type from the credential's `type`.

pub mod clr;
pub mod ob;
pub mod vc;

use std::fmt;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub use clr::{Association, ClrCredential, ClrSubject};
pub use ob::{
    Achievement, AchievementCredential, AchievementResult, AchievementSubject, Address, Alignment, Criteria,
    EndorsementCredential, EndorsementSubject, Evidence, GeoCoordinates, IdentifierEntry, IdentityHashError,
    IdentityObject, Image, Profile, ProfileRef, Related, ResultDescription, RubricCriterionLevel,
};
pub use vc::{
    ContextEntry, Credential, CredentialSubject, IdObject, IdRef, Presentation, Timestamp, TimestampError, TypedObject,
};

/// The `type` value that every verifiable credential carries.
pub const VERIFIABLE_CREDENTIAL: &str = "VerifiableCredential";
/// The CLR 2.0 credential type.
pub const CLR_CREDENTIAL: &str = "ClrCredential";
/// The OB 3.0 endorsement credential type.
pub const ENDORSEMENT_CREDENTIAL: &str = "EndorsementCredential";
/// The OB 3.0 achievement credential type.
pub const ACHIEVEMENT_CREDENTIAL: &str = "AchievementCredential";
/// The alias OB 3.0 allows for [`ACHIEVEMENT_CREDENTIAL`].
pub const OPEN_BADGE_CREDENTIAL: &str = "OpenBadgeCredential";

/// A credential of any of the kinds Accolade knows, chosen from its `type`.
///
/// The most specific kind wins: `ClrCredential`, then `EndorsementCredential`, then
/// `AchievementCredential` or `OpenBadgeCredential`, then any other verifiable credential.
/// The variants are boxed because the typed credentials are large and of very different sizes.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyCredential {
    /// A CLR 2.0 `ClrCredential`.
    Clr(Box<ClrCredential>),
    /// An OB 3.0 `EndorsementCredential`.
    Endorsement(Box<EndorsementCredential>),
    /// An OB 3.0 `AchievementCredential` (or its alias `OpenBadgeCredential`).
    Achievement(Box<AchievementCredential>),
    /// Any other verifiable credential, read with the VC Data Model alone.
    Plain(Box<Credential>),
}

/// The kind of an [`AnyCredential`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A CLR 2.0 `ClrCredential`.
    Clr,
    /// An OB 3.0 `EndorsementCredential`.
    Endorsement,
    /// An OB 3.0 `AchievementCredential` or `OpenBadgeCredential`.
    Achievement,
    /// Any other verifiable credential.
    Plain,
}

/// Failure to read a JSON value as a credential ([`AnyCredential::from_value`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The value is not a JSON object.
    #[error("a credential must be a JSON object, found {found}")]
    NotAnObject {
        /// The JSON type found instead ("array", "string", ...).
        found: &'static str,
    },
    /// The `type` property is missing, or is neither a string nor an array of strings.
    #[error("the credential's `type` must be a string or an array of strings")]
    BadType,
    /// `type` does not include `VerifiableCredential`, which VC Data Model 2.0 §4.5 requires.
    #[error("the credential's `type` {types:?} does not include \"VerifiableCredential\"")]
    NotACredential {
        /// The types the document declares.
        types: Vec<String>,
    },
    /// The document claims a kind but does not fit that kind's data model.
    #[error("not a valid {kind}: {source}")]
    Malformed {
        /// The kind the `type` property chose.
        kind: CredentialKind,
        /// The deserializer's explanation.
        #[source]
        source: serde_json::Error,
    },
}

impl AnyCredential {
    /// Reads a credential, choosing its kind from `type`.
    ///
    /// # Errors
    ///
    /// [`ModelError`] when the value is not an object, has no usable `type`, is not a verifiable
    /// credential, or does not fit the data model of the kind its `type` names.
    pub fn from_value(value: Value) -> Result<Self, ModelError> {
        let object = match &value {
            Value::Object(object) => object,
            other => return Err(ModelError::NotAnObject { found: json_type_name(other) }),
        };
        let types = declared_types(object).ok_or(ModelError::BadType)?;
        let kind = CredentialKind::from_types(&types)
            .ok_or_else(|| ModelError::NotACredential { types: types.iter().map(|t| (*t).to_owned()).collect() })?;
        let malformed = |source| ModelError::Malformed { kind, source };
        Ok(match kind {
            CredentialKind::Clr => Self::Clr(Box::new(serde_json::from_value(value).map_err(malformed)?)),
            CredentialKind::Endorsement => {
                Self::Endorsement(Box::new(serde_json::from_value(value).map_err(malformed)?))
            }
            CredentialKind::Achievement => {
                Self::Achievement(Box::new(serde_json::from_value(value).map_err(malformed)?))
            }
            CredentialKind::Plain => Self::Plain(Box::new(serde_json::from_value(value).map_err(malformed)?)),
        })
    }

    /// The kind chosen from `type`.
    pub fn kind(&self) -> CredentialKind {
        match self {
            Self::Clr(_) => CredentialKind::Clr,
            Self::Endorsement(_) => CredentialKind::Endorsement,
            Self::Achievement(_) => CredentialKind::Achievement,
            Self::Plain(_) => CredentialKind::Plain,
        }
    }

    /// The credential's `id`, when it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Clr(c) => Some(&c.id),
            Self::Endorsement(c) => Some(&c.id),
            Self::Achievement(c) => Some(&c.id),
            Self::Plain(c) => c.id.as_deref(),
        }
    }

    /// The credential's `type` values.
    pub fn types(&self) -> &OneOrMany<String> {
        match self {
            Self::Clr(c) => &c.types,
            Self::Endorsement(c) => &c.types,
            Self::Achievement(c) => &c.types,
            Self::Plain(c) => &c.types,
        }
    }

    /// The `@context` entries, in order.
    pub fn context(&self) -> &OneOrMany<ContextEntry> {
        match self {
            Self::Clr(c) => &c.context,
            Self::Endorsement(c) => &c.context,
            Self::Achievement(c) => &c.context,
            Self::Plain(c) => &c.context,
        }
    }

    /// The issuer's identifier, whether `issuer` is a string or an object.
    pub fn issuer_id(&self) -> &str {
        match self {
            Self::Clr(c) => c.issuer.id(),
            Self::Endorsement(c) => c.issuer.id(),
            Self::Achievement(c) => c.issuer.id(),
            Self::Plain(c) => c.issuer.id(),
        }
    }

    /// The credential's display name, when it has one.
    pub fn name(&self) -> Option<&LangText> {
        match self {
            Self::Clr(c) => Some(&c.name),
            Self::Endorsement(c) => Some(&c.name),
            Self::Achievement(c) => c.name.as_ref(),
            Self::Plain(c) => c.name.as_ref(),
        }
    }

    /// Start of validity: `validFrom` (VC 2.0), else `issuanceDate` (VC 1.1).
    pub fn valid_from(&self) -> Option<&Timestamp> {
        let (from, issued) = match self {
            Self::Clr(c) => (&c.valid_from, &c.issuance_date),
            Self::Endorsement(c) => (&c.valid_from, &c.issuance_date),
            Self::Achievement(c) => (&c.valid_from, &c.issuance_date),
            Self::Plain(c) => (&c.valid_from, &c.issuance_date),
        };
        from.as_ref().or(issued.as_ref())
    }

    /// End of validity: `validUntil` (VC 2.0), else `expirationDate` (VC 1.1).
    pub fn valid_until(&self) -> Option<&Timestamp> {
        let (until, expires) = match self {
            Self::Clr(c) => (&c.valid_until, &c.expiration_date),
            Self::Endorsement(c) => (&c.valid_until, &c.expiration_date),
            Self::Achievement(c) => (&c.valid_until, &c.expiration_date),
            Self::Plain(c) => (&c.valid_until, &c.expiration_date),
        };
        until.as_ref().or(expires.as_ref())
    }

    /// The embedded proofs, in document order; empty when there is none.
    pub fn proofs(&self) -> &[Value] {
        let proof = match self {
            Self::Clr(c) => &c.proof,
            Self::Endorsement(c) => &c.proof,
            Self::Achievement(c) => &c.proof,
            Self::Plain(c) => &c.proof,
        };
        proof.as_ref().map_or(&[], OneOrMany::as_slice)
    }

    /// The `credentialStatus` entries; empty when there is none.
    pub fn credential_status(&self) -> &[TypedObject] {
        let status = match self {
            Self::Clr(c) => &c.credential_status,
            Self::Endorsement(c) => &c.credential_status,
            Self::Achievement(c) => &c.credential_status,
            Self::Plain(c) => &c.credential_status,
        };
        status.as_ref().map_or(&[], OneOrMany::as_slice)
    }

    /// Serializes back to JSON.
    pub fn to_value(&self) -> Value {
        // Every model type serializes to a JSON object without fallible custom code, and all map
        // keys are strings, so `to_value` cannot fail.
        serde_json::to_value(self).expect("model types always serialize to JSON")
    }
}

impl Serialize for AnyCredential {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Clr(c) => c.serialize(serializer),
            Self::Endorsement(c) => c.serialize(serializer),
            Self::Achievement(c) => c.serialize(serializer),
            Self::Plain(c) => c.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for AnyCredential {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(D::Error::custom)
    }
}

impl TryFrom<Value> for AnyCredential {
    type Error = ModelError;

    fn try_from(value: Value) -> Result<Self, Self::Error> {
        Self::from_value(value)
    }
}

impl CredentialKind {
    /// The kind a credential with these `type` values has, or `None` when `VerifiableCredential`
    /// is missing.
    pub fn from_types<S: AsRef<str>>(types: &[S]) -> Option<Self> {
        let has = |wanted: &str| types.iter().any(|t| t.as_ref() == wanted);
        if !has(VERIFIABLE_CREDENTIAL) {
            return None;
        }
        Some(if has(CLR_CREDENTIAL) {
            Self::Clr
        } else if has(ENDORSEMENT_CREDENTIAL) {
            Self::Endorsement
        } else if has(ACHIEVEMENT_CREDENTIAL) || has(OPEN_BADGE_CREDENTIAL) {
            Self::Achievement
        } else {
            Self::Plain
        })
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Clr => "CLR 2.0 ClrCredential",
            Self::Endorsement => "OB 3.0 EndorsementCredential",
            Self::Achievement => "OB 3.0 AchievementCredential",
            Self::Plain => "verifiable credential",
        })
    }
}

/// One value or an array of values, as JSON-LD allows almost everywhere.
///
/// Keeps the shape it was read in: `"A"` stays `"A"` and `["A"]` stays `["A"]`. An array is always
/// read as [`OneOrMany::Many`], even when `T` could read an array itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OneOrMany<T> {
    /// A single value, written without brackets.
    One(T),
    /// An array, possibly of one value or none.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a slice, whatever the shape.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        }
    }

    /// Iterates over the values.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The first value, if any.
    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether this is an empty array.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// The values as a vector, whatever the shape.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
}

impl<T: PartialEq> OneOrMany<T> {
    /// Whether one of the values equals `value`.
    pub fn contains(&self, value: &T) -> bool {
        self.as_slice().contains(value)
    }
}

impl OneOrMany<String> {
    /// Whether one of the strings equals `value`; handy for `type` checks.
    pub fn contains_str(&self, value: &str) -> bool {
        self.iter().any(|s| s == value)
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(one: T) -> Self {
        Self::One(one)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(many: Vec<T>) -> Self {
        Self::Many(many)
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::One(one) => one.serialize(serializer),
            Self::Many(many) => many.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Decided on the JSON shape instead of `#[serde(untagged)]`, so that the caller sees the
        // element's own error rather than "data did not match any variant".
        match Value::deserialize(deserializer)? {
            Value::Array(items) => items
                .into_iter()
                .map(serde_json::from_value)
                .collect::<Result<Vec<T>, _>>()
                .map(Self::Many)
                .map_err(D::Error::custom),
            one => serde_json::from_value(one).map(Self::One).map_err(D::Error::custom),
        }
    }
}

/// Human-readable text that may come in several languages.
///
/// VC Data Model 2.0 §11 (internationalization) lets `name` and `description` be a plain string, a language value
/// object (`{"@value": "...", "@language": "en"}`), or an array of those.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LangText(pub OneOrMany<LangString>);

/// One entry of a [`LangText`].
#[derive(Debug, Clone, PartialEq)]
pub enum LangString {
    /// A string with no language tag.
    Plain(String),
    /// A language value object.
    Tagged(LanguageValue),
}

/// A JSON-LD value object carrying a language tag and, optionally, a base direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageValue {
    /// The text.
    #[serde(rename = "@value")]
    pub value: String,
    /// The BCP 47 language tag.
    #[serde(rename = "@language", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The base direction, `ltr` or `rtl`.
    #[serde(rename = "@direction", skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl LangText {
    /// Text in one language, without a tag.
    pub fn plain(text: impl Into<String>) -> Self {
        Self(OneOrMany::One(LangString::Plain(text.into())))
    }

    /// Iterates over `(language, text)` pairs; the language is `None` for untagged text.
    pub fn entries(&self) -> impl Iterator<Item = (Option<&str>, &str)> {
        self.0.iter().map(|entry| (entry.language(), entry.text()))
    }

    /// The text best suited to a reader who prefers `preferred` languages, in order.
    ///
    /// Each preferred tag is tried in turn, first exactly, then as a prefix (`en` finds `en-GB`),
    /// then truncated (`en-GB` finds `en`), all case-insensitively as BCP 47 tags compare. With no
    /// match the untagged text wins, then the first entry. `None` only for an empty array.
    pub fn best(&self, preferred: &[&str]) -> Option<&str> {
        let entries: Vec<(Option<&str>, &str)> = self.entries().collect();
        let find = |pred: &dyn Fn(&str) -> bool| {
            entries.iter().find(|(lang, _)| lang.is_some_and(pred)).map(|(_, text)| *text)
        };
        for want in preferred {
            let exact = find(&|lang| lang.eq_ignore_ascii_case(want));
            let narrower = || find(&|lang| is_subtag_of(lang, want));
            let broader = || find(&|lang| is_subtag_of(want, lang));
            if let Some(text) = exact.or_else(narrower).or_else(broader) {
                return Some(text);
            }
        }
        entries.iter().find(|(lang, _)| lang.is_none()).or_else(|| entries.first()).map(|(_, text)| *text)
    }
}

impl From<&str> for LangText {
    fn from(text: &str) -> Self {
        Self::plain(text)
    }
}

impl From<String> for LangText {
    fn from(text: String) -> Self {
        Self::plain(text)
    }
}

impl LangString {
    /// The text.
    pub fn text(&self) -> &str {
        match self {
            Self::Plain(text) => text,
            Self::Tagged(value) => &value.value,
        }
    }

    /// The language tag, if any.
    pub fn language(&self) -> Option<&str> {
        match self {
            Self::Plain(_) => None,
            Self::Tagged(value) => value.language.as_deref(),
        }
    }
}

impl Serialize for LangString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Plain(text) => text.serialize(serializer),
            Self::Tagged(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for LangString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(Self::Plain(text)),
            object @ Value::Object(_) => serde_json::from_value(object).map(Self::Tagged).map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected a string or a language value object, found {}",
                json_type_name(&other)
            ))),
        }
    }
}

/// A JSON number kept exactly as it was written.
///
/// OB 3.0 numbers such as `creditsAvailable` are read as [`f64`] by most code, but `36` and `36.0`
/// are different JSON (and, in JSON-LD, `xsd:integer` against `xsd:double`), so the model keeps
/// the original and converts on request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonNumber(pub serde_json::Number);

impl JsonNumber {
    /// The value as a float; `None` only when serde_json's arbitrary precision mode holds a
    /// number no `f64` can represent.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }

    /// A number from a float; `None` for NaN and infinities, which JSON cannot write.
    pub fn from_f64(value: f64) -> Option<Self> {
        serde_json::Number::from_f64(value).map(Self)
    }
}

impl From<u64> for JsonNumber {
    fn from(value: u64) -> Self {
        Self(value.into())
    }
}

impl From<i64> for JsonNumber {
    fn from(value: i64) -> Self {
        Self(value.into())
    }
}

impl From<u32> for JsonNumber {
    fn from(value: u32) -> Self {
        Self(value.into())
    }
}

/// The strings of a `type` property that is a string or an array of strings.
fn declared_types(object: &Map<String, Value>) -> Option<Vec<&str>> {
    match object.get("type")? {
        Value::String(one) => Some(vec![one.as_str()]),
        Value::Array(many) => many.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Whether `tag` is `range` followed by more subtags (`en-GB` under `en`), ignoring case.
fn is_subtag_of(tag: &str, range: &str) -> bool {
    tag.len() > range.len() && tag.as_bytes()[range.len()] == b'-' && tag[..range.len()].eq_ignore_ascii_case(range)
}

/// The JSON type name of a value, for error messages.
fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Deserializes a value that is either a string (an IRI) or an object, for the `issuer`, `holder`
/// and similar properties.
fn string_or_object<'de, D, T, F, G>(deserializer: D, iri: F, object: G) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(String) -> T,
    G: FnOnce(Value) -> Result<T, serde_json::Error>,
{
    match Value::deserialize(deserializer)? {
        Value::String(id) => Ok(iri(id)),
        value @ Value::Object(_) => object(value).map_err(D::Error::custom),
        other => {
            Err(D::Error::custom(format!("expected an IRI string or an object, found {}", json_type_name(&other))))
        }
    }
}

/// Whether a JSON `type` value (a string or an array of strings) includes `wanted`.
pub fn has_type(types: Option<&Value>, wanted: &str) -> bool {
    match types {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == wanted),
        _ => false,
    }
}

/// The id of an `issuer` or `holder` value: the string itself, or the object's `id`.
pub fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(id) => Some(id.clone()),
        Value::Object(object) => object.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// The 1EdTech OB 3.0 specification material in `shared/conformance`
    /// (github:1EdTech/openbadges-specification@1af145ff2dc6e22627e79eb5d0f9afca06ea2489).
    const OB_SPEC: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance/1edtech-openbadges-specification");

    fn read_json(path: &Path) -> Value {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e} (is shared/ beside the repository?)", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
    }

    fn json_files_under(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("listing {}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(json_files_under(&path));
            } else if path.extension().is_some_and(|ext| ext == "json") {
                found.push(path);
            }
        }
        found.sort();
        found
    }

    fn assert_round_trip(path: &Path, want: CredentialKind) -> AnyCredential {
        let input = read_json(path);
        let credential = AnyCredential::from_value(input.clone()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(credential.kind(), want, "{}", path.display());
        assert_eq!(credential.to_value(), input, "{} does not round-trip", path.display());
        credential
    }

    #[test]
    fn every_ob_spec_example_parses_to_its_kind_and_round_trips() {
        let expected: BTreeMap<&str, CredentialKind> = [
            ("achievementAlignmentCase/01-achievement-alignment-case.json", CredentialKind::Achievement),
            ("achievementAlignmentCe/01-achievement-alignment-credential-engine.json", CredentialKind::Achievement),
            ("basicOpenBadgeCredential/01-sample-openbadgecredential.json", CredentialKind::Achievement),
            ("endorsement/01-sample-endorsementcredential.json", CredentialKind::Endorsement),
            ("fullOpenBadge/01-complete-openbadgecredential.json", CredentialKind::Achievement),
            ("skillAssertionCase/01-skill-assertion-case.json", CredentialKind::Achievement),
            ("skillAssertionCtdl/01-skill-assertion-credential-registry.json", CredentialKind::Achievement),
        ]
        .into_iter()
        .collect();
        let root = Path::new(OB_SPEC).join("examples");
        let files = json_files_under(&root);
        let found: Vec<String> =
            files.iter().map(|p| p.strip_prefix(&root).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(
            found,
            expected.keys().map(|k| k.to_string()).collect::<Vec<_>>(),
            "the example set changed: classify the new files here"
        );
        for (file, kind) in expected {
            assert_round_trip(&root.join(file), kind);
        }
    }

    #[test]
    fn signed_impl_guide_vectors_parse_and_round_trip() {
        let ob = assert_round_trip(
            &Path::new(OB_SPEC).join("impl-test-vectors/linked-data-proof-ob/06-signed-credential.json"),
            CredentialKind::Achievement,
        );
        // This vector writes one proof as an object, the CLR one an array: both shapes must stay.
        assert_eq!(ob.proofs().len(), 1);
        assert!(ob.to_value()["proof"].is_object());

        let clr = assert_round_trip(
            &Path::new(OB_SPEC).join("impl-test-vectors/linked-data-proof-clr/06-signed-credential.json"),
            CredentialKind::Clr,
        );
        let AnyCredential::Clr(clr) = clr else { unreachable!() };
        assert_eq!(clr.credential_subject.achievement.as_ref().map(Vec::len), Some(2));
        let nested: Vec<AnyCredential> = clr.credential_subject.credentials().map(Result::unwrap).collect();
        assert_eq!(nested.len(), 1);
        assert_eq!(nested[0].kind(), CredentialKind::Achievement);
        assert_eq!(nested[0].id(), Some("urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002"));
        assert_eq!(clr.credential_subject.association.as_ref().unwrap()[0].association_type, "isParentOf");
    }

    #[test]
    fn the_full_example_exposes_typed_fields() {
        let value = read_json(&Path::new(OB_SPEC).join("examples/fullOpenBadge/01-complete-openbadgecredential.json"));
        let AnyCredential::Achievement(c) = AnyCredential::from_value(value).unwrap() else {
            panic!("not an achievement credential")
        };
        let subject = &c.credential_subject;
        assert_eq!(subject.credits_earned.as_ref().and_then(JsonNumber::as_f64), Some(42.0));
        assert_eq!(subject.achievement.achievement_type.as_deref(), Some("Degree"));
        assert_eq!(subject.achievement.credits_available.as_ref().and_then(JsonNumber::as_f64), Some(36.0));
        assert_eq!(subject.achievement.alignment.as_ref().unwrap()[1].target_type.as_deref(), Some("CTDL"));
        let creator = subject.achievement.creator.as_ref().unwrap();
        assert_eq!(creator.endorsement.as_ref().unwrap().len(), 2);
        assert_eq!(creator.parent_org.as_ref().unwrap().id, "did:example:123456789");
        assert_eq!(creator.address.as_ref().unwrap().geo.as_ref().unwrap().latitude.as_f64(), Some(1.0));
        assert!(!subject.identifier.as_ref().unwrap()[0].hashed);
        assert_eq!(subject.result.as_ref().unwrap()[2].status.as_deref(), Some("Completed"));
        let levels =
            subject.achievement.result_description.as_ref().unwrap()[1].rubric_criterion_level.as_ref().unwrap();
        assert_eq!(levels[0].points.as_deref(), Some("4"));
        assert_eq!(c.evidence.as_ref().unwrap().len(), 2);
        assert_eq!(c.issuer.id(), "https://1edtech.edu/issuers/565049");
        assert_eq!(c.valid_until.as_ref().unwrap().parse().unwrap().timestamp(), 1_893_456_000);
    }

    #[test]
    fn vc_1_1_dates_are_read() {
        let value = json!({
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": "VerifiableCredential",
            "issuer": "did:example:issuer",
            "issuanceDate": "2020-01-01T00:00:00+02:00",
            "expirationDate": "2030-01-01T00:00:00Z",
            "credentialSubject": [{"id": "did:example:a"}, {"id": "did:example:b"}],
        });
        let credential = AnyCredential::from_value(value.clone()).unwrap();
        assert_eq!(credential.kind(), CredentialKind::Plain);
        assert_eq!(credential.valid_from().unwrap().as_str(), "2020-01-01T00:00:00+02:00");
        assert_eq!(credential.valid_from().unwrap().parse().unwrap().timestamp(), 1_577_829_600);
        assert_eq!(credential.valid_until().unwrap().as_str(), "2030-01-01T00:00:00Z");
        assert_eq!(credential.issuer_id(), "did:example:issuer");
        assert_eq!(credential.to_value(), value);
    }

    #[test]
    fn from_value_explains_what_is_wrong() {
        assert!(matches!(AnyCredential::from_value(json!([])), Err(ModelError::NotAnObject { found: "an array" })));
        assert!(matches!(AnyCredential::from_value(json!({"type": 3})), Err(ModelError::BadType)));
        assert!(matches!(
            AnyCredential::from_value(json!({"type": ["OpenBadgeCredential"]})),
            Err(ModelError::NotACredential { .. })
        ));
        let err = AnyCredential::from_value(json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:x",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": "did:example:issuer",
        }))
        .unwrap_err();
        assert!(matches!(err, ModelError::Malformed { kind: CredentialKind::Achievement, .. }));
        assert!(err.to_string().contains("credentialSubject"), "{err}");
    }

    #[test]
    fn the_most_specific_kind_wins() {
        assert_eq!(
            CredentialKind::from_types(&["VerifiableCredential", "OpenBadgeCredential", "ClrCredential"]),
            Some(CredentialKind::Clr)
        );
        assert_eq!(
            CredentialKind::from_types(&["VerifiableCredential", "AchievementCredential"]),
            Some(CredentialKind::Achievement)
        );
        assert_eq!(CredentialKind::from_types(&["VerifiableCredential"]), Some(CredentialKind::Plain));
        assert_eq!(CredentialKind::from_types(&["AchievementCredential"]), None);
    }

    #[test]
    fn one_or_many_keeps_its_shape() {
        let one: OneOrMany<String> = serde_json::from_value(json!("A")).unwrap();
        assert_eq!(one, OneOrMany::One("A".into()));
        assert_eq!(serde_json::to_value(&one).unwrap(), json!("A"));
        let many: OneOrMany<String> = serde_json::from_value(json!(["A"])).unwrap();
        assert_eq!(many.as_slice(), ["A".to_string()]);
        assert_eq!(serde_json::to_value(&many).unwrap(), json!(["A"]));
        // An array is always `Many`, even when the element type could hold an array.
        let values: OneOrMany<Value> = serde_json::from_value(json!([{"a": 1}])).unwrap();
        assert!(matches!(values, OneOrMany::Many(ref v) if v.len() == 1));
        let err = serde_json::from_value::<OneOrMany<String>>(json!([1])).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn numbers_keep_integer_or_float_form() {
        for text in ["36", "36.0", "-2", "0.5"] {
            let value: Value = serde_json::from_str(text).unwrap();
            let number: JsonNumber = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(serde_json::to_value(&number).unwrap(), value);
            assert_eq!(serde_json::to_string(&number).unwrap(), text);
        }
        assert_eq!(JsonNumber::from_f64(f64::NAN), None);
    }

    #[test]
    fn best_chooses_by_preferred_languages() {
        let text: LangText = serde_json::from_value(json!([
            "Untagged",
            {"@value": "Colour", "@language": "en-GB"},
            {"@value": "Couleur", "@language": "fr"},
            {"@value": "Farbe", "@language": "de-DE", "@direction": "ltr"},
        ]))
        .unwrap();
        assert_eq!(text.best(&["fr"]), Some("Couleur"));
        assert_eq!(text.best(&["FR-ca"]), Some("Couleur"));
        assert_eq!(text.best(&["en"]), Some("Colour"));
        assert_eq!(text.best(&["es", "de"]), Some("Farbe"));
        assert_eq!(text.best(&["es"]), Some("Untagged"));
        assert_eq!(text.best(&[]), Some("Untagged"));
        let tagged_only: LangText = serde_json::from_value(json!({"@value": "Hola", "@language": "es"})).unwrap();
        assert_eq!(tagged_only.best(&["en"]), Some("Hola"));
        assert_eq!(LangText::from("Plain").best(&["en"]), Some("Plain"));
        assert_eq!(LangText(OneOrMany::Many(vec![])).best(&["en"]), None);
        // "en" must not match "eng" as a prefix.
        let eng: LangText = serde_json::from_value(json!([{"@value": "x", "@language": "eng"}, "y"])).unwrap();
        assert_eq!(eng.best(&["en"]), Some("y"));
    }

    #[test]
    fn presentations_hold_credentials() {
        let credential =
            read_json(&Path::new(OB_SPEC).join("impl-test-vectors/linked-data-proof-ob/06-signed-credential.json"));
        let value = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiablePresentation",
            "holder": {"id": "did:example:holder", "type": "Person"},
            "verifiableCredential": [credential],
        });
        let presentation: Presentation = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(presentation.holder.as_ref().map(IdRef::id), Some("did:example:holder"));
        let inner: Vec<_> = presentation.credentials().map(Result::unwrap).collect();
        assert_eq!(inner[0].kind(), CredentialKind::Achievement);
        assert_eq!(serde_json::to_value(&presentation).unwrap(), value);
    }

    fn lang_string() -> impl Strategy<Value = LangString> {
        prop_oneof![
            any::<String>().prop_map(LangString::Plain),
            (any::<String>(), proptest::option::of("[a-z]{2}(-[A-Z]{2})?"), proptest::option::of("ltr|rtl")).prop_map(
                |(value, language, direction)| {
                    LangString::Tagged(LanguageValue { value, language, direction, extra: Map::new() })
                }
            ),
        ]
    }

    proptest! {
        #[test]
        fn lang_text_round_trips(entries in proptest::collection::vec(lang_string(), 0..4), single in any::<bool>()) {
            let text = match (single, entries.first()) {
                (true, Some(first)) => LangText(OneOrMany::One(first.clone())),
                _ => LangText(OneOrMany::Many(entries)),
            };
            let json = serde_json::to_string(&text).unwrap();
            prop_assert_eq!(serde_json::from_str::<LangText>(&json).unwrap(), text);
        }

        #[test]
        fn one_or_many_round_trips(items in proptest::collection::vec(any::<String>(), 0..4), single in any::<bool>()) {
            let value = match (single, items.first()) {
                (true, Some(first)) => OneOrMany::One(first.clone()),
                _ => OneOrMany::Many(items),
            };
            let json = serde_json::to_value(&value).unwrap();
            prop_assert_eq!(serde_json::from_value::<OneOrMany<String>>(json).unwrap(), value);
        }
    }
}
