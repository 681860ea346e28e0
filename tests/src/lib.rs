//! Support for Accolade's end-to-end tests (the `e2e` test binary of this crate).
//!
//! - [`Peer`] drives the JavaScript interop peer, `interop/peer.mjs` (Digital Bazaar's vc-js
//!   stack), over its one-request-per-process JSON protocol (`interop/README.md`). Node starts
//!   slowly, so tests send one [`Peer::batch`] per test rather than one process per document.
//! - [`interop_fixtures`], [`conformance_dir`] and [`w3c_test_key`] find the test data. Every path
//!   is relative to this crate, so the tests run wherever the repository is cloned, provided the
//!   shared conformance material sits beside it (`../shared/conformance`).
//! - [`binary`], [`Running`] and [`Http`] run the workspace's real binaries (`accolade-issuer`,
//!   `accolade-verifier`) on loopback and talk to them over HTTP.
//! - [`IssuerProcess`] is `accolade-issuer serve` on a fresh SQLite database, with the admin token
//!   [`ISSUER_TOKEN`], and the requests the tests send it.
//! - [`line_diff`] and [`Tally`] report mismatches: every failure is collected and printed, and
//!   the test fails once, at the end, listing them all.
//!
//! # Example
//!
//! ```no_run
//! use accolade_tests::Peer;
//! use serde_json::json;
//!
//! let peer = Peer::new();
//! let document = json!({
//!     "@context": ["https://www.w3.org/ns/credentials/v2"],
//!     "type": ["VerifiableCredential"],
//!     "issuer": "did:example:issuer",
//!     "credentialSubject": {"id": "did:example:subject"}
//! });
//! let responses = peer.batch(vec![json!({"op": "canonize", "document": document})]);
//! assert!(responses[0]["nquads"].is_string());
//! ```
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use accolade_core::did::did_key_method_id;
use accolade_core::keys::SigningKey;

/// The repository root (the workspace), found from this crate's manifest directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shared conformance material (W3C and 1EdTech vectors): `shared/conformance` beside the
/// repository, as in the development checkout and in CI.
pub fn conformance_dir() -> PathBuf {
    repo_root().join("../shared/conformance")
}

/// Reads and parses a JSON file, panicking with its path when that fails.
pub fn read_json(path: &Path) -> Value {
    let text = read_text(path);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Reads a UTF-8 file, panicking with its path when that fails.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One unsigned interop fixture.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The file name without `.json`, e.g. `05-ob3-minimal`.
    pub name: String,
    /// The credential.
    pub document: Value,
}

/// The unsigned credentials of `fixtures/interop/*.json`, in file-name order.
pub fn interop_fixtures() -> Vec<Fixture> {
    let dir = repo_root().join("fixtures/interop");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    paths
        .iter()
        .map(|path| Fixture {
            name: path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            document: read_json(path),
        })
        .collect()
}

/// The W3C vc-di-eddsa test key pair, the fixtures' issuer key.
#[derive(Clone, Debug)]
pub struct TestKey {
    /// `publicKeyMultibase` (`z6Mk…`).
    pub public_multibase: String,
    /// The Multikey secret, as `keyPair.json` spells it under `privateKeyMultibase`.
    pub secret_multibase: String,
}

impl TestKey {
    /// The signing key.
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_multibase(&self.secret_multibase)
            .unwrap_or_else(|e| panic!("the W3C test secret key does not decode: {e}"))
    }

    /// The `did:key` verification method id, `did:key:z…#z…`.
    pub fn verification_method(&self) -> String {
        did_key_method_id(&self.signing_key().public())
    }

    /// The key as the peer's `sign` request takes it.
    pub fn peer_json(&self) -> Value {
        json!({"publicKeyMultibase": self.public_multibase, "secretKeyMultibase": self.secret_multibase})
    }
}

/// Loads `w3c-vc-di-eddsa/TestVectors/keyPair.json` from the conformance material.
pub fn w3c_test_key() -> TestKey {
    let path = conformance_dir().join("w3c-vc-di-eddsa/TestVectors/keyPair.json");
    let pair = read_json(&path);
    let field = |name: &str| {
        pair[name].as_str().unwrap_or_else(|| panic!("{} has no string {name}", path.display())).to_owned()
    };
    TestKey { public_multibase: field("publicKeyMultibase"), secret_multibase: field("privateKeyMultibase") }
}

