//! accolade-verifier's one integration-test binary: the command line (trycmd snapshots) and the
//! HTTP API (through the router, and over a real socket).

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod api;
mod cli;
mod page;
mod status;
