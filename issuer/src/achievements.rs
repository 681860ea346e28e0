//! Achievement definitions: what an institution awards (OB 3.0 §B.1.1 `Achievement`): name,
//! description, criteria, image, alignments to competency frameworks (§B.1.5 `Alignment`),
//! result descriptions (§B.1.27 `ResultDescription`), credits and tags.
//!
//! Texts may be given in several languages, as `{"en": "…", "fr": "…"}`. OB 3.0's schema types
//! `name`, `description` and `criteria.narrative` as plain strings, so a credential carries one
//! language: the one asked for at issuance when the definition has it, else the definition's
//! `language`; the credential's achievement names it in `inLanguage`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use crate::store::{AchievementRow, Store};
use crate::tenants::{check_slug, Issuer};
use crate::{now_rfc3339, AppState, ServiceError};

/// A text in one language, or in several keyed by BCP 47 language tag.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(untagged)]
pub enum Text {
    /// One text, in the definition's language.
    Plain(String),
    /// Texts by language tag.
    Languages(BTreeMap<String, String>),
}

impl Text {
    /// The text in `language`, else in `fallback`, else any; with the language it is in when
    /// the text says (`None` for a plain text, which is in the definition's language).
    fn pick<'s>(&'s self, language: &str, fallback: &str) -> (&'s str, Option<&'s str>) {
        match self {
            Text::Plain(text) => (text, None),
            Text::Languages(map) => map
                .get_key_value(language)
                .or_else(|| map.get_key_value(fallback))
                .or_else(|| map.iter().next())
                .map(|(l, t)| (t.as_str(), Some(l.as_str())))
                .unwrap_or(("", None)),
        }
    }

    fn check(&self, field: &str) -> Result<(), ServiceError> {
        let texts: Vec<&String> = match self {
            Text::Plain(t) => vec![t],
            Text::Languages(map) => {
                if map.is_empty() {
                    return Err(invalid(format!("{field} has no languages")));
                }
                if let Some(tag) = map.keys().find(|t| !is_language_tag(t)) {
                    return Err(invalid(format!("{field}: {tag:?} is not a language tag")));
                }
                map.values().collect()
            }
        };
        if texts.iter().any(|t| t.trim().is_empty() || t.len() > 10_000) {
            return Err(invalid(format!("{field} must be 1-10000 characters in every language")));
        }
        Ok(())
    }

    fn languages(&self) -> Vec<&str> {
        match self {
            Text::Plain(_) => Vec::new(),
            Text::Languages(map) => map.keys().map(String::as_str).collect(),
        }
    }
}

fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn invalid(message: String) -> ServiceError {
    ServiceError::invalid("INVALID_ACHIEVEMENT", message)
}

/// How the learner earns the achievement (OB 3.0 `Criteria`).
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// A page describing the criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The criteria in words (Markdown allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<Text>,
}

/// A link to a competency or skill in a framework (OB 3.0 `Alignment`).
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Alignment {
    /// The competency's name.
    pub target_name: String,
    /// Its URL in the framework.
    pub target_url: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    /// The framework's name (e.g. ESCO, O*NET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    /// The competency's code in the framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
    /// `ceasn:Competency`, `CFItem`, `ext:…` and the other `AlignmentTargetType` values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

/// A kind of result the achievement records (OB 3.0 `ResultDescription`).
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResultDescription {
    /// An id within the achievement, used by results to refer to it.
    pub id: String,
    /// Its name, e.g. "Final grade".
    pub name: String,
    /// `GradePointAverage`, `LetterGrade`, `Percent`, `Status`, … or `ext:…`.
    pub result_type: String,
    /// The allowed values, when a fixed list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_value: Option<Vec<String>>,
    /// The lowest value, for numeric results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_min: Option<String>,
    /// The highest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<String>,
}

/// An achievement definition, as the admin gives it.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AchievementDefinition {
    /// The slug, unique within the issuer.
    pub id: String,
    /// The definition's main language (BCP 47); `en` when not given.
    #[serde(default = "default_language")]
    pub language: String,
    /// The name.
    pub name: Text,
    /// What it recognises.
    pub description: Text,
    /// How it is earned.
    pub criteria: Criteria,
    /// `Certificate`, `Badge`, `Competency`, `Course`, `MicroCredential`, … or `ext:…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_type: Option<String>,
    /// An image: an https URL or a `data:image/png;base64,…` URI (the latter is also baked into).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Competency alignments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alignment: Vec<Alignment>,
    /// Result kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub result_description: Vec<ResultDescription>,
    /// Credits a learner earns with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<f64>,
    /// Keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<String>,
    /// The field of study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    /// A short code, e.g. a course number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
}

