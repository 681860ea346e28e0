//! The VC-API verification endpoints ([VC-API §3.3 Verify Credential, §3.5 Verify
//! Presentation](https://w3c-ccg.github.io/vc-api/)).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{ApiError, AppJson};
use crate::AppState;

/// `POST /credentials/verify` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyCredentialRequest {
    /// The credential: a secured JSON-LD credential, an `EnvelopedVerifiableCredential`, or a
    /// compact JWT string.
    verifiable_credential: Value,
    /// Accepted for VC-API compatibility; no credential verification option changes the result.
    #[serde(default, rename = "options")]
    _options: serde::de::IgnoredAny,
}

/// `POST /presentations/verify` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyPresentationRequest {
    /// The presentation.
    verifiable_presentation: Value,
    #[serde(default)]
    options: Options,
}

/// Verification options (VC-API `VerifyOptions`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    /// The challenge the presentation's proof must carry.
    challenge: Option<String>,
    /// The domain the presentation's proof must carry.
    domain: Option<String>,
}

/// `POST /credentials/verify`.
pub async fn verify_credential(
    State(state): State<AppState>,
    AppJson(request): AppJson<VerifyCredentialRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let credential = request.verifiable_credential;
    let report = state
        .verify(move |verifier| match &credential {
            Value::String(token) => verifier.verify_jwt(token),
            other => verifier.verify_value(other),
        })
        .await?;
    Ok(answer(report))
}

/// `POST /presentations/verify`.
pub async fn verify_presentation(
    State(state): State<AppState>,
    AppJson(request): AppJson<VerifyPresentationRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let VerifyPresentationRequest { verifiable_presentation, options } = request;
    let report = state
        .verify(move |verifier| {
            verifier.verify_presentation(
                &verifiable_presentation,
                options.challenge.as_deref(),
                options.domain.as_deref(),
            )
        })
        .await?;
    Ok(answer(report))
}

fn answer(report: accolade_core::verify::Report) -> (StatusCode, Json<Value>) {
    let status = if report.verified { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, Json(report.to_json()))
}
