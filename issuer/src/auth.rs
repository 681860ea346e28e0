//! Admin authentication (RFC 6750 bearer tokens) and the audit log.
//!
//! Tokens are 256 random bits, shown once when made and stored only as their SHA-256. A token
//! has a scope, `admin` (everything) or `issue` (issuing only), and may be bound to one issuer.
//! `ACCOLADE_ADMIN_TOKEN` sets the bootstrap admin token at start-up (DESIGN.md).
//! Requests without a valid token get 401 and change nothing; a token outside its scope or its
//! issuer gets 403 and changes nothing. Every write is appended to the audit log with the
//! token's name.

use accolade_verifier::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use base64::Engine as _;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::store::{Store, TokenRow};
use crate::{now_rfc3339, AppState, ServiceError};

/// The environment variable with the bootstrap admin token.
pub const ADMIN_TOKEN_ENV: &str = "ACCOLADE_ADMIN_TOKEN";

/// What a token may do.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Everything: issuers, achievements, tokens, status, issuing.
    Admin,
    /// Issuing and reading only.
    Issue,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Admin => "admin",
            Scope::Issue => "issue",
        }
    }
}

/// The authenticated caller of an admin or VC-API endpoint.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The token's name, recorded in the audit log.
    pub name: String,
    /// Its scope.
    pub scope: Scope,
    /// The one issuer it may act for, if bound.
    pub tenant: Option<String>,
}

impl Caller {
    /// Refuses unless the caller may act for `tenant` at all.
    pub fn check_tenant(&self, tenant: &str) -> Result<(), ServiceError> {
        match &self.tenant {
            Some(own) if own != tenant => Err(ServiceError::forbidden(
                "WRONG_ISSUER",
                format!("this token acts for issuer {own:?}, not {tenant:?}"),
            )),
            _ => Ok(()),
        }
    }

    /// Refuses unless the caller has the admin scope (and may act for `tenant`, when given).
    pub fn require_admin(&self, tenant: Option<&str>) -> Result<(), ServiceError> {
        if self.scope != Scope::Admin {
            return Err(ServiceError::forbidden(
                "ADMIN_SCOPE_REQUIRED",
                "this operation needs a token with the admin scope",
            ));
        }
        tenant.map_or(Ok(()), |t| self.check_tenant(t))
    }

    /// Refuses unless the caller may issue for `tenant`.
    pub fn require_issue(&self, tenant: &str) -> Result<(), ServiceError> {
        self.check_tenant(tenant)
    }

    /// Appends to the audit log.
    pub async fn audit(
        &self,
        state: &AppState,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<(), ServiceError> {
        state.store().audit(&now_rfc3339(), &self.name, action, target, &detail).await?;
        Ok(())
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| unauthorized("this endpoint needs an Authorization: Bearer token"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| unauthorized("the Authorization header must be \"Bearer TOKEN\""))?;
        let row = state
            .store()
            .token(&hash_token(token))
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(|| unauthorized("the bearer token is not valid"))?;
        let scope = match row.scope.as_str() {
            "admin" => Scope::Admin,
            _ => Scope::Issue,
        };
        Ok(Caller { name: row.name, scope, tenant: row.tenant_id })
    }
}

/// The SHA-256 of a token, hex: what the store keeps.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("acc_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A request for a new token.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// A label, recorded in the audit log for everything the token does.
    pub name: String,
    /// `admin` or `issue`.
    pub scope: Scope,
    /// Bind the token to one issuer.
    #[serde(default)]
    pub issuer: Option<String>,
}

/// Makes a token and returns its secret, which is not kept.
pub async fn create_token(state: &AppState, new: &NewToken) -> Result<String, ServiceError> {
    if new.name.trim().is_empty() || new.name.len() > 100 {
        return Err(ServiceError::invalid("INVALID_TOKEN_REQUEST", "name must be 1-100 characters"));
    }
    if let Some(issuer) = &new.issuer {
        crate::tenants::load(state, issuer).await?;
    }
    if new.name.trim() == "bootstrap" {
        return Err(ServiceError::invalid(
            "INVALID_TOKEN_REQUEST",
            "the name \"bootstrap\" is reserved for ACCOLADE_ADMIN_TOKEN",
        ));
    }
    let token = new_token();
    let row = TokenRow {
        hash: hash_token(&token),
        name: new.name.trim().to_owned(),
        scope: new.scope.as_str().to_owned(),
        tenant_id: new.issuer.clone(),
        created_at: now_rfc3339(),
    };
    state.store().insert_token(&row).await?;
    Ok(token)
}

/// Records the bootstrap admin token (from `ACCOLADE_ADMIN_TOKEN`), named `bootstrap`. A
/// bootstrap token set at an earlier start stops working: changing the variable rotates it.
pub async fn install_bootstrap(state: &AppState, token: &str) -> Result<(), ServiceError> {
    if token.len() < 16 {
        return Err(ServiceError::invalid(
            "WEAK_TOKEN",
            format!("{ADMIN_TOKEN_ENV} must be at least 16 characters; use a random value"),
        ));
    }
    let row = TokenRow {
        hash: hash_token(token),
        name: "bootstrap".into(),
        scope: "admin".into(),
        tenant_id: None,
        created_at: now_rfc3339(),
    };
    state.store().replace_named_token(&row).await?;
    Ok(())
}
