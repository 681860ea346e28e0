//! The learner's wallet against the real issuer and verifier: import by public link and by
//! baked PNG, offline verification from saved status lists, a revocation seen with `--online`,
//! and presentations the verifier (and vc-js) accept with the right challenge and refuse with
//! another.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

use accolade_tests::{binary, free_port, Http, IssuerProcess, Peer, Running};

fn wallet(home: &Path, args: &[&str]) -> Output {
    Command::new(binary("accolade-wallet"))
        .arg("--home")
        .arg(home)
        .arg("--allow-loopback")
        .args(args)
        .env("ACCOLADE_WALLET_PASSPHRASE", "a learner's long passphrase")
        .env("ACCOLADE_WALLET_KDF_LOG_N", "10")
        .env_remove("ACCOLADE_WALLET_HOME")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_learner_imports_verifies_and_presents_and_sees_a_revocation() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = IssuerProcess::start();
    let did = issuer.post("/admin/issuers", &json!({"id": "college", "profile": {"name": "Community College"}}))["did"]
        .as_str()
        .unwrap()
        .to_owned();
    issuer.post(
        "/admin/issuers/college/achievements",
        &json!({"id": "welding", "name": "Welding", "description": "MIG welding.", "criteria": {"narrative": "Practical test."}}),
    );
    let award = |email: &str| {
        issuer.post(
            "/admin/issuers/college/awards",
            &json!({"achievement": "welding", "recipient": {"name": "Amina Yusuf", "email": email}}),
        )
    };
    let by_link = award("amina@example.org");
    let by_badge = award("amina.yusuf@example.org");
    let badge_path = dir.path().join("badge.png");
    std::fs::write(&badge_path, issuer.get(by_badge["links"]["badgePng"].as_str().unwrap())).unwrap();

    let home = dir.path().join("wallet");
    assert!(wallet(&home, &["init"]).status.success());
    let out = wallet(&home, &["import", by_link["url"].as_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let out = wallet(&home, &["import", badge_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let list: Vec<Value> = serde_json::from_slice(&wallet(&home, &["list", "--json"]).stdout).unwrap();
    assert_eq!(list.len(), 2);
    let id_of = |url: &Value| {
        let source = url.as_str().unwrap();
        list.iter().find(|e| e["source"] == source).map(|e| e["id"].as_str().unwrap().to_owned()).unwrap()
    };
    let link_id = id_of(&by_link["url"]);
    let badge_id = list.iter().find(|e| e["id"] != link_id).unwrap()["id"].as_str().unwrap().to_owned();

    // Offline, from the status lists saved at import.
    let out = wallet(&home, &["verify", "--all"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&format!("{link_id}: verified (offline, status list saved ")), "{}", text(&out));

    // Revoked at the issuer: offline still shows the saved (older) list; --online sees it.
    issuer.post(
        &format!("/admin/credentials/{}/status", by_link["id"].as_str().unwrap()),
        &json!({"action": "revoke", "reason": "issued in error"}),
    );
    let out = wallet(&home, &["verify", &link_id]);
    assert!(out.status.success(), "offline uses the saved list: {}", text(&out));
    let out = wallet(&home, &["verify", &link_id, "--online"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains(&format!("{link_id}: not verified (status checked online now)")), "{said}");
    assert!(said.contains("status: invalid (STATUS_REVOKED)"), "{said}");

    // Present the other credential to the verifier service, with its challenge and domain.
    let vport = free_port();
    let mut command = Command::new(binary("accolade-verifier"));
    command.args(["serve", "--listen", &format!("127.0.0.1:{vport}"), "--allow-loopback"]);
    let verifier = Running::start(command, vport);
    let http = Http::new();
    let presentation_file = dir.path().join("presentation.json");
    let out = wallet(
        &home,
        &[
            "present",
            &badge_id,
            "--challenge",
            "c-7f3a91",
            "--domain",
            "hr.example.com",
            "--out",
            presentation_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let presentation: Value = serde_json::from_slice(&std::fs::read(&presentation_file).unwrap()).unwrap();
    let verify = |challenge: &str| {
        http.post_json(
            &format!("{}/presentations/verify", verifier.base),
            "unused",
            &json!({"verifiablePresentation": presentation, "options": {"challenge": challenge, "domain": "hr.example.com"}}),
        )
    };
    let (status, report) = verify("c-7f3a91");
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["verified"], true);
    let (status, report) = verify("c-replayed");
    assert_eq!(status, 422, "the same presentation with another challenge must fail: {report}");
    let failing: Vec<&Value> = report["checks"].as_array().unwrap().iter().filter(|c| c["status"] != "valid").collect();
    let codes: Vec<&str> = failing.iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["PROOF_CHALLENGE_MISMATCH", "PRESENTATION_UNVERIFIED"], "{report}");

    // And vc-js accepts it with the right challenge, given the issuer's DID document as served.
    let document = issuer.get_json("/issuers/college/did.json");
    let responses = Peer::new().batch(vec![
        json!({"op": "verify", "document": presentation, "challenge": "c-7f3a91", "domain": "hr.example.com", "documents": {did.clone(): document}}),
        json!({"op": "verify", "document": presentation, "challenge": "c-replayed", "domain": "hr.example.com", "documents": {did: document}}),
    ]);
    assert_eq!(responses[0]["verified"], true, "vc-js: {}", responses[0]);
    assert_eq!(responses[1]["verified"], false, "vc-js: {}", responses[1]);
}
