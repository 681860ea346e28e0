//! Issuers (tenants): several institutions on one server, each with its profile, its DID and
//! its Ed25519 keys.
//!
//! - `did:web` (DID Web Method, §3.2 "Read"): the DID is built from the service's public URL and
//!   `issuers:{slug}`, and the service itself serves the document at `/issuers/{slug}/did.json`,
//!   the path the method maps that DID to. Rotation adds a key; the newest one signs, and the old
//!   ones stay in the document so that what they signed still verifies.
//! - `did:key` (did:key Method v0.7): the DID *is* the key, so it cannot rotate.
//!
//! The profile becomes the credential's `issuer` object (OB 3.0 §B.1.11 `Profile`).

use accolade_core::did::{self, ControllerDocument, StandardResolver};
use accolade_core::keys::{PublicKey, SigningKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::store::{KeyRow, Store, TenantRow};
use crate::{now_rfc3339, AppState, ServiceError};

/// An institution's public profile, as the admin gives it.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The institution's name, as learners and employers know it.
    pub name: String,
    /// Its web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A contact address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A logo: an https URL or a `data:image/…` URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How an issuer is identified.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DidMethod {
    /// `did:web`, served by this service; keys can rotate.
    #[default]
    Web,
    /// `did:key`; the key is the identifier and cannot rotate.
    Key,
}

/// A request to add an issuer.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewIssuer {
    /// The slug: 1–40 of `a-z`, `0-9` and `-`, used in URLs and the `did:web` path.
    pub id: String,
    /// `web` (the default) or `key`.
    #[serde(default)]
    pub did_method: DidMethod,
    /// Whether credentials also get a `suspension` status entry (revocation is always on).
    #[serde(default)]
    pub suspension: bool,
    /// The public profile.
    pub profile: Profile,
}

/// What the service keeps about an issuer besides its profile.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
struct StoredProfile {
    #[serde(flatten)]
    profile: Profile,
    #[serde(default)]
    suspension: bool,
}

/// An issuer with its keys, loaded from the store.
#[derive(Clone, Debug)]
pub struct Issuer {
    row: TenantRow,
    stored: StoredProfile,
    keys: Vec<KeyRow>,
}

impl Issuer {
    /// The slug.
    pub fn id(&self) -> &str {
        &self.row.id
    }

    /// The DID.
    pub fn did(&self) -> &str {
        &self.row.did
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.stored.profile
    }

    /// Whether credentials get a suspension entry.
    pub fn suspension(&self) -> bool {
        self.stored.suspension
    }

    /// `did:web` or `did:key`.
    pub fn did_method(&self) -> DidMethod {
        if self.row.did_method == "key" {
            DidMethod::Key
        } else {
            DidMethod::Web
        }
    }

    /// The verification method id of a stored key.
    fn method_id(&self, key: &KeyRow) -> String {
        format!("{}#{}", self.row.did, key.key_id)
    }

    /// The key that signs now (the newest) and its verification method id.
    pub fn signing_key(&self, state: &AppState) -> Result<(SigningKey, String), ServiceError> {
        let key =
            self.keys.last().ok_or_else(|| ServiceError::Sign(format!("issuer {} has no signing key", self.row.id)))?;
        let secret = state.kek().open(&key.sealed_secret, &self.row.id, &key.key_id)?;
        Ok((secret, self.method_id(key)))
    }

    /// The public keys, oldest first, with their fragments.
    fn public_keys(&self) -> Result<Vec<(String, PublicKey)>, ServiceError> {
        self.keys
            .iter()
            .map(|k| {
                PublicKey::from_multibase(&k.public_multibase)
                    .map(|p| (k.key_id.clone(), p))
                    .map_err(|e| ServiceError::Sign(format!("stored public key {}: {e}", k.key_id)))
            })
            .collect()
    }

    /// The DID document: for `did:web`, the one this service serves; for `did:key`, the
    /// document the method derives.
    pub fn did_document(&self) -> Result<Value, ServiceError> {
        match self.did_method() {
            DidMethod::Web => Ok(did::did_web_document(&self.row.did, &self.public_keys()?)),
            DidMethod::Key => did::did_key_document(&self.row.did).map_err(|e| ServiceError::Sign(e.to_string())),
        }
    }

