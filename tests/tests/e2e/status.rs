//! Bitstring Status List v1.0 both ways with Digital Bazaar's `@digitalbazaar/vc-bitstring-status-list`
//! (through `interop/peer.mjs`, ops `statusRead` and `statusCreate`):
//!
//! - ours read by theirs: a list served by the real `accolade-issuer serve` after a revocation is
//!   decoded by the library's `decodeList` (§3.4) with exactly the revoked bit set, holds at least
//!   131,072 entries (§3.2 step 9), and its proof verifies in vc-js;
//! - theirs read by ours: a list built by the library's `createList`/`createCredential` and signed
//!   by vc-js with `eddsa-rdfc-2022` is read by [`StatusListClient`] (§3.2), bit for bit, and one
//!   signed by another issuer is refused.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};

use accolade_core::did::{did_key, Fetcher, StandardResolver};
use accolade_core::keys::SigningKey;
use accolade_core::status::{StatusCheckError, StatusListClient, MIN_ENTRIES};
use accolade_core::verify::StatusOutcome;
use accolade_tests::{w3c_test_key, IssuerProcess, Peer};

const LIST_URL: &str = "https://status.example/lists/1";

/// Awards `first-aid` of the issuer `tenant` to `name`.
fn award(issuer: &IssuerProcess, tenant: &str, name: &str) -> Value {
    issuer.post(
        &format!("/admin/issuers/{tenant}/awards"),
        &json!({"achievement": "first-aid", "recipient": {"name": name, "email": format!("{}@example.org", name.to_lowercase().replace(' ', "."))}}),
    )
}

/// Status lists by URL, served from memory.
struct Lists(HashMap<String, Vec<u8>>);

impl Fetcher for Lists {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        self.0.get(url).cloned().ok_or_else(|| format!("no list at {url}"))
    }
}

fn client(lists: &[(&str, &Value)]) -> StatusListClient {
    let lists = lists.iter().map(|(url, list)| (url.to_string(), serde_json::to_vec(list).unwrap())).collect();
    StatusListClient::new(Arc::new(Lists(lists)), Arc::new(StandardResolver::offline()))
}

fn entry(index: &str, list: &str) -> Value {
    json!({
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": index,
        "statusListCredential": list,
    })
}

#[test]
fn a_revocation_at_our_issuer_reads_in_digital_bazaars_status_list_library() {
    let issuer = IssuerProcess::start();
    let did = issuer.add_issuer("web-uni", "web");
    let revoked = award(&issuer, "web-uni", "Amina Yusuf");
    let other = award(&issuer, "web-uni", "Tomasz Nowak");
    let revoked_id = revoked["id"].as_str().unwrap();
    let answer =
        issuer.post(&format!("/admin/credentials/{revoked_id}/status"), &json!({"action": "revoke", "reason": "x"}));
    assert_eq!(answer["status"]["revoked"], true, "{answer}");

    // Open Badges credentials carry one status entry, an object.
    let status = |issued: &Value| issued["verifiableCredential"]["credentialStatus"].clone();
    let (revoked_status, other_status) = (status(&revoked), status(&other));
    for s in [&revoked_status, &other_status] {
        assert_eq!(s["type"], "BitstringStatusListEntry", "{s}");
        assert_eq!(s["statusPurpose"], "revocation", "{s}");
    }
    let list_url = revoked_status["statusListCredential"].as_str().unwrap();
    assert_eq!(other_status["statusListCredential"], list_url, "both awards should share one list");
    let index = |s: &Value| s["statusListIndex"].as_str().unwrap().to_owned();
    let (revoked_index, other_index) = (index(&revoked_status), index(&other_status));
    assert_ne!(revoked_index, other_index);

    let list = issuer.get_json(list_url);
    let did_document = issuer.get_json("/issuers/web-uni/did.json");
    let responses = Peer::new().batch(vec![
        json!({"op": "statusRead", "credential": list, "indexes": [revoked_index, other_index]}),
        json!({"op": "verify", "document": list, "documents": {did.clone(): did_document}}),
    ]);
    let read = &responses[0];
    assert_eq!(read["bits"], json!({revoked_index.clone(): 1, other_index.clone(): 0}), "{read}");
    let length = read["length"].as_u64().unwrap_or_else(|| panic!("no length: {read}"));
    assert!(length >= MIN_ENTRIES as u64, "the list holds {length} bits, fewer than {MIN_ENTRIES}");
    assert_eq!(responses[1]["verified"], true, "vc-js does not verify our list: {}", responses[1]);
    assert_eq!(list["issuer"], json!(did), "the list's issuer is the credential's");
}

#[test]
fn a_list_made_by_digital_bazaars_library_reads_in_our_status_client() {
    let key = w3c_test_key();
    let did = key.verification_method().split('#').next().unwrap().to_owned();
    // Another key, and so another did:key issuer, whose list must not speak for `did`.
    let stranger = SigningKey::from_seed(&[7; 32]);
    let stranger_did = did_key(&stranger.public());
    let stranger_key = json!({
        "publicKeyMultibase": stranger.public().to_multibase(),
        "secretKeyMultibase": stranger.to_multibase().as_str(),
    });
    let foreign_url = "https://status.example/lists/foreign";
    let create = |id: &str, issuer: &str, key: Value| {
        json!({
            "op": "statusCreate", "id": id, "issuer": issuer, "statusPurpose": "revocation",
            "length": 131_072, "set": [42, 131_071], "key": key,
        })
    };
    let mut responses = Peer::new()
        .batch(vec![create(LIST_URL, &did, key.peer_json()), create(foreign_url, &stranger_did, stranger_key)]);
    let documents: Vec<Value> = responses
        .iter_mut()
        .map(|r| r.get_mut("document").map(Value::take).unwrap_or_else(|| panic!("statusCreate failed: {r}")))
        .collect();
    let (list, foreign) = (&documents[0], &documents[1]);
    assert_eq!(list["proof"]["cryptosuite"], "eddsa-rdfc-2022", "{list}");

    let client = client(&[(LIST_URL, list), (foreign_url, foreign)]);
    let credential = json!({"issuer": did, "type": ["VerifiableCredential"]});
    let outcome = |index: &str| {
        client.status(&credential, &entry(index, LIST_URL)).unwrap_or_else(|e| panic!("index {index}: {e}"))
    };
    let set = StatusOutcome::Set { purpose: "revocation".into(), message: None };
    let clear = StatusOutcome::Clear { purpose: "revocation".into() };
    assert_eq!(outcome("42"), set);
    assert_eq!(outcome("43"), clear);
    assert_eq!(outcome("131071"), set);
    assert_eq!(outcome("0"), clear);

    // Signed and well formed, but by someone else than the credential's issuer.
    match client.status(&credential, &entry("42", foreign_url)) {
        Err(StatusCheckError::IssuerMismatch { list_issuer, credential_issuer, .. }) => {
            assert_eq!(list_issuer, stranger_did);
            assert_eq!(credential_issuer, did);
        }
        other => panic!("a list signed by {stranger_did} was not refused as IssuerMismatch: {other:?}"),
    }
}
