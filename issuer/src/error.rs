//! Why an issuer operation failed, shared by the HTTP API and the command line, and how each
//! failure is answered over HTTP (in the verifier's error body, `{"error": {"code", "message"}}`).

use accolade_verifier::ApiError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::keyring::KeyringError;
use crate::store::StoreError;

/// An issuer operation that could not be done. Each variant carries a stable code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// The input is not acceptable; nothing was changed.
    #[error("{message}")]
    Invalid {
        /// A stable code, e.g. `INVALID_ACHIEVEMENT`.
        code: &'static str,
        /// What was wrong, for the caller.
        message: String,
    },
    /// No such thing, or not this caller's to see.
    #[error("{0} not found")]
    NotFound(String),
    /// The caller may not do this (wrong scope, or another tenant's resource).
    #[error("{message}")]
    Forbidden {
        /// A stable code.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// The operation conflicts with the current state (a duplicate id, a final revocation).
    #[error("{message}")]
    Conflict {
        /// A stable code.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// Rows of a CSV cohort are bad; nothing was issued. Every bad row is listed.
    #[error("{} bad rows, nothing issued: {}", .0.len(), .0.iter().map(|r| format!("line {}: {}", r.line, r.message)).collect::<Vec<_>>().join("; "))]
    BadRows(Vec<crate::batch::RowError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A signing key would not open.
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    /// Signing failed inside the core library.
    #[error("signing failed: {0}")]
    Sign(String),
}

impl ServiceError {
    /// A refusal of bad input.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid { code, message: message.into() }
    }

    /// A conflict with the current state.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Conflict { code, message: message.into() }
    }

    /// A refusal for lack of rights.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Forbidden { code, message: message.into() }
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid { code, message } => ApiError::bad_request(code, message),
            ServiceError::NotFound(what) => ApiError::not_found(what),
            ServiceError::Forbidden { code, message } => ApiError::new(StatusCode::FORBIDDEN, code, message),
            ServiceError::Conflict { code, message } => ApiError::new(StatusCode::CONFLICT, code, message),
            ServiceError::Store(StoreError::Duplicate(what)) => {
                ApiError::new(StatusCode::CONFLICT, "DUPLICATE", format!("{what} already exists"))
            }
            ServiceError::BadRows(rows) => {
                let message = ServiceError::BadRows(rows).to_string();
                ApiError::bad_request("INVALID_ROWS", message)
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}
