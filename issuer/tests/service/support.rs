//! A service on a fresh SQLite store, requests through its router, and a verifier that reads the
//! service's DID documents and status lists through the same router.

use std::sync::Arc;

use accolade_core::did::{Fetcher, StandardResolver};
use accolade_core::status::StatusListClient;
use accolade_core::verify::{Report, Verifier};
use accolade_issuer::keyring::Kek;
use accolade_issuer::{auth, store, AppState, Config};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt as _;
use serde_json::{json, Value};
use tower::ServiceExt as _;

pub const TOKEN: &str = "bootstrap-token-for-tests-0123456789";
pub const PUBLIC: &str = "https://issuer.test";
pub const KEK: &str = "0f0e0d0c0b0a09080706050403020100000102030405060708090a0b0c0d0e0f";

pub struct Service {
    #[allow(dead_code)]
    pub state: AppState,
    pub router: Router,
    _dir: Option<tempfile::TempDir>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// A service on a new SQLite database in a temporary directory.
pub async fn service() -> Service {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("issuer.db").display());
    let mut s = service_on(&url).await;
    s._dir = Some(dir);
    s
}

/// A service on the store at `url`.
pub async fn service_on(url: &str) -> Service {
    let store = store::open(url).await.unwrap();
    let state = AppState::new(store, Kek::parse(KEK).unwrap(), Config::new(PUBLIC));
    auth::install_bootstrap(&state, TOKEN).await.unwrap();
    let router = accolade_issuer::router(state.clone());
    Service { state, router, _dir: None }
}

impl Service {
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, content_type);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Answer { status, headers, body }
    }

    /// A JSON call with the bootstrap admin token.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(TOKEN, method, path, body).await
    }

    pub async fn call_as(&self, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let answer = self.request(method, path, Some(token), "application/json", bytes).await;
        let value = if answer.body.is_empty() { Value::Null } else { answer.json() };
        (answer.status, value)
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.request(Method::GET, path, None, "application/json", Vec::new()).await
    }

    pub async fn create_issuer(&self, id: &str, did_method: &str) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                "/admin/issuers",
                Some(json!({
                    "id": id,
                    "didMethod": did_method,
                    "suspension": true,
                    "profile": {"name": format!("Institution {id}"), "url": "https://institution.example", "email": "registrar@institution.example"},
                })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    pub async fn create_achievement(&self, issuer: &str, id: &str) -> Value {
        let (status, body) =
            self.call(Method::POST, &format!("/admin/issuers/{issuer}/achievements"), Some(achievement(id))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Awards `achievement` and returns the API's answer.
    pub async fn award(&self, issuer: &str, achievement: &str, email: &str) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                &format!("/admin/issuers/{issuer}/awards"),
                Some(json!({"achievement": achievement, "recipient": {"name": "Amina Yusuf", "email": email}})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Verifies `credential` with the core engine, reading DID documents and status lists from
    /// this service. The engine is synchronous, so it runs on the blocking pool, and its fetches
    /// run as tasks on the test's own runtime (where the store's connections live).
    pub async fn verify(&self, credential: &Value) -> Report {
        let fetcher: Arc<dyn Fetcher> =
            Arc::new(RouterFetcher { router: self.router.clone(), runtime: tokio::runtime::Handle::current() });
        let credential = credential.clone();
        tokio::task::spawn_blocking(move || {
            let resolver = StandardResolver::with_fetcher(fetcher.clone());
            let status = StatusListClient::new(fetcher, Arc::new(resolver.clone()));
            Verifier::new(&resolver).with_status(&status).verify_value(&credential)
        })
        .await
        .unwrap()
    }
}

pub fn achievement(id: &str) -> Value {
    json!({
        "id": id,
        "language": "en",
        "name": {"en": "Welding basics", "fr": "Soudure : les bases"},
        "description": "Safe MIG welding of mild steel.",
        "criteria": {"narrative": "Pass the practical test."},
        "achievementType": "Certificate",
        "alignment": [{"targetName": "Weld metal", "targetUrl": "https://esco.example/skill/1", "targetFramework": "ESCO"}],
        "resultDescription": [{"id": "grade", "name": "Grade", "resultType": "LetterGrade", "allowedValue": ["A", "B", "C"]}],
        "creditsAvailable": 5,
        "tag": ["welding"],
    })
}

/// Serves `https://issuer.test/…` from the router, as the network would.
struct RouterFetcher {
    router: Router,
    runtime: tokio::runtime::Handle,
}

impl Fetcher for RouterFetcher {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        let path = url.strip_prefix(PUBLIC).ok_or_else(|| format!("{url} is not on the test issuer"))?.to_owned();
        let router = self.router.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.runtime.spawn(async move {
            let answer = async {
                let request = Request::builder().uri(path).body(Body::empty()).map_err(|e| e.to_string())?;
                let response = router.oneshot(request).await.map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("HTTP {}", response.status()));
                }
                Ok(response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes().to_vec())
            }
            .await;
            let _ = tx.send(answer);
        });
        rx.blocking_recv().map_err(|_| "the fetch task was dropped".to_owned())?
    }
}

/// The `(check, status, code)` triples of a report, for exact assertions.
pub fn outcome(report: &Report) -> Vec<(String, String, String)> {
    let value = serde_json::to_value(report).unwrap();
    value["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
                c["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
