//! Verifiable credentials and presentations:
//! [VC Data Model 2.0 §4](https://www.w3.org/TR/vc-data-model-2.0/#basic-concepts), reading the
//! [VC Data Model 1.1](https://www.w3.org/TR/vc-data-model-1.1/) §4.6 `issuanceDate` and §4.8
//! `expirationDate` too.
//!
//! These types know only what the VC Data Model defines; the OB 3.0 and CLR 2.0 types in the
//! sibling modules repeat these properties with their own typed subjects. Proofs stay as JSON
//! values here: the proof modules read them.

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::model::{string_or_object, AnyCredential, LangText, ModelError, OneOrMany};

/// A verifiable credential, read with the VC Data Model alone (§4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// `@context`: the base context first, then any others (§4.3).
    #[serde(rename = "@context")]
    pub context: OneOrMany<ContextEntry>,
    /// The credential's identifier (§4.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, which includes `VerifiableCredential` (§4.5).
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// A display name (§4.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LangText>,
    /// A display description (§4.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LangText>,
    /// Who issued the credential (§4.7).
    pub issuer: IdRef,
    /// Start of validity (§4.9, VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Timestamp>,
    /// End of validity (§4.9, VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Issuance date (VC 1.1 §4.6), which VC 2.0 replaced with `validFrom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuance_date: Option<Timestamp>,
    /// Expiration date (VC 1.1 §4.8), which VC 2.0 replaced with `validUntil`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<Timestamp>,
    /// The claims (§4.8).
    pub credential_subject: OneOrMany<CredentialSubject>,
    /// Where to look up revocation or suspension (§4.10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<OneOrMany<TypedObject>>,
    /// Schemas the credential claims to follow (§4.11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<TypedObject>>,
    /// Refresh services (§5.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<OneOrMany<TypedObject>>,
    /// Terms of use (§5.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<TypedObject>>,
    /// Evidence (§5.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<TypedObject>>,
    /// Embedded proofs, as JSON objects (§4.12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A verifiable presentation (§4.13).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Presentation {
    /// `@context` (§4.3).
    #[serde(rename = "@context")]
    pub context: OneOrMany<ContextEntry>,
    /// The presentation's identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, which includes `VerifiablePresentation`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Who presents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<IdRef>,
    /// The credentials presented, kept as JSON so that each verifies against its exact text;
    /// read them with [`Presentation::credentials`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verifiable_credential: Option<OneOrMany<Value>>,
    /// Terms of use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<TypedObject>>,
    /// Embedded proofs, as JSON objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One `@context` entry: a URL, or an inline context definition.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextEntry {
    /// A context URL, resolved from the bundled contexts.
    Url(String),
    /// An inline context object.
    Inline(Map<String, Value>),
}

/// A reference to an entity by IRI, or an object describing it with an `id`: the shape of
/// `issuer` (§4.7) and `holder`.
#[derive(Debug, Clone, PartialEq)]
pub enum IdRef {
    /// Just the identifier.
    Iri(String),
    /// An object with an `id` and more, boxed because it is much larger than an IRI.
    Object(Box<IdObject>),
}

/// An entity described by an object with an `id` (an issuer or a holder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdObject {
    /// The entity's identifier.
    pub id: String,
    /// `type`, when given.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub types: Option<OneOrMany<String>>,
    /// A display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LangText>,
    /// A display description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LangText>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of `credentialSubject` (§4.8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialSubject {
    /// The subject's identifier; VC 2.0 allows a subject without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, when given.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub types: Option<OneOrMany<String>>,
    /// The claims, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An object that the VC Data Model knows only by its `type` and optional `id`:
/// `credentialStatus`, `credentialSchema`, `refreshService`, `termsOfUse`, `evidence`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypedObject {
    /// The object's identifier, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, which says how to read the rest.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A date-time as written in the credential (`validFrom`, `issuanceDate`, `activityEndDate`...).
///
/// The text is kept unchanged, since it is signed; [`Timestamp::parse`] reads it when needed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

/// Failure to read a [`Timestamp`] as a date-time ([`Timestamp::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is not an RFC 3339 date-time with a time zone, as VC 2.0 §4.9 requires
    /// (`xsd:dateTimeStamp`). A time without a zone is refused rather than guessed.
    #[error("{value:?} is not a date-time with a time zone (like 2010-01-01T00:00:00Z): {reason}")]
    Invalid {
        /// The text.
        value: String,
        /// The parser's message.
        reason: String,
    },
}

impl Credential {
    /// Start of validity: `validFrom`, else the VC 1.1 `issuanceDate`.
    pub fn valid_from_or_issuance(&self) -> Option<&Timestamp> {
        self.valid_from.as_ref().or(self.issuance_date.as_ref())
    }

