//! The issuer's integration tests: the router on a real SQLite store, the store suite on SQLite
//! and a real PostgreSQL server, and the `accolade-issuer` binary (batches, `kill -9`).

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod api;
mod batch;
mod cli;
mod status;
mod store;
mod support;
