//! # accolade-verifier
//!
//! The verifier service: the employer's page ([`page`], `GET /verify`), [VC-API](https://w3c-ccg.github.io/vc-api/) verification endpoints
//! (`POST /credentials/verify`, `POST /presentations/verify`, §3.3 and §3.5 of the VC-API
//! specification) over the one verification engine in [`accolade_core::verify`], and the
//! `accolade-verifier verify FILE…` command for scripts.
//!
//! `GET /metrics` is Prometheus text: verifications by outcome and a latency histogram; each
//! verification is also logged (tracing) with its outcome, time and failing check codes.
//!
//! Responses: 200 with the report when verified, 422 with the report when not, 400 for a
//! malformed request, 413 for a body over [`MAX_BODY_BYTES`]. Verification is CPU work; it runs on
//! the blocking pool, at most [`AppState::concurrency`] at a time, so a flood of requests queues
//! instead of starving the async workers.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use accolade_core::did::StandardResolver;
//! use accolade_verifier::{serve, AppState};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let state = AppState::new(StandardResolver::offline());
//! serve(listener, state, std::future::pending()).await
//! # }
//! ```
#![forbid(unsafe_code)]

mod api;
mod error;
pub mod i18n;
pub mod markup;
mod metrics;
pub mod page;
pub mod qr;
mod trust;

use std::future::Future;
use std::sync::Arc;

use accolade_core::did::{Fetcher, Resolver, StandardResolver};
use accolade_core::fetch::{FetchPolicy, GuardedClient};
use accolade_core::status::StatusListClient;
use accolade_core::verify::{Report, StatusChecker, TrustList, Verifier};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use error::{ApiError, AppJson};
pub use trust::{TrustListError, TrustedIssuers};

/// The largest request body accepted, in bytes. A credential with a large embedded image stays
/// well under it; anything bigger is refused with 413 before it is parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the handlers share: how to resolve keys and status, and the bound on concurrent work.
/// Cloning is cheap: every part is shared.
#[derive(Clone)]
pub struct AppState {
    resolver: Arc<dyn Resolver>,
    status: Option<Arc<dyn StatusChecker>>,
    trust: Option<Arc<dyn TrustList>>,
    fetcher: Option<Arc<dyn Fetcher>>,
    metrics: Arc<metrics::Metrics>,
    permits: Arc<Semaphore>,
    concurrency: usize,
}

impl AppState {
    /// A state that resolves keys with `resolver`, with no status list client and no trust list.
    pub fn new(resolver: impl Resolver + 'static) -> Self {
        let concurrency = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        AppState {
            resolver: Arc::new(resolver),
            status: None,
            trust: None,
            fetcher: None,
            metrics: Arc::default(),
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
        }
    }

    /// Checks `credentialStatus` entries with `checker`.
    pub fn with_status(mut self, checker: impl StatusChecker + 'static) -> Self {
        self.status = Some(Arc::new(checker));
        self
    }

    /// Reports whether issuers are on `list`.
    pub fn with_trust(mut self, list: impl TrustList + 'static) -> Self {
        self.trust = Some(Arc::new(list));
        self
    }

    /// Fetches the credentials behind the page's `?credential=` links with `fetcher` (the
    /// guarded client in production). Without one, the page verifies uploads and pasted text only.
    pub fn with_fetcher(mut self, fetcher: Arc<dyn Fetcher>) -> Self {
        self.fetcher = Some(fetcher);
        self
    }

    /// How many verifications may run at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Runs `work` with a verifier, on the blocking pool, within the concurrency bound.
    pub async fn verify<F>(&self, work: F) -> Result<Report, ApiError>
    where
        F: FnOnce(&Verifier<'_>) -> Report + Send + 'static,
    {
        let started = std::time::Instant::now();
        let _permit = self.permits.acquire().await.map_err(|_| ApiError::Unavailable)?;
        let state = self.clone();
        let report = tokio::task::spawn_blocking(move || {
            let mut verifier = Verifier::new(state.resolver.as_ref());
            if let Some(status) = &state.status {
                verifier = verifier.with_status(status.as_ref());
            }
            if let Some(trust) = &state.trust {
                verifier = verifier.with_trust(trust.as_ref());
            }
            work(&verifier)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("verification task failed: {e}")))?;
        let elapsed = started.elapsed();
        self.metrics.record(&report, elapsed);
        tracing::info!(
            verified = report.verified,
            micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            failed = ?report.checks.iter().filter(|c| c.status != accolade_core::verify::Status::Valid).map(|c| c.code.as_str()).collect::<Vec<_>>(),
            "verification"
        );
        Ok(report)
    }
}

/// The resolver and status client a verifier uses: `did:key` locally, `did:web` documents and
/// Bitstring Status Lists through the guarded client (DESIGN.md, "Security rules"), or nothing
/// fetched at all when `offline`.
pub fn online_parts(policy: FetchPolicy, offline: bool) -> (StandardResolver, Option<StatusListClient>) {
    if offline {
        return (StandardResolver::offline(), None);
    }
    let client: Arc<dyn Fetcher> = Arc::new(GuardedClient::new(policy));
    online_parts_with(client)
}

fn online_parts_with(client: Arc<dyn Fetcher>) -> (StandardResolver, Option<StatusListClient>) {
    let resolver = StandardResolver::with_fetcher(client.clone());
    let status = StatusListClient::new(client, Arc::new(resolver.clone()));
    (resolver, Some(status))
}

/// The state of a verifier that fetches DID documents, status lists and the page's credential
/// links through one guarded client with `policy`.
pub fn online_state(policy: FetchPolicy) -> AppState {
    let client: Arc<dyn Fetcher> = Arc::new(GuardedClient::new(policy));
    let (resolver, status) = online_parts_with(client.clone());
    let state = AppState::new(resolver).with_fetcher(client);
    match status {
        Some(status) => state.with_status(status),
        None => state,
    }
}

/// The employer's page alone, for another service (the issuer) to mount: `GET`/`POST /verify`.
pub fn page_router(state: AppState) -> Router {
    page::routes().with_state(state)
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics_text))
        .route("/credentials/verify", post(api::verify_credential))
        .route("/presentations/verify", post(api::verify_presentation))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .merge(page::routes())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn metrics_text(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}

/// Serves [`router`] on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