fn default_language() -> String {
    "en".into()
}

impl AchievementDefinition {
    /// Checks what serde cannot.
    pub fn check(&self) -> Result<(), ServiceError> {
        check_slug("achievement", &self.id)?;
        if !is_language_tag(&self.language) {
            return Err(invalid(format!("language {:?} is not a language tag", self.language)));
        }
        self.name.check("name")?;
        self.description.check("description")?;
        if let Some(narrative) = &self.criteria.narrative {
            narrative.check("criteria.narrative")?;
        }
        if self.criteria.id.is_none() && self.criteria.narrative.is_none() {
            return Err(invalid("criteria needs an id (a URL) or a narrative".into()));
        }
        let urls = self
            .criteria
            .id
            .iter()
            .map(|u| ("criteria.id", u))
            .chain(self.alignment.iter().map(|a| ("alignment.targetUrl", &a.target_url)));
        for (field, url) in urls {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(format!("{field} {url:?} must be an http(s) URL")));
            }
        }
        if let Some(image) = &self.image {
            if !(image.starts_with("https://") || image.starts_with("data:image/")) {
                return Err(invalid("image must be an https URL or a data:image/ URI".into()));
            }
        }
        if let Some(credits) = self.credits_available {
            if !credits.is_finite() || credits < 0.0 {
                return Err(invalid("creditsAvailable must be a non-negative number".into()));
            }
        }
        let mut ids: Vec<&str> = self.result_description.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("resultDescription ids must be unique".into()));
        }
        Ok(())
    }

    /// The languages the definition has texts in.
    pub fn languages(&self) -> Vec<String> {
        let mut all: Vec<String> = std::iter::once(self.language.as_str())
            .chain(self.name.languages())
            .chain(self.description.languages())
            .map(str::to_owned)
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The name in `language` (or the definition's own).
    pub fn name_in(&self, language: Option<&str>) -> &str {
        self.name.pick(language.unwrap_or(&self.language), &self.language).0
    }

    /// The description in `language`.
    pub fn description_in(&self, language: Option<&str>) -> &str {
        self.description.pick(language.unwrap_or(&self.language), &self.language).0
    }

    /// The criteria narrative in `language`.
    pub fn narrative_in(&self, language: Option<&str>) -> Option<&str> {
        let language = language.unwrap_or(&self.language);
        self.criteria.narrative.as_ref().map(|n| n.pick(language, &self.language).0)
    }

    /// The OB 3.0 `Achievement` in `language`, identified by `id` (its public URL), created by
    /// `creator`.
    pub fn to_achievement(&self, id: &str, creator: &Value, language: Option<&str>) -> Value {
        let wanted = language.unwrap_or(&self.language);
        let (name, in_language) = self.name.pick(wanted, &self.language);
        let in_language = in_language.unwrap_or(&self.language);
        let mut a = Map::new();
        a.insert("id".into(), json!(id));
        a.insert("type".into(), json!(["Achievement"]));
        a.insert("name".into(), json!(name));
        a.insert("description".into(), json!(self.description.pick(wanted, &self.language).0));
        let mut criteria = Map::new();
        if let Some(cid) = &self.criteria.id {
            criteria.insert("id".into(), json!(cid));
        }
        if let Some(narrative) = &self.criteria.narrative {
            criteria.insert("narrative".into(), json!(narrative.pick(wanted, &self.language).0));
        }
        a.insert("criteria".into(), Value::Object(criteria));
        a.insert("creator".into(), creator.clone());
        a.insert("inLanguage".into(), json!(in_language));
        if let Some(t) = &self.achievement_type {
            a.insert("achievementType".into(), json!(t));
        }
        if let Some(image) = &self.image {
            a.insert("image".into(), json!({"id": image, "type": "Image"}));
        }
        if !self.alignment.is_empty() {
            let list: Vec<Value> = self
                .alignment
                .iter()
                .map(|al| {
                    let mut v = serde_json::to_value(al).unwrap_or_default();
                    if let Some(m) = v.as_object_mut() {
                        m.insert("type".into(), json!(["Alignment"]));
                    }
                    v
                })
                .collect();
            a.insert("alignment".into(), Value::Array(list));
        }
        if !self.result_description.is_empty() {
            let list: Vec<Value> = self
                .result_description
                .iter()
                .map(|rd| {
                    let mut v = serde_json::to_value(rd).unwrap_or_default();
                    if let Some(m) = v.as_object_mut() {
                        m.insert("id".into(), json!(format!("{id}#result-{}", rd.id)));
                        m.insert("type".into(), json!(["ResultDescription"]));
                    }
                    v
                })
                .collect();
            a.insert("resultDescription".into(), Value::Array(list));
        }
        if let Some(c) = self.credits_available {
            a.insert("creditsAvailable".into(), json!(c));
        }
        if !self.tag.is_empty() {
            a.insert("tag".into(), json!(self.tag));
        }
        if let Some(f) = &self.field_of_study {
            a.insert("fieldOfStudy".into(), json!(f));
        }
        if let Some(h) = &self.human_code {
            a.insert("humanCode".into(), json!(h));
        }
        Value::Object(a)
    }
}

/// A stored achievement, parsed.
#[derive(Clone, Debug)]
pub struct Achievement {
    /// The definition.
    pub definition: AchievementDefinition,
    /// Retired achievements are not issued.
    pub retired: bool,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

impl Achievement {
    fn from_row(row: AchievementRow) -> Result<Self, ServiceError> {
        let definition = serde_json::from_value(row.definition)
            .map_err(|e| ServiceError::Sign(format!("stored achievement {}: {e}", row.id)))?;
        Ok(Achievement { definition, retired: row.retired, created_at: row.created_at, updated_at: row.updated_at })
    }

    /// The public URL that identifies it.
    pub fn url(&self, state: &AppState, issuer: &Issuer) -> String {
        format!("{}/issuers/{}/achievements/{}", state.config().public_url, issuer.id(), self.definition.id)
    }

    /// The admin view.
    pub fn to_json(&self, state: &AppState, issuer: &Issuer) -> Value {
        json!({
            "id": self.definition.id,
            "url": self.url(state, issuer),
            "retired": self.retired,
            "languages": self.definition.languages(),
            "definition": self.definition,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// Adds an achievement.
pub async fn create(
    state: &AppState,
    issuer: &Issuer,
    definition: AchievementDefinition,
) -> Result<Achievement, ServiceError> {
    definition.check()?;
    let now = now_rfc3339();
    let row = AchievementRow {
        tenant_id: issuer.id().to_owned(),
        id: definition.id.clone(),
        definition: serde_json::to_value(&definition).map_err(|e| ServiceError::Sign(e.to_string()))?,
        retired: false,
        created_at: now.clone(),
        updated_at: now,
    };
    state.store().insert_achievement(&row).await.map_err(|e| match e {
        crate::store::StoreError::Duplicate(_) => ServiceError::conflict(
            "DUPLICATE_ACHIEVEMENT",
            format!("issuer {} already has an achievement {:?}", issuer.id(), definition.id),
        ),
        other => other.into(),
    })?;
    Achievement::from_row(row)
}

/// One achievement of the issuer; another issuer's is "not found".
pub async fn load(state: &AppState, issuer: &Issuer, id: &str) -> Result<Achievement, ServiceError> {
    let row = state
        .store()
        .achievement(issuer.id(), id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("achievement {id:?} of issuer {}", issuer.id())))?;
    Achievement::from_row(row)
}

/// The issuer's achievements.
pub async fn list(state: &AppState, issuer: &Issuer) -> Result<Vec<Achievement>, ServiceError> {
    state.store().achievements(issuer.id()).await?.into_iter().map(Achievement::from_row).collect()
}

/// Replaces a definition (its id cannot change).
pub async fn update(
    state: &AppState,
    issuer: &Issuer,
    id: &str,
    definition: AchievementDefinition,
) -> Result<Achievement, ServiceError> {
    if definition.id != id {
        return Err(invalid(format!("the definition's id {:?} differs from {id:?} in the URL", definition.id)));
    }
    definition.check()?;
    let current = load(state, issuer, id).await?;
    let value = serde_json::to_value(&definition).map_err(|e| ServiceError::Sign(e.to_string()))?;
    state.store().update_achievement(issuer.id(), id, &value, current.retired, &now_rfc3339()).await?;
    load(state, issuer, id).await
}

/// Retires an achievement: it stays resolvable, and what was issued stays valid, but it is not
/// issued again.
pub async fn retire(state: &AppState, issuer: &Issuer, id: &str) -> Result<Achievement, ServiceError> {
    let current = load(state, issuer, id).await?;
    let value = serde_json::to_value(&current.definition).map_err(|e| ServiceError::Sign(e.to_string()))?;
    state.store().update_achievement(issuer.id(), id, &value, true, &now_rfc3339()).await?;
    load(state, issuer, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition() -> AchievementDefinition {
        serde_json::from_value(json!({
            "id": "welding-1",
            "language": "en",
            "name": {"en": "Welding basics", "fr": "Soudure : les bases"},
            "description": "Safe MIG welding of mild steel.",
            "criteria": {"narrative": {"en": "Pass the practical test.", "fr": "Réussir l'épreuve pratique."}},
            "alignment": [{"targetName": "Weld metal", "targetUrl": "https://esco.example/skill/1", "targetFramework": "ESCO"}],
            "resultDescription": [{"id": "grade", "name": "Grade", "resultType": "LetterGrade", "allowedValue": ["A", "B"]}],
            "creditsAvailable": 5,
        }))
        .unwrap()
    }

    #[test]
    fn languages_are_picked_with_fallback() {
        let d = definition();
        d.check().unwrap();
        let creator = json!({"id": "did:example:1", "type": ["Profile"], "name": "X"});
        let fr = d.to_achievement("https://x/a", &creator, Some("fr"));
        assert_eq!(fr["name"], "Soudure : les bases");
        assert_eq!(fr["inLanguage"], "fr");
        assert_eq!(fr["description"], "Safe MIG welding of mild steel.");
        assert_eq!(fr["criteria"]["narrative"], "Réussir l'épreuve pratique.");
        let es = d.to_achievement("https://x/a", &creator, Some("es"));
        assert_eq!(es["name"], "Welding basics");
        assert_eq!(es["inLanguage"], "en");
        assert_eq!(es["resultDescription"][0]["id"], "https://x/a#result-grade");
        assert_eq!(d.languages(), ["en", "fr"]);
    }

    #[test]
    fn bad_definitions_are_refused_with_the_field_named() {
        let mut d = definition();
        d.criteria = Criteria { id: None, narrative: None };
        assert_eq!(d.check().unwrap_err().to_string(), "criteria needs an id (a URL) or a narrative");
        let mut d = definition();
        d.alignment[0].target_url = "javascript:alert(1)".into();
        assert_eq!(
            d.check().unwrap_err().to_string(),
            "alignment.targetUrl \"javascript:alert(1)\" must be an http(s) URL"
        );
        let unknown = serde_json::from_value::<AchievementDefinition>(json!({
            "id": "a", "name": "n", "description": "d", "criteria": {"narrative": "c"}, "colour": "red"
        }));
        assert!(unknown.unwrap_err().to_string().contains("unknown field `colour`"));
    }
}
