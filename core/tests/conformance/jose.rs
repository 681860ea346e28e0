//! JOSE (`vc+jwt`, Open Badges 3.0 JWT) conformance.
//!
//! The shared corpus has no JOSE vectors to run: MANIFEST.txt lists the
//! `w3c-vc-jose-cose-test-suite` and `1edtech-digital-credentials-public-validator` collections
//! with file counts, but none of their files was copied, and the W3C suite's own vectors are
//! ES256/ES384 tokens made by a live test harness. [`shared_corpus_has_no_jose_vectors`] trips
//! when that changes, so that they get wired in here. Until then this module runs:
//!
//! - the published JWS vectors of RFC 8037 Appendix A.4/A.5 (EdDSA) and RFC 7515 Appendix A.2
//!   (RS256), copied from the RFC text below, through the JWS layer ([`CompactJws`]);
//! - a hand-made `vc+jwt` from the W3C vc-di-eddsa key pair and unsigned credential
//!   (`w3c-vc-di-eddsa/TestVectors/keyPair.json`, `unsigned.json`, github:w3c/vc-di-eddsa@abb673eb).
//!   Ed25519 signatures are deterministic, so the token is pinned byte for byte.

use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
use accolade_core::jose::{decode, sign_vc_jwt, verify, CompactJws, JoseError, JwtKind, KeySource};
use accolade_core::keys::SigningKey;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::support::{self, path, text};

/// RFC 8037 A.1: the Ed25519 key, as a private JWK.
const RFC8037_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
const RFC8037_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
/// RFC 8037 A.4: `{"alg":"EdDSA"}` over "Example of Ed25519 signing".
const RFC8037_JWS: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.\
    hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

/// RFC 7515 A.2.1: the RSA public key (n, e).
const RFC7515_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4\
    d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBd\
    QOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2et\
    hFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
/// RFC 7515 A.2: `{"alg":"RS256"}` over the JWT Claims Set of A.1.
const RFC7515_JWS: &str = "eyJhbGciOiJSUzI1NiJ9.\
    eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.\
    cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t\
    1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jz\
    DwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe\
    77Rw";

/// The `vc+jwt` of `w3c-vc-di-eddsa/TestVectors/unsigned.json` signed with `keyPair.json`,
/// kid the key's did:key verification method. Pinned the first time it was made, and reproduced
/// then, byte for byte, with Python's `cryptography` (Ed25519, compact JSON of the file).
const W3C_VC_JWT: &str =
    "eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6ejZNa3JKVm5hWmtlRnpkUXlNWnUxY2dqZzdrMXBaWjZwdkJRN1hKUHQ0c3di\
    VFEyI3o2TWtySlZuYVprZUZ6ZFF5TVp1MWNnamc3azFwWlo2cHZCUTdYSlB0NHN3YlRRMiIsInR5cCI6InZjK2p3dCIsImN0eSI6\
    InZjIn0.\
    eyJAY29udGV4dCI6WyJodHRwczovL3d3dy53My5vcmcvbnMvY3JlZGVudGlhbHMvdjIiLCJodHRwczovL3d3dy53My5vcmcvbnMv\
    Y3JlZGVudGlhbHMvZXhhbXBsZXMvdjIiXSwiaWQiOiJ1cm46dXVpZDo1ODE3MmFhYy1kOGJhLTExZWQtODNkZC0wYjNhZWY1NmNj\
    MzMiLCJ0eXBlIjpbIlZlcmlmaWFibGVDcmVkZW50aWFsIiwiQWx1bW5pQ3JlZGVudGlhbCJdLCJuYW1lIjoiQWx1bW5pIENyZWRl\
    bnRpYWwiLCJkZXNjcmlwdGlvbiI6IkEgbWluaW11bSB2aWFibGUgZXhhbXBsZSBvZiBhbiBBbHVtbmkgQ3JlZGVudGlhbC4iLCJp\
    c3N1ZXIiOiJodHRwczovL3ZjLmV4YW1wbGUvaXNzdWVycy81Njc4IiwidmFsaWRGcm9tIjoiMjAyMy0wMS0wMVQwMDowMDowMFoi\
    LCJjcmVkZW50aWFsU3ViamVjdCI6eyJpZCI6ImRpZDpleGFtcGxlOmFiY2RlZmdoIiwiYWx1bW5pT2YiOiJUaGUgU2Nob29sIG9m\
    IEV4YW1wbGVzIn19.\
    qcH3Uc_RYo5JREjhZu7dxrrtBPJNlM2d29N9yz0kw4F0ZK3Uuwo4bE_T__Uh6gqlEON23wBdFQ3UV_9ZV4IiAA";

