//! Open Badges 3.0 credentials: the classes of the
//! [OB 3.0 data models](https://www.imsglobal.org/spec/ob/v3p0/#data-models). Each type's
//! documentation names its class; the spec's anchor is the class name in lowercase, as in
//! <https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential>.
//!
//! Property names are those of the 1EdTech JSON schemas (`core/schemas/`), which are authoritative
//! where the spec text and the schema differ. Fields the schema requires are plain fields; the rest
//! are `Option`. Checking a credential against the schema is [`crate::schema`]'s job: the model
//! only needs the shape to be readable.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::model::vc::{ContextEntry, Timestamp, TypedObject};
use crate::model::{string_or_object, JsonNumber, LangText, OneOrMany};

/// An OB 3.0 `AchievementCredential`, also written `OpenBadgeCredential` (class `AchievementCredential`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementCredential {
    /// `@context`: the VC 2.0 context, then an OB 3.0 context, then any extensions.
    #[serde(rename = "@context")]
    pub context: OneOrMany<ContextEntry>,
    /// The credential's identifier.
    pub id: String,
    /// `type`: `VerifiableCredential` and `AchievementCredential` or `OpenBadgeCredential`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The credential's name, usually the achievement's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LangText>,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LangText>,
    /// An image for the credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// When the achievement was awarded, if that differs from `validFrom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<Timestamp>,
    /// The learner and what they achieved. OB 3.0 allows exactly one subject, so an array here
    /// does not parse.
    pub credential_subject: AchievementSubject,
    /// Endorsements of this credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Endorsements of this credential as compact JWS strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<Vec<String>>,
    /// Evidence supporting the award.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<Evidence>>,
    /// The issuer: an IRI or a profile.
    pub issuer: ProfileRef,
    /// Start of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Timestamp>,
    /// End of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Issuance date, as OB 3.0 credentials built on VC 1.1 wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuance_date: Option<Timestamp>,
    /// Expiration date, as OB 3.0 credentials built on VC 1.1 wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<Timestamp>,
    /// Embedded proofs, as JSON objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Schemas the credential claims to follow.
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

/// An OB 3.0 `EndorsementCredential` (class `EndorsementCredential`): a third party's comment on a profile, an
/// achievement or a credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndorsementCredential {
    /// `@context`.
    #[serde(rename = "@context")]
    pub context: OneOrMany<ContextEntry>,
    /// The endorsement's identifier.
    pub id: String,
    /// `type`: `VerifiableCredential` and `EndorsementCredential`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The endorsement's name.
    pub name: LangText,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LangText>,
    /// What is endorsed, and the comment.
    pub credential_subject: EndorsementSubject,
    /// When the endorsement was made, if that differs from `validFrom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<Timestamp>,
    /// The endorser: an IRI or a profile.
    pub issuer: ProfileRef,
    /// Start of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Timestamp>,
    /// End of validity (VC 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Issuance date (VC 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuance_date: Option<Timestamp>,
    /// Expiration date (VC 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<Timestamp>,
    /// Embedded proofs, as JSON objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Schemas the credential claims to follow.
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

