//! W3C vc-di-eddsa test vectors (`../shared/conformance/w3c-vc-di-eddsa/TestVectors`, from
//! github:w3c/vc-di-eddsa@abb673eb): canonical forms, hashes and signatures must be
//! byte-identical, signed documents must verify, and proof sets and chains must verify.

use accolade_core::canon;
use accolade_core::did::StandardResolver;
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, verify_proofs, Cryptosuite, Expectations, Outcome, ProofOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{json, text};

const DIR: &str = "w3c-vc-di-eddsa/TestVectors";

fn key_pair() -> SigningKey {
    let pair = json(&format!("{DIR}/keyPair.json"));
    SigningKey::from_multibase(pair["privateKeyMultibase"].as_str().unwrap()).unwrap()
}

fn options_from(config: &Value, suite: Cryptosuite) -> ProofOptions {
    let mut options = ProofOptions::assertion(suite, config["verificationMethod"].as_str().unwrap());
    options.created = config["created"].as_str().map(str::to_owned);
    options.id = config["id"].as_str().map(str::to_owned);
    options.previous_proof = config.get("previousProof").cloned();
    options
}

/// Runs one vector directory: `suffix` is `DataInt` or `JCS`.
fn check_vector(unsigned: &str, dir: &str, suffix: &str, suite: Cryptosuite) {
    let unsigned = json(unsigned);
    let config = json(&format!("{dir}/proofConfig{suffix}.json"));
    let (doc_c14n, proof_c14n) = match suite {
        Cryptosuite::EddsaJcs2022 => (canon::jcs(&unsigned), canon::jcs(&config)),
        _ => (canon::rdfc(&unsigned).unwrap(), canon::rdfc(&config).unwrap()),
    };
    assert_eq!(
        doc_c14n,
        text(&format!("{dir}/canonDoc{suffix}.txt")).trim_end_matches('\n').to_owned()
            + if suite == Cryptosuite::EddsaJcs2022 { "" } else { "\n" }
    );
    assert_eq!(proof_c14n.trim_end(), text(&format!("{dir}/proofCanon{suffix}.txt")).trim_end());
    let doc_hash = hex::encode(Sha256::digest(doc_c14n.as_bytes()));
    let proof_hash = hex::encode(Sha256::digest(proof_c14n.as_bytes()));
    assert_eq!(doc_hash, text(&format!("{dir}/docHash{suffix}.txt")).trim());
    assert_eq!(proof_hash, text(&format!("{dir}/proofHash{suffix}.txt")).trim());
    assert_eq!(format!("{proof_hash}{doc_hash}"), text(&format!("{dir}/combinedHash{suffix}.txt")).trim());

    let signed =
        add_proof(&unsigned, &key_pair(), &options_from(&config, suite), &StandardResolver::offline()).unwrap();
    let expected = json(&format!("{dir}/signed{suffix}.json"));
    assert_eq!(signed["proof"]["proofValue"], expected["proof"]["proofValue"]);
    assert_eq!(signed["proof"]["proofValue"].as_str().unwrap(), text(&format!("{dir}/sigBTC58{suffix}.txt")).trim());
    assert_eq!(signed, expected);

    let reports = verify_proofs(&expected, &StandardResolver::offline(), &Expectations::default());
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].outcome, Outcome::Valid, "{reports:?}");
}

#[test]
fn eddsa_rdfc_2022_alumni_vector() {
    check_vector(
        &format!("{DIR}/unsigned.json"),
        &format!("{DIR}/eddsa-rdfc-2022"),
        "DataInt",
        Cryptosuite::EddsaRdfc2022,
    );
}

#[test]
fn eddsa_rdfc_2022_employment_vector() {
    check_vector(
        &format!("{DIR}/employmentAuth.json"),
        &format!("{DIR}/eddsa-rdfc-2022/employ"),
        "DataInt",
        Cryptosuite::EddsaRdfc2022,
    );
}

