//! The W3C RDF Dataset Canonicalization (RDFC-1.0) test suite, run against
//! [`accolade_core::rdfc`].
//!
//! Source: `github:w3c/rdf-canon@15619df2fda7a4ca88308733789b6774517f9638:tests/`, copied to
//! `shared/conformance/w3c-rdf-canon-tests` (see `shared/conformance/MANIFEST.txt`). Every entry
//! of its `manifest.jsonld` runs:
//!
//! - `rdfc:RDFC10EvalTest`: the canonical N-Quads must equal the expected `.nq` byte for byte;
//! - `rdfc:RDFC10MapTest`: the issued identifiers map must equal the expected JSON object;
//! - `rdfc:RDFC10NegativeEvalTest`: canonicalization must stop with
//!   [`CanonError::WorkLimitExceeded`] under the default work limit.
//!
//! `hashAlgorithm` (`SHA256`, `SHA384`) is honoured where given.
//!
//! Skipped tests: none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use accolade_core::rdf::parse_nquads;
use accolade_core::rdfc::{canonicalize_with, CanonError, CanonOptions, HashAlgorithm};
use serde_json::Value;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/w3c-rdf-canon-tests")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Runs one manifest entry; `Err` carries the reason it failed.
fn run_entry(dir: &Path, entry: &Value) -> Result<(), String> {
    let kind = entry["type"].as_str().ok_or("entry without a type")?;
    let action = entry["action"].as_str().ok_or("entry without an action")?;
    let hash_algorithm = match entry.get("hashAlgorithm").and_then(Value::as_str) {
        None | Some("SHA256") => HashAlgorithm::Sha256,
        Some("SHA384") => HashAlgorithm::Sha384,
        Some(other) => return Err(format!("unknown hashAlgorithm {other}")),
    };
    let options = CanonOptions::default().with_hash_algorithm(hash_algorithm);
    let input = parse_nquads(&read(&dir.join(action))).map_err(|e| format!("parse: {e}"))?;
    let result = canonicalize_with(&input, &options);
    let expected = || -> Result<String, String> {
        let path = entry["result"].as_str().ok_or("entry without a result")?;
        Ok(read(&dir.join(path)))
    };
    match kind {
        "rdfc:RDFC10EvalTest" => {
            let dataset = result.map_err(|e| format!("canonicalize: {e}"))?;
            let expected = expected()?;
            if dataset.nquads() == expected {
                Ok(())
            } else {
                Err(format!("got\n{}expected\n{expected}", dataset.nquads()))
            }
        }
        "rdfc:RDFC10MapTest" => {
            let dataset = result.map_err(|e| format!("canonicalize: {e}"))?;
            let expected: BTreeMap<String, String> =
                serde_json::from_str(&expected()?).map_err(|e| format!("result JSON: {e}"))?;
            let got: BTreeMap<String, String> = dataset.issued_identifiers().iter().cloned().collect();
            if got == expected {
                Ok(())
            } else {
                Err(format!("got {got:?}, expected {expected:?}"))
            }
        }
        "rdfc:RDFC10NegativeEvalTest" => match result {
            Err(CanonError::WorkLimitExceeded { .. }) => Ok(()),
            Err(other) => Err(format!("failed with {other}, not the work limit")),
            Ok(_) => Err("canonicalized a poison graph".to_owned()),
        },
        other => Err(format!("unknown test type {other}")),
    }
}

#[test]
fn w3c_rdfc10_suite() {
    let dir = suite_dir();
    let manifest: Value = serde_json::from_str(&read(&dir.join("manifest.jsonld"))).expect("manifest.jsonld is JSON");
    let entries = manifest["entries"].as_array().expect("manifest has entries");
    let skipped = 0;
    let mut passed = 0;
    let mut failures = Vec::new();
    for entry in entries {
        let id = entry["id"].as_str().unwrap_or("?");
        match run_entry(&dir, entry) {
            Ok(()) => passed += 1,
            Err(reason) => failures.push(format!("{id} ({}): {reason}", entry["name"])),
        }
    }
    eprintln!("rdfc-1.0: {passed} passed, {} failed, {skipped} skipped", failures.len());
    assert!(entries.len() >= 86, "manifest lists {} entries; the pinned suite has 86", entries.len());
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}