/// The subject of an [`EndorsementCredential`] (class `EndorsementSubject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndorsementSubject {
    /// The endorsed entity: a profile, achievement or credential identifier.
    pub id: String,
    /// `type`, which includes `EndorsementSubject`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The endorser's comment, in Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_comment: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The learner and their achievement: the subject of an [`AchievementCredential`] (class `AchievementSubject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementSubject {
    /// The learner's identifier (a DID, say); OB allows `identifier` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, which includes `AchievementSubject`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// When the learning activity ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_end_date: Option<Timestamp>,
    /// When the learning activity started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_start_date: Option<Timestamp>,
    /// Credits earned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_earned: Option<JsonNumber>,
    /// What was achieved.
    pub achievement: Achievement,
    /// Other identities of the learner, possibly hashed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Vec<IdentityObject>>,
    /// An image for this award.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// A licence number, for a licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_number: Option<String>,
    /// How the learner met the criteria, in Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Results (grades, levels, statuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Vec<AchievementResult>>,
    /// The learner's role, for an achievement earned in a role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The organization that assessed the learner, when not the issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Profile>,
    /// The academic term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What was achieved, as defined by its creator (class `Achievement`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Achievement {
    /// The achievement's identifier.
    pub id: String,
    /// `type`, which includes `Achievement`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Alignments to frameworks or standards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// The kind of achievement: `Badge`, `Certificate`, `Degree`, ... or an `ext:` value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement_type: Option<String>,
    /// Who defined the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<Profile>,
    /// Credits the achievement is worth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<JsonNumber>,
    /// How the achievement is earned.
    pub criteria: Criteria,
    /// A short description.
    pub description: String,
    /// Endorsements of the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Endorsements of the achievement as compact JWS strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<Vec<String>>,
    /// The field of study.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    /// A short code, such as a course code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    /// An image for the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// The language the achievement is described in (BCP 47).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// The achievement's name.
    pub name: String,
    /// Other identifiers of the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<Vec<IdentifierEntry>>,
    /// The same achievement in other languages or versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<Related>>,
    /// The results this achievement can have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_description: Option<Vec<ResultDescription>>,
    /// The specialization within the field of study.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialization: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<Vec<String>>,
    /// The achievement's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How an achievement is earned (class `Criteria`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Criteria {
    /// A page describing the criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The criteria, in Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An alignment to a framework, standard or competency (class `Alignment`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alignment {
    /// `type`, which includes `Alignment`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The target's code within its framework.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
    /// The target's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    /// The target's name.
    pub target_name: String,
    /// The framework's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    /// The target's type: `CFItem`, `ceasn:Competency`, `CTDL`... or an `ext:` value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// The target's URL.
    pub target_url: String,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An issuer, creator, endorser or other organization or person (class `Profile`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The profile's identifier.
    pub id: String,
    /// `type`, which includes `Profile`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A home page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Endorsements of this profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Endorsements of this profile as compact JWS strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<Vec<String>>,
    /// A logo or portrait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// A contact e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Other identifiers of the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<Vec<IdentifierEntry>>,
    /// The name of an official who signs for the organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    /// The parent organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_org: Option<Box<Profile>>,
    /// A person's family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// A person's given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// A person's additional name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_name: Option<String>,
    /// A person's patronymic name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patronymic_name: Option<String>,
    /// An honorific prefix (Dr, Prof).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    /// An honorific suffix (PhD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    /// A family name prefix (van, de).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name_prefix: Option<String>,
    /// A person's date of birth (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A profile given by IRI or in full: the shape of `issuer` (`ProfileRef` in the schema).
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileRef {
    /// Just the profile's IRI.
    Iri(String),
    /// The profile itself.
    Profile(Box<Profile>),
}

/// An image with optional caption (class `Image`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The image's URL or `data:` URL.
    pub id: String,
    /// `type`, which is `Image`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// A caption.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A postal address (class `Address`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// `type`, which includes `Address`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_country: Option<String>,
    /// The ISO 3166-1 alpha-2 country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_country_code: Option<String>,
    /// The region (state, province).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_region: Option<String>,
    /// The locality (city).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_locality: Option<String>,
    /// The street address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// The post office box number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_office_box_number: Option<String>,
    /// The postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Geographic coordinates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<GeoCoordinates>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Latitude and longitude (class `GeoCoordinates`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoCoordinates {
    /// `type`, which is `GeoCoordinates`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The latitude.
    pub latitude: JsonNumber,
    /// The longitude.
    pub longitude: JsonNumber,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Another identifier of a profile or an achievement (class `IdentifierEntry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifierEntry {
    /// `type`, which is `IdentifierEntry`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The identifier.
    pub identifier: String,
    /// The kind of identifier: `sourcedId`, `nationalIdentityNumber`, ... or an `ext:` value.
    pub identifier_type: String,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An identity of the learner, in plain text or hashed (class `IdentityObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityObject {
    /// `type`, which is `IdentityObject`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Whether `identity_hash` is a hash or the plain identity.
    pub hashed: bool,
    /// `sha256$<hex>` or `md5$<hex>` of the identity followed by the salt, or the plain identity.
    pub identity_hash: String,
    /// The kind of identity: `emailAddress`, `studentId`, ... or an `ext:` value.
    pub identity_type: String,
    /// The salt appended to the identity before hashing, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Failure to compare an identity with an [`IdentityObject`] ([`IdentityObject::matches`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityHashError {
    /// The hash is not written `algorithm$hex`.
    #[error("identityHash {0:?} is not of the form algorithm$hex")]
    Malformed(String),
    /// The hash uses an algorithm Accolade does not compute. OB 3.0 also allows `md5`, which is
    /// broken and which Accolade neither writes nor trusts.
    #[error("identityHash algorithm {0:?} is not supported (only sha256 is)")]
    Unsupported(String),
}

/// One result the learner got (class `Result`, renamed so as not to shadow Rust's `Result`).
#[doc(alias = "Result")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementResult {
    /// `type`, which includes `Result`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// The `id` of the rubric level achieved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// Alignments of this result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// The `id` of the [`ResultDescription`] this result follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_description: Option<String>,
    /// A status such as `Completed` or `Enrolled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The value (a grade, a score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A result an achievement can have, such as a grade scale or a rubric (class `ResultDescription`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDescription {
    /// The description's identifier, which results refer to.
    pub id: String,
    /// `type`, which includes `ResultDescription`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Alignments of this result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// The values allowed, in order, for an ordered scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_value: Option<Vec<String>>,
    /// The name.
    pub name: String,
    /// The `id` of the rubric level required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_level: Option<String>,
    /// The value required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_value: Option<String>,
    /// The kind of result: `GradePointAverage`, `LetterGrade`, `RubricCriterionLevel`, ...
    pub result_type: String,
    /// The rubric's levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric_criterion_level: Option<Vec<RubricCriterionLevel>>,
    /// The highest value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_max: Option<String>,
    /// The lowest value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_min: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One level of a rubric (class `RubricCriterionLevel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RubricCriterionLevel {
    /// The level's identifier, which results refer to.
    pub id: String,
    /// `type`, which includes `RubricCriterionLevel`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Alignments of this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// What the level means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The level's rank or label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The name.
    pub name: String,
    /// Points for this level (a string in the schema).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The same achievement in another language or version (class `Related`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    /// The related achievement's identifier.
    pub id: String,
    /// `type`, which includes `Related`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// Its language (BCP 47).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// Its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Evidence of the learner's work (class `Evidence`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Where the evidence is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `type`, which includes `Evidence`.
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    /// A narrative of the evidence, in Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The kind of evidence (`Research`, `Portfolio`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Who the evidence is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Properties not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AchievementCredential {
    /// Start of validity: `validFrom`, else the VC 1.1 `issuanceDate`.
    pub fn valid_from_or_issuance(&self) -> Option<&Timestamp> {
        self.valid_from.as_ref().or(self.issuance_date.as_ref())
    }

    /// End of validity: `validUntil`, else the VC 1.1 `expirationDate`.
    pub fn valid_until_or_expiration(&self) -> Option<&Timestamp> {
        self.valid_until.as_ref().or(self.expiration_date.as_ref())
    }
}

impl ProfileRef {
    /// The profile's identifier, whatever the shape.
    pub fn id(&self) -> &str {
        match self {
            Self::Iri(id) => id,
            Self::Profile(profile) => &profile.id,
        }
    }

    /// The profile, when given in full.
    pub fn profile(&self) -> Option<&Profile> {
        match self {
            Self::Iri(_) => None,
            Self::Profile(profile) => Some(profile),
        }
    }
}

impl Serialize for ProfileRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Iri(id) => id.serialize(serializer),
            Self::Profile(profile) => profile.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ProfileRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string_or_object(deserializer, Self::Iri, |value| {
            serde_json::from_value(value).map(|p| Self::Profile(Box::new(p)))
        })
    }
}

