//! Revocation seen through the service: the status list is fetched over a real socket by the
//! guarded client (plain http allowed only because the test sets `allow_loopback`), its proof and
//! issuer are checked, and the credential's bit decides.

use std::io::{Read, Write};
use std::net::TcpListener;

use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
use accolade_core::fetch::FetchPolicy;
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, Cryptosuite, ProofOptions};
use accolade_core::status::Bitstring;
use accolade_verifier::{online_state, router};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn sign(key: &SigningKey, doc: &Value) -> Value {
    let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
    options.created = Some("2024-01-01T00:00:00Z".into());
    add_proof(doc, key, &options, &StandardResolver::offline()).unwrap()
}

/// Serves, on a loopback port in a background thread, the body that `build` makes for the URL
/// being served; returns that URL.
fn serve_at(build: impl FnOnce(&str) -> String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/status/1", listener.local_addr().unwrap());
    let body = build(&url);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/vc+ld+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                body.len(),
                body
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    url
}

fn credential(issuer: &SigningKey, list_url: &str, index: u32) -> Value {
    sign(
        issuer,
        &json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": format!("urn:uuid:6a7b8c9d-0e1f-4a2b-8c3d-{index:012}"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did_key(&issuer.public()), "type": ["Profile"], "name": "Example Polytechnic"},
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "urn:uuid:5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e", "type": ["Achievement"], "name": "Plumbing II",
                "description": "Domestic plumbing.", "criteria": {"narrative": "Assessed on site."}}},
            "credentialStatus": {
                "id": format!("{list_url}#{index}"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                "statusListIndex": index.to_string(), "statusListCredential": list_url
            }
        }),
    )
}

async fn verify(vc: Value) -> (StatusCode, Value) {
    let mut policy = FetchPolicy::default();
    policy.allow_loopback = true;
    let app = router(online_state(policy));
    let body = json!({"verifiableCredential": vc}).to_string();
    let request =
        Request::post("/credentials/verify").header("content-type", "application/json").body(Body::from(body)).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn status_check(report: &Value) -> (String, String) {
    let check = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "status").unwrap();
    (check["code"].as_str().unwrap().to_owned(), check["message"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn revoked_and_clear_credentials_through_a_fetched_status_list() {
    let issuer = SigningKey::generate();
    let mut bits = Bitstring::new(131_072);
    bits.set(42, true).unwrap();
    let url = serve_at(|url| {
        sign(
            &issuer,
            &json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": did_key(&issuer.public()),
                "validFrom": "2024-01-01T00:00:00Z",
                "credentialSubject": {"id": format!("{url}#list"), "type": "BitstringStatusList",
                                      "statusPurpose": "revocation", "encodedList": bits.encode()}
            }),
        )
        .to_string()
    });

    let (status, report) = verify(credential(&issuer, &url, 42)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(status_check(&report), ("STATUS_REVOKED".into(), "the issuer has revoked this credential".into()));

    let (status, report) = verify(credential(&issuer, &url, 7)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(status_check(&report), ("STATUS_OK".into(), "not revoked".into()));
}

#[tokio::test]
async fn a_status_list_that_cannot_be_fetched_is_indeterminate() {
    let issuer = SigningKey::generate();
    // Nothing listens on the probe's port once it is dropped: the fetch is refused.
    let probe = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/status/1", probe.local_addr().unwrap());
    drop(probe);
    let (status, report) = verify(credential(&issuer, &url, 3)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, message) = status_check(&report);
    assert_eq!(code, "STATUS_UNAVAILABLE");
    assert!(message.starts_with("the status could not be checked:"), "{message}");
    let check = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "status").unwrap();
    assert_eq!(check["status"], "indeterminate");
}

#[tokio::test]
async fn a_status_list_on_a_private_address_is_refused_without_a_request() {
    let issuer = SigningKey::generate();
    let (_, report) = verify(credential(&issuer, "https://10.0.0.7/status/1", 3)).await;
    let (code, message) = status_check(&report);
    assert_eq!(code, "STATUS_UNAVAILABLE");
    assert!(message.contains("10.0.0.7"), "{message}");
}
