//! Sign and verify costs of Open Badges 3.0 credentials, beside raw Ed25519.
//!
//! Signing is measured as the issuer signs: `add_proof_owned` on a credential it has just built,
//! so the copy of the credential that criterion makes before each iteration, and dropping the
//! signed result, fall outside the measurement (see `sign_owned`). (`add_proof` on a borrowed
//! credential adds a copy of it: `core/examples/stages.rs` times that copy.)
//!
//! `cargo bench -p accolade-core --bench proofs`; `scripts/bench.sh` runs this and the vc-js
//! peer on the same credentials in the same run and prints the ratios (see BENCHMARKS.md).

#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use accolade_core::did::{did_key_method_id, StandardResolver};
use accolade_core::jose::{self, sign_vc_jwt};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{
    add_proof, add_proof_owned, verify_proofs, Cryptosuite, Expectations, Outcome, ProofOptions,
};
use criterion::{criterion_group, criterion_main, BatchSize, Bencher, Criterion};
use serde_json::Value;

/// The allocator the issuer, verifier and wallet binaries use, so that these figures are what
/// they get (glibc's malloc is about 20% slower here; BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support {
    pub mod fixture;
}

fn fixture(name: &str, key: &SigningKey) -> Value {
    let path = format!("{}/../fixtures/interop/{name}", env!("CARGO_MANIFEST_DIR"));
    let doc = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture exists")).expect("fixture is JSON");
    support::fixture::issued_by(doc, key)
}

fn bench(c: &mut Criterion) {
    let key = SigningKey::from_seed(&[7; 32]);
    let resolver = StandardResolver::offline();
    let vm = did_key_method_id(&key.public());
    for (label, file) in [("ob3-minimal", "05-ob3-minimal.json"), ("ob3-full", "06-ob3-full.json")] {
        let doc = fixture(file, &key);
        for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
            let mut options = ProofOptions::assertion(suite, vm.clone());
            options.created = Some("2024-01-01T00:00:00Z".into());
            let signed = add_proof(&doc, &key, &options, &resolver).expect("fixture signs");
            // What is timed must succeed, or a failure's shortcut would be timed.
            let reports = verify_proofs(&signed, &resolver, &Expectations::default());
            assert!(reports.iter().all(|r| r.outcome == Outcome::Valid), "{label}: {reports:?}");
            c.bench_function(&format!("sign/{}/{label}", suite.as_str()), |b| {
                sign_owned(b, &doc, &key, &options, &resolver)
            });
            c.bench_function(&format!("verify/{}/{label}", suite.as_str()), |b| {
                b.iter(|| verify_proofs(black_box(&signed), &resolver, &Expectations::default()))
            });
            // The whole engine, as the verifier service runs it: parse, contexts, schema, proof,
            // issuer, dates, status (none here).
            c.bench_function(&format!("engine/{}/{label}", suite.as_str()), |b| {
                b.iter(|| accolade_core::verify::Verifier::new(&resolver).verify_credential(black_box(&signed)))
            });
        }
        // VC-JOSE: the credential as a `vc+jwt`, signed and verified (signature and claims).
        let jwt = sign_vc_jwt(&doc, &key, &vm).expect("fixture signs as a JWT");
        let now = chrono::Utc::now();
        assert!(jose::verify(&jwt, &resolver, now).expect("verifies").verified(), "{label}: the vc+jwt verifies");
        c.bench_function(&format!("sign/vc+jwt/{label}"), |b| {
            b.iter(|| sign_vc_jwt(black_box(&doc), &key, &vm).expect("signs"))
        });
        c.bench_function(&format!("verify/vc+jwt/{label}"), |b| {
            b.iter(|| jose::verify(black_box(&jwt), &resolver, now).expect("verifies"))
        });
    }
    scaling(c, &key, &resolver, &vm);
    let message = [0u8; 64];
    c.bench_function("raw-ed25519/sign", |b| b.iter(|| key.sign(black_box(&message))));
}

/// Sign cost against credential size: an OB badge with 1, 10 and 100 evidence items, and a CLR
/// with 1, 10 and 100 achievements; the cost should grow linearly.
fn scaling(c: &mut Criterion, key: &SigningKey, resolver: &StandardResolver, vm: &str) {
    let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, vm.to_owned());
    options.created = Some("2024-01-01T00:00:00Z".into());
    for n in [1usize, 10, 100] {
        let mut badge = fixture("05-ob3-minimal.json", key);
        badge["evidence"] = (0..n)
            .map(|i| {
                serde_json::json!({"id": format!("https://portfolio.example/items/{i}"), "type": ["Evidence"],
                    "name": format!("Item {i}"), "narrative": "A piece of work, assessed.", "genre": "Project"})
            })
            .collect();
        c.bench_function(&format!("scale/sign/ob3-evidence-{n}"), |b| sign_owned(b, &badge, key, &options, resolver));
        let mut clr = fixture("23-clr2-nested-credentials.json", key);
        let template = clr["credentialSubject"]["achievement"][0].clone();
        clr["credentialSubject"]["achievement"] = (0..n)
            .map(|i| {
                let mut a = template.clone();
                a["id"] = format!("urn:uuid:00000000-0000-4000-8000-{i:012}").into();
                a["name"] = format!("Achievement {i}").into();
                a
            })
            .collect();
        c.bench_function(&format!("scale/sign/clr-achievements-{n}"), |b| sign_owned(b, &clr, key, &options, resolver));
    }
}

/// Times `add_proof_owned` as the issuer runs it, on a credential it has just built: each
/// iteration signs a copy of `doc` made just before it (so in the cache, as a credential just
/// built is), and the copy and dropping the result fall outside the measurement. Copies made in
/// bulk ahead of time (`BatchSize::SmallInput`) would be signed cold from memory instead, which
/// measured 11% slower in `examples/stages.rs` (BENCHMARKS.md, stop 12).
fn sign_owned(b: &mut Bencher<'_>, doc: &Value, key: &SigningKey, options: &ProofOptions, resolver: &StandardResolver) {
    b.iter_batched(
        || doc.clone(),
        |doc| add_proof_owned(black_box(doc), key, options, resolver).expect("signs"),
        BatchSize::PerIteration,
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
