//! Snapshot tests of the `accolade-verifier` command line (trycmd): each `cmd/*.toml` case runs the
//! real binary in `cmd/`, and its `.stdout`/`.stderr` files hold the expected output.
//! `ob3-signed-by-vc-js.json` was signed by Digital Bazaar's vc-js (`interop/peer.mjs`) with the
//! W3C vc-di-eddsa test key. Regenerate expectations with `TRYCMD=overwrite`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
