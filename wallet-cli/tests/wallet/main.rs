//! accolade-wallet's one integration-test binary: snapshot tests of every command (trycmd, in
//! `tests/cmd/`), durability under `kill -9`, and backup/restore round trips.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod durability;

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