/// The JavaScript interop peer, `interop/peer.mjs`. Each call runs one `node` process.
#[derive(Clone, Debug)]
pub struct Peer {
    dir: PathBuf,
}

impl Peer {
    /// Finds the peer, panicking with how to install it when its npm packages are missing.
    pub fn new() -> Self {
        let dir = repo_root().join("interop");
        let script = dir.join("peer.mjs");
        assert!(script.is_file(), "the interop peer {} is missing", script.display());
        assert!(
            dir.join("node_modules").is_dir(),
            "{} is missing: the interop tests need Node.js and the locked npm packages; run `bash scripts/setup-node.sh` \
             in the repository root first",
            dir.join("node_modules").display()
        );
        Peer { dir }
    }

    /// Sends one request and returns the peer's response (which may be `{"error": …}`).
    /// Panics when node cannot be run or the peer crashes, with its stderr.
    pub fn call(&self, request: &Value) -> Value {
        let mut child = Command::new("node")
            .arg("peer.mjs")
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                if e.kind() == ErrorKind::NotFound {
                    panic!("`node` is not on PATH: run `bash scripts/setup-node.sh` (installs Node.js and the peer's packages)")
                }
                panic!("cannot start `node interop/peer.mjs`: {e}")
            });
        let body = request.to_string();
        let mut stdin = child.stdin.take().expect("stdin was requested as a pipe");
        // Written from another thread so that a peer writing early cannot deadlock us; dropping
        // stdin at the end closes it, which is the protocol's end of request.
        let writer = std::thread::spawn(move || stdin.write_all(body.as_bytes()));
        let output = child.wait_with_output().unwrap_or_else(|e| panic!("waiting for the interop peer failed: {e}"));
        let written = writer.join().expect("the stdin writer thread panicked");
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            panic!("the interop peer failed ({}): {stderr}", output.status);
        }
        if let Err(e) = written {
            panic!("cannot write the request to the interop peer: {e}; stderr: {stderr}");
        }
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "the interop peer's answer is not JSON ({e}): {}; stderr: {stderr}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Sends `requests` as one `batch` in one node process, and returns the responses in order.
    /// An entry that failed is `{"error": …}`; only a failure of the whole batch panics.
    pub fn batch(&self, requests: Vec<Value>) -> Vec<Value> {
        let count = requests.len();
        if count == 0 {
            return Vec::new();
        }
        let response = self.call(&json!({"op": "batch", "requests": requests}));
        if let Some(error) = response.get("error") {
            panic!("the interop peer refused the batch: {error}");
        }
        let Some(Value::Array(responses)) = response.get("responses") else {
            panic!("the interop peer's batch answer has no responses array: {response}")
        };
        assert_eq!(responses.len(), count, "the interop peer answered {} of {count} requests", responses.len());
        responses.clone()
    }

    /// The versions of node and the peer's packages (`{"node": …, "jsonld": …, …}`).
    pub fn versions(&self) -> Value {
        self.call(&json!({"op": "versions"}))["versions"].clone()
    }
}

impl Default for Peer {
    fn default() -> Self {
        Self::new()
    }
}

/// A line diff of `expected` against `actual`: hunks of `-` (only in expected) and `+` (only in
/// actual) lines, each hunk headed by `@@ -line +line @@` (1-based). Empty when they are equal.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    if a == b {
        if expected != actual {
            // Same lines, different bytes: only the final newline (or CR) differs.
            let _ =
                writeln!(out, "(lines equal; trailing newline differs: {:?} vs {:?})", tail(expected), tail(actual));
        }
        return out;
    }
    // Longest common subsequence table, from the end; canonical N-Quads are a few hundred lines.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut in_hunk = false;
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            in_hunk = false;
            i += 1;
            j += 1;
            continue;
        }
        if !in_hunk {
            let _ = writeln!(out, "@@ -{} +{} @@", i + 1, j + 1);
            in_hunk = true;
        }
        if j == b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "-{}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+{}", b[j]);
            j += 1;
        }
    }
    out
}

fn tail(text: &str) -> &str {
    let start = text.trim_end_matches(['\n', '\r']).len();
    &text[start..]
}

/// Collects the outcome of one check over many items (fixtures, suites), so that a test reports
/// every failure rather than stopping at the first.
#[derive(Debug)]
pub struct Tally {
    label: String,
    passed: usize,
    failures: Vec<String>,
}

