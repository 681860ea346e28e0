//! The employer's verification page (`verifier/src/page.rs`, as `accolade-issuer serve` mounts
//! it) in a real browser: headless Chromium, driven by playwright-core, runs
//! `browser/page-check.mjs` against credentials the issuer has just issued: the QR link, a baked
//! PNG upload, a pasted JWT, Arabic right to left, keyboard only, a tampered credential and no
//! JavaScript; axe-core audits the pages against WCAG 2.2 AA (its `wcag2a`, `wcag2aa`,
//! `wcag21a`, `wcag21aa` and `wcag22aa` rules). Screenshots go to `target/screenshots/`.
//!
//! Needs Debian's `chromium` and the locked npm packages of `browser/`: `bash scripts/setup-browser.sh`.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

use accolade_tests::{repo_root, IssuerProcess, Tally};

const SETUP: &str =
    "run `bash scripts/setup-browser.sh` in the repository root (installs Chromium and the npm packages)";

/// Every scenario `page-check.mjs` runs; one missing from its answer is a failure.
const SCENARIOS: [&str; 8] = [
    "qr-link",
    "upload-baked-png",
    "paste-jwt",
    "arabic-rtl",
    "arabic-bidi",
    "keyboard",
    "not-verified",
    "no-javascript",
];

/// The pages axe audits: the empty form, the verdicts in English and Arabic, a refusal.
const AUDITED: [&str; 4] = ["form-en", "verified-en", "verified-ar", "not-verified-en"];

/// Awards the issuer `web-uni`'s `first-aid` to Amina Yusuf, issued with `options`.
fn award(issuer: &IssuerProcess, options: Value) -> Value {
    issuer.post(
        "/admin/issuers/web-uni/awards",
        &json!({"achievement": "first-aid", "recipient": {"name": "Amina Yusuf", "email": "amina@example.org"}, "options": options}),
    )
}

fn link<'a>(award: &'a Value, name: &str) -> &'a str {
    award["links"][name].as_str().unwrap_or_else(|| panic!("the award has no links.{name}: {award}"))
}

/// `node` and Chromium, checked before anything starts, so that a missing one fails with the fix.
struct Browser {
    script: PathBuf,
}

impl Browser {
    fn find() -> Browser {
        let root = repo_root();
        let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
        assert!(chromium.is_file(), "Chromium is not installed at {} (or set CHROMIUM): {SETUP}", chromium.display());
        let modules = root.join("browser/node_modules");
        assert!(
            modules.join("playwright-core").is_dir() && modules.join("axe-core").is_dir(),
            "{} lacks playwright-core or axe-core: {SETUP}",
            modules.display()
        );
        Browser { script: root.join("browser/page-check.mjs") }
    }

    /// Runs `page-check.mjs` on `input`; its one JSON answer.
    fn check(&self, input: &Value) -> Value {
        let output = Command::new("node").arg(&self.script).arg(input.to_string()).output().unwrap_or_else(|e| {
            if e.kind() == ErrorKind::NotFound {
                panic!("`node` is not on PATH: {SETUP}")
            }
            panic!("cannot start `node {}`: {e}", self.script.display())
        });
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !stderr.trim().is_empty() {
            eprintln!("page-check.mjs stderr:\n{}", stderr.trim_end());
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!("page-check.mjs ({}) did not answer JSON ({e}): {stdout}\nstderr: {stderr}\nIf Chromium or the npm packages are broken, {SETUP}", output.status)
        })
    }
}

