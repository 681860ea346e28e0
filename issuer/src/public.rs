//! What anyone may fetch, without a token: DID documents, issuer profiles, achievement
//! definitions, issued credentials with their QR codes, baked badges and certificates, and the
//! status lists.
//!
//! - `GET /issuers/{issuer}/did.json`: the `did:web` document (DID Web Method §3.2); did:key
//!   issuers have none, their DID resolves locally.
//! - `GET /c/{id}` and `/c/{id}/{qr.png,qr.svg,badge.png,badge.svg,certificate}`: the
//!   credential's unguessable public link and its deliveries. The QR codes, of the verifier-page
//!   link, are drawn by [`accolade_verifier::qr`]. Baking follows OB 3.0 §5.3: PNG `iTXt` keyword
//!   `openbadgecredential`, SVG `openbadges:credential` element.
//! - `GET /status/{list}`: the signed `BitstringStatusListCredential` (Bitstring Status List §2.2),
//!   with `ETag`, `Cache-Control: max-age` matching its `ttl`, and `304` for `If-None-Match`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::Value;

use accolade_core::bake;
use accolade_verifier::{qr, ApiError};

use crate::achievements;
use crate::credentials::{self, stored_credential};
use crate::delivery::{self, Certificate};
use crate::store::{CredentialRow, Store};
use crate::tenants::{self, DidMethod};
use crate::{status_lists, AppState, ServiceError};

type Answer = Result<Response, ApiError>;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/issuers/{issuer}/did.json", get(did_document))
        .route("/issuers/{issuer}", get(profile))
        .route("/issuers/{issuer}/achievements/{achievement}", get(achievement))
        .route("/c/{id}", get(credential))
        .route("/c/{id}/{artefact}", get(artefact))
        .route("/status/{list}", get(status_list))
}

fn with_type(content_type: &'static str, body: impl IntoResponse) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[utoipa::path(get, path = "/issuers/{issuer}/did.json", tag = "Public", params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 200, description = "The did:web DID document", content_type = "application/did+json"), (status = 404, description = "No such did:web issuer")))]
async fn did_document(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let issuer = tenants::load(&state, &id).await?;
    if issuer.did_method() != DidMethod::Web {
        return Err(ServiceError::NotFound(format!("did:web document for issuer {id:?}")).into());
    }
    Ok(with_type("application/did+json", Json(issuer.did_document()?)))
}

#[utoipa::path(get, path = "/issuers/{issuer}", tag = "Public", params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 200, description = "The OB 3.0 Profile")))]
async fn profile(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let issuer = tenants::load(&state, &id).await?;
    Ok(Json(issuer.profile_json()).into_response())
}

#[utoipa::path(get, path = "/issuers/{issuer}/achievements/{achievement}", tag = "Public",
    params(("issuer" = String, Path, description = "Issuer id"), ("achievement" = String, Path, description = "Achievement id")),
    responses((status = 200, description = "The OB 3.0 Achievement")))]
async fn achievement(State(state): State<AppState>, Path((tenant, id)): Path<(String, String)>) -> Answer {
    let issuer = tenants::load(&state, &tenant).await?;
    let achievement = achievements::load(&state, &issuer, &id).await?;
    let url = achievement.url(&state, &issuer);
    let mut value = achievement.definition.to_achievement(&url, &issuer.profile_json(), None);
    if let Some(map) = value.as_object_mut() {
        map.insert("@context".into(), serde_json::json!([credentials::VC_V2, credentials::OB_V3]));
    }
    Ok(Json(value).into_response())
}

async fn row(state: &AppState, id: &str) -> Result<CredentialRow, ServiceError> {
    state.store().credential(id).await?.ok_or_else(|| ServiceError::NotFound(format!("credential {id}")))
}

#[utoipa::path(get, path = "/c/{id}", tag = "Public", params(("id" = String, Path, description = "Public id")),
    responses((status = 200, description = "The credential (JSON, or a vc+jwt)"), (status = 404, description = "No such credential")))]
async fn credential(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let row = row(&state, &id).await?;
    if row.format == "vc+jwt" {
        return Ok(with_type("application/vc+jwt", row.body));
    }
    Ok(with_type("application/vc+ld+json", row.body))
}

#[utoipa::path(get, path = "/c/{id}/{artefact}", tag = "Public",
    params(("id" = String, Path, description = "Public id"), ("artefact" = String, Path, description = "qr.png, qr.svg, badge.png, badge.svg or certificate")),
    responses((status = 200, description = "The QR code, baked badge or printable certificate")))]