    /// A resolver that knows this issuer's own document, for the signing-time check that the key
    /// belongs to the verification method (DESIGN.md, "Security rules").
    pub fn resolver(&self) -> Result<StandardResolver, ServiceError> {
        let resolver = StandardResolver::offline();
        match self.did_method() {
            DidMethod::Key => Ok(resolver),
            DidMethod::Web => {
                let doc = ControllerDocument::from_json(&self.did_document()?)
                    .map_err(|e| ServiceError::Sign(format!("own DID document: {e}")))?;
                Ok(resolver.with_document(doc))
            }
        }
    }

    /// The profile as a credential's `issuer` (OB 3.0 `Profile`).
    pub fn profile_json(&self) -> Value {
        let p = &self.stored.profile;
        let mut profile = json!({"id": self.row.did, "type": ["Profile"], "name": p.name});
        let map = profile.as_object_mut().expect("built as an object above");
        if let Some(url) = &p.url {
            map.insert("url".into(), json!(url));
        }
        if let Some(email) = &p.email {
            map.insert("email".into(), json!(email));
        }
        if let Some(image) = &p.image {
            map.insert("image".into(), json!({"id": image, "type": "Image"}));
        }
        if let Some(description) = &p.description {
            map.insert("description".into(), json!(description));
        }
        profile
    }

    /// What the admin API shows: profile, DID, key ids (never secrets).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.row.id,
            "did": self.row.did,
            "didMethod": self.row.did_method,
            "suspension": self.stored.suspension,
            "profile": self.stored.profile,
            "keys": self.keys.iter().map(|k| json!({
                "id": self.method_id(k),
                "publicKeyMultibase": k.public_multibase,
                "created": k.created_at,
            })).collect::<Vec<_>>(),
            "createdAt": self.row.created_at,
        })
    }
}

/// Checks a slug: 1–40 of `a-z`, `0-9`, `-`, not starting or ending with `-`.
pub fn check_slug(kind: &'static str, slug: &str) -> Result<(), ServiceError> {
    let ok = !slug.is_empty()
        && slug.len() <= 40
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "INVALID_ID",
            format!("{kind} id {slug:?} must be 1-40 characters of a-z, 0-9 and '-', not starting or ending with '-'"),
        ))
    }
}

fn check_profile(profile: &Profile) -> Result<(), ServiceError> {
    let bad = |message: String| Err(ServiceError::invalid("INVALID_PROFILE", message));
    if profile.name.trim().is_empty() || profile.name.len() > 200 {
        return bad("profile.name must be 1-200 characters".into());
    }
    if let Some(url) = &profile.url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return bad(format!("profile.url {url:?} must be an http(s) URL"));
        }
    }
    if let Some(email) = &profile.email {
        if !email.contains('@') || email.chars().any(char::is_whitespace) {
            return bad(format!("profile.email {email:?} is not an email address"));
        }
    }
    if let Some(image) = &profile.image {
        if !(image.starts_with("https://") || image.starts_with("data:image/")) {
            return bad("profile.image must be an https URL or a data:image/ URI".into());
        }
    }
    Ok(())
}

/// The `did:web` DID for an issuer slug under the service's public URL: its host (a port
/// percent-encoded) and path segments, then `issuers:{slug}`.
pub fn web_did(public_url: &str, slug: &str) -> Result<String, ServiceError> {
    let rest = public_url.strip_prefix("https://").or_else(|| public_url.strip_prefix("http://")).ok_or_else(|| {
        ServiceError::invalid("INVALID_PUBLIC_URL", format!("public URL {public_url:?} is not http(s)"))
    })?;
    let mut parts = rest.split('/').filter(|s| !s.is_empty());
    let host = parts.next().unwrap_or_default();
    let mut path: Vec<&str> = parts.collect();
    path.extend(["issuers", slug]);
    Ok(did::did_web(host, &path))
}

