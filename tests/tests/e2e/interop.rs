//! Cross-implementation tests against Digital Bazaar's vc-js (jsonld.js 9, rdf-canonize 5,
//! `@digitalbazaar/eddsa-rdfc-2022-cryptosuite`, `@digitalbazaar/eddsa-jcs-2022-cryptosuite`),
//! driven through `interop/peer.mjs`.
//!
//! Interoperability for Data Integrity ([vc-di-eddsa 1.0](https://www.w3.org/TR/vc-di-eddsa/)
//! §3.3 and §3.4) means byte-identical canonical forms: the canonical N-Quads each side hashes
//! must agree, and since Ed25519 is deterministic, so must the signatures. Every test runs over
//! all of `fixtures/interop/*.json`, with one node process per test (a `batch` request), and
//! reports every failing fixture before failing.

use serde_json::{json, Value};

use accolade_core::canon;
use accolade_core::did::StandardResolver;
use accolade_core::proof::{add_proof, verify_proofs, Cryptosuite, Expectations, Outcome, ProofFailure, ProofOptions};
use accolade_tests::{interop_fixtures, line_diff, w3c_test_key, Fixture, Peer, Tally, TestKey};

/// The proofs' `created`, fixed so that both sides sign the same proof configuration.
const CREATED: &str = "2024-01-01T00:00:00Z";

/// The suites both sides create.
const SUITES: [Cryptosuite; 2] = [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022];

#[test]
fn canonical_nquads_agree_with_jsonld_js() {
    let fixtures = interop_fixtures();
    let requests = fixtures.iter().map(|f| json!({"op": "canonize", "document": f.document})).collect();
    let responses = Peer::new().batch(requests);

    let mut tally = Tally::new("interop canonize");
    for (fixture, response) in fixtures.iter().zip(&responses) {
        let ours = canon::rdfc(&fixture.document);
        let theirs = response["nquads"].as_str();
        let result = match (ours, theirs) {
            (Ok(ours), Some(theirs)) if ours == theirs => Ok(()),
            (Ok(ours), Some(theirs)) => Err((
                "canonical N-Quads differ (- jsonld.js, + accolade)".to_owned(),
                format!("--- jsonld.js\n+++ accolade\n{}", line_diff(theirs, &ours)),
            )),
            (Err(e), Some(theirs)) => {
                Err((format!("accolade refuses what jsonld.js canonizes: {e}"), format!("jsonld.js:\n{theirs}")))
            }
            (Ok(ours), None) => Err((
                format!("jsonld.js refuses what accolade canonizes: {}", peer_error(response)),
                format!("accolade:\n{ours}"),
            )),
            (Err(e), None) => {
                Err((format!("both refuse it: accolade: {e}; jsonld.js: {}", peer_error(response)), String::new()))
            }
        };
        tally.record(&fixture.name, result);
    }
    tally.finish();
}

#[test]
fn we_sign_they_verify() {
    let key = w3c_test_key();
    let mut tally = Tally::new("interop we sign, they verify");
    let mut labels = Vec::new();
    let mut requests = Vec::new();
    for fixture in interop_fixtures() {
        for suite in SUITES {
            let label = label(&fixture, suite);
            match sign_ours(&fixture.document, suite, &key) {
                Ok(signed) => {
                    labels.push(label);
                    requests.push(json!({"op": "verify", "document": signed}));
                }
                Err(e) => tally.fail(&label, format!("accolade cannot sign it: {e}"), ""),
            }
        }
    }
    let responses = Peer::new().batch(requests);
    for (label, response) in labels.iter().zip(&responses) {
        if response["verified"] == json!(true) {
            tally.pass();
        } else {
            tally.fail(label, format!("vc-js does not verify it: {}", peer_error(response)), &pretty(response));
        }
    }
    tally.finish();
}

#[test]
fn they_sign_we_verify() {
    let key = w3c_test_key();
    let fixtures = interop_fixtures();
    let (labels, requests): (Vec<String>, Vec<Value>) = fixtures
        .iter()
        .flat_map(|f| SUITES.map(|suite| (label(f, suite), peer_sign_request(&f.document, suite, &key))))
        .unzip();
    let responses = Peer::new().batch(requests);

    let resolver = StandardResolver::offline();
    let mut tally = Tally::new("interop they sign, we verify");
    for (label, response) in labels.iter().zip(&responses) {
        let Some(signed) = response.get("document") else {
            tally.fail(label, format!("vc-js cannot sign it: {}", peer_error(response)), "");
            continue;
        };
        let reports = verify_proofs(signed, &resolver, &Expectations::default());
        let bad: Vec<String> = reports
            .iter()
            .filter(|r| r.outcome != Outcome::Valid)
            .map(|r| format!("proof {}: {:?}", r.index, r.outcome))
            .collect();
        if reports.is_empty() {
            tally.fail(label, "accolade reports no proof at all", "");
        } else if bad.is_empty() {
            tally.pass();
        } else {
            tally.fail(label, format!("accolade does not verify it: {}", bad.join("; ")), &pretty(&signed["proof"]));
        }
    }
    tally.finish();
}

