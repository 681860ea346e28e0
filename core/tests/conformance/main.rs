//! accolade-core's one integration-test binary: conformance suites, one module per area, each
//! driven by the vector files in `../shared/conformance` (see its MANIFEST.txt for provenance).

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod eddsa;
mod jose;
mod jsonld;
mod rdfc;
mod status;
mod support;
