//! The `accolade-issuer` binary: `issue-batch` with its dry run, and a `kill -9` mid-batch after
//! which a re-run leaves every row issued exactly once.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use accolade_issuer::store::{self, Store};

use crate::support::{service_on, KEK};

fn issuer_command(db: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accolade-issuer"));
    command.env("ACCOLADE_KEK", KEK).env("ACCOLADE_DATABASE_URL", db).env_remove("ACCOLADE_ADMIN_TOKEN");
    command
}

async fn prepared(rows: usize) -> (tempfile::TempDir, String, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("issuer.db").display());
    let s = service_on(&db).await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let mut csv = String::from("name,email\n");
    for i in 0..rows {
        csv.push_str(&format!("Learner {i},learner{i}@example.org\n"));
    }
    let file = dir.path().join("cohort.csv");
    std::fs::write(&file, csv).unwrap();
    (dir, db, file)
}

fn batch_args(file: &std::path::Path) -> Vec<String> {
    ["issue-batch", "--public-url", "https://issuer.test", "--issuer", "uni", "--achievement", "welding-1"]
        .iter()
        .map(|s| s.to_string())
        .chain([file.display().to_string()])
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_and_bad_rows_from_the_command_line() {
    let (dir, db, file) = prepared(3).await;
    let out = issuer_command(&db).args(batch_args(&file)).arg("--dry-run").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}: 3 rows, all valid; nothing was issued (dry run)\n", file.display())
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name,email\nAda,ada@example.org\nBob,bob-at-example\n").unwrap();
    let out = issuer_command(&db).args(batch_args(&bad)).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "{0}:3: recipient email \"bob-at-example\" is not an email address\nerror: 1 bad rows in {0}; nothing was issued. Fix them and run again.\n",
            bad.display()
        )
    );
    let out = issuer_command(&db).env_remove("ACCOLADE_KEK").args(batch_args(&file)).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no key-encryption key; set ACCOLADE_KEK (make one with `accolade-issuer new-kek`) or pass --kek-file FILE\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_batch_then_rerun_issues_every_row_exactly_once() {
    let rows = 400;
    let (_dir, db, file) = prepared(rows).await;
    let store = store::open(&db).await.unwrap();
    let mut child =
        issuer_command(&db).args(batch_args(&file)).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();

    // Find the batch id the run uses: the only batch in the store once rows appear.
    let started = Instant::now();
    let batch_id = loop {
        let found: Option<String> = sqlx_batch_id(&db).await;
        if let Some(id) = found {
            if store.batch_count(&id).await.unwrap() >= 20 {
                break id;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the batch never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done_before = store.batch_count(&batch_id).await.unwrap();
    assert!(done_before < i64::try_from(rows).unwrap(), "killed too late to test anything: {done_before}");

    let out = issuer_command(&db).args(batch_args(&file)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        format!(
            "batch {batch_id}: {} issued, {done_before} already issued by an earlier run, {rows} rows in all\n",
            rows as i64 - done_before
        )
    );
    assert_eq!(store.batch_count(&batch_id).await.unwrap(), i64::try_from(rows).unwrap());
    for line in 2..rows as i64 + 2 {
        assert!(store.batch_credential(&batch_id, line).await.unwrap().is_some(), "line {line} missing");
    }
}

async fn sqlx_batch_id(db: &str) -> Option<String> {
    use sqlx::{Connection as _, Row as _};
    let mut conn = sqlx::SqliteConnection::connect(db).await.ok()?;
    let row = sqlx::query("SELECT batch_id FROM credentials WHERE batch_id IS NOT NULL LIMIT 1")
        .fetch_optional(&mut conn)
        .await
        .ok()??;
    row.try_get("batch_id").ok()
}
