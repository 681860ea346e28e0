//! Comprehensive Learner Record 2.0 credentials: the `ClrCredential`, `ClrSubject` and
//! `Association` classes of the [CLR 2.0 data models](https://www.imsglobal.org/spec/clr/v2p0/#data-models).
//!
//! A CLR bundles other credentials. They stay as JSON values here, because each is signed on its
//! own and must be verified against exactly the JSON its issuer signed; read them with
//! [`ClrSubject::credentials`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::ob::{Achievement, EndorsementCredential, IdentityObject, Image, ProfileRef};
use crate::model::vc::{ContextEntry, Timestamp, TypedObject};
use crate::model::{AnyCredential, LangText, ModelError, OneOrMany};

/// A CLR 2.0 `ClrCredential`: a learner's record, made of credentials and the links between the
/// achievements they award.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClrCredential {
    /// `@context`: the VC context, then the CLR 2.0 and OB 3.0 contexts.
    #[serde(rename = "@context")]
    pub context: OneOrMany<ContextEntry>,
    /// The record's identifier.
    pub id: String,
    /// `type`: `VerifiableCredential` and `ClrCredential`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The record's name.
    pub name: LangText,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LangText>,
    /// Endorsements of the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Endorsements of the record as compact JWS strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<Vec<String>>,
    /// An image for the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Whether the record holds only part of the learner's achievements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    /// The learner and their credentials.
    pub credential_subject: ClrSubject,
    /// The issuer: an IRI or a profile.
    pub issuer: ProfileRef,
    /// When the record was awarded, if that differs from `validFrom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<Timestamp>,
    /// Start of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Timestamp>,
    /// End of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Issuance date, as CLR 2.0 credentials built on VC 1.1 wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuance_date: Option<Timestamp>,
    /// Expiration date, as CLR 2.0 credentials built on VC 1.1 wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<Timestamp>,
    /// Embedded proofs, as JSON objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Schemas the record claims to follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<TypedObject>>,
    /// Where to look up revocation or suspension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<OneOrMany<TypedObject>>,
    /// Refresh services.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<OneOrMany<TypedObject>>,
    /// Terms of use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<TypedObject>>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The learner of a [`ClrCredential`], with their credentials (class `ClrSubject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClrSubject {
    /// The learner's identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, which includes `ClrSubject`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Other identities of the learner, possibly hashed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Vec<IdentityObject>>,
    /// The achievements the record covers, which [`Association`]s link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement: Option<Vec<Achievement>>,
    /// The credentials in the record, exactly as their issuers signed them.
    pub verifiable_credential: Vec<Value>,
    /// Links between the achievements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<Vec<Association>>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A directed link between two achievements of a record (class `Association`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    /// `type`, which is `Association`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// How the source relates to the target: `isChildOf`, `isParentOf`, `precedes`, ...
    pub association_type: String,
    /// The `id` of the source achievement.
    pub source_id: String,
    /// The `id` of the target achievement.
    pub target_id: String,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ClrCredential {
    /// Start of validity: `validFrom`, else the VC 1.1 `issuanceDate`.
    pub fn valid_from_or_issuance(&self) -> Option<&Timestamp> {
        self.valid_from.as_ref().or(self.issuance_date.as_ref())
    }

    /// End of validity: `validUntil`, else the VC 1.1 `expirationDate`.
    pub fn valid_until_or_expiration(&self) -> Option<&Timestamp> {
        self.valid_until.as_ref().or(self.expiration_date.as_ref())
    }
}

impl ClrSubject {
    /// Reads each credential of the record, in order. A credential that does not fit the model
    /// is reported without hiding the others.
    pub fn credentials(&self) -> impl Iterator<Item = Result<AnyCredential, ModelError>> + '_ {
        self.verifiable_credential.iter().map(|value| AnyCredential::from_value(value.clone()))
    }

    /// The achievement with this `id`, among [`ClrSubject::achievement`].
    pub fn achievement_by_id(&self, id: &str) -> Option<&Achievement> {
        self.achievement.iter().flatten().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn minimal_clr() -> Value {
        json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential", "ClrCredential"],
            "name": {"@value": "Relevé", "@language": "fr"},
            "issuer": "https://example.edu/issuers/1",
            "validFrom": "2024-01-01T00:00:00Z",
            "partial": true,
            "credentialSubject": {
                "type": ["ClrSubject"],
                "verifiableCredential": [{"type": ["VerifiableCredential"], "not": "a full credential"}],
                "achievement": [{
                    "id": "urn:a", "type": "Achievement", "name": "A", "description": "A", "criteria": {}
                }],
                "association": [{
                    "type": "Association", "associationType": "precedes",
                    "sourceId": "urn:a", "targetId": "urn:b", "ext:weight": 2
                }]
            }
        })
    }

    #[test]
    fn a_minimal_record_round_trips() {
        let value = minimal_clr();
        let clr: ClrCredential = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(clr.partial, Some(true));
        assert_eq!(clr.name.best(&["fr"]), Some("Relevé"));
        assert_eq!(clr.credential_subject.achievement_by_id("urn:a").map(|a| a.name.as_str()), Some("A"));
        assert!(clr.credential_subject.association.as_ref().unwrap()[0].extra.contains_key("ext:weight"));
        assert_eq!(serde_json::to_value(&clr).unwrap(), value);
    }

    #[test]
    fn a_bad_nested_credential_is_reported_alone() {
        let mut value = minimal_clr();
        value["credentialSubject"]["verifiableCredential"].as_array_mut().unwrap().push(json!("eyJhbGciOi..."));
        let clr: ClrCredential = serde_json::from_value(value).unwrap();
        let results: Vec<_> = clr.credential_subject.credentials().collect();
        // The first lacks `issuer` and `credentialSubject`; the second is not an object.
        assert!(matches!(results[0], Err(ModelError::Malformed { .. })));
        assert!(matches!(results[1], Err(ModelError::NotAnObject { .. })));
    }
}
