//! Building, signing and recording credentials.
//!
//! - Awards: an OB 3.0 `OpenBadgeCredential` (§B.1.2 `AchievementCredential`) for one learner,
//!   with an `AchievementSubject` (§B.1.3) whose `identifier`s are `IdentityObject`s (§B.1.9):
//!   the learner's email or other identifier hashed and salted (`sha256$…`, §B.2.6 `IdentityHash`)
//!   unless the admin asks for it in plain, and the name in plain so the certificate and the
//!   verifier page can show it. Optional evidence (§B.1.8 `Evidence`) and results (§B.1.24).
//! - VC-API issuing (§3.2.1 "Issue Credential"): any credential the caller gives, issued as the
//!   endpoint's issuer.
//! - CLR 2.0 (§B.1.1 `ClrCredential`): a learner's issued achievement credentials, bundled.
//! - Endorsements (OB 3.0 §B.1.6 `EndorsementCredential`).
//!
//! Every credential gets an unguessable public id (128 random bits), the `id` `{public}/c/{id}`,
//! status entries ([`crate::status_lists`]), a proof (`eddsa-rdfc-2022` by default,
//! `eddsa-jcs-2022`) or a `vc+jwt` envelope, and is recorded in the store before it is returned.
//!
//! No `credentialSchema` is written: its type, `1EdTechJsonSchemaValidator2019`, is defined only
//! by the OB extensions context, and the OB 3.0.3 context alone would make it a relative `@type`
//! that JSON-LD safe mode refuses. The schema is checked here before signing instead.

use accolade_core::jose;
use accolade_core::model::IdentityObject;
use accolade_core::proof::{add_proof_owned, Cryptosuite, ProofOptions};
use accolade_verifier::qr::percent_encode;
use base64::Engine as _;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use crate::achievements::Achievement;
use crate::store::{CredentialRow, Store, StoreError};
use crate::tenants::Issuer;
use crate::{now_rfc3339, status_lists, AppState, ServiceError};

/// The VC 2.0 context.
pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The OB 3.0.3 context.
pub const OB_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The CLR 2.0.1 context.
pub const CLR_V2: &str = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";

/// 128 random bits, base64url: public credential ids, status list ids, salts.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The public link of credential `id`.
pub fn credential_url(state: &AppState, id: &str) -> String {
    format!("{}/c/{id}", state.config().public_url)
}

/// How to secure a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Data Integrity proof with this suite.
    DataIntegrity(Cryptosuite),
    /// A VC-JOSE `vc+jwt`, delivered as an `EnvelopedVerifiableCredential`.
    Jwt,
}

/// VC-API issue `options` (DESIGN.md: `cryptosuite`, `format`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueOptions {
    /// `eddsa-rdfc-2022` (the default) or `eddsa-jcs-2022`.
    #[serde(default)]
    pub cryptosuite: Option<String>,
    /// `vc+jwt` for a JWT; absent for Data Integrity.
    #[serde(default)]
    pub format: Option<String>,
}

impl IssueOptions {
    /// The format asked for.
    pub fn format(&self) -> Result<Format, ServiceError> {
        if let Some(format) = &self.format {
            if format != "vc+jwt" {
                return Err(ServiceError::invalid(
                    "UNSUPPORTED_FORMAT",
                    format!("options.format {format:?} is not supported; use \"vc+jwt\" or leave it out"),
                ));
            }
            if self.cryptosuite.is_some() {
                return Err(ServiceError::invalid(
                    "UNSUPPORTED_FORMAT",
                    "options.cryptosuite and options.format \"vc+jwt\" exclude each other",
                ));
            }
            return Ok(Format::Jwt);
        }
        match self.cryptosuite.as_deref() {
            None | Some("eddsa-rdfc-2022") => Ok(Format::DataIntegrity(Cryptosuite::EddsaRdfc2022)),
            Some("eddsa-jcs-2022") => Ok(Format::DataIntegrity(Cryptosuite::EddsaJcs2022)),
            Some(other) => Err(ServiceError::invalid(
                "UNSUPPORTED_CRYPTOSUITE",
                format!("options.cryptosuite {other:?} is not supported; use eddsa-rdfc-2022 or eddsa-jcs-2022"),
            )),
        }
    }
}

