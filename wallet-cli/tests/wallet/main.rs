//! accolade-wallet's one integration-test binary: snapshot tests of every command (trycmd, in
//! `tests/cmd/`), and the wallet's life: `kill -9` during imports, backup/restore round trips, QR hand-over.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod lifecycle;

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
