//! The 1EdTech signed test vectors for Open Badges 3.0 and CLR 2.0 (`eddsa-rdfc-2022`):
//! `impl-test-vectors/linked-data-proof-{ob,clr}/` with the canonical forms 1EdTech published in
//! `ob_v3p0/impl/test-vectors/{obv3p0,clrv2p0}/`. Source: the 1EdTech openbadges-specification
//! repository, copied into `shared/conformance/1edtech-openbadges-specification`.
//!
//! The vectors' issuer, `https://example.edu/issuers/565049`, is not a DID: its controller
//! document is built here from `01-multikey.json` (the public half only) and pinned in the
//! resolver, so nothing is fetched.

use std::path::PathBuf;

use serde_json::{json, Value};

use accolade_core::canon;
use accolade_core::did::{ControllerDocument, StandardResolver};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, verify_proofs, Cryptosuite, Expectations, Outcome, ProofOptions};
use accolade_tests::{conformance_dir, line_diff, read_json, read_text, Peer, Tally};

/// One 1EdTech vector: the signing steps and the published canonical forms.
struct Vector {
    /// `ob` or `clr`.
    name: &'static str,
    /// `impl-test-vectors/linked-data-proof-…`.
    steps: PathBuf,
    /// `ob_v3p0/impl/test-vectors/…`: `document-canon.txt`, `proof-canon.txt`.
    canon: PathBuf,
}

fn vectors() -> Vec<Vector> {
    let root = conformance_dir().join("1edtech-openbadges-specification");
    [("ob", "obv3p0"), ("clr", "clrv2p0")]
        .into_iter()
        .map(|(name, canon)| Vector {
            name,
            steps: root.join(format!("impl-test-vectors/linked-data-proof-{name}")),
            canon: root.join(format!("ob_v3p0/impl/test-vectors/{canon}")),
        })
        .collect()
}

impl Vector {
    /// `03-document-before-signing.json`.
    fn unsigned(&self) -> Value {
        read_json(&self.steps.join("03-document-before-signing.json"))
    }

    /// `04-proof-before-signing.json` with the document's `@context`, which is what
    /// `eddsa-rdfc-2022` canonicalizes (vc-di-eddsa §3.3.5).
    fn proof_config(&self) -> Value {
        let mut config = read_json(&self.steps.join("04-proof-before-signing.json"));
        config["@context"] = self.unsigned()["@context"].clone();
        config
    }

    /// `06-signed-credential.json`.
    fn signed(&self) -> Value {
        read_json(&self.steps.join("06-signed-credential.json"))
    }

    /// `01-multikey.json`, the key pair (with its secret).
    fn multikey(&self) -> Value {
        read_json(&self.steps.join("01-multikey.json"))
    }

    /// The issuer's controller document: the Multikey, authorised for `assertionMethod`.
    fn controller_document(&self) -> Value {
        let key = self.multikey();
        let method = json!({
            "id": key["id"],
            "type": "Multikey",
            "controller": key["controller"],
            "publicKeyMultibase": key["publicKeyMultibase"],
        });
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": key["controller"],
            "verificationMethod": [method],
            "assertionMethod": [key["id"]],
        })
    }

    fn resolver(&self) -> StandardResolver {
        let doc = ControllerDocument::from_json(&self.controller_document())
            .unwrap_or_else(|e| panic!("{}: the controller document does not parse: {e}", self.name));
        StandardResolver::offline().with_document(doc)
    }

    /// `(what, input, published canonical form)` for the document and the proof configuration.
    fn canon_cases(&self) -> Vec<(String, Value, String)> {
        vec![
            (format!("{} document", self.name), self.unsigned(), read_text(&self.canon.join("document-canon.txt"))),
            (
                format!("{} proof configuration", self.name),
                self.proof_config(),
                read_text(&self.canon.join("proof-canon.txt")),
            ),
        ]
    }
}

#[test]
fn canonical_nquads_match_1edtech_published_forms() {
    let mut tally = Tally::new("1edtech canonize (accolade)");
    for vector in vectors() {
        for (what, input, expected) in vector.canon_cases() {
            let result = match canon::rdfc(&input) {
                Ok(ours) if ours == expected => Ok(()),
                Ok(ours) => Err((
                    "canonical N-Quads differ (- 1EdTech, + accolade)".to_owned(),
                    format!("--- 1EdTech\n+++ accolade\n{}", line_diff(&expected, &ours)),
                )),
                Err(e) => Err((format!("accolade cannot canonicalize it: {e}"), String::new())),
            };
            tally.record(&what, result);
        }
    }
    tally.finish();
}

