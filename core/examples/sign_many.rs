//! Signs one credential file many times with `eddsa-rdfc-2022` (or the suite named third, e.g.
//! `eddsa-jcs-2022`): a steady workload for profilers.
//!
//! ```text
//! cargo build --release -p accolade-core --example sign_many
//! valgrind --tool=callgrind target/release/examples/sign_many fixtures/interop/06-ob3-full.json 50
//! ```

use accolade_core::did::{did_key_method_id, StandardResolver};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, Cryptosuite, ProofOptions};

#[path = "../benches/support/fixture.rs"]
mod fixture;

/// The allocator our binaries use (see `verifier/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: sign_many FILE [N]")?;
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let suite = match args.next().as_deref() {
        None | Some("eddsa-rdfc-2022") => Cryptosuite::EddsaRdfc2022,
        Some("eddsa-jcs-2022") => Cryptosuite::EddsaJcs2022,
        Some(other) => return Err(format!("unknown suite {other}").into()),
    };
    let key = SigningKey::from_seed(&[7; 32]);
    let doc = fixture::issued_by(serde_json::from_str(&std::fs::read_to_string(path)?)?, &key);
    let resolver = StandardResolver::offline();
    let mut options = ProofOptions::assertion(suite, did_key_method_id(&key.public()));
    options.created = Some("2024-01-01T00:00:00Z".into());
    for _ in 0..n {
        std::hint::black_box(add_proof(&doc, &key, &options, &resolver)?);
    }
    Ok(())
}
