//! Accolade's end-to-end tests: one integration-test binary (house style), one module per area.
//!
//! - `interop`: Accolade against Digital Bazaar's vc-js (`interop/peer.mjs`) over the unsigned
//!   fixtures in `fixtures/interop/`: canonical N-Quads, signatures both ways, tampering.
//! - `onedtech`: the 1EdTech Open Badges 3.0 and CLR 2.0 signed test vectors.
//! - `services`: the real `accolade-issuer` and `accolade-verifier` binaries on loopback, against
//!   each other and against vc-js.
//! - `status`: Bitstring Status List v1.0 with Digital Bazaar's `vc-bitstring-status-list`: a
//!   revocation at `accolade-issuer` read by its `decodeList`, and its signed lists read by our
//!   `StatusListClient` (a foreign issuer's list refused).
//! - `wallet`: `accolade-wallet` with the issuer and the verifier: import, offline verification,
//!   revocation, presentations with challenge and domain.
//! - `page`: the employer's verification page in headless Chromium (playwright-core,
//!   `browser/page-check.mjs`): link, upload, paste, Arabic, keyboard, no JavaScript, and an
//!   axe-core WCAG 2.2 AA audit. Needs `bash scripts/setup-browser.sh`.
//!
//! The interop tests need Node.js and the peer's packages: `bash scripts/setup-node.sh`.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod interop;
mod onedtech;
mod page;
mod services;
mod status;
mod wallet;
