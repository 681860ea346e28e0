//! The services' error body (the issuer uses it too), and the JSON extractor that reports rejected input in it.
//!
//! Following axum's `customize-extractor-error` example: every rejection and failure becomes one
//! [`ApiError`], answered as `{"error": {"code", "message"}}`. Internal details go to the log,
//! never to the client.

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A request that could not be served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The request was refused: malformed, unauthorised, not found, in conflict.
    #[error("{message}")]
    Refused {
        /// HTTP status, a 4xx.
        status: StatusCode,
        /// A stable code.
        code: &'static str,
        /// What was wrong, for the client.
        message: String,
    },
    /// The service is shutting down.
    #[error("the service is shutting down")]
    Unavailable,
    /// Something failed inside; the detail is logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::Refused { status, code, message } => (status, code, message),
            ApiError::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "UNAVAILABLE", "the service is shutting down".to_owned())
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error".to_owned())
            }
        };
        (status, Json(json!({"error": {"code": code, "message": message}}))).into_response()
    }
}

/// `Json`, with rejections answered in our error body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "BODY_TOO_LARGE",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
            _ => "MALFORMED_REQUEST",
        };
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => format!("the request body is larger than {} bytes", crate::MAX_BODY_BYTES),
            _ => rejection.body_text(),
        };
        // Axum answers a semantically wrong body with 422; VC-API keeps 422 for "not verified".
        let status = if status == StatusCode::UNPROCESSABLE_ENTITY { StatusCode::BAD_REQUEST } else { status };
        ApiError::Refused { status, code, message }
    }
}

impl ApiError {
    /// A refusal with this status, stable code and message for the client.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Refused { status, code, message: message.into() }
    }

    /// 400 with this code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404: `what` does not exist (or is not this caller's to see).
    pub fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", format!("{what} not found"))
    }

    /// 500; `detail` goes to the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        ApiError::Internal(detail.to_string())
    }
}