impl Tally {
    /// A tally for the check named `label`, e.g. `interop canonize`.
    pub fn new(label: impl Into<String>) -> Self {
        Tally { label: label.into(), passed: 0, failures: Vec::new() }
    }

    /// Records a pass.
    pub fn pass(&mut self) {
        self.passed += 1;
    }

    /// Records a failure of `item`, printing `detail` (a diff, an error) to stderr at once.
    pub fn fail(&mut self, item: &str, summary: impl Into<String>, detail: &str) {
        let summary = summary.into();
        eprintln!("--- {}: FAILED {item}: {summary}", self.label);
        if !detail.is_empty() {
            eprintln!("{}", detail.trim_end());
        }
        self.failures.push(format!("{item}: {summary}"));
    }

    /// Records `Ok` as a pass and `Err((summary, detail))` as a failure.
    pub fn record(&mut self, item: &str, result: Result<(), (String, String)>) {
        match result {
            Ok(()) => self.pass(),
            Err((summary, detail)) => self.fail(item, summary, &detail),
        }
    }

    /// Prints `LABEL: N passed, M failed` to stderr, then panics listing the failures, if any.
    pub fn finish(self) {
        eprintln!("{}: {} passed, {} failed", self.label, self.passed, self.failures.len());
        assert!(self.passed + self.failures.len() > 0, "{}: nothing was checked", self.label);
        if !self.failures.is_empty() {
            panic!("{}: {} failed:\n  {}", self.label, self.failures.len(), self.failures.join("\n  "));
        }
    }
}

/// The path of one of the workspace's binaries, built beside this test executable by
/// `cargo test --workspace --all-targets`.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("cannot find the test executable: {e}"));
    // target/<profile>/deps/e2e-… → target/<profile>/<name>
    let dir = exe.parent().and_then(Path::parent).unwrap_or_else(|| panic!("unexpected test path {}", exe.display()));
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is not built; run `cargo build --workspace` (scripts/test.sh does)", path.display());
    path
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind loopback: {e}"));
    listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("no local address: {e}"))
}

