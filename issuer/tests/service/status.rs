//! Revocation and suspension through the API, seen by the core verifier; the published list.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{outcome, service, TOKEN};

async fn status_check(s: &crate::support::Service, vc: &serde_json::Value) -> (String, String) {
    let report = s.verify(vc).await;
    let (_, status, code) = outcome(&report).into_iter().find(|(c, _, _)| c == "status").unwrap();
    if status == "indeterminate" {
        eprintln!("{}", serde_json::to_string(&report).unwrap());
    }
    (status, code)
}

#[tokio::test]
async fn suspend_unsuspend_then_revoke_for_good() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    // Open Badges carry one status entry (the 1EdTech schema's limit): revocation only.
    let badge = s.award("uni", "welding-1", "c@d.org").await;
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/admin/credentials/{}/status", badge["id"].as_str().unwrap()),
            Some(json!({"action": "suspend", "reason": "x"})),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("NO_STATUS_ENTRY")));
    // A plain VC issued through the VC-API carries both.
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:learner"},
    });
    let (status, issued) = s.call(Method::POST, "/credentials/issue", Some(json!({"credential": credential}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let other = s.call(Method::POST, "/credentials/issue", Some(json!({"credential": credential}))).await.1;
    let id = issued["id"].as_str().unwrap();
    let vc = &issued["verifiableCredential"];
    let purposes: Vec<&str> =
        vc["credentialStatus"].as_array().unwrap().iter().map(|e| e["statusPurpose"].as_str().unwrap()).collect();
    assert_eq!(purposes, ["revocation", "suspension"]);
    assert_eq!(status_check(&s, vc).await.0, "valid");

    let (status, body) = s
        .call(
            Method::POST,
            &format!("/admin/credentials/{id}/status"),
            Some(json!({"action": "suspend", "reason": "under investigation"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], json!({"revoked": false, "suspended": true}));
    assert_eq!(status_check(&s, vc).await, ("invalid".into(), "STATUS_SUSPENDED".into()));
    assert_eq!(status_check(&s, &other["verifiableCredential"]).await.0, "valid", "only this credential's bit");

    let (status, _) = s
        .call(Method::POST, "/credentials/status", Some(json!({"credentialId": issued["url"], "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "unsuspended"}]})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(status_check(&s, vc).await.0, "valid");

    let (status, _) = s
        .call(Method::POST, "/credentials/status", Some(json!({"credentialId": id, "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}], "reason": "issued in error"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(status_check(&s, vc).await, ("invalid".into(), "STATUS_REVOKED".into()));

    for action in ["unsuspend", "suspend"] {
        let (status, body) = s
            .call(
                Method::POST,
                &format!("/admin/credentials/{id}/status"),
                Some(json!({"action": action, "reason": "try"})),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "REVOCATION_FINAL");
    }
    assert_eq!(status_check(&s, vc).await, ("invalid".into(), "STATUS_REVOKED".into()));

    let (status, body) = s
        .call(
            Method::POST,
            &format!("/admin/credentials/{id}/status"),
            Some(json!({"action": "revoke", "reason": " "})),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("REASON_REQUIRED")));
    let (status, _) =
        s.call(Method::POST, "/admin/credentials/nope/status", Some(json!({"action": "revoke", "reason": "x"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, audit) = s.call(Method::GET, "/admin/audit?limit=3", None).await;
    assert_eq!(audit[0]["action"], "credential.revoke");
    assert_eq!(audit[0]["detail"]["reason"], "issued in error");
}

#[tokio::test]
async fn another_tenants_credential_cannot_be_revoked() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_issuer("college", "web").await;
    s.create_achievement("college", "nursing").await;
    let issued = s.award("college", "nursing", "a@b.org").await;
    let (_, token) = s
        .call(Method::POST, "/admin/tokens", Some(json!({"name": "uni-admin", "scope": "admin", "issuer": "uni"})))
        .await;
    let token = token["token"].as_str().unwrap();
    let (status, _) = s
        .call_as(
            token,
            Method::POST,
            &format!("/admin/credentials/{}/status", issued["id"].as_str().unwrap()),
            Some(json!({"action": "revoke", "reason": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(s.verify(&issued["verifiableCredential"]).await.verified);
    let _ = TOKEN;
}

#[tokio::test]
async fn the_list_is_signed_cached_and_conditional() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let issued = s.award("uni", "welding-1", "a@b.org").await;
    let entry = &issued["verifiableCredential"]["credentialStatus"];
    assert_eq!(entry["statusPurpose"], "revocation");
    let index: usize = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
    assert!(index < 131_072);
    let path = entry["statusListCredential"].as_str().unwrap().strip_prefix("https://issuer.test").unwrap().to_owned();

    let first = s.get(&path).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.headers["cache-control"], "public, max-age=300");
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    let list = first.json();
    assert_eq!(list["type"], json!(["VerifiableCredential", "BitstringStatusListCredential"]));
    assert_eq!(list["issuer"], "did:web:issuer.test:issuers:uni");
    assert_eq!(list["credentialSubject"]["ttl"], 300_000);
    assert!(s.verify(&list).await.verified, "{:?}", outcome(&s.verify(&list).await));
    let bits =
        accolade_core::status::Bitstring::decode(list["credentialSubject"]["encodedList"].as_str().unwrap(), 1 << 20)
            .unwrap();
    assert_eq!(bits.len(), 131_072);
    assert_eq!(bits.get(index), Some(false));

    let mut request = axum::http::Request::builder().uri(&path).header("if-none-match", &etag);
    request = request.method(Method::GET);
    let not_modified =
        tower::ServiceExt::oneshot(s.router.clone(), request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);

    s.call(
        Method::POST,
        &format!("/admin/credentials/{}/status", issued["id"].as_str().unwrap()),
        Some(json!({"action": "revoke", "reason": "fraud"})),
    )
    .await;
    let after = s.get(&path).await;
    assert_ne!(after.headers["etag"].to_str().unwrap(), etag);
    let bits = accolade_core::status::Bitstring::decode(
        after.json()["credentialSubject"]["encodedList"].as_str().unwrap(),
        1 << 20,
    )
    .unwrap();
    assert_eq!(bits.get(index), Some(true));
    assert_eq!(s.get("/status/unknown").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_full_list_rolls_over_and_an_unsigned_list_is_signed_when_served() {
    use accolade_issuer::store::{StatusListRow, Store};
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    // A list with room for one credential, as a crash would leave it: never signed.
    let tiny = StatusListRow {
        id: "tiny-list".into(),
        tenant_id: "uni".into(),
        purpose: "revocation".into(),
        size: 131_072,
        capacity: 1,
        allocated: 0,
        bits: vec![0; 131_072 / 8],
        version: 0,
        signed_version: -1,
        credential: None,
        updated_at: "2026-01-01T00:00:00Z".into(),
    };
    s.state.store().insert_status_list(&tiny).await.unwrap();
    let first = s.award("uni", "welding-1", "a@b.org").await;
    let second = s.award("uni", "welding-1", "c@d.org").await;
    let list_of = |issued: &serde_json::Value| {
        issued["verifiableCredential"]["credentialStatus"]["statusListCredential"].as_str().unwrap().to_owned()
    };
    assert_eq!(list_of(&first), "https://issuer.test/status/tiny-list");
    assert_ne!(list_of(&second), list_of(&first), "the full list rolled over to a new one");
    // Both verify: the tiny list is signed on first request.
    assert!(s.verify(&first["verifiableCredential"]).await.verified);
    assert!(s.verify(&second["verifiableCredential"]).await.verified);
    let row = s.state.store().status_list("tiny-list").await.unwrap().unwrap();
    assert_eq!((row.allocated, row.signed_version), (1, 0));
}
