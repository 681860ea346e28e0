//! Signs a sample Open Badges 3.0 credential with a fresh did:key and verifies it, then shows
//! what a verifier reports when one word of the signed badge is changed.
//!
//! ```text
//! cargo run -p accolade-core --example sign_and_verify [-- BADGE.json]
//! ```
//! Without an argument it uses `fixtures/badges/sample-badge.json`; the badge's `issuer.id` is
//! replaced by the new key's DID.

use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, Cryptosuite, ProofOptions};
use accolade_core::verify::Verifier;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/badges/sample-badge.json").to_owned());
    let mut badge: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;

    let key = SigningKey::generate();
    let issuer = did_key(&key.public());
    match badge.get_mut("issuer") {
        Some(serde_json::Value::Object(profile)) => {
            profile.insert("id".into(), issuer.clone().into());
        }
        _ => badge["issuer"] = issuer.clone().into(),
    }
    let resolver = StandardResolver::offline();
    let options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
    let signed = add_proof(&badge, &key, &options, &resolver)?;
    println!("Signed credential:\n{}\n", serde_json::to_string_pretty(&signed)?);

    let verifier = Verifier::new(&resolver);
    let report = verifier.verify_credential(&signed);
    println!("Verification report:\n{}\n", serde_json::to_string_pretty(&report.to_json())?);

    let mut tampered = signed.clone();
    tampered["name"] = "Brain Surgeon — Level 9".into();
    let report = verifier.verify_credential(&tampered);
    println!("After changing the badge's name, verified = {}:", report.verified);
    for check in &report.checks {
        println!(
            "  {:<10} {:<13} {}",
            format!("{:?}", check.check).to_lowercase(),
            format!("{:?}", check.status).to_lowercase(),
            check.message
        );
    }
    Ok(())
}