#[test]
fn signatures_are_byte_identical() {
    let key = w3c_test_key();
    let fixtures = interop_fixtures();
    let cases: Vec<(&Fixture, Cryptosuite)> = fixtures.iter().flat_map(|f| SUITES.map(|suite| (f, suite))).collect();
    let requests = cases.iter().map(|(f, suite)| peer_sign_request(&f.document, *suite, &key)).collect();
    let responses = Peer::new().batch(requests);

    let mut tally = Tally::new("interop identical signatures");
    for ((fixture, suite), response) in cases.iter().zip(&responses) {
        let label = label(fixture, *suite);
        let theirs = match response.get("document") {
            Some(doc) => doc,
            None => {
                tally.fail(&label, format!("vc-js cannot sign it: {}", peer_error(response)), "");
                continue;
            }
        };
        let ours = match sign_ours(&fixture.document, *suite, &key) {
            Ok(doc) => doc,
            Err(e) => {
                tally.fail(&label, format!("accolade cannot sign it: {e}"), "");
                continue;
            }
        };
        let (our_proof, their_proof) = (&ours["proof"], &theirs["proof"]);
        if our_proof["proofValue"] != their_proof["proofValue"] {
            tally.fail(
                &label,
                format!(
                    "proofValue differs: accolade {} vs vc-js {}",
                    our_proof["proofValue"], their_proof["proofValue"]
                ),
                &format!("accolade proof: {}\nvc-js proof:    {}", our_proof, their_proof),
            );
        } else if canon::jcs(&without_proof(&ours)) != canon::jcs(&without_proof(theirs)) {
            // vc.issue may change the credential itself (adding a context, say); the signatures
            // would then agree only by accident, so this is reported too. Compared as JCS, since
            // JavaScript writes the number 42.0 as 42, which is the same JSON number.
            tally.fail(
                &label,
                "same proofValue, but vc-js changed the credential around it",
                &format!(
                    "--- vc-js\n+++ accolade\n{}",
                    line_diff(&pretty(&without_proof(theirs)), &pretty(&without_proof(&ours)))
                ),
            );
        } else {
            tally.pass();
        }
    }
    tally.finish();
}

