//! # accolade-issuer
//!
//! The issuer service: institutions (tenants) define achievements and issue signed Open Badges 3.0
//! `OpenBadgeCredential`s, CLR 2.0 `ClrCredential`s and `EndorsementCredential`s, one at a time or
//! by cohort from a CSV file; revoke and suspend them through Bitstring Status Lists; and deliver
//! each one as JSON at an unguessable link, a QR code, a baked badge and a printable certificate.
//!
//! - VC-API issuing (`POST /credentials/issue`, `POST /credentials/status`; VC-API §3.2 and the
//!   Digital Credentials Consortium's status shape) and the admin API under `/admin/…` ([`api`]);
//! - public, unauthenticated reads: DID documents at the paths `did:web` requires, credentials,
//!   QR codes, baked badges, certificates and status lists ([`public`]);
//! - storage in SQLite (the default) or PostgreSQL ([`store`]), keys sealed under a
//!   key-encryption key ([`keyring`]).
//!
//! The OpenAPI document is served at `/openapi.json`.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! use accolade_issuer::{keyring::Kek, serve, store, AppState, Config};
//!
//! let store = store::open("sqlite://issuer.db").await?;
//! let kek = Kek::parse(&"00".repeat(32))?;
//! let state = AppState::new(store, kek, Config::new("https://badges.example.edu"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve(listener, state, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod achievements;
pub mod api;
pub mod auth;
pub mod batch;
pub mod credentials;
pub mod delivery;
mod error;
pub mod keyring;
mod openapi;
pub mod public;
pub mod status_lists;
pub mod store;
pub mod tenants;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::net::TcpListener;

pub use error::ServiceError;

use crate::keyring::Kek;
use crate::store::SqlStore;

/// The largest JSON request body accepted, in bytes (DESIGN.md: request bodies are
/// size-limited). CSV cohorts have their own, larger limit: [`batch::MAX_CSV_BYTES`].
pub const MAX_BODY_BYTES: usize = accolade_verifier::MAX_BODY_BYTES;

/// The service's settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the service is reachable from outside, without a trailing slash: credential links,
    /// status list URLs and `did:web` identifiers are built from it.
    pub public_url: String,
    /// The verifier page QR codes point to; `{public_url}/verify` when not set.
    pub verifier_url: Option<String>,
    /// Entries per status list. Bitstring Status List §6.1 asks for at least 131,072 (16 KiB) for
    /// herd privacy.
    pub status_list_size: usize,
    /// How long verifiers may cache a status list (its `ttl`, and the HTTP `max-age`), seconds.
    pub status_ttl_seconds: u64,
}

impl Config {
    /// Defaults for a service at `public_url`.
    pub fn new(public_url: &str) -> Self {
        Config {
            public_url: public_url.trim_end_matches('/').to_owned(),
            verifier_url: None,
            status_list_size: status_lists::MIN_LIST_SIZE,
            status_ttl_seconds: 300,
        }
    }

    /// The verifier page's URL.
    pub fn verifier_url(&self) -> String {
        self.verifier_url.clone().unwrap_or_else(|| format!("{}/verify", self.public_url))
    }
}

/// What the handlers share. Cloning is cheap.
#[derive(Clone)]
pub struct AppState(Arc<Inner>, Option<accolade_verifier::AppState>);

struct Inner {
    store: SqlStore,
    kek: Kek,
    config: Config,
}

impl AppState {
    /// A state over `store`, opening keys with `kek`.
    pub fn new(store: SqlStore, kek: Kek, config: Config) -> Self {
        AppState(Arc::new(Inner { store, kek, config }), None)
    }

    /// Mounts the employer's verification page (`/verify`, where the QR codes point) with this
    /// verifier, so that a single-institution deployment needs one service.
    pub fn with_verifier(mut self, verifier: accolade_verifier::AppState) -> Self {
        self.1 = Some(verifier);
        self
    }

    /// The store.
    pub fn store(&self) -> &SqlStore {
        &self.0.store
    }

    /// The key-encryption key.
    pub fn kek(&self) -> &Kek {
        &self.0.kek
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.0.config
    }
}

/// The current time as RFC 3339 in UTC, to the second (the form `validFrom` and the store use).
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    let page = state.1.clone().map(accolade_verifier::page_router);
    let app = Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .merge(api::routes())
        .merge(public::routes())
        .merge(openapi::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    match page {
        Some(page) => app.merge(page),
        None => app,
    }
    .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Serves [`router`] on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
