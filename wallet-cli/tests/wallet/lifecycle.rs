//! The wallet survives `kill -9` at any moment of an import, backups restore to
//! byte-identical credentials, and a QR code drawn by one wallet imports into another.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
use accolade_core::keys::SigningKey;
use accolade_core::proof::{add_proof, Cryptosuite, ProofOptions};
use serde_json::{json, Value};

const PASSPHRASE: &str = "correct horse battery staple";

fn wallet(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accolade-wallet"));
    command
        .arg("--home")
        .arg(home)
        .env("ACCOLADE_WALLET_PASSPHRASE", PASSPHRASE)
        .env("ACCOLADE_WALLET_KDF_LOG_N", "10")
        .env_remove("ACCOLADE_WALLET_HOME")
        .env_remove("ACCOLADE_WALLET_PASSPHRASE_FILE");
    command
}

fn badge(key: &SigningKey, n: usize) -> Value {
    let doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("urn:uuid:00000000-0000-4000-8000-{n:012}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(&key.public()), "type": ["Profile"], "name": "Community College"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": format!("Module {n}"),
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": format!("urn:uuid:10000000-0000-4000-8000-{n:012}"), "type": ["Achievement"], "name": format!("Module {n}"),
            "description": "A module of the course.", "criteria": {"narrative": "Passed the module test."}}}
    });
    add_proof(
        &doc,
        key,
        &ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public())),
        &StandardResolver::offline(),
    )
    .unwrap()
}

fn ids(home: &Path) -> Vec<String> {
    let out = wallet(home).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success(), "the wallet no longer opens: {}", String::from_utf8_lossy(&out.stderr));
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    list.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn kill_9_during_imports_never_loses_an_earlier_credential() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("w");
    assert!(wallet(&home).arg("init").output().unwrap().status.success());
    let key = SigningKey::generate();
    let mut kept: Vec<String> = Vec::new();
    let mut killed = 0;
    for n in 0..12 {
        let file = dir.path().join(format!("badge-{n}.json"));
        std::fs::write(&file, badge(&key, n).to_string()).unwrap();
        let mut child =
            wallet(&home).arg("import").arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        // Kill at a different moment each time: before, during and after the write.
        std::thread::sleep(Duration::from_millis((n as u64 * 7) % 40));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = ids(&home);
        for id in &kept {
            assert!(now.contains(id), "{id} was lost after a kill -9 (round {n})");
        }
        if status.success() {
            assert_eq!(now.len(), kept.len() + 1, "a completed import must be stored");
        } else {
            killed += 1;
        }
        kept = now;
    }
    assert!(killed > 0, "no import was interrupted; the test proved nothing");
    // An interrupted import can be retried and completes.
    let last = dir.path().join("badge-0.json");
    let _ = wallet(&home).arg("import").arg(&last).output().unwrap();
    assert!(ids(&home).len() >= kept.len());
    // No temporary file is left in the home after normal runs, and the store is private.
    let names: Vec<String> = std::fs::read_dir(&home)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(".wallet.age."))
        .collect();
    assert_eq!(names, ["wallet.age"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(home.join("wallet.age")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn backup_and_restore_give_byte_identical_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("w");
    assert!(wallet(&home).arg("init").output().unwrap().status.success());
    let key = SigningKey::generate();
    for n in 0..3 {
        let file = dir.path().join(format!("b{n}.json"));
        std::fs::write(&file, badge(&key, n).to_string()).unwrap();
        let out = wallet(&home).arg("import").arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let backup = dir.path().join("backup.age");
    assert!(wallet(&home).arg("backup").arg(&backup).output().unwrap().status.success());
    let restored = dir.path().join("elsewhere");
    let out = wallet(&restored).arg("restore").arg(&backup).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("restored 3 credentials into {}\n", restored.display()));
    let original = ids(&home);
    assert_eq!(ids(&restored), original);
    for id in &original {
        let a = wallet(&home).args(["export", id]).output().unwrap().stdout;
        let b = wallet(&restored).args(["export", id]).output().unwrap().stdout;
        assert!(!a.is_empty());
        assert_eq!(a, b, "{id} differs after restore");
    }
    // A backup opens only with the passphrase.
    let out = wallet(&dir.path().join("third"))
        .env("ACCOLADE_WALLET_PASSPHRASE", "another passphrase")
        .arg("restore")
        .arg(&backup)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: wrong passphrase for the wallet at {}\n", backup.display())
    );
}

#[test]
fn a_qr_code_drawn_by_one_wallet_imports_into_another() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for home in [&first, &second] {
        assert!(wallet(home).arg("init").output().unwrap().status.success());
    }
    let file = dir.path().join("badge.json");
    std::fs::write(&file, badge(&SigningKey::generate(), 7).to_string()).unwrap();
    assert!(wallet(&first).arg("import").arg(&file).output().unwrap().status.success());
    let id = ids(&first).remove(0);
    // No public link (its id is a urn:uuid), so the code carries the whole credential.
    let png = dir.path().join("code.png");
    let out = wallet(&first).args(["qr", &id, "--out"]).arg(&png).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = wallet(&second).arg("import").arg(&png).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("imported {id} (verified): Module 7\n"));
    let terminal = wallet(&first).args(["qr", &id]).output().unwrap();
    assert!(String::from_utf8_lossy(&terminal.stdout).lines().count() > 20);
}
