//! # accolade-core
//!
//! The credential library that Accolade's issuer, verifier and wallet share: the data model of
//! W3C Verifiable Credentials 2.0, Open Badges 3.0 and CLR 2.0; the pinned JSON-LD contexts; a
//! JSON-LD 1.1 processor and RDF Dataset Canonicalization; Data Integrity proofs
//! (`eddsa-rdfc-2022`, `eddsa-jcs-2022`, legacy `Ed25519Signature2020`) and VC-JOSE; Ed25519
//! keys, `did:key` and `did:web`; and the verification engine with its report.
//!
//! No HTTP server, database or CLI lives here, and nothing is fetched: contexts are bundled, and
//! `did:web` documents or status lists come through traits ([`did::Fetcher`],
//! [`verify::StatusChecker`]) that the services implement with their guarded client.
//!
//! ```
//! use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
//! use accolade_core::keys::SigningKey;
//! use accolade_core::proof::{add_proof, Cryptosuite, ProofOptions};
//! use accolade_core::verify::Verifier;
//!
//! let key = SigningKey::generate();
//! let badge = serde_json::json!({
//!     "@context": ["https://www.w3.org/ns/credentials/v2",
//!                  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
//!     "id": "urn:uuid:2f6e2c8a-6d2b-4f0e-9f4e-1c2b3a4d5e6f",
//!     "type": ["VerifiableCredential", "OpenBadgeCredential"],
//!     "issuer": {"id": did_key(&key.public()), "type": ["Profile"], "name": "Example College"},
//!     "validFrom": "2024-01-01T00:00:00Z",
//!     "name": "First Aid",
//!     "credentialSubject": {
//!         "type": ["AchievementSubject"],
//!         "achievement": {"id": "urn:uuid:9b1d2c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e", "type": ["Achievement"],
//!                         "name": "First Aid", "description": "Basic first aid.",
//!                         "criteria": {"narrative": "Passed the practical test."}}
//!     }
//! });
//! let resolver = StandardResolver::offline();
//! let options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
//! let signed = add_proof(&badge, &key, &options, &resolver).unwrap();
//!
//! let report = Verifier::new(&resolver).verify_credential(&signed);
//! assert!(report.verified);
//!
//! let mut forged = signed.clone();
//! forged["name"] = "Brain Surgery".into();
//! assert!(!Verifier::new(&resolver).verify_credential(&forged).verified);
//! ```
#![forbid(unsafe_code)]

pub mod bake;
pub mod canon;
pub mod contexts;
pub mod dataset;
pub mod did;
#[cfg(feature = "fetch")]
pub mod fetch;
mod hash;
pub mod jcs;
pub mod jose;
pub mod jsonld;
pub mod keys;
pub mod model;
pub mod proof;
pub mod rdf;
pub mod rdfc;
pub mod schema;
pub mod status;
pub mod verify;