/// The credentials the browser checks: a did:web issuer, an achievement named in three
/// languages, a Data Integrity award and a vc+jwt award; the baked PNG and the JWT saved in `dir`.
fn issue(issuer: &IssuerProcess, dir: &Path) -> Value {
    issuer.post(
        "/admin/issuers",
        &json!({"id": "web-uni", "didMethod": "web", "profile": {"name": "Institution web-uni"}}),
    );
    issuer.post(
        "/admin/issuers/web-uni/achievements",
        &json!({
            "id": "first-aid",
            "name": {"en": "First Aid", "fr": "Premiers secours", "ar": "الإسعافات الأولية"},
            "description": "Can give first aid.",
            "criteria": {"narrative": "18 hours of training."},
        }),
    );
    let data_integrity = award(issuer, json!({}));
    let jwt_award = award(issuer, json!({"format": "vc+jwt"}));

    let baked_png = dir.join("badge.png");
    std::fs::write(&baked_png, issuer.get(link(&data_integrity, "badgePng"))).unwrap();
    let jwt_id = jwt_award["id"].as_str().unwrap_or_else(|| panic!("the JWT award has no id: {jwt_award}"));
    let jwt = issuer.get(&format!("/c/{jwt_id}"));
    let jwt = String::from_utf8(jwt).unwrap();
    assert_eq!(jwt.trim().split('.').count(), 3, "GET /c/{jwt_id} is not a compact JWT: {jwt}");
    let jwt_file = dir.join("credential.jwt");
    std::fs::write(&jwt_file, jwt.trim()).unwrap();

    json!({
        "base": issuer.base(),
        "credentialLink": link(&data_integrity, "verify"),
        "credentialJson": link(&data_integrity, "json"),
        "bakedPng": baked_png,
        "jwtFile": jwt_file,
    })
}

#[test]
fn the_verification_page_works_in_chromium_and_passes_axe() {
    let browser = Browser::find();
    let issuer = IssuerProcess::start();
    let dir = tempfile::tempdir().unwrap();
    let mut input = issue(&issuer, dir.path());
    let screenshots = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let screenshots = screenshots.canonicalize().unwrap();
    input["screenshots"] = json!(screenshots);

    let started = Instant::now();
    let answer = browser.check(&input);
    eprintln!(
        "page-check.mjs: {} in {:.1} s; screenshots in {}",
        answer["browser"].as_str().unwrap_or("?"),
        started.elapsed().as_secs_f64(),
        screenshots.display()
    );
    if let Some(error) = answer.get("error") {
        panic!(
            "page-check.mjs could not finish: {error}\n(if Chromium or the npm packages are broken, {SETUP})\n{answer}"
        );
    }

    let mut tally = Tally::new("verification page in Chromium");
    let scenarios = answer["scenarios"].as_array().cloned().unwrap_or_default();
    for name in SCENARIOS {
        let Some(scenario) = scenarios.iter().find(|s| s["name"] == name) else {
            tally.fail(name, "did not run", "");
            continue;
        };
        let detail = scenario["detail"].as_str().unwrap_or_default();
        if scenario["ok"] == json!(true) {
            eprintln!("ok {name} ({} ms): {detail}", scenario["ms"]);
            tally.pass();
        } else {
            tally.fail(name, detail, "");
        }
    }
    let audits = answer["axe"].as_array().cloned().unwrap_or_default();
    for page in AUDITED {
        let item = format!("axe {page}");
        let Some(audit) = audits.iter().find(|a| a["page"] == page) else {
            tally.fail(&item, "was not audited", "");
            continue;
        };
        if let Some(error) = audit.get("error") {
            tally.fail(&item, format!("could not be audited: {error}"), "");
            continue;
        }
        let violations = audit["violations"].as_array().cloned().unwrap_or_default();
        if violations.is_empty() {
            eprintln!("ok {item}: no violations ({} rules passed)", audit["passes"]);
            tally.pass();
            continue;
        }
        let ids: Vec<String> = violations
            .iter()
            .map(|v| format!("{} ({}, {} nodes)", v["id"].as_str().unwrap_or("?"), v["impact"], v["nodes"]))
            .collect();
        let detail: Vec<String> = violations
            .iter()
            .flat_map(|v| {
                let head = format!("  {}: {} ({})", v["id"], v["help"], v["helpUrl"]);
                let nodes = v["targets"].as_array().cloned().unwrap_or_default();
                std::iter::once(head).chain(nodes.into_iter().map(|n| {
                    format!("    {} {}\n      {}", n["target"], n["html"], n["summary"].as_str().unwrap_or_default())
                }))
            })
            .collect();
        tally.fail(&item, format!("{} at {}", ids.join(", "), audit["url"]), &detail.join("\n"));
    }
    tally.finish();
}