/// Who receives an award.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Recipient {
    /// The learner's name, shown on the certificate and the verifier page.
    #[serde(default)]
    pub name: Option<String>,
    /// An email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Another identifier (student number, account id); `identifierType` says which.
    #[serde(default)]
    pub identifier: Option<String>,
    /// The `IdentifierTypeEnum` value of `identifier` (`sourcedId`, `studentId` as `ext:studentId`,
    /// …); `identifier` by default.
    #[serde(default)]
    pub identifier_type: Option<String>,
    /// The learner's DID, when they have a wallet: it becomes `credentialSubject.id`.
    #[serde(default)]
    pub did: Option<String>,
    /// Embed the email and identifier in plain text instead of hashed (default: hashed).
    #[serde(default)]
    pub plain: bool,
}

impl Recipient {
    /// The key the store files the credential under, to find a learner's credentials for a CLR:
    /// the email (lowercased), else the identifier, else the DID.
    pub fn lookup_key(&self) -> Option<String> {
        self.email
            .as_ref()
            .map(|e| e.trim().to_lowercase())
            .or_else(|| self.identifier.clone())
            .or_else(|| self.did.clone())
    }

    fn check(&self) -> Result<(), ServiceError> {
        let bad = |m: String| Err(ServiceError::invalid("INVALID_RECIPIENT", m));
        if self.email.is_none() && self.identifier.is_none() && self.did.is_none() {
            return bad("the recipient needs an email, an identifier or a did".into());
        }
        if let Some(email) = &self.email {
            let email = email.trim();
            let valid =
                email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.ends_with('.'));
            if !valid || email.chars().any(char::is_whitespace) {
                return bad(format!("recipient email {email:?} is not an email address"));
            }
        }
        if let Some(did) = &self.did {
            if !did.starts_with("did:") {
                return bad(format!("recipient did {did:?} is not a DID"));
            }
        }
        if let Some(name) = &self.name {
            if name.trim().is_empty() || name.len() > 200 {
                return bad("recipient name must be 1-200 characters".into());
            }
        }
        if let Some(t) = &self.identifier_type {
            if t.is_empty() || t.chars().any(char::is_whitespace) {
                return bad(format!("identifierType {t:?} is not an identifier type"));
            }
        }
        Ok(())
    }

    /// The `IdentityObject`s to embed; the name too when `with_name` (the CLR 2.0 schema's
    /// identifier types have no `name`).
    fn identifiers(&self, with_name: bool) -> Vec<Value> {
        let mut out = Vec::new();
        let salt = random_id();
        let mut push = |kind: &str, value: &str| {
            let object = if self.plain {
                IdentityObject::plain(kind, value)
            } else {
                IdentityObject::hashed(kind, value, &salt)
            };
            out.push(serde_json::to_value(object).unwrap_or_default());
        };
        if let Some(email) = &self.email {
            push("emailAddress", &email.trim().to_lowercase());
        }
        if let Some(identifier) = &self.identifier {
            push(self.identifier_type.as_deref().unwrap_or("identifier"), identifier);
        }
        if let Some(name) = self.name.as_ref().filter(|_| with_name) {
            out.push(serde_json::to_value(IdentityObject::plain("name", name.trim())).unwrap_or_default());
        }
        out
    }
}

/// A piece of evidence (OB 3.0 `Evidence`): a portfolio item.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EvidenceInput {
    /// Where it is.
    #[serde(default)]
    pub url: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// What it is.
    #[serde(default)]
    pub description: Option<String>,
    /// A narrative of what the learner did.
    #[serde(default)]
    pub narrative: Option<String>,
    /// Its kind: "Video", "Essay", "Portfolio", ….
    #[serde(default)]
    pub genre: Option<String>,
}

impl EvidenceInput {
    fn to_json(&self, n: usize) -> Result<Value, ServiceError> {
        let mut e = Map::new();
        if let Some(url) = &self.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ServiceError::invalid(
                    "INVALID_EVIDENCE",
                    format!("evidence {n}: url {url:?} must be an http(s) URL"),
                ));
            }
            e.insert("id".into(), json!(url));
        }
        e.insert("type".into(), json!(["Evidence"]));
        for (key, value) in [
            ("name", &self.name),
            ("description", &self.description),
            ("narrative", &self.narrative),
            ("genre", &self.genre),
        ] {
            if let Some(v) = value {
                e.insert(key.into(), json!(v));
            }
        }
        if e.len() == 1 {
            return Err(ServiceError::invalid("INVALID_EVIDENCE", format!("evidence {n} is empty")));
        }
        Ok(Value::Object(e))
    }
}

