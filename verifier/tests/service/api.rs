//! The VC-API endpoints, each answer asserted exactly.

use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, Cryptosuite, ProofOptions};
use accolade_verifier::{router, serve, AppState, MAX_BODY_BYTES};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

fn badge(key: &SigningKey) -> Value {
    let doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:3e1f5c8a-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(&key.public()), "type": ["Profile"], "name": "Example Institute"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "urn:uuid:4f2a6d9b-3c5e-4f70-9b1c-2d3e4f5a6b7c", "type": ["Achievement"], "name": "Welding I",
            "description": "Safe MIG welding.", "criteria": {"narrative": "Practical exam."}}}
    });
    let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
    options.created = Some("2024-01-01T00:00:00Z".into());
    add_proof(&doc, key, &options, &StandardResolver::offline()).unwrap()
}

async fn post(path: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let app = router(AppState::new(StandardResolver::offline()));
    let request = Request::post(path).header("content-type", "application/json").body(body.into()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn codes(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["check"].as_str().unwrap().to_owned(), c["code"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn genuine_credential_is_200_with_the_report() {
    let vc = badge(&SigningKey::generate());
    let (status, report) = post("/credentials/verify", json!({"verifiableCredential": vc}).to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["verified"], true);
    assert_eq!(
        codes(&report),
        [
            ("parse", "PARSE_OK"),
            ("context", "CONTEXT_OK"),
            ("schema", "SCHEMA_OK"),
            ("proof", "PROOF_OK"),
            ("issuer", "ISSUER_OK"),
            ("validity", "VALIDITY_OK"),
            ("status", "STATUS_NONE")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[tokio::test]
async fn tampered_credential_is_422_with_the_reason() {
    let mut vc = badge(&SigningKey::generate());
    vc["credentialSubject"]["achievement"]["name"] = "Welding IV".into();
    let (status, report) = post("/credentials/verify", json!({"verifiableCredential": vc}).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(report["verified"], false);
    let proof = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "proof").unwrap();
    assert_eq!(proof["code"], "PROOF_SIGNATURE_MISMATCH");
}

#[tokio::test]
async fn malformed_requests_are_400_in_our_error_body() {
    let (status, body) = post("/credentials/verify", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "MALFORMED_REQUEST");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("Failed to parse the request body as JSON"));

    let (status, body) = post("/credentials/verify", json!({"credential": {}}).to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "MALFORMED_REQUEST");
    assert!(body["error"]["message"].as_str().unwrap().contains("unknown field `credential`"), "{body}");
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let huge = format!("{{\"verifiableCredential\": \"{}\"}}", "a".repeat(MAX_BODY_BYTES + 1));
    let (status, body) = post("/credentials/verify", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "BODY_TOO_LARGE");
}

#[tokio::test]
async fn presentations_with_wrong_challenge_are_422() {
    let issuer = SigningKey::generate();
    let holder = SigningKey::generate();
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did_key(&holder.public()),
        "verifiableCredential": [badge(&issuer)]
    });
    let options = ProofOptions::authentication(
        did_key_method_id(&holder.public()),
        Some("nonce-1".into()),
        Some("https://hr.example".into()),
    );
    let vp = add_proof(&vp, &holder, &options, &StandardResolver::offline()).unwrap();
    let ok = json!({"verifiablePresentation": vp, "options": {"challenge": "nonce-1", "domain": "https://hr.example"}});
    let (status, report) = post("/presentations/verify", ok.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let replay =
        json!({"verifiablePresentation": vp, "options": {"challenge": "nonce-2", "domain": "https://hr.example"}});
    let (status, report) = post("/presentations/verify", replay.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let proof = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "proof").unwrap();
    assert_eq!(proof["code"], "PROOF_CHALLENGE_MISMATCH");
}

#[tokio::test]
async fn serves_over_a_real_socket_and_shuts_down() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, AppState::new(StandardResolver::offline()), async {
        let _ = stopped.await;
    }));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn metrics_count_verifications_by_outcome() {
    let app = router(AppState::new(StandardResolver::offline()));
    let vc = badge(&SigningKey::generate());
    let mut tampered = vc.clone();
    tampered["credentialSubject"]["achievement"]["name"] = json!("Brain Surgery");
    for credential in [&vc, &vc, &tampered] {
        let body = json!({"verifiableCredential": credential}).to_string();
        let request = Request::post("/credentials/verify")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap();
        app.clone().oneshot(request).await.unwrap();
    }
    let response = app.oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/plain; version=0.0.4");
    let text = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(text.contains("accolade_verifications_total{outcome=\"verified\"} 2\n"), "{text}");
    assert!(text.contains("accolade_verifications_total{outcome=\"not_verified\"} 1\n"), "{text}");
    assert!(text.contains("accolade_verifications_total{outcome=\"indeterminate\"} 0\n"), "{text}");
    assert!(text.contains("accolade_verification_seconds_bucket{le=\"+Inf\"} 3\n"), "{text}");
    assert!(text.contains("accolade_verification_seconds_count 3\n"), "{text}");
}

fn signed(key: &SigningKey, doc: &Value) -> Value {
    let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
    options.created = Some("2024-01-01T00:00:00Z".into());
    add_proof(doc, key, &options, &StandardResolver::offline()).unwrap()
}

#[tokio::test]
async fn expired_and_unknown_issuer_credentials_are_422_with_the_reason() {
    let key = SigningKey::generate();
    let mut doc = badge(&key);
    doc.as_object_mut().unwrap().remove("proof");
    doc["validUntil"] = json!("2024-06-30T00:00:00Z");
    let (status, report) =
        post("/credentials/verify", json!({"verifiableCredential": signed(&key, &doc)}).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let validity = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "validity").unwrap();
    assert_eq!(
        (validity["code"].as_str(), validity["message"].as_str()),
        (Some("VALIDITY_EXPIRED"), Some("expired on 2024-06-30T00:00:00Z"))
    );

    // Signed by a key that is not the named issuer's.
    let mut impostor = badge(&key);
    impostor.as_object_mut().unwrap().remove("proof");
    impostor["issuer"]["id"] = json!(did_key(&SigningKey::generate().public()));
    let (status, report) =
        post("/credentials/verify", json!({"verifiableCredential": signed(&key, &impostor)}).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let issuer = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "issuer").unwrap();
    assert_eq!(issuer["status"], "invalid", "{report}");

    // An issuer whose DID cannot be resolved here (did:web, and this verifier is offline).
    let mut unknown = badge(&key);
    unknown["proof"]["verificationMethod"] = json!("did:web:unknown-college.example#key-1");
    unknown["issuer"]["id"] = json!("did:web:unknown-college.example");
    let (status, report) = post("/credentials/verify", json!({"verifiableCredential": unknown}).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let proof = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "proof").unwrap();
    assert_eq!(
        (proof["status"].as_str(), proof["code"].as_str()),
        (Some("indeterminate"), Some("PROOF_METHOD_UNRESOLVABLE")),
        "{report}"
    );
}

#[tokio::test]
async fn presentations_for_another_domain_or_another_holder_are_422() {
    let holder = SigningKey::generate();
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did_key(&holder.public()),
        "verifiableCredential": [badge(&SigningKey::generate())]
    });
    let options = ProofOptions::authentication(
        did_key_method_id(&holder.public()),
        Some("nonce-1".into()),
        Some("https://hr.example".into()),
    );
    let vp = add_proof(&vp, &holder, &options, &StandardResolver::offline()).unwrap();
    let other = json!({"verifiablePresentation": vp, "options": {"challenge": "nonce-1", "domain": "https://elsewhere.example"}});
    let (status, report) = post("/presentations/verify", other.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let proof = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "proof").unwrap();
    assert_eq!(proof["code"], "PROOF_DOMAIN_MISMATCH", "{report}");
    // Signed by someone other than the holder it names.
    let mut stolen = vp.clone();
    stolen["holder"] = json!(did_key(&SigningKey::generate().public()));
    let (status, report) = post(
        "/presentations/verify",
        json!({"verifiablePresentation": stolen, "options": {"challenge": "nonce-1", "domain": "https://hr.example"}})
            .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    let binding = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "presentation").unwrap();
    assert_eq!(binding["status"], "invalid", "{report}");
}
