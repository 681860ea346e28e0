//! Signs and verifies one credential with spruceid's `ssi` (0.16) and the `eddsa-rdfc-2022`
//! cryptosuite, offline, and prints the mean time per operation.
//!
//!   accolade-bench-ssi FILE [ITERATIONS=50] [WARMUP=5]
//!
//! Output, one line per operation, mean microseconds per operation:
//!
//!   ssi eddsa-rdfc-2022 sign 1234.5
//!   ssi eddsa-rdfc-2022 verify 1234.5
//!
//! The key is the W3C vc-di-eddsa test key (the one `interop/bench.mjs` uses), its issuer the
//! matching `did:key`, resolved locally. JSON-LD contexts come from ssi's static set and, for the
//! 1EdTech contexts ssi does not ship, from the copies pinned in `contexts/`; nothing is fetched.
//! ssi 0.16 has no `eddsa-jcs-2022` suite, so only `eddsa-rdfc-2022` is measured.

use std::{collections::HashMap, hint::black_box, process::ExitCode, time::Instant};

use serde_json::Value;
use ssi::{
    claims::{
        data_integrity::{AnyDataIntegrity, AnyInputSuiteOptions, AnySuite, CryptographicSuite, ProofOptions},
        vc::v2::JsonCredential,
        SignatureEnvironment, VerificationParameters,
    },
    dids::{DIDKey, VerificationMethodDIDResolver},
    json_ld::ContextLoader,
    verification_methods::{AnyMethod, SingleSecretSigner},
    JWK,
};

const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

/// The W3C vc-di-eddsa test key pair (`TestVectors/keyPair.json`) as a JWK: `d` is the 32-byte
/// seed of `secretKeyMultibase` z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq, `x` the public
/// key of `publicKeyMultibase` z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2.
const TEST_KEY_X: &str = "sA2Nk45_dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8";
const TEST_KEY_D: &str = "yW756hDF5BTEcXI6_53nLDX6W3D66X6IMuysfS4rjtY";
const TEST_KEY_DID: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

/// Fixed proof creation time, as in `interop/bench.mjs`.
const CREATED: &str = "2024-01-01T00:00:00Z";

