//! Times the stages of an `eddsa-rdfc-2022` signature on one credential file, one after another
//! in rounds, so that a change to one stage can be measured on a noisy machine: the JSON-LD walk
//! to a dataset, RDFC-1.0 on that dataset, SHA-256 of the canonical document, the Ed25519
//! signature, the proof configuration's canonical form, a copy of the document (which
//! `add_proof` makes, and `add_proof_owned` does not), base58 of a proof value, and the whole
//! `add_proof` and `add_proof_owned`. Then, in the same rounds, the whole of the other
//! operations the benchmarks time: verifying the `eddsa-rdfc-2022` proof, Ed25519
//! verification, signing and verifying with `eddsa-jcs-2022` and as a `vc+jwt`, and the whole
//! verification engine on the rdfc-signed and the JWT credential. Prints the
//! fastest round of each, in µs per operation: on this machine, whose speed changes within
//! minutes, the fastest of interleaved rounds compares far more steadily than criterion's
//! medians of runs minutes apart.
//!
//! ```text
//! cargo run --release -p accolade-core --example stages -- fixtures/interop/06-ob3-full.json 300
//! ```
//!
//! A third argument, a stage's name, runs that stage alone (for `perf record`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use accolade_core::contexts::StaticLoader;
use accolade_core::did::{did_key_method_id, StandardResolver};
use accolade_core::jose;
use accolade_core::jsonld::{Options, Processor};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{
    add_proof, add_proof_owned, verify_proofs, Cryptosuite, Expectations, Outcome, ProofOptions,
};
use accolade_core::verify::{Check, Status, Verifier};
use serde_json::Value;
use sha2::{Digest, Sha256};

#[path = "../benches/support/fixture.rs"]
mod fixture;

/// A stage's name, and how long `n` runs of it take.
type Stage<'a> = (&'static str, Box<dyn Fn(u32) -> Duration + 'a>);

/// A signature as the issuer makes one, of a credential it has just built: each run signs a copy
/// of `doc` made just before it (so in the cache, as a credential just built is), and neither
/// the copy nor dropping the result is timed.
fn on_fresh_copies<'a, T>(doc: &'a Value, sign: impl Fn(Value) -> T + 'a) -> Box<dyn Fn(u32) -> Duration + 'a> {
    Box::new(move |n| {
        (0..n)
            .map(|_| {
                let input = doc.clone();
                let start = Instant::now();
                let signed = sign(black_box(input));
                let elapsed = start.elapsed();
                drop(black_box(signed));
                elapsed
            })
            .sum()
    })
}

/// A stage timed as a whole: `n` runs of `run` back to back.
fn looped<'a>(run: impl Fn() + 'a) -> Box<dyn Fn(u32) -> Duration + 'a> {
    Box::new(move |n| {
        let start = Instant::now();
        for _ in 0..n {
            run();
        }
        start.elapsed()
    })
}

