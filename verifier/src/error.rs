//! The service's error body, and the JSON extractor that reports rejected input in it.
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
    /// The body is not the JSON the endpoint takes.
    #[error("{message}")]
    BadRequest {
        /// HTTP status: 400, 413 or 415.
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
            ApiError::BadRequest { status, code, message } => (status, code, message),
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
        ApiError::BadRequest { status, code, message }
    }
}