/// A result the learner obtained, against one of the achievement's result descriptions.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResultInput {
    /// The result description's id in the achievement definition.
    pub result_description: String,
    /// The value, e.g. "A" or "87".
    pub value: String,
}

/// An achievement awarded to a recipient.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Award {
    /// The achievement's id.
    pub achievement: String,
    /// Who.
    pub recipient: Recipient,
    /// Portfolio items.
    #[serde(default)]
    pub evidence: Vec<EvidenceInput>,
    /// Results.
    #[serde(default)]
    pub results: Vec<ResultInput>,
    /// What the learner did, in words.
    #[serde(default)]
    pub narrative: Option<String>,
    /// The language of the texts, when the achievement has several.
    #[serde(default)]
    pub language: Option<String>,
    /// When the credential lapses (RFC 3339); never by default.
    #[serde(default)]
    pub valid_until: Option<String>,
    /// How to sign.
    #[serde(default)]
    pub options: IssueOptions,
}

/// An issued credential, as the API returns it.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The public id.
    pub id: String,
    /// The public link.
    pub url: String,
    /// The credential: signed JSON, or the `EnvelopedVerifiableCredential` of a JWT.
    pub credential: Value,
    /// False when an earlier (or concurrent) issuance of the same batch row was found instead.
    pub fresh: bool,
}

impl Issued {
    /// The API's answer: the credential and where it is delivered.
    pub fn to_json(&self, state: &AppState) -> Value {
        json!({
            "id": self.id,
            "url": self.url,
            "verifiableCredential": self.credential,
            "links": delivery_links(state, &self.id),
        })
    }
}

/// The delivery links of credential `id`.
pub fn delivery_links(state: &AppState, id: &str) -> Value {
    let url = credential_url(state, id);
    json!({
        "json": url,
        "verify": verify_link(state, id),
        "qrPng": format!("{url}/qr.png"),
        "qrSvg": format!("{url}/qr.svg"),
        "badgePng": format!("{url}/badge.png"),
        "badgeSvg": format!("{url}/badge.svg"),
        "certificate": format!("{url}/certificate"),
    })
}

/// The verifier page's link for credential `id`, the link its QR codes encode.
pub fn verify_link(state: &AppState, id: &str) -> String {
    format!("{}?credential={}", state.config().verifier_url(), percent_encode(&credential_url(state, id)))
}

/// The parts of a credential row that vary by kind.
struct Filing<'a> {
    kind: &'static str,
    achievement_id: Option<&'a str>,
    recipient: Option<&'a Recipient>,
    batch: Option<(String, i64)>,
}

/// Awards an achievement. With `batch`, the row is issued at most once: the store keeps
/// `(batch, row)` unique, and an attempt that loses the race returns the first credential.
/// ([`crate::batch`] looks for an issued row before calling this, so re-runs sign nothing.)
pub async fn award(
    state: &AppState,
    issuer: &Issuer,
    achievement: &Achievement,
    award: &Award,
    batch: Option<(String, i64)>,
) -> Result<Issued, ServiceError> {
    if achievement.retired {
        return Err(ServiceError::conflict(
            "ACHIEVEMENT_RETIRED",
            format!("achievement {:?} is retired and is no longer issued", achievement.definition.id),
        ));
    }
    let format = award.options.format()?;
    let document = award_document(state, issuer, achievement, award)?;
    let filing = Filing {
        kind: "achievement",
        achievement_id: Some(&achievement.definition.id),
        recipient: Some(&award.recipient),
        batch,
    };
    finish(state, issuer, document, format, filing).await
}

/// Checks an award as [`award`] would, signing and recording nothing (batch dry runs).
pub fn check_award(
    state: &AppState,
    issuer: &Issuer,
    achievement: &Achievement,
    award: &Award,
) -> Result<(), ServiceError> {
    award.options.format()?;
    award_document(state, issuer, achievement, award).map(drop)
}

