//! The real binaries against each other and against vc-js: `accolade-issuer serve` on SQLite
//! issues; vc-js and `accolade-verifier verify` verify, with the issuer's own did:web document and
//! status lists fetched over loopback; a revocation at the issuer reaches the verifier.

use std::process::Command;

use serde_json::{json, Value};

use accolade_tests::{binary, IssuerProcess, Peer};

/// Awards `first-aid` of the issuer `tenant` to Amina Yusuf, issued with `options`.
fn award(issuer: &IssuerProcess, tenant: &str, options: Value) -> Value {
    issuer.post(
        &format!("/admin/issuers/{tenant}/awards"),
        &json!({"achievement": "first-aid", "recipient": {"name": "Amina Yusuf", "email": "amina@example.org"}, "options": options}),
    )
}

#[test]
fn credentials_issued_by_the_service_verify_in_vc_js_with_did_key_and_did_web() {
    let issuer = IssuerProcess::start();
    let web_did = issuer.add_issuer("web-uni", "web");
    let key_did = issuer.add_issuer("key-mooc", "key");
    assert!(web_did.starts_with("did:web:127.0.0.1%3A"), "{web_did}");
    assert!(key_did.starts_with("did:key:z6Mk"), "{key_did}");
    // vc-js gets the did:web document exactly as our issuer serves it.
    let document = issuer.get_json("/issuers/web-uni/did.json");
    let documents = json!({ web_did.clone(): document });

    let mut labels = Vec::new();
    let mut requests = Vec::new();
    for tenant in ["web-uni", "key-mooc"] {
        for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
            let issued = award(&issuer, tenant, json!({"cryptosuite": suite}));
            labels.push(format!("{tenant} {suite}"));
            requests.push(json!({"op": "verify", "document": issued["verifiableCredential"], "documents": documents}));
        }
    }
    // A credential through the VC-API endpoint, and the status list credential itself.
    let vc_api = issuer.post(
        "/issuers/web-uni/credentials/issue",
        &json!({"credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"id": "did:example:learner"},
        }}),
    );
    labels.push("vc-api".into());
    requests.push(json!({"op": "verify", "document": vc_api["verifiableCredential"], "documents": documents}));
    let list_url = vc_api["verifiableCredential"]["credentialStatus"]["statusListCredential"].as_str().unwrap();
    let list = issuer.get_json(list_url);
    labels.push("status list".into());
    requests.push(json!({"op": "verify", "document": list, "documents": documents}));

    // And one tampered copy, which vc-js must refuse, so that this test can fail.
    let mut tampered = requests[0].clone();
    tampered["document"]["credentialSubject"]["achievement"]["name"] = json!("Brain Surgery");
    requests.push(tampered);
    let mut responses = Peer::new().batch(requests);
    let refused = responses.pop().unwrap();
    assert_eq!(refused["verified"], json!(false), "{refused}");
    let failures: Vec<String> = labels
        .iter()
        .zip(&responses)
        .filter(|(_, r)| r["verified"] != json!(true))
        .map(|(l, r)| format!("{l}: {r}"))
        .collect();
    assert!(failures.is_empty(), "vc-js does not verify:\n{}", failures.join("\n"));
}

fn verify_file(path: &std::path::Path) -> (i32, Value) {
    let out =
        Command::new(binary("accolade-verifier")).args(["verify", "--allow-loopback"]).arg(path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not a report ({e}): {stdout} {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["check"] == name).unwrap()
}

#[test]
fn a_revocation_at_the_issuer_reaches_the_verifier_binary() {
    let issuer = IssuerProcess::start();
    issuer.add_issuer("web-uni", "web");
    let issued = award(&issuer, "web-uni", json!({}));
    let id = issued["id"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("credential.json");
    std::fs::write(&json_file, issuer.get(&format!("/c/{id}"))).unwrap();
    let badge_file = dir.path().join("badge.png");
    std::fs::write(&badge_file, issuer.get(&format!("/c/{id}/badge.png"))).unwrap();

    for file in [&json_file, &badge_file] {
        let (code, report) = verify_file(file);
        assert_eq!(code, 0, "{report}");
        assert_eq!(check(&report, "issuer")["code"], "ISSUER_OK");
        assert_eq!(check(&report, "status")["status"], "valid", "{report}");
    }

    let revoked = issuer
        .post(&format!("/admin/credentials/{id}/status"), &json!({"action": "revoke", "reason": "issued in error"}));
    assert_eq!(revoked["status"]["revoked"], true);
    let (code, report) = verify_file(&json_file);
    assert_eq!(code, 1, "{report}");
    assert_eq!(check(&report, "status")["code"], "STATUS_REVOKED");
    assert_eq!(check(&report, "proof")["status"], "valid", "still genuine, but revoked");
}