/// Contexts ssi 0.16 does not ship, from the copies accolade-core pins (`contexts/`, see
/// `contexts/SOURCES.md`). ssi's own static loader is consulted first, so a URL it knows (the
/// credentials v2 context, for instance) is served from ssi's copy, not from this list.
const CONTEXTS: &[(&str, &str)] = &[
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        include_str!("../../../contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        include_str!("../../../contexts/ob-v3p0-context-3.0.2.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        include_str!("../../../contexts/ob-v3p0-context-3.0.1.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        include_str!("../../../contexts/ob-v3p0-extensions.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        include_str!("../../../contexts/clr-v2p0-context-2.0.1.json"),
    ),
    ("https://purl.imsglobal.org/spec/clr/v2p0/context.json", include_str!("../../../contexts/clr-v2p0-context.json")),
    (
        "https://www.w3.org/ns/credentials/undefined-terms/v2",
        include_str!("../../../contexts/credentials-undefined-terms-v2.jsonld"),
    ),
];

/// Optional: where to write the credential ssi signed, for checking it with another verifier.
const SIGNED_OUT_VAR: &str = "ACCOLADE_BENCH_SSI_SIGNED";

fn usage(message: &str) -> ExitCode {
    eprintln!("{message}\nusage: accolade-bench-ssi FILE [ITERATIONS=50] [WARMUP=5]");
    ExitCode::from(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        return usage("missing FILE");
    };
    let iterations = match args.get(1).map_or(Ok(50), |s| s.parse::<usize>()) {
        Ok(n) if n > 0 => n,
        _ => return usage("ITERATIONS must be an integer > 0"),
    };
    let warmup = match args.get(2).map_or(Ok(5), |s| s.parse::<usize>()) {
        Ok(n) => n,
        Err(_) => return usage("WARMUP must be an integer >= 0"),
    };
    match run(file, iterations, warmup).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("accolade-bench-ssi: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(file: &str, iterations: usize, warmup: usize) -> Result<(), String> {
    // Key, DID and verification method.
    let jwk: JWK = serde_json::from_value(serde_json::json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "x": TEST_KEY_X,
        "d": TEST_KEY_D,
    }))
    .map_err(|e| format!("test key: {e}"))?;
    let vm_url = DIDKey::generate_url(&jwk).map_err(|e| format!("did:key of the test key: {e:?}"))?;
    let vm_string = vm_url.to_string();
    let did = vm_string.split('#').next().unwrap_or_default().to_owned();
    if did != TEST_KEY_DID {
        return Err(format!("ssi derived {did} from the test key, expected {TEST_KEY_DID}"));
    }

    // The unsigned credential, issued by that DID.
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let mut document: Value = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
    let Value::Object(object) = &mut document else {
        return Err(format!("{file}: not a JSON object"));
    };
    object.remove("proof");
    match object.get_mut("issuer") {
        Some(Value::Object(issuer)) => {
            issuer.insert("id".to_owned(), Value::String(did.clone()));
        }
        _ => {
            object.insert("issuer".to_owned(), Value::String(did.clone()));
        }
    }
    let credential: JsonCredential =
        serde_json::from_value(document).map_err(|e| format!("{file}: not a VC 2.0 credential ssi accepts: {e}"))?;

    // Offline environment: contexts, did:key resolver, signer.
    let pinned: HashMap<String, String> =
        CONTEXTS.iter().map(|(url, text)| ((*url).to_owned(), (*text).to_owned())).collect();
    let loader =
        ContextLoader::default().with_context_map_from(pinned).map_err(|e| format!("pinned contexts: {e:?}"))?;
    let resolver = VerificationMethodDIDResolver::<DIDKey, AnyMethod>::new(DIDKey);
    let signer = SingleSecretSigner::new(jwk).into_local();
    let mut options: ProofOptions<AnyMethod, AnyInputSuiteOptions> =
        ProofOptions::from_method(vm_url.into_iri().into());
    options.created = Some(CREATED.parse().map_err(|_| format!("{CREATED} is not a date-time stamp"))?);

    // One signature, with the JSON-LD loader above (`sign` would use ssi's static contexts only).
    macro_rules! sign {
        ($credential:expr) => {
            AnySuite::EdDsaRdfc2022.sign_with(
                SignatureEnvironment { json_ld_loader: &loader, eip712_loader: () },
                $credential,
                &resolver,
                &signer,
                options.clone(),
                Default::default(),
            )
        };
    }

    // Sign once, check the proof, and hand the verifier what it would receive: the signed JSON,
    // parsed back.
    let signed = sign!(credential.clone()).await.map_err(|e| format!("ssi could not sign: {e:?}"))?;
    let signed_json = serde_json::to_string_pretty(&signed).map_err(|e| format!("serialize: {e}"))?;
    let signed_value: Value = serde_json::from_str(&signed_json).map_err(|e| format!("reparse: {e}"))?;
    let proof = match signed_value.get("proof") {
        Some(Value::Array(proofs)) if proofs.len() == 1 => &proofs[0],
        Some(proof @ Value::Object(_)) => proof,
        other => return Err(format!("expected one proof, got {other:?}")),
    };
    if proof.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE)
        || proof.get("verificationMethod").and_then(Value::as_str) != Some(vm_string.as_str())
        || proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod")
    {
        return Err(format!("unexpected proof: {proof}"));
    }
    if let Ok(path) = std::env::var(SIGNED_OUT_VAR) {
        std::fs::write(&path, format!("{signed_json}\n")).map_err(|e| format!("{path}: {e}"))?;
    }
    let received: AnyDataIntegrity<JsonCredential> =
        serde_json::from_str(&signed_json).map_err(|e| format!("ssi cannot parse the credential it signed: {e}"))?;

    let params = VerificationParameters::from_resolver(&resolver).with_json_ld_loader(&loader);

    // One verification of the parsed credential: canonicalize, hash, resolve the did:key, check
    // the signature, then ssi's claim checks (validity period).
    macro_rules! verify {
        () => {
            match received.verify(&params).await {
                Ok(Ok(_)) => {}
                Ok(Err(invalid)) => return Err(format!("ssi rejected the credential it signed: {invalid:?}")),
                Err(e) => return Err(format!("ssi could not verify the credential it signed: {e:?}")),
            }
        };
    }
    // Fail before timing anything if ssi cannot verify its own signature.
    verify!();

    // Sign: the inputs are cloned before the clock starts, since signing consumes them.
    let mut inputs = vec![credential; warmup + iterations];
    for _ in 0..warmup {
        let input = inputs.pop().expect("one input per round");
        black_box(sign!(input).await.map_err(|e| format!("ssi could not sign: {e:?}"))?);
    }
    let start = Instant::now();
    for _ in 0..iterations {
        let input = inputs.pop().expect("one input per round");
        black_box(sign!(input).await.map_err(|e| format!("ssi could not sign: {e:?}"))?);
    }
    let sign_us = start.elapsed().as_secs_f64() * 1e6 / iterations as f64;

    // Verify.
    for _ in 0..warmup {
        verify!();
    }
    let start = Instant::now();
    for _ in 0..iterations {
        verify!();
    }
    let verify_us = start.elapsed().as_secs_f64() * 1e6 / iterations as f64;

    println!("ssi {CRYPTOSUITE} sign {sign_us:.1}");
    println!("ssi {CRYPTOSUITE} verify {verify_us:.1}");
    Ok(())
}