fn unsplit(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn shared_corpus_has_no_jose_vectors() {
    let manifest = text("MANIFEST.txt");
    for collection in ["w3c-vc-jose-cose-test-suite", "1edtech-digital-credentials-public-validator"] {
        let listed = manifest.lines().any(|l| l.starts_with(&format!("{collection}/")));
        assert!(
            !listed && !path(collection).exists(),
            "{collection} vectors are now in the shared corpus: run them in tests/conformance/jose.rs"
        );
    }
}

#[test]
fn rfc8037_a4_ed25519_jws() {
    let jws = CompactJws::parse(&unsplit(RFC8037_JWS)).unwrap();
    assert_eq!(jws.header(), json!({"alg": "EdDSA"}).as_object().unwrap());
    assert_eq!(jws.payload(), b"Example of Ed25519 signing");
    let public = json!({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X});
    // A.5: validation.
    assert!(jws.verify_with_jwk(&public).unwrap());
    // A.4: signing is deterministic, so the same bytes come out.
    let seed: [u8; 32] = URL_SAFE_NO_PAD.decode(RFC8037_D).unwrap().try_into().unwrap();
    assert_eq!(SigningKey::from_seed(&seed).sign(jws.signing_input()).as_slice(), jws.signature());
    // The A.1 JWK itself is private, and refused as a verification key.
    let private = json!({"kty": "OKP", "crv": "Ed25519", "d": RFC8037_D, "x": RFC8037_X});
    assert_eq!(jws.verify_with_jwk(&private).unwrap_err(), JoseError::PrivateJwk("d"));
}

#[test]
fn rfc7515_a2_rs256_jws() {
    let token = unsplit(RFC7515_JWS);
    let jws = CompactJws::parse(&token).unwrap();
    assert_eq!(jws.payload(), b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
    let public = json!({"kty": "RSA", "n": unsplit(RFC7515_N), "e": "AQAB"});
    assert!(jws.verify_with_jwk(&public).unwrap());

    let other_payload = token.replacen(".eyJpc3MiOiJqb2Ui", ".eyJpc3MiOiJqb2Ei", 1);
    assert!(!CompactJws::parse(&other_payload).unwrap().verify_with_jwk(&public).unwrap());
    // Not a credential: decode refuses the payload for what it is.
    assert!(matches!(decode(&token).unwrap_err(), JoseError::NotACredential { .. }));
}

fn w3c_key() -> SigningKey {
    let pair = support::json("w3c-vc-di-eddsa/TestVectors/keyPair.json");
    SigningKey::from_multibase(pair["privateKeyMultibase"].as_str().unwrap()).unwrap()
}

#[test]
fn w3c_key_pair_vc_jwt_is_pinned() {
    let key = w3c_key();
    let unsigned = support::json("w3c-vc-di-eddsa/TestVectors/unsigned.json");
    let kid = did_key_method_id(&key.public());
    let token = sign_vc_jwt(&unsigned, &key, &kid).unwrap();
    assert_eq!(token, unsplit(W3C_VC_JWT));

    let decoded = decode(&token).unwrap();
    assert_eq!(decoded.kind(), JwtKind::VcJwt);
    assert_eq!(decoded.credential(), &unsigned);
    assert_eq!(
        decoded.header(),
        json!({"alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"}).as_object().unwrap()
    );

    let now = "2024-01-01T00:00:00Z".parse().unwrap();
    let report = verify(&token, &StandardResolver::offline(), now).unwrap();
    assert!(report.verified(), "{report:?}");
    assert_eq!(report.key_source, KeySource::ControllerDocument);
    let controller = did_key(&key.public());
    assert_eq!(report.controller.as_deref(), Some(controller.as_str()));
    // The vector's issuer is an https URL, not this did:key: the JWT verifies, and binding the
    // key to the issuer is left to the verification engine, which must refuse this pair.
    assert_ne!(unsigned["issuer"], Value::String(controller));
}