/// A claim to change in a signed credential: `(fixture, JSON pointer, new value)`. Each is a
/// value that reaches the signed dataset (and, for JCS, the signed JSON).
const TAMPERINGS: &[(&str, &str, &str)] = &[
    ("01-vc2-minimal", "/credentialSubject/id", r#""did:example:someone-else""#),
    ("05-ob3-minimal", "/credentialSubject/achievement/name", r#""Badge of Something Else""#),
    ("12-ob3-identity-hashed", "/credentialSubject/identifier/1/hashed", "true"),
    ("13-ob3-credits-float", "/credentialSubject/creditsEarned", "4.5"),
    ("23-clr2-nested-credentials", "/credentialSubject/achievement/0/name", r#""Achievement 99""#),
    ("28-ob3-string-escapes", "/name", r#""plain name""#),
];

/// What vc-js (jsonld-signatures 11) says of a signature that does not match.
const VC_JS_BAD_SIGNATURE: &str = "Invalid signature.";

#[test]
fn tampered_credentials_fail_in_both() {
    let key = w3c_test_key();
    let fixtures = interop_fixtures();
    let resolver = StandardResolver::offline();
    let mut tally = Tally::new("interop tampered credentials");
    // (label, whether it was tampered with), matching the peer requests one to one.
    let mut cases: Vec<(String, bool)> = Vec::new();
    let mut requests = Vec::new();
    for (name, pointer, new_value) in TAMPERINGS {
        let Some(fixture) = fixtures.iter().find(|f| f.name == *name) else {
            tally.fail(name, "fixture not found", "");
            continue;
        };
        let new_value: Value = serde_json::from_str(new_value).expect("tampering values are JSON");
        for suite in SUITES {
            let label = format!("{} {pointer}", label(fixture, suite));
            let signed = match sign_ours(&fixture.document, suite, &key) {
                Ok(doc) => doc,
                Err(e) => {
                    tally.fail(&label, format!("accolade cannot sign it: {e}"), "");
                    continue;
                }
            };
            let mut tampered = signed.clone();
            match tampered.pointer_mut(pointer) {
                Some(slot) if *slot != new_value => *slot = new_value.clone(),
                Some(_) => panic!("{label}: the tampered value equals the original"),
                None => panic!("{label}: {pointer} is not in the fixture"),
            }

            // Ours: the untouched copy verifies (the control), the tampered one is a mismatch.
            let control: Vec<Outcome> =
                verify_proofs(&signed, &resolver, &Expectations::default()).into_iter().map(|r| r.outcome).collect();
            let outcome: Vec<Outcome> =
                verify_proofs(&tampered, &resolver, &Expectations::default()).into_iter().map(|r| r.outcome).collect();
            if control != [Outcome::Valid] {
                tally.fail(
                    &format!("{label} (accolade, untouched)"),
                    format!("the control does not verify: {control:?}"),
                    "",
                );
            } else if outcome != [Outcome::Invalid(ProofFailure::SignatureMismatch)] {
                tally.fail(
                    &format!("{label} (accolade)"),
                    format!("expected exactly [Invalid(SignatureMismatch)], got {outcome:?}"),
                    "",
                );
            } else {
                tally.pass();
            }

            cases.push((label.clone(), false));
            requests.push(json!({"op": "verify", "document": signed}));
            cases.push((label, true));
            requests.push(json!({"op": "verify", "document": tampered}));
        }
    }
    let responses = Peer::new().batch(requests);
    for ((label, tampered), response) in cases.iter().zip(&responses) {
        match (tampered, response["verified"].as_bool()) {
            (false, Some(true)) => tally.pass(),
            // Rejected, and for the right reason: the signature, not some other check.
            (true, Some(false)) if peer_error(response).contains(VC_JS_BAD_SIGNATURE) => tally.pass(),
            (true, Some(false)) => tally.fail(
                &format!("{label} (vc-js)"),
                format!("rejected, but not for its signature: {}", peer_error(response)),
                "",
            ),
            (false, _) => tally.fail(
                &format!("{label} (vc-js, untouched)"),
                format!("the control does not verify: {}", peer_error(response)),
                "",
            ),
            (true, _) => {
                tally.fail(&format!("{label} (vc-js)"), "vc-js accepts the tampered credential", &pretty(response))
            }
        }
    }
    tally.finish();
}

/// Signs `document` as the fixtures' issuer, with the fixed `created`.
fn sign_ours(document: &Value, suite: Cryptosuite, key: &TestKey) -> Result<Value, accolade_core::proof::SignError> {
    let mut options = ProofOptions::assertion(suite, key.verification_method());
    options.created = Some(CREATED.into());
    add_proof(document, &key.signing_key(), &options, &StandardResolver::offline())
}

/// The peer request that signs `document` exactly as [`sign_ours`] does.
fn peer_sign_request(document: &Value, suite: Cryptosuite, key: &TestKey) -> Value {
    json!({
        "op": "sign",
        "document": document,
        "cryptosuite": suite.as_str(),
        "key": key.peer_json(),
        "verificationMethod": key.verification_method(),
        "proofPurpose": "assertionMethod",
        "created": CREATED,
    })
}

fn label(fixture: &Fixture, suite: Cryptosuite) -> String {
    format!("{} [{}]", fixture.name, suite.as_str())
}

/// The peer's complaint: its `error`, or its verification `errors`.
fn peer_error(response: &Value) -> String {
    if let Some(error) = response.get("error").and_then(Value::as_str) {
        return error.to_owned();
    }
    match response.get("errors").and_then(Value::as_array) {
        Some(errors) if !errors.is_empty() => errors
            .iter()
            .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join("; "),
        _ => format!("unexpected answer {response}"),
    }
}

fn without_proof(document: &Value) -> Value {
    let mut document = document.clone();
    if let Some(map) = document.as_object_mut() {
        map.remove("proof");
    }
    document
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// The legacy `Ed25519Signature2020` suite is verify-only for us: vc-js signs, we verify, and a
/// changed claim is caught.
#[test]
fn legacy_ed25519_signature_2020_from_vc_js_verifies_here() {
    let key = w3c_test_key();
    let fixtures: Vec<Fixture> = interop_fixtures()
        .into_iter()
        .filter(|f| ["01-", "05-", "12-", "13-", "23-"].iter().any(|p| f.name.starts_with(p)))
        .collect();
    assert_eq!(fixtures.len(), 5, "the chosen fixtures exist");
    let requests = fixtures
        .iter()
        .map(|f| {
            json!({"op": "sign", "document": f.document, "cryptosuite": "Ed25519Signature2020",
                   "key": key.peer_json(), "created": CREATED})
        })
        .collect();
    let responses = Peer::new().batch(requests);
    let resolver = StandardResolver::offline();
    let mut tally = Tally::new("interop Ed25519Signature2020");
    for (fixture, response) in fixtures.iter().zip(&responses) {
        let Some(signed) = response.get("document") else {
            tally.fail(&fixture.name, format!("vc-js cannot sign it: {}", peer_error(response)), "");
            continue;
        };
        assert_eq!(signed["proof"]["type"], "Ed25519Signature2020");
        let reports = verify_proofs(signed, &resolver, &Expectations::default());
        let mut tampered = signed.clone();
        tampered["credentialSubject"]["id"] = "did:example:someone-else".into();
        let tampered_reports = verify_proofs(&tampered, &resolver, &Expectations::default());
        let result = match (reports.as_slice(), tampered_reports.as_slice()) {
            ([r], [t])
                if r.outcome == Outcome::Valid
                    && r.cryptosuite == Some(Cryptosuite::Ed25519Signature2020)
                    && t.outcome == Outcome::Invalid(ProofFailure::SignatureMismatch) =>
            {
                Ok(())
            }
            _ => Err((format!("genuine: {reports:?}; tampered: {tampered_reports:?}"), pretty(&signed["proof"]))),
        };
        tally.record(&fixture.name, result);
    }
    tally.finish();
}