/// Adds an issuer with a fresh key.
pub async fn create(state: &AppState, new: NewIssuer) -> Result<Issuer, ServiceError> {
    check_slug("issuer", &new.id)?;
    check_profile(&new.profile)?;
    let key = SigningKey::generate();
    let (did, key_id) = match new.did_method {
        DidMethod::Web => (web_did(&state.config().public_url, &new.id)?, "key-1".to_owned()),
        DidMethod::Key => {
            let did = did::did_key(&key.public());
            let fragment = did::did_key_method_id(&key.public()).rsplit('#').next().unwrap_or_default().to_owned();
            (did, fragment)
        }
    };
    let now = now_rfc3339();
    let stored = StoredProfile { profile: new.profile, suspension: new.suspension };
    let row = TenantRow {
        id: new.id.clone(),
        did,
        did_method: match new.did_method {
            DidMethod::Web => "web".into(),
            DidMethod::Key => "key".into(),
        },
        profile: serde_json::to_value(&stored).map_err(|e| ServiceError::Sign(e.to_string()))?,
        created_at: now.clone(),
    };
    let key_row = KeyRow {
        tenant_id: new.id.clone(),
        sealed_secret: state.kek().seal(&key, &new.id, &key_id),
        key_id,
        public_multibase: key.public().to_multibase(),
        created_at: now,
    };
    state.store().insert_tenant(&row, &key_row).await?;
    load(state, &new.id).await
}

/// Loads an issuer and its keys.
pub async fn load(state: &AppState, id: &str) -> Result<Issuer, ServiceError> {
    let row = state.store().tenant(id).await?.ok_or_else(|| ServiceError::NotFound(format!("issuer {id:?}")))?;
    let stored: StoredProfile = serde_json::from_value(row.profile.clone())
        .map_err(|e| ServiceError::Sign(format!("stored profile of {id}: {e}")))?;
    let keys = state.store().keys(id).await?;
    Ok(Issuer { row, stored, keys })
}

/// All issuers.
pub async fn list(state: &AppState) -> Result<Vec<Issuer>, ServiceError> {
    let mut out = Vec::new();
    for row in state.store().tenants().await? {
        out.push(load(state, &row.id).await?);
    }
    Ok(out)
}

/// Replaces an issuer's profile.
pub async fn update_profile(state: &AppState, id: &str, profile: Profile) -> Result<Issuer, ServiceError> {
    check_profile(&profile)?;
    let issuer = load(state, id).await?;
    let stored = StoredProfile { profile, suspension: issuer.stored.suspension };
    let value = serde_json::to_value(&stored).map_err(|e| ServiceError::Sign(e.to_string()))?;
    state.store().update_profile(id, &value).await?;
    load(state, id).await
}

/// Makes a new key the signing key of a `did:web` issuer; the old keys stay published.
pub async fn rotate_key(state: &AppState, id: &str) -> Result<Issuer, ServiceError> {
    let issuer = load(state, id).await?;
    if issuer.did_method() == DidMethod::Key {
        return Err(ServiceError::conflict(
            "CANNOT_ROTATE_DID_KEY",
            format!("issuer {id} is identified by did:key, whose key is the identifier; create a did:web issuer to rotate keys"),
        ));
    }
    let key = SigningKey::generate();
    let key_id = format!("key-{}", issuer.keys.len() + 1);
    let row = KeyRow {
        tenant_id: id.to_owned(),
        sealed_secret: state.kek().seal(&key, id, &key_id),
        key_id,
        public_multibase: key.public().to_multibase(),
        created_at: now_rfc3339(),
    };
    state.store().insert_key(&row).await?;
    load(state, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_dids_follow_the_public_url() {
        assert_eq!(web_did("https://badges.example.edu", "uni").unwrap(), "did:web:badges.example.edu:issuers:uni");
        assert_eq!(web_did("http://127.0.0.1:8080", "uni").unwrap(), "did:web:127.0.0.1%3A8080:issuers:uni");
        assert_eq!(web_did("https://example.org/accolade/", "x").unwrap(), "did:web:example.org:accolade:issuers:x");
        // The DID maps back to the path this service serves.
        assert_eq!(
            did::did_web_url(&web_did("https://example.org", "uni").unwrap()).unwrap(),
            "https://example.org/issuers/uni/did.json"
        );
    }

    #[test]
    fn slugs() {
        assert!(check_slug("issuer", "uni-2").is_ok());
        for bad in ["", "-a", "a-", "Uni", "a/b", &"a".repeat(41)] {
            assert!(check_slug("issuer", bad).is_err(), "{bad:?}");
        }
    }
}
