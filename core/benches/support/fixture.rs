//! The credential files the benchmarks sign, shared by the criterion suite (`benches/proofs.rs`),
//! `examples/stages.rs` and `examples/sign_many.rs` so that all time the same credential.

use accolade_core::did::did_key;
use accolade_core::keys::SigningKey;
use serde_json::Value;

/// `doc` issued by `key`'s `did:key`: the issuer's `id` when the issuer is a profile object (its
/// other properties stay, and are signed), or the issuer itself when it is a bare IRI.
pub fn issued_by(mut doc: Value, key: &SigningKey) -> Value {
    let issuer = did_key(&key.public());
    match doc.get_mut("issuer") {
        Some(Value::Object(profile)) => {
            profile.insert("id".into(), issuer.into());
        }
        _ => doc["issuer"] = issuer.into(),
    }
    doc
}