/// The unsigned credential of an award, without `id` and status (added by [`finish`]).
fn award_document(
    state: &AppState,
    issuer: &Issuer,
    achievement: &Achievement,
    award: &Award,
) -> Result<Value, ServiceError> {
    award.recipient.check()?;
    let definition = &achievement.definition;
    let language = award.language.as_deref();
    let achievement_url = achievement.url(state, issuer);
    let profile = issuer.profile_json();
    let mut subject = Map::new();
    if let Some(did) = &award.recipient.did {
        subject.insert("id".into(), json!(did));
    }
    subject.insert("type".into(), json!(["AchievementSubject"]));
    let identifiers = award.recipient.identifiers(true);
    if !identifiers.is_empty() {
        subject.insert("identifier".into(), Value::Array(identifiers));
    }
    subject.insert("achievement".into(), definition.to_achievement(&achievement_url, &profile, language));
    if !award.results.is_empty() {
        let mut results = Vec::new();
        for r in &award.results {
            let Some(rd) = definition.result_description.iter().find(|rd| rd.id == r.result_description) else {
                return Err(ServiceError::invalid(
                    "UNKNOWN_RESULT_DESCRIPTION",
                    format!("achievement {:?} has no result description {:?}", definition.id, r.result_description),
                ));
            };
            if let Some(allowed) = &rd.allowed_value {
                if !allowed.contains(&r.value) {
                    return Err(ServiceError::invalid(
                        "INVALID_RESULT",
                        format!("result {:?}: {:?} is not one of {allowed:?}", rd.id, r.value),
                    ));
                }
            }
            results.push(json!({
                "type": ["Result"],
                "resultDescription": format!("{achievement_url}#result-{}", rd.id),
                "value": r.value,
            }));
        }
        subject.insert("result".into(), Value::Array(results));
    }
    if let Some(narrative) = &award.narrative {
        subject.insert("narrative".into(), json!(narrative));
    }
    let mut doc = Map::new();
    doc.insert("@context".into(), json!([VC_V2, OB_V3]));
    doc.insert("type".into(), json!(["VerifiableCredential", "OpenBadgeCredential"]));
    doc.insert("name".into(), json!(definition.name_in(language)));
    doc.insert("issuer".into(), profile);
    doc.insert("validFrom".into(), json!(now_rfc3339()));
    if let Some(until) = &award.valid_until {
        if chrono::DateTime::parse_from_rfc3339(until).is_err() {
            return Err(ServiceError::invalid(
                "INVALID_DATE",
                format!("validUntil {until:?} is not an RFC 3339 date-time"),
            ));
        }
        doc.insert("validUntil".into(), json!(until));
    }
    doc.insert("credentialSubject".into(), Value::Object(subject));
    if !award.evidence.is_empty() {
        let evidence: Result<Vec<Value>, _> =
            award.evidence.iter().enumerate().map(|(n, e)| e.to_json(n + 1)).collect();
        doc.insert("evidence".into(), Value::Array(evidence?));
    }
    Ok(Value::Object(doc))
}