#[test]
fn eddsa_jcs_2022_vector() {
    check_vector(&format!("{DIR}/unsigned.json"), &format!("{DIR}/eddsa-jcs-2022"), "JCS", Cryptosuite::EddsaJcs2022);
}

fn multi_key(n: usize) -> SigningKey {
    let pairs = json(&format!("{DIR}/proof-set-chain/multiKeyPairs.json"));
    SigningKey::from_multibase(pairs[format!("keyPair{n}")]["privateKeyMultibase"].as_str().unwrap()).unwrap()
}

#[test]
fn proof_sets_and_chains_reproduce_and_verify() {
    let dir = format!("{DIR}/proof-set-chain");
    let resolver = StandardResolver::offline();
    let unsigned = json(&format!("{dir}/unsigned.json"));
    // A proof set: two independent proofs.
    let set1 = add_proof(
        &unsigned,
        &multi_key(1),
        &options_from(&json(&format!("{dir}/proofSetConfig1.json")), Cryptosuite::EddsaRdfc2022),
        &resolver,
    )
    .unwrap();
    assert_eq!(set1, json(&format!("{dir}/signedProofSet1.json")));
    let set2 = add_proof(
        &set1,
        &multi_key(2),
        &options_from(&json(&format!("{dir}/proofSetConfig2.json")), Cryptosuite::EddsaRdfc2022),
        &resolver,
    )
    .unwrap();
    assert_eq!(set2, json(&format!("{dir}/signedProofSet2.json")));
    // A chain onto both (previousProof as an array), then onto that one (as a string).
    let chain1 = add_proof(
        &set2,
        &multi_key(3),
        &options_from(&json(&format!("{dir}/proofChainConfig1.json")), Cryptosuite::EddsaRdfc2022),
        &resolver,
    )
    .unwrap();
    assert_eq!(chain1, json(&format!("{dir}/signedProofChain1.json")));
    let chain2 = add_proof(
        &chain1,
        &multi_key(4),
        &options_from(&json(&format!("{dir}/proofChainConfig2.json")), Cryptosuite::EddsaRdfc2022),
        &resolver,
    )
    .unwrap();
    assert_eq!(chain2, json(&format!("{dir}/signedProofChain2.json")));

    for file in ["signedProofSet2.json", "signedProofChain1.json", "signedProofChain2.json"] {
        let reports = verify_proofs(&json(&format!("{dir}/{file}")), &resolver, &Expectations::default());
        assert!(reports.iter().all(|r| r.outcome == Outcome::Valid), "{file}: {reports:?}");
    }
}

#[test]
fn tampered_chain_link_is_detected() {
    let dir = format!("{DIR}/proof-set-chain");
    let mut doc = json(&format!("{dir}/signedProofChain2.json"));
    // Swap the id the last proof chains onto: its previous proof is then missing.
    doc["proof"][3]["previousProof"] = "urn:uuid:not-there".into();
    let reports = verify_proofs(&doc, &StandardResolver::offline(), &Expectations::default());
    assert_eq!(
        reports[3].outcome,
        Outcome::Invalid(accolade_core::proof::ProofFailure::MissingPreviousProof("urn:uuid:not-there".into()))
    );
    // Altering an earlier proof breaks the proofs chained onto it.
    let mut doc = json(&format!("{dir}/signedProofChain2.json"));
    doc["proof"][2]["created"] = "2023-02-26T22:06:39Z".into();
    let reports = verify_proofs(&doc, &StandardResolver::offline(), &Expectations::default());
    assert_eq!(reports[2].outcome, Outcome::Invalid(accolade_core::proof::ProofFailure::SignatureMismatch));
    assert_eq!(reports[3].outcome, Outcome::Invalid(accolade_core::proof::ProofFailure::SignatureMismatch));
    assert_eq!(reports[0].outcome, Outcome::Valid);
}