/// The allocator our binaries use (see `verifier/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: stages FILE [N [STAGE]]")?;
    let n: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(300);
    let only = args.next();
    let key = SigningKey::from_seed(&[7; 32]);
    let doc = fixture::issued_by(serde_json::from_str(&std::fs::read_to_string(path)?)?, &key);
    let resolver = StandardResolver::offline();
    let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
    options.created = Some("2024-01-01T00:00:00Z".into());

    let loader = StaticLoader::new();
    let processor = Processor::new(&loader, Options::default());
    let dataset = processor.to_dataset(&doc)?;
    let canonical = accolade_core::rdfc::canonicalize_dataset(&dataset)?;
    let config = serde_json::json!({
        "@context": doc["@context"].clone(),
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2024-01-01T00:00:00Z",
        "verificationMethod": did_key_method_id(&key.public()),
        "proofPurpose": "assertionMethod",
    });
    let vm = did_key_method_id(&key.public());
    let signed = add_proof(&doc, &key, &options, &resolver)?;
    let mut jcs = options.clone();
    jcs.cryptosuite = Cryptosuite::EddsaJcs2022;
    let signed_jcs = add_proof(&doc, &key, &jcs, &resolver)?;
    let expect = Expectations::default();
    let signature = key.sign(&[0u8; 64]);
    let jwt = jose::sign_vc_jwt(&doc, &key, &vm)?;
    let now = chrono::Utc::now();
    let engine = Verifier::new(&resolver);
    // Every verification timed below must succeed, or a failure's shortcut would be timed.
    for secured in [&signed, &signed_jcs] {
        let reports = verify_proofs(secured, &resolver, &expect);
        if reports.is_empty() || reports.iter().any(|r| r.outcome != Outcome::Valid) {
            return Err(format!("the signed credential does not verify: {reports:?}").into());
        }
    }
    if !jose::verify(&jwt, &resolver, now)?.verified() {
        return Err("the vc+jwt does not verify".into());
    }
    // The engine here has no status client: a credential with a status entry (the full example
    // has one) gets STATUS_NOT_CHECKED and nothing is fetched. Every other check must pass.
    for report in [engine.verify_credential(&signed), engine.verify_jwt(&jwt)] {
        let passed = |c: &Check| c.status == Status::Valid || c.code == "STATUS_NOT_CHECKED";
        if !report.checks.iter().all(passed) {
            return Err(format!("the engine does not verify the credential: {:?}", report.checks).into());
        }
    }
    let stages: [Stage<'_>; 17] = [
        ("walk to dataset", looped(|| drop(black_box(processor.to_dataset(black_box(&doc)))))),
        ("RDFC-1.0", looped(|| drop(black_box(accolade_core::rdfc::canonicalize_dataset(black_box(&dataset)))))),
        (
            "SHA-256 of the document",
            looped(|| {
                black_box(Sha256::digest(black_box(canonical.as_bytes())));
            }),
        ),
        (
            "Ed25519 sign (64 bytes)",
            looped(|| {
                black_box(key.sign(black_box(&[0u8; 64])));
            }),
        ),
        ("proof configuration, canonical", looped(|| drop(black_box(accolade_core::canon::rdfc(black_box(&config)))))),
        ("copy of the document", looped(|| drop(black_box(black_box(&doc).clone())))),
        (
            "proofValue, base58",
            looped(|| drop(black_box(accolade_core::keys::encode_multibase(black_box(&[0xA5u8; 64]))))),
        ),
        ("add_proof", looped(|| drop(black_box(add_proof(black_box(&doc), &key, &options, &resolver))))),
        ("add_proof_owned", on_fresh_copies(&doc, |input| add_proof_owned(input, &key, &options, &resolver))),
        ("verify, eddsa-rdfc-2022", looped(|| drop(black_box(verify_proofs(black_box(&signed), &resolver, &expect))))),
        ("Ed25519 verify (64 bytes)", looped(|| assert!(key.public().verify(black_box(&[0u8; 64]), &signature)))),
        ("sign, eddsa-jcs-2022", on_fresh_copies(&doc, |input| add_proof_owned(input, &key, &jcs, &resolver))),
        (
            "verify, eddsa-jcs-2022",
            looped(|| drop(black_box(verify_proofs(black_box(&signed_jcs), &resolver, &expect)))),
        ),
        ("sign, vc+jwt", looped(|| drop(black_box(jose::sign_vc_jwt(black_box(&doc), &key, &vm))))),
        ("verify, vc+jwt", looped(|| drop(black_box(jose::verify(black_box(&jwt), &resolver, now))))),
        // The whole verification engine, as the verifier service runs it: contexts, schema,
        // proof, issuer and dates; the status check only notes an entry (no list is fetched).
        ("engine, eddsa-rdfc-2022", looped(|| drop(black_box(engine.verify_credential(black_box(&signed)))))),
        ("engine, vc+jwt", looped(|| drop(black_box(engine.verify_jwt(black_box(&jwt)))))),
    ];
    let mut best = [f64::MAX; 17];
    for _ in 0..7 {
        for (i, (name, stage)) in stages.iter().enumerate() {
            if only.as_deref().is_some_and(|only| only != *name) {
                continue;
            }
            best[i] = best[i].min(stage(n).as_secs_f64() * 1e6 / f64::from(n));
        }
    }
    for ((name, _), t) in stages.iter().zip(best).filter(|&(_, t)| t < f64::MAX) {
        println!("{t:9.1} µs  {name}");
    }
    Ok(())
}