/// Issues a VC-API `credential` as `issuer` (VC-API §3.2.1). A credential without `issuer` gets
/// the issuer's profile; one naming another issuer is refused.
pub async fn issue_vc_api(
    state: &AppState,
    issuer: &Issuer,
    credential: Value,
    options: &IssueOptions,
) -> Result<Issued, ServiceError> {
    let format = options.format()?;
    let Value::Object(mut doc) = credential else {
        return Err(ServiceError::invalid("INVALID_CREDENTIAL", "credential must be a JSON object"));
    };
    if doc.contains_key("proof") {
        return Err(ServiceError::invalid(
            "INVALID_CREDENTIAL",
            "credential must not carry a proof; the issuer adds it",
        ));
    }
    let contexts = doc.get("@context").and_then(Value::as_array);
    let is_v1 =
        contexts.and_then(|c| c.first()).and_then(Value::as_str) == Some("https://www.w3.org/2018/credentials/v1");
    let first_ok = contexts.and_then(|c| c.first()).and_then(Value::as_str).is_some_and(|c| c == VC_V2 || is_v1);
    if !first_ok {
        return Err(ServiceError::invalid(
            "INVALID_CREDENTIAL",
            format!("credential @context must be an array starting with {VC_V2:?}"),
        ));
    }
    match doc.get("issuer") {
        None => {
            doc.insert("issuer".into(), issuer.profile_json());
        }
        Some(given) => {
            let named = given.as_str().or_else(|| given.get("id").and_then(Value::as_str));
            if named != Some(issuer.did()) {
                return Err(ServiceError::forbidden(
                    "FOREIGN_ISSUER",
                    format!(
                        "credential.issuer names {}, but this endpoint issues as {}",
                        named.map_or_else(|| "no id".to_owned(), |n| format!("{n:?}")),
                        issuer.did()
                    ),
                ));
            }
        }
    }
    let date_key = if is_v1 { "issuanceDate" } else { "validFrom" };
    if !doc.contains_key(date_key) {
        doc.insert(date_key.into(), json!(now_rfc3339()));
    }
    let filing = Filing { kind: "vc-api", achievement_id: None, recipient: None, batch: None };
    finish(state, issuer, Value::Object(doc), format, filing).await
}

/// Bundles the achievement credentials `issuer` gave the learner with `identifier` into one
/// signed CLR 2.0 `ClrCredential`.
pub async fn issue_clr(
    state: &AppState,
    issuer: &Issuer,
    recipient: &Recipient,
    name: Option<&str>,
) -> Result<Issued, ServiceError> {
    recipient.check()?;
    let key = recipient.lookup_key().unwrap_or_default();
    let rows = state.store().credentials_for(issuer.id(), &key).await?;
    let mut credentials = Vec::new();
    let mut achievements = Vec::new();
    for row in rows.iter().filter(|r| r.kind == "achievement" && r.format == "ldp") {
        if status_lists::current(state, &row.id).await?.revoked {
            continue;
        }
        let credential: Value = serde_json::from_str(&row.body)
            .map_err(|e| ServiceError::Sign(format!("stored credential {}: {e}", row.id)))?;
        if let Some(a) = credential.pointer("/credentialSubject/achievement") {
            achievements.push(a.clone());
        }
        credentials.push(credential);
    }
    if credentials.is_empty() {
        return Err(ServiceError::invalid(
            "NOTHING_TO_BUNDLE",
            format!(
                "issuer {} has issued no unrevoked Data Integrity achievement credentials to this recipient",
                issuer.id()
            ),
        ));
    }
    let mut subject = Map::new();
    if let Some(did) = &recipient.did {
        subject.insert("id".into(), json!(did));
    }
    subject.insert("type".into(), json!(["ClrSubject"]));
    let identifiers = recipient.identifiers(false);
    if !identifiers.is_empty() {
        subject.insert("identifier".into(), Value::Array(identifiers));
    }
    subject.insert("achievement".into(), Value::Array(achievements));
    subject.insert("verifiableCredential".into(), Value::Array(credentials));
    let title = name.map_or_else(|| format!("Record of achievements from {}", issuer.profile().name), str::to_owned);
    let doc = json!({
        "@context": [VC_V2, CLR_V2, OB_V3],
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": title,
        "issuer": issuer.profile_json(),
        "validFrom": now_rfc3339(),
        "credentialSubject": subject,
    });
    let filing = Filing { kind: "clr", achievement_id: None, recipient: Some(recipient), batch: None };
    finish(state, issuer, doc, Format::DataIntegrity(Cryptosuite::EddsaRdfc2022), filing).await
}

/// What an endorsement endorses.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Endorsement {
    /// The id (URL or DID) of the achievement or profile endorsed.
    pub subject: String,
    /// What the endorser says about it.
    pub comment: String,
    /// A name for the endorsement credential.
    #[serde(default)]
    pub name: Option<String>,
}