/// Triage for the test above: whether jsonld.js agrees with 1EdTech's published files, so that a
/// mismatch there points at our processor or at the vector.
#[test]
fn jsonld_js_matches_1edtech_published_forms() {
    let cases: Vec<(String, Value, String)> = vectors().iter().flat_map(Vector::canon_cases).collect();
    let requests = cases.iter().map(|(_, input, _)| json!({"op": "canonize", "document": input})).collect();
    let responses = Peer::new().batch(requests);
    let mut tally = Tally::new("1edtech canonize (jsonld.js)");
    for ((what, _, expected), response) in cases.iter().zip(&responses) {
        let result = match response["nquads"].as_str() {
            Some(theirs) if theirs == expected => Ok(()),
            Some(theirs) => Err((
                "canonical N-Quads differ (- 1EdTech, + jsonld.js)".to_owned(),
                format!("--- 1EdTech\n+++ jsonld.js\n{}", line_diff(expected, theirs)),
            )),
            None => Err((format!("jsonld.js cannot canonize it: {response}"), String::new())),
        };
        tally.record(what, result);
    }
    tally.finish();
}

#[test]
fn signed_1edtech_vectors_verify() {
    let mut tally = Tally::new("1edtech signed vectors (accolade)");
    for vector in vectors() {
        let reports = verify_proofs(&vector.signed(), &vector.resolver(), &Expectations::default());
        let outcomes: Vec<&Outcome> = reports.iter().map(|r| &r.outcome).collect();
        if !outcomes.is_empty() && outcomes.iter().all(|o| **o == Outcome::Valid) {
            tally.pass();
        } else {
            tally.fail(vector.name, format!("expected every proof valid, got {outcomes:?}"), "");
        }
    }
    tally.finish();
}

/// Ed25519 is deterministic: signing `03-document-before-signing.json` with the vector's key and
/// `created` must give the published `proofValue`.
#[test]
fn resigning_1edtech_vectors_reproduces_their_proof_value() {
    let mut tally = Tally::new("1edtech re-signing (accolade)");
    for vector in vectors() {
        let key = vector.multikey();
        let secret = key["secretKeyMultibase"].as_str().expect("01-multikey.json has secretKeyMultibase");
        let signing_key =
            SigningKey::from_multibase(secret).unwrap_or_else(|e| panic!("{}: the secret key: {e}", vector.name));
        let config = read_json(&vector.steps.join("04-proof-before-signing.json"));
        let mut options = ProofOptions::assertion(
            Cryptosuite::EddsaRdfc2022,
            config["verificationMethod"].as_str().expect("04-proof-before-signing.json has verificationMethod"),
        );
        options.created = config["created"].as_str().map(str::to_owned);
        let published = vector.signed();
        let expected = single_proof(&published)["proofValue"].clone();
        match add_proof(&vector.unsigned(), &signing_key, &options, &vector.resolver()) {
            Ok(ours) if single_proof(&ours)["proofValue"] == expected => tally.pass(),
            Ok(ours) => tally.fail(
                vector.name,
                format!("proofValue {} differs from the published {expected}", single_proof(&ours)["proofValue"]),
                "",
            ),
            Err(e) => tally.fail(vector.name, format!("accolade cannot sign it: {e}"), ""),
        }
    }
    tally.finish();
}

#[test]
fn vc_js_verifies_signed_1edtech_vectors() {
    let vectors = vectors();
    let requests = vectors
        .iter()
        .map(|v| {
            let controller = v.controller_document();
            let id = controller["id"].as_str().expect("the controller document has an id").to_owned();
            json!({"op": "verify", "document": v.signed(), "documents": {id: controller}})
        })
        .collect();
    let responses = Peer::new().batch(requests);
    let mut tally = Tally::new("1edtech signed vectors (vc-js)");
    for (vector, response) in vectors.iter().zip(&responses) {
        if response["verified"] == json!(true) {
            tally.pass();
        } else {
            tally.fail(vector.name, format!("vc-js does not verify it: {response}"), "");
        }
    }
    tally.finish();
}

/// The one proof of a signed vector (the CLR vector writes it as a one-element array).
fn single_proof(document: &Value) -> &Value {
    match &document["proof"] {
        Value::Array(items) if items.len() == 1 => &items[0],
        Value::Array(items) => panic!("expected one proof, found {}", items.len()),
        proof => proof,
    }
}