async fn artefact(State(state): State<AppState>, Path((id, artefact)): Path<(String, String)>) -> Answer {
    let row = row(&state, &id).await?;
    let verify_url = credentials::verify_link(&state, &row.id);
    let credential = displayed_credential(&row)?;
    match artefact.as_str() {
        "qr.svg" => Ok(with_type("image/svg+xml", qr::render_svg(&verify_url).map_err(ApiError::internal)?)),
        "qr.png" => Ok(with_type("image/png", qr::render_png(&verify_url, 8).map_err(ApiError::internal)?)),
        "badge.png" => {
            let image = image_of(&credential, "image/png").unwrap_or_else(|| delivery::badge_png(&seed(&credential)));
            let baked = bake::bake_png(&image, &row.body)
                .or_else(|_| bake::bake_png(&delivery::badge_png(&seed(&credential)), &row.body))
                .map_err(ApiError::internal)?;
            Ok(with_type("image/png", baked))
        }
        "badge.svg" => {
            let image = image_of(&credential, "image/svg+xml")
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_else(|| delivery::badge_svg(&seed(&credential), &title(&credential)));
            let baked = bake::bake_svg(&image, &row.body)
                .or_else(|_| bake::bake_svg(&delivery::badge_svg(&seed(&credential), &title(&credential)), &row.body))
                .map_err(ApiError::internal)?;
            Ok(with_type("image/svg+xml", baked))
        }
        "certificate" => {
            let achievement = credential.pointer("/credentialSubject/achievement").cloned().unwrap_or_default();
            let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            let issuer_name =
                credential.get("issuer").and_then(|i| i.get("name")).and_then(Value::as_str).unwrap_or_default();
            let criteria = achievement.pointer("/criteria/narrative").and_then(Value::as_str);
            let language = achievement.get("inLanguage").and_then(Value::as_str).unwrap_or("en");
            let html = delivery::certificate_html(&Certificate {
                learner: row.recipient_name.as_deref().unwrap_or_default(),
                achievement: &text(&achievement, "name").if_empty(&title(&credential)),
                description: &text(&achievement, "description"),
                criteria,
                issuer: issuer_name,
                issued_on: &row.issued_at,
                credential_url: &credentials::credential_url(&state, &row.id),
                verify_url: &verify_url,
                language,
            })
            .map_err(ApiError::internal)?;
            Ok(with_type("text/html; charset=utf-8", html))
        }
        _ => Err(ServiceError::NotFound(format!("{artefact} of credential {id}")).into()),
    }
}

trait IfEmpty {
    fn if_empty(self, other: &str) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, other: &str) -> String {
        if self.is_empty() {
            other.to_owned()
        } else {
            self
        }
    }
}

/// The credential as JSON for display: the JSON itself, or a JWT's payload credential.
fn displayed_credential(row: &CredentialRow) -> Result<Value, ServiceError> {
    if row.format == "vc+jwt" {
        return accolade_core::jose::decode(&row.body)
            .map(|d| d.into_credential())
            .map_err(|e| ServiceError::Sign(format!("stored token {}: {e}", row.id)));
    }
    stored_credential(row)
}

fn title(credential: &Value) -> String {
    credential.get("name").and_then(Value::as_str).unwrap_or("Credential").to_owned()
}

fn seed(credential: &Value) -> String {
    credential
        .pointer("/credentialSubject/achievement/id")
        .and_then(Value::as_str)
        .unwrap_or_else(|| credential.get("id").and_then(Value::as_str).unwrap_or_default())
        .to_owned()
}

/// The achievement's image when it is a `data:` URI of `media_type` (remote images are never
/// fetched).
fn image_of(credential: &Value, media_type: &str) -> Option<Vec<u8>> {
    let image = credential.pointer("/credentialSubject/achievement/image/id")?.as_str()?;
    let data = image.strip_prefix("data:")?.strip_prefix(media_type)?.strip_prefix(";base64,")?;
    base64::engine::general_purpose::STANDARD.decode(data).ok()
}

#[utoipa::path(get, path = "/status/{list}", tag = "Public", params(("list" = String, Path, description = "Status list id")),
    responses((status = 200, description = "The signed BitstringStatusListCredential"), (status = 304, description = "Not modified")))]
async fn status_list(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let published = status_lists::published(&state, &id).await?;
    let etag = format!("\"v{}\"", published.version);
    let cache = format!("public, max-age={}", state.config().status_ttl_seconds);
    let etag_value = HeaderValue::from_str(&etag).map_err(ApiError::internal)?;
    let cache_value = HeaderValue::from_str(&cache).map_err(ApiError::internal)?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value), (header::CACHE_CONTROL, cache_value)])
            .into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/vc+ld+json")),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, cache_value),
        ],
        published.body,
    )
        .into_response())
}