/// `issuer` endorses another issuer's achievement or profile (OB 3.0 `EndorsementCredential`).
pub async fn endorse(state: &AppState, issuer: &Issuer, endorsement: &Endorsement) -> Result<Issued, ServiceError> {
    let target = endorsement.subject.trim();
    if !(target.starts_with("https://") || target.starts_with("http://") || target.starts_with("did:")) {
        return Err(ServiceError::invalid("INVALID_ENDORSEMENT", "subject must be the URL or DID of what is endorsed"));
    }
    if endorsement.comment.trim().is_empty() {
        return Err(ServiceError::invalid("INVALID_ENDORSEMENT", "comment must not be empty"));
    }
    let name = endorsement.name.clone().unwrap_or_else(|| format!("Endorsement by {}", issuer.profile().name));
    let doc = json!({
        "@context": [VC_V2, OB_V3],
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": name,
        "issuer": issuer.profile_json(),
        "validFrom": now_rfc3339(),
        "credentialSubject": {
            "id": target,
            "type": ["EndorsementSubject"],
            "endorsementComment": endorsement.comment,
        },
    });
    let filing = Filing { kind: "endorsement", achievement_id: None, recipient: None, batch: None };
    finish(state, issuer, doc, Format::DataIntegrity(Cryptosuite::EddsaRdfc2022), filing).await
}