    /// End of validity: `validUntil`, else the VC 1.1 `expirationDate`.
    pub fn valid_until_or_expiration(&self) -> Option<&Timestamp> {
        self.valid_until.as_ref().or(self.expiration_date.as_ref())
    }
}

impl Presentation {
    /// Reads each presented credential, in order.
    ///
    /// An `EnvelopedVerifiableCredential` (VC-JOSE) does not have the type `VerifiableCredential`
    /// and comes out as [`ModelError::NotACredential`]: the JOSE code unwraps those first.
    pub fn credentials(&self) -> impl Iterator<Item = Result<AnyCredential, ModelError>> + '_ {
        self.verifiable_credential
            .iter()
            .flat_map(OneOrMany::iter)
            .map(|value| AnyCredential::from_value(value.clone()))
    }
}

impl ContextEntry {
    /// The URL, for a URL entry.
    pub fn as_url(&self) -> Option<&str> {
        match self {
            Self::Url(url) => Some(url),
            Self::Inline(_) => None,
        }
    }
}

impl From<&str> for ContextEntry {
    fn from(url: &str) -> Self {
        Self::Url(url.to_owned())
    }
}

impl Serialize for ContextEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Url(url) => url.serialize(serializer),
            Self::Inline(object) => object.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ContextEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string_or_object(deserializer, Self::Url, |value| serde_json::from_value(value).map(Self::Inline))
    }
}

impl IdRef {
    /// The entity's identifier, whatever the shape.
    pub fn id(&self) -> &str {
        match self {
            Self::Iri(id) => id,
            Self::Object(object) => &object.id,
        }
    }
}

impl Serialize for IdRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Iri(id) => id.serialize(serializer),
            Self::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for IdRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string_or_object(deserializer, Self::Iri, |value| {
            serde_json::from_value(value).map(|o| Self::Object(Box::new(o)))
        })
    }
}

impl Timestamp {
    /// A timestamp from its text, unchecked: [`Timestamp::parse`] checks it.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads the text as an RFC 3339 date-time, keeping its offset.
    ///
    /// # Errors
    ///
    /// [`TimestampError::Invalid`] when the text is not a date-time with a time zone.
    pub fn parse(&self) -> Result<DateTime<FixedOffset>, TimestampError> {
        DateTime::parse_from_rfc3339(&self.0)
            .map_err(|e| TimestampError::Invalid { value: self.0.clone(), reason: e.to_string() })
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp
where
    Tz::Offset: std::fmt::Display,
{
    /// Writes the time in RFC 3339 form with `Z` for UTC and only the fractional digits needed.
    fn from(time: DateTime<Tz>) -> Self {
        Self(time.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;

    #[test]
    fn timestamps_parse_with_their_offset() {
        let t = Timestamp::new("2010-01-01T19:23:24.5+05:30");
        let parsed = t.parse().unwrap();
        assert_eq!(parsed.offset().local_minus_utc(), 5 * 3600 + 30 * 60);
        assert_eq!(parsed.timestamp(), 1_262_354_004);
    }

    #[test]
    fn timestamps_without_zone_are_refused() {
        let err = Timestamp::new("2010-01-01T19:23:24").parse().unwrap_err();
        assert!(err.to_string().contains("2010-01-01T19:23:24"), "{err}");
        assert!(Timestamp::new("yesterday").parse().is_err());
    }

    #[test]
    fn timestamps_are_written_with_z() {
        let time = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap();
        assert_eq!(Timestamp::from(time).as_str(), "2024-05-06T07:08:09Z");
    }

    #[test]
    fn issuer_and_context_keep_their_shape() {
        let value = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://example.org/#"}],
            "type": ["VerifiableCredential"],
            "issuer": {"id": "did:example:i", "name": [{"@value": "Ecole", "@language": "fr"}], "logo": "x"},
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:s", "degree": {"type": "BachelorDegree"}},
            "credentialStatus": {"id": "https://example.org/status#1", "type": "BitstringStatusListEntry", "statusListIndex": "1"},
            "renderMethod": {"type": "SvgRenderingTemplate"},
            "proof": {"type": "DataIntegrityProof"}
        });
        let credential: Credential = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(credential.issuer.id(), "did:example:i");
        assert_eq!(
            credential.context.first().and_then(ContextEntry::as_url),
            Some("https://www.w3.org/ns/credentials/v2")
        );
        assert!(matches!(credential.context.as_slice()[1], ContextEntry::Inline(_)));
        assert!(credential.extra.contains_key("renderMethod"));
        assert_eq!(serde_json::to_value(&credential).unwrap(), value);

        let err = serde_json::from_value::<Credential>(json!({
            "@context": [], "type": "VerifiableCredential", "issuer": 7, "credentialSubject": {}
        }))
        .unwrap_err();
        assert!(err.to_string().contains("expected an IRI string or an object"), "{err}");
    }
}