/// A service process, killed when dropped.
pub struct Running {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Running {
    /// Starts `command` (which must listen on `port`) and waits until `GET /healthz` answers 200.
    pub fn start(mut command: Command, port: u16) -> Running {
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let mut running = Running { child, base: format!("http://127.0.0.1:{port}") };
        let http = Http::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Ok((200, _)) = http.try_get(&format!("{}/healthz", running.base)) {
                return running;
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                panic!("{command:?} exited with {status} before it was ready");
            }
            assert!(std::time::Instant::now() < deadline, "{command:?} was not ready within 30 s");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking HTTP client that returns every status instead of failing on 4xx and 5xx.
pub struct Http(ureq::Agent);

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

impl Http {
    /// A client.
    pub fn new() -> Self {
        Http(ureq::Agent::config_builder().http_status_as_error(false).build().into())
    }

    fn try_get(&self, url: &str) -> Result<(u16, Vec<u8>), ureq::Error> {
        let mut response = self.0.get(url).call()?;
        let status = response.status().as_u16();
        Ok((status, response.body_mut().read_to_vec()?))
    }

    /// GET; the status and body.
    pub fn get(&self, url: &str) -> (u16, Vec<u8>) {
        self.try_get(url).unwrap_or_else(|e| panic!("GET {url}: {e}"))
    }

    /// POST `body` as `content_type` with a bearer token; the status and the JSON answer.
    pub fn post(&self, url: &str, token: &str, content_type: &str, body: &str) -> (u16, Value) {
        let mut response = self
            .0
            .post(url)
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", content_type)
            .send(body)
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_else(|e| panic!("POST {url}: {e}"));
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {url}: not JSON ({e}): {text}")))
    }

    /// POST JSON with a bearer token.
    pub fn post_json(&self, url: &str, token: &str, body: &Value) -> (u16, Value) {
        self.post(url, token, "application/json", &body.to_string())
    }
}

/// The bootstrap admin bearer token of every [`IssuerProcess`].
pub const ISSUER_TOKEN: &str = "e2e-bootstrap-admin-token-0123456789";

/// The key-encryption key (`ACCOLADE_KEK`, 64 hex digits) every [`IssuerProcess`] encrypts its
/// signing keys with at rest. The tests need a valid one, not a secret one.
const ISSUER_KEK: &str = "8f3c1a9e2b7d4f6a0c5e8b1d3f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a";

/// `accolade-issuer serve` on loopback, with its SQLite database in a temporary directory; both
/// go when dropped.
pub struct IssuerProcess {
    // Declared before `_dir`, so the process stops before its database is deleted.
    running: Running,
    http: Http,
    _dir: tempfile::TempDir,
}

impl IssuerProcess {
    /// Starts the issuer on a free port and waits until it is ready. `ACCOLADE_ALLOW_LOOPBACK` is
    /// set because the verification page it mounts fetches `?credential=` links, and did:web
    /// documents, from loopback; the rest of the issuer makes no outbound requests.
    pub fn start() -> IssuerProcess {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
        let port = free_port();
        let mut command = Command::new(binary("accolade-issuer"));
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database"])
            .arg(format!("sqlite://{}", dir.path().join("issuer.db").display()))
            .env("ACCOLADE_KEK", ISSUER_KEK)
            .env("ACCOLADE_ADMIN_TOKEN", ISSUER_TOKEN)
            .env("ACCOLADE_ALLOW_LOOPBACK", "1")
            .env_remove("ACCOLADE_PUBLIC_URL")
            .env_remove("ACCOLADE_DATABASE_URL");
        IssuerProcess { running: Running::start(command, port), http: Http::new(), _dir: dir }
    }

    /// Creates the issuer `id` (`did_method` `web` or `key`) with the achievement `first-aid`
    /// (aligned to an ESCO-style skill); returns its DID.
    pub fn add_issuer(&self, id: &str, did_method: &str) -> String {
        let created = self.post(
            "/admin/issuers",
            &json!({"id": id, "didMethod": did_method, "profile": {"name": format!("Institution {id}")}}),
        );
        self.post(
            &format!("/admin/issuers/{id}/achievements"),
            &json!({
                "id": "first-aid",
                "name": "First Aid at Work",
                "description": "Can give first aid at work.",
                "criteria": {"narrative": "18 hours of training and a practical assessment."},
                "alignment": [{"targetName": "provide first aid", "targetUrl": "https://esco.example/skill/first-aid"}],
            }),
        );
        created["did"].as_str().unwrap_or_else(|| panic!("no did in {created}")).to_owned()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.running.base
    }

    /// POSTs `body` to `path` with the admin token; the JSON answer. Panics with the status and
    /// the answer unless the status is 2xx.
    pub fn post(&self, path: &str, body: &Value) -> Value {
        let (status, answer) = self.http.post_json(&format!("{}{path}", self.base()), ISSUER_TOKEN, body);
        assert!((200..300).contains(&status), "POST {path}: {status} {answer}");
        answer
    }

    /// GETs a path (`/c/…`) or a full URL on this issuer (a link from one of its answers); the
    /// body. Panics with the body unless the status is 200.
    pub fn get(&self, path_or_url: &str) -> Vec<u8> {
        let url = self.url(path_or_url);
        let (status, body) = self.http.get(&url);
        assert_eq!(status, 200, "GET {path_or_url}: {}", String::from_utf8_lossy(&body));
        body
    }

    /// [`IssuerProcess::get`], parsed as JSON.
    pub fn get_json(&self, path_or_url: &str) -> Value {
        serde_json::from_slice(&self.get(path_or_url)).unwrap_or_else(|e| panic!("GET {path_or_url}: not JSON ({e})"))
    }

    /// The URL of `path_or_url`, which must be a path or a URL under [`IssuerProcess::base`].
    fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with('/') {
            return format!("{}{path_or_url}", self.base());
        }
        match path_or_url.strip_prefix(self.base()) {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '?']) => path_or_url.to_owned(),
            _ => panic!("{path_or_url} is neither a path nor a URL on the issuer at {}", self.base()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(line_diff("a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn diff_shows_changed_lines_with_positions() {
        let diff = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(diff, "@@ -2 +2 @@\n-b\n+B\n@@ -4 +4 @@\n+d\n");
    }

    #[test]
    fn diff_notices_a_missing_final_newline() {
        assert!(line_diff("a\n", "a").contains("trailing newline"));
    }

    #[test]
    fn fixtures_and_key_are_found() {
        assert!(!interop_fixtures().is_empty());
        let key = w3c_test_key();
        assert_eq!(key.signing_key().public().to_multibase(), key.public_multibase);
    }
}