/// Adds id and status, checks the schema, signs, records.
async fn finish(
    state: &AppState,
    issuer: &Issuer,
    document: Value,
    format: Format,
    filing: Filing<'_>,
) -> Result<Issued, ServiceError> {
    let Value::Object(mut doc) = document else {
        return Err(ServiceError::invalid("INVALID_CREDENTIAL", "credential must be a JSON object"));
    };
    let id = random_id();
    let url = credential_url(state, &id);
    if !doc.contains_key("id") {
        doc.insert("id".into(), json!(url));
    }
    // The issuer's own status entries replace any the caller gave.
    doc.remove("credentialStatus");
    let mut document = Value::Object(doc);
    // The schema is checked before anything is written, so a refused credential claims nothing.
    if let Err(errors) = accolade_core::schema::validate_adapted(&document) {
        let detail: Vec<String> =
            errors.violations().iter().take(5).map(|v| format!("{}: {}", v.pointer, v.message)).collect();
        return Err(ServiceError::invalid(
            "SCHEMA_VIOLATION",
            format!("the credential does not meet the {} schema: {}", errors.kind().schema_id(), detail.join("; ")),
        ));
    }
    let single = accolade_core::schema::SchemaKind::of(&document).is_some();
    let mut status = status_lists::allocate(state, issuer, &id, single).await?;
    let status = if status.len() == 1 { status.remove(0) } else { Value::Array(status) };
    if let Value::Object(map) = &mut document {
        map.insert("credentialStatus".into(), status);
    }
    let (key, method) = issuer.signing_key(state)?;
    let resolver = issuer.resolver()?;
    // Signing is CPU work (a millisecond for a large credential): it runs on the blocking pool,
    // so a batch or a burst of requests does not stall the async workers.
    let signed = tokio::task::spawn_blocking(move || sign(document, &key, &method, format, &resolver))
        .await
        .map_err(|e| ServiceError::Sign(format!("the signing task failed: {e}")))?;
    let (body, credential, stored_format) = signed?;
    let row = CredentialRow {
        id: id.clone(),
        tenant_id: issuer.id().to_owned(),
        kind: filing.kind.to_owned(),
        achievement_id: filing.achievement_id.map(str::to_owned),
        recipient_name: filing.recipient.and_then(|r| r.name.clone()),
        recipient_identifier: filing.recipient.and_then(Recipient::lookup_key),
        format: stored_format.to_owned(),
        body,
        issued_at: now_rfc3339(),
        batch: filing.batch.clone(),
    };
    match state.store().insert_credential(&row).await {
        Ok(()) => Ok(Issued { id, url, credential, fresh: true }),
        // Another process issued this batch row meanwhile: theirs stands, ours was never seen.
        Err(StoreError::Duplicate(_)) if filing.batch.is_some() => {
            let (batch_id, n) = filing.batch.as_ref().map(|(b, n)| (b.as_str(), *n)).unwrap_or_default();
            match state.store().batch_credential(batch_id, n).await? {
                Some(existing) => existing_issued(state, &existing).await,
                None => Err(ServiceError::Sign(format!("batch row {n} is recorded but cannot be read"))),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Signs `document` in `format`: the stored body, the credential to return, and the stored
/// format name.
fn sign(
    document: Value,
    key: &accolade_core::keys::SigningKey,
    method: &str,
    format: Format,
    resolver: &accolade_core::did::StandardResolver,
) -> Result<(String, Value, &'static str), ServiceError> {
    match format {
        Format::DataIntegrity(suite) => {
            let options = ProofOptions::assertion(suite, method);
            let signed = add_proof_owned(document, key, &options, resolver)
                .map_err(|e| ServiceError::invalid("CANNOT_SIGN", e.to_string()))?;
            Ok((signed.to_string(), signed, "ldp"))
        }
        Format::Jwt => {
            let token = jose::sign_vc_jwt(&document, key, method)
                .map_err(|e| ServiceError::invalid("CANNOT_SIGN", e.to_string()))?;
            Ok((token.clone(), envelope(&token), "vc+jwt"))
        }
    }
}

/// A VC-JOSE token as an `EnvelopedVerifiableCredential` (VC 2.0 §4.13).
pub fn envelope(token: &str) -> Value {
    json!({
        "@context": [VC_V2],
        "id": format!("data:application/vc+jwt,{token}"),
        "type": "EnvelopedVerifiableCredential",
    })
}

/// A stored credential as an [`Issued`].
pub async fn existing_issued(state: &AppState, id: &str) -> Result<Issued, ServiceError> {
    let row = state.store().credential(id).await?.ok_or_else(|| ServiceError::NotFound(format!("credential {id}")))?;
    Ok(Issued {
        id: row.id.clone(),
        url: credential_url(state, &row.id),
        credential: stored_credential(&row)?,
        fresh: false,
    })
}

/// The credential a stored row holds, as JSON.
pub fn stored_credential(row: &CredentialRow) -> Result<Value, ServiceError> {
    if row.format == "vc+jwt" {
        return Ok(envelope(&row.body));
    }
    serde_json::from_str(&row.body).map_err(|e| ServiceError::Sign(format!("stored credential {}: {e}", row.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_choose_the_format() {
        let o = |v: Value| serde_json::from_value::<IssueOptions>(v).unwrap().format();
        assert_eq!(o(json!({})).unwrap(), Format::DataIntegrity(Cryptosuite::EddsaRdfc2022));
        assert_eq!(
            o(json!({"cryptosuite": "eddsa-jcs-2022"})).unwrap(),
            Format::DataIntegrity(Cryptosuite::EddsaJcs2022)
        );
        assert_eq!(o(json!({"format": "vc+jwt"})).unwrap(), Format::Jwt);
        assert_eq!(
            o(json!({"cryptosuite": "ecdsa-rdfc-2019"})).unwrap_err().to_string(),
            "options.cryptosuite \"ecdsa-rdfc-2019\" is not supported; use eddsa-rdfc-2022 or eddsa-jcs-2022"
        );
    }

    #[test]
    fn recipients_are_hashed_unless_plain() {
        let r = Recipient {
            name: Some("Amina Yusuf".into()),
            email: Some(" Amina@Example.org ".into()),
            ..Default::default()
        };
        r.check().unwrap();
        let ids = r.identifiers(true);
        assert_eq!(ids[0]["identityType"], "emailAddress");
        assert_eq!(ids[0]["hashed"], true);
        let object: IdentityObject = serde_json::from_value(ids[0].clone()).unwrap();
        assert!(object.matches("amina@example.org").unwrap());
        assert!(!ids[0].to_string().contains("amina@"), "the address must not appear in clear");
        assert_eq!(
            ids[1],
            json!({"type": "IdentityObject", "hashed": false, "identityHash": "Amina Yusuf", "identityType": "name"})
        );
        assert_eq!(r.lookup_key().as_deref(), Some("amina@example.org"));
        let bad = Recipient { email: Some("not-an-address".into()), ..Default::default() };
        assert_eq!(bad.check().unwrap_err().to_string(), "recipient email \"not-an-address\" is not an email address");
        assert_eq!(
            Recipient::default().check().unwrap_err().to_string(),
            "the recipient needs an email, an identifier or a did"
        );
    }

    #[test]
    fn verify_links_encode_the_credential_url() {
        assert_eq!(percent_encode("https://x.org/c/a_b-1"), "https%3A%2F%2Fx.org%2Fc%2Fa_b-1");
    }
}