impl IdentityObject {
    /// The OB 3.0 `IdentityHash` algorithm prefix Accolade writes.
    pub const SHA256: &'static str = "sha256";

    /// A hashed e-mail identity: `sha256$` and the lowercase hex SHA-256 of the UTF-8 bytes of
    /// `email` followed by `salt` (OB 3.0 derived type `IdentityHash`).
    ///
    /// The address is hashed as given. The spec does not normalize it, and a verifier can only
    /// match what the issuer hashed, so callers that want case-insensitive matching must
    /// normalize before both hashing and matching.
    pub fn hashed_email(email: &str, salt: &str) -> Self {
        Self::hashed("emailAddress", email, salt)
    }

    /// A hashed identity of any `IdentifierTypeEnum` type (`emailAddress`, `sourcedId`, …):
    /// `sha256$` and the lowercase hex SHA-256 of `identity` followed by `salt`.
    pub fn hashed(identity_type: &str, identity: &str, salt: &str) -> Self {
        Self {
            types: OneOrMany::One("IdentityObject".to_owned()),
            hashed: true,
            identity_hash: format!("{}${}", Self::SHA256, sha256_hex(identity, salt)),
            identity_type: identity_type.to_owned(),
            salt: Some(salt.to_owned()),
            extra: Map::new(),
        }
    }

    /// An identity in plain text, for what the holder wants shown (a name, say).
    pub fn plain(identity_type: &str, identity: &str) -> Self {
        Self {
            types: OneOrMany::One("IdentityObject".to_owned()),
            hashed: false,
            identity_hash: identity.to_owned(),
            identity_type: identity_type.to_owned(),
            salt: None,
            extra: Map::new(),
        }
    }

