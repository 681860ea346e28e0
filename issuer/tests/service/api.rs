//! The HTTP API through the router, on SQLite: issuing and verifying, VC-API, auth, tenants.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{outcome, service, TOKEN};

fn all_valid(report: &accolade_core::verify::Report) -> bool {
    report.verified && outcome(report).iter().all(|(_, s, _)| s == "valid")
}

#[tokio::test]
async fn an_award_is_signed_recorded_and_verifies_with_did_web() {
    let s = service().await;
    let issuer = s.create_issuer("uni", "web").await;
    assert_eq!(issuer["did"], "did:web:issuer.test:issuers:uni");
    assert!(!issuer.to_string().contains("secret"), "no secret in {issuer}");
    s.create_achievement("uni", "welding-1").await;
    let issued = s.award("uni", "welding-1", "Amina@Example.org").await;
    let vc = &issued["verifiableCredential"];
    assert_eq!(vc["type"], json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(vc["issuer"]["id"], "did:web:issuer.test:issuers:uni");
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(vc["proof"]["verificationMethod"], "did:web:issuer.test:issuers:uni#key-1");
    assert_eq!(vc["id"], issued["url"]);
    assert!(issued["url"].as_str().unwrap().starts_with("https://issuer.test/c/"));
    assert!(!vc.to_string().to_lowercase().contains("amina@example.org"), "the email is hashed");
    assert_eq!(vc["credentialSubject"]["identifier"][1]["identityHash"], "Amina Yusuf");
    assert_eq!(vc["credentialStatus"]["statusPurpose"], "revocation", "one entry, as the OB schema allows");

    let report = s.verify(vc).await;
    assert!(all_valid(&report), "{:?}", outcome(&report));

    // The public link serves the same bytes as were returned.
    let id = issued["id"].as_str().unwrap();
    let public = s.get(&format!("/c/{id}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.json(), *vc);
    assert_eq!(s.get("/c/not-a-credential").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn did_key_issuers_and_every_format_verify() {
    let s = service().await;
    let issuer = s.create_issuer("mooc", "key").await;
    assert!(issuer["did"].as_str().unwrap().starts_with("did:key:z6Mk"));
    s.create_achievement("mooc", "intro").await;
    for (options, check) in [
        (json!({"cryptosuite": "eddsa-jcs-2022"}), "/verifiableCredential/proof/cryptosuite"),
        (json!({"format": "vc+jwt"}), "/verifiableCredential/type"),
    ] {
        let (status, body) = s
            .call(
                Method::POST,
                "/admin/issuers/mooc/awards",
                Some(json!({"achievement": "intro", "recipient": {"identifier": "S-1001", "identifierType": "sourcedId"}, "options": options})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert!(body.pointer(check).is_some());
        let report = s.verify(&body["verifiableCredential"]).await;
        assert!(all_valid(&report), "{options}: {:?}", outcome(&report));
    }
    // did:key has no document to serve, and cannot rotate.
    assert_eq!(s.get("/issuers/mooc/did.json").await.status, StatusCode::NOT_FOUND);
    let (status, body) = s.call(Method::POST, "/admin/issuers/mooc/keys", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "CANNOT_ROTATE_DID_KEY");
}

#[tokio::test]
async fn vc_api_issue_fills_the_issuer_and_refuses_another() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:learner", "name": "Amina"},
    });
    let (status, body) =
        s.call(Method::POST, "/credentials/issue", Some(json!({"credential": credential, "options": {}}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let vc = &body["verifiableCredential"];
    assert_eq!(vc["issuer"]["id"], "did:web:issuer.test:issuers:uni");
    assert!(vc["validFrom"].is_string());
    assert!(all_valid(&s.verify(vc).await), "{:?}", outcome(&s.verify(vc).await));

    let mut foreign = credential.clone();
    foreign["issuer"] = json!("did:web:elsewhere.example");
    let (status, body) = s.call(Method::POST, "/credentials/issue", Some(json!({"credential": foreign}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "FOREIGN_ISSUER");
    assert_eq!(
        body["error"]["message"],
        "credential.issuer names \"did:web:elsewhere.example\", but this endpoint issues as did:web:issuer.test:issuers:uni"
    );

    let mut unknown = credential.clone();
    unknown["@context"] = json!(["https://www.w3.org/ns/credentials/v2", "https://evil.example/context.jsonld"]);
    let (status, body) = s.call(Method::POST, "/credentials/issue", Some(json!({"credential": unknown}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "CANNOT_SIGN");
    assert!(body["error"]["message"].as_str().unwrap().contains("https://evil.example/context.jsonld"), "{body}");

    let (status, body) = s
        .call(
            Method::POST,
            "/credentials/issue",
            Some(json!({"credential": credential, "options": {"cryptosuite": "rsa"}})),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("UNSUPPORTED_CRYPTOSUITE")));

    let (status, body) = s.call(Method::POST, "/credentials/issue", Some(json!({"options": {}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "MALFORMED_REQUEST");

    let answer = s
        .request(Method::POST, "/credentials/issue", Some(TOKEN), "application/json", b"{\"credential\": ".to_vec())
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["error"]["code"], "MALFORMED_REQUEST");

    let huge = format!("{{\"credential\": {{\"x\": \"{}\"}}}}", "a".repeat(accolade_issuer::MAX_BODY_BYTES));
    let answer =
        s.request(Method::POST, "/credentials/issue", Some(TOKEN), "application/json", huge.into_bytes()).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.json()["error"]["code"], "BODY_TOO_LARGE");
}

#[tokio::test]
async fn tokens_scopes_and_tenants_are_enforced_and_change_nothing() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_issuer("college", "web").await;
    s.create_achievement("uni", "welding-1").await;
    s.create_achievement("college", "nursing").await;

    let answer =
        s.request(Method::POST, "/admin/issuers/uni/achievements", None, "application/json", b"{}".to_vec()).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["error"]["message"], "this endpoint needs an Authorization: Bearer token");
    let (status, body) = s.call_as("wrong-token", Method::GET, "/admin/issuers", None).await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("the bearer token is not valid"))
    );

    let (status, body) = s
        .call(Method::POST, "/admin/tokens", Some(json!({"name": "registrar-bot", "scope": "issue", "issuer": "uni"})))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let issue_token = body["token"].as_str().unwrap().to_owned();

    // Issue-only tokens issue, but do not define achievements.
    let (status, body) = s
        .call_as(
            &issue_token,
            Method::POST,
            "/admin/issuers/uni/achievements",
            Some(crate::support::achievement("new-one")),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("ADMIN_SCOPE_REQUIRED")));
    let (status, _) = s
        .call_as(
            &issue_token,
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({"achievement": "welding-1", "recipient": {"email": "a@b.org"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A token of one tenant cannot use another tenant's achievement or key.
    let (status, body) = s
        .call_as(
            &issue_token,
            Method::POST,
            "/admin/issuers/college/awards",
            Some(json!({"achievement": "nursing", "recipient": {"email": "a@b.org"}})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["message"], "this token acts for issuer \"uni\", not \"college\"");
    // Not even by naming the other tenant's achievement under its own issuer.
    let (status, body) = s
        .call_as(
            &issue_token,
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({"achievement": "nursing", "recipient": {"email": "a@b.org"}})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["message"], "achievement \"nursing\" of issuer uni not found");
    let (status, body) = s
        .call_as(&issue_token, Method::POST, "/issuers/college/credentials/issue", Some(json!({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:x"}}})))
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("WRONG_ISSUER")));

    // Nothing changed: one credential issued (uni), college has only its own achievement.
    let (_, list) = s.call(Method::GET, "/admin/issuers/college/achievements", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, audit) = s.call(Method::GET, "/admin/audit", None).await;
    let actions: Vec<(&str, &str)> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["actor"].as_str().unwrap(), a["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("registrar-bot", "credential.issue"),
            ("bootstrap", "token.create"),
            ("bootstrap", "achievement.create"),
            ("bootstrap", "achievement.create"),
            ("bootstrap", "issuer.create"),
            ("bootstrap", "issuer.create"),
        ]
    );
    let (status, _) = s.call_as(&issue_token, Method::GET, "/admin/audit", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn achievements_update_retire_and_bad_definitions() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let (status, body) =
        s.call(Method::POST, "/admin/issuers/uni/achievements", Some(crate::support::achievement("welding-1"))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("DUPLICATE_ACHIEVEMENT")));
    let mut bad = crate::support::achievement("x");
    bad["criteria"] = json!({});
    let (status, body) = s.call(Method::POST, "/admin/issuers/uni/achievements", Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["message"], "criteria needs an id (a URL) or a narrative");

    let mut changed = crate::support::achievement("welding-1");
    changed["name"] = json!("Welding, level 1");
    let (status, body) = s.call(Method::PUT, "/admin/issuers/uni/achievements/welding-1", Some(changed)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let issued = s.award("uni", "welding-1", "a@b.org").await;
    assert_eq!(issued["verifiableCredential"]["credentialSubject"]["achievement"]["name"], "Welding, level 1");

    let (status, _) = s.call(Method::POST, "/admin/issuers/uni/achievements/welding-1/retire", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = s
        .call(
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({"achievement": "welding-1", "recipient": {"email": "a@b.org"}})),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ACHIEVEMENT_RETIRED")));
    let (status, body) = s
        .call(
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({"achievement": "nope", "recipient": {"email": "a@b.org"}})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("achievement \"nope\" of issuer uni not found"))
    );
    // The credential issued before retirement still verifies.
    assert!(s.verify(&issued["verifiableCredential"]).await.verified);
}

#[tokio::test]
async fn languages_results_and_evidence_are_embedded() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let (status, body) = s
        .call(
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({
                "achievement": "welding-1",
                "language": "fr",
                "recipient": {"name": "Amina Yusuf", "email": "amina@example.org"},
                "results": [{"resultDescription": "grade", "value": "A"}],
                "evidence": [{"url": "https://portfolio.example/amina/weld.mp4", "name": "Butt weld", "genre": "Video"}],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let vc = &body["verifiableCredential"];
    assert_eq!(vc["name"], "Soudure : les bases");
    assert_eq!(vc["credentialSubject"]["achievement"]["inLanguage"], "fr");
    assert_eq!(vc["credentialSubject"]["result"][0]["value"], "A");
    assert_eq!(vc["evidence"][0]["genre"], "Video");
    assert!(s.verify(vc).await.verified, "{:?}", outcome(&s.verify(vc).await));

    let (status, body) = s
        .call(
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({"achievement": "welding-1", "recipient": {"email": "a@b.org"}, "results": [{"resultDescription": "grade", "value": "F"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["message"], "result \"grade\": \"F\" is not one of [\"A\", \"B\", \"C\"]");
}

#[tokio::test]
async fn rotated_keys_sign_new_credentials_and_old_ones_still_verify() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let before = s.award("uni", "welding-1", "a@b.org").await;
    let (status, issuer) = s.call(Method::POST, "/admin/issuers/uni/keys", None).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(issuer["keys"].as_array().unwrap().len(), 2);
    let after = s.award("uni", "welding-1", "a@b.org").await;
    assert_eq!(after["verifiableCredential"]["proof"]["verificationMethod"], "did:web:issuer.test:issuers:uni#key-2");
    let doc = s.get("/issuers/uni/did.json").await.json();
    assert_eq!(doc["assertionMethod"].as_array().unwrap().len(), 2);
    assert!(s.verify(&before["verifiableCredential"]).await.verified);
    assert!(s.verify(&after["verifiableCredential"]).await.verified);
}

#[tokio::test]
async fn clr_and_endorsements_verify() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_issuer("guild", "key").await;
    s.create_achievement("uni", "welding-1").await;
    s.create_achievement("uni", "welding-2").await;
    s.award("uni", "welding-1", "amina@example.org").await;
    s.award("uni", "welding-2", "Amina@example.org").await;
    s.award("uni", "welding-2", "someone-else@example.org").await;
    let (status, body) = s
        .call(
            Method::POST,
            "/admin/issuers/uni/clr",
            Some(json!({"recipient": {"name": "Amina Yusuf", "email": "amina@example.org"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let clr = &body["verifiableCredential"];
    assert_eq!(clr["type"], json!(["VerifiableCredential", "ClrCredential"]));
    assert_eq!(clr["credentialSubject"]["verifiableCredential"].as_array().unwrap().len(), 2);
    assert!(s.verify(clr).await.verified, "{:?}", outcome(&s.verify(clr).await));

    let (status, body) = s
        .call(Method::POST, "/admin/issuers/uni/clr", Some(json!({"recipient": {"email": "nobody@example.org"}})))
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("NOTHING_TO_BUNDLE")));

    let (status, body) = s
        .call(
            Method::POST,
            "/admin/issuers/guild/endorsements",
            Some(json!({"subject": "https://issuer.test/issuers/uni/achievements/welding-1", "comment": "Meets the guild's standard."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let endorsement = &body["verifiableCredential"];
    assert_eq!(endorsement["credentialSubject"]["type"], json!(["EndorsementSubject"]));
    assert!(s.verify(endorsement).await.verified, "{:?}", outcome(&s.verify(endorsement).await));
}

#[tokio::test]
async fn deliveries_qr_baked_badges_and_certificate() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let (_, body) = s
        .call(
            Method::POST,
            "/admin/issuers/uni/awards",
            Some(json!({"achievement": "welding-1", "recipient": {"name": "<script>alert(1)</script>", "email": "a@b.org"}})),
        )
        .await;
    let id = body["id"].as_str().unwrap();
    let credential_text = String::from_utf8(s.get(&format!("/c/{id}")).await.body).unwrap();

    let png = s.get(&format!("/c/{id}/qr.png")).await;
    assert_eq!(png.headers["content-type"], "image/png");
    assert!(png.body.starts_with(b"\x89PNG"));
    let svg = String::from_utf8(s.get(&format!("/c/{id}/qr.svg")).await.body).unwrap();
    assert!(svg.contains("<svg"));

    let baked = s.get(&format!("/c/{id}/badge.png")).await;
    assert_eq!(accolade_core::bake::unbake(&baked.body).unwrap(), credential_text);
    let baked_svg = s.get(&format!("/c/{id}/badge.svg")).await;
    assert_eq!(accolade_core::bake::unbake(&baked_svg.body).unwrap(), credential_text);

    let certificate = s.get(&format!("/c/{id}/certificate")).await;
    assert_eq!(certificate.headers["content-type"], "text/html; charset=utf-8");
    let html = String::from_utf8(certificate.body).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"), "{html}");
    assert!(html.contains("Welding basics") && html.contains("Institution uni"));
    assert!(html.contains(&format!("https://issuer.test/verify?credential=https%3A%2F%2Fissuer.test%2Fc%2F{id}")));
    assert_eq!(s.get(&format!("/c/{id}/other")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let s = service().await;
    let doc: Value = s.get("/openapi.json").await.json();
    let paths = doc["paths"].as_object().unwrap();
    for path in
        ["/credentials/issue", "/credentials/status", "/admin/issuers/{issuer}/batches", "/status/{list}", "/c/{id}"]
    {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(s.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_bootstrap_token_retires_the_old_one() {
    let s = service().await;
    let (status, _) = s.call(Method::GET, "/admin/issuers", None).await;
    assert_eq!(status, StatusCode::OK);
    accolade_issuer::auth::install_bootstrap(&s.state, "a-rotated-bootstrap-token-987654321").await.unwrap();
    let (status, _) = s.call(Method::GET, "/admin/issuers", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old bootstrap token must stop working");
    let (status, _) = s.call_as("a-rotated-bootstrap-token-987654321", Method::GET, "/admin/issuers", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = s
        .call_as(
            "a-rotated-bootstrap-token-987654321",
            Method::POST,
            "/admin/tokens",
            Some(json!({"name": "bootstrap", "scope": "admin"})),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("INVALID_TOKEN_REQUEST")));
    let err = accolade_issuer::auth::install_bootstrap(&s.state, "short").await.unwrap_err();
    assert_eq!(err.to_string(), "ACCOLADE_ADMIN_TOKEN must be at least 16 characters; use a random value");
}

#[tokio::test]
async fn a_credential_that_breaks_its_schema_is_refused_before_anything_is_written() {
    use accolade_issuer::store::Store;
    let s = service().await;
    s.create_issuer("uni", "web").await;
    let broken = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "No achievement",
        "credentialSubject": {"type": ["AchievementSubject"]},
    });
    let (status, body) = s.call(Method::POST, "/credentials/issue", Some(json!({"credential": broken}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "SCHEMA_VIOLATION");
    assert!(body["error"]["message"].as_str().unwrap().contains("/credentialSubject"), "{body}");
    assert!(
        s.state.store().open_status_list("uni", "revocation").await.unwrap().is_none(),
        "no status list was opened"
    );
}