    /// Whether `identity` (an e-mail address, say) is the one this object names, hashing it
    /// with the object's salt when the object is hashed.
    ///
    /// # Errors
    ///
    /// [`IdentityHashError`] when the hash is malformed or uses an algorithm other than sha256.
    pub fn matches(&self, identity: &str) -> Result<bool, IdentityHashError> {
        if !self.hashed {
            return Ok(self.identity_hash == identity);
        }
        let (algorithm, digest) = self
            .identity_hash
            .split_once('$')
            .ok_or_else(|| IdentityHashError::Malformed(self.identity_hash.clone()))?;
        if !algorithm.eq_ignore_ascii_case(Self::SHA256) {
            return Err(IdentityHashError::Unsupported(algorithm.to_owned()));
        }
        let salt = self.salt.as_deref().unwrap_or("");
        // The spec allows upper- or lowercase hex.
        Ok(digest.eq_ignore_ascii_case(&sha256_hex(identity, salt)))
    }
}

/// Lowercase hex SHA-256 of `identity` followed by `salt`.
fn sha256_hex(identity: &str, salt: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(identity.as_bytes());
    hasher.update(salt.as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn hashed_email_matches_a_hand_computed_hash() {
        // printf '%s' 'student@1edtech.edudeadbeef' | sha256sum
        let identity = IdentityObject::hashed_email("student@1edtech.edu", "deadbeef");
        assert_eq!(identity.identity_hash, "sha256$97d4a5bdc0bc06eda09827e7d943af85b5f9ba200d390c5894487780eb7e359f");
        assert!(identity.hashed);
        assert_eq!(identity.identity_type, "emailAddress");
        assert_eq!(
            serde_json::to_value(&identity).unwrap(),
            json!({
                "type": "IdentityObject",
                "hashed": true,
                "identityHash": "sha256$97d4a5bdc0bc06eda09827e7d943af85b5f9ba200d390c5894487780eb7e359f",
                "identityType": "emailAddress",
                "salt": "deadbeef"
            })
        );
    }

    #[test]
    fn hashed_email_reproduces_the_spec_example() {
        // OB 3.0 `IdentityHash`: 'a@example.com' salted with 'Kosher'.
        let identity = IdentityObject::hashed_email("a@example.com", "Kosher");
        assert_eq!(identity.identity_hash, "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399");
    }

    #[test]
    fn matches_hashed_and_plain_identities() {
        let mut identity = IdentityObject::hashed_email("a@example.com", "Kosher");
        assert_eq!(identity.matches("a@example.com"), Ok(true));
        assert_eq!(identity.matches("b@example.com"), Ok(false));
        identity.identity_hash = identity.identity_hash.to_uppercase().replace("SHA256$", "sha256$");
        assert_eq!(identity.matches("a@example.com"), Ok(true));
        identity.identity_hash = "md5$00".into();
        assert_eq!(identity.matches("a@example.com"), Err(IdentityHashError::Unsupported("md5".into())));
        identity.identity_hash = "nodollar".into();
        assert!(matches!(identity.matches("a"), Err(IdentityHashError::Malformed(_))));
        identity.hashed = false;
        identity.identity_hash = "a@example.com".into();
        assert_eq!(identity.matches("a@example.com"), Ok(true));
    }

    #[test]
    fn issuer_may_be_an_iri_or_a_profile() {
        let iri: ProfileRef = serde_json::from_value(json!("https://example.edu/issuers/1")).unwrap();
        assert_eq!(iri.id(), "https://example.edu/issuers/1");
        assert!(iri.profile().is_none());
        let profile: ProfileRef =
            serde_json::from_value(json!({"id": "https://example.edu/issuers/1", "type": "Profile", "name": "X"}))
                .unwrap();
        assert_eq!(profile.profile().and_then(|p| p.name.as_deref()), Some("X"));
        let err = serde_json::from_value::<ProfileRef>(json!({"type": "Profile"})).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
    }

    #[test]
    fn extension_properties_survive() {
        let value = json!({
            "id": "https://example.edu/achievements/1",
            "type": ["Achievement", "ext:Special"],
            "criteria": {"narrative": "Do it", "ext:rubric": {"levels": 3}},
            "description": "D",
            "name": "N",
            "creditsAvailable": 3,
            "@language": "en",
            "ext:applyLink": ["https://example.edu/apply"]
        });
        let achievement: Achievement = serde_json::from_value(value.clone()).unwrap();
        assert!(achievement.extra.contains_key("ext:applyLink"));
        assert!(achievement.criteria.extra.contains_key("ext:rubric"));
        assert_eq!(serde_json::to_value(&achievement).unwrap(), value);
        assert_eq!(serde_json::to_string(&achievement.credits_available).unwrap(), "3");
    }
}
