//! The store suite, run on SQLite and on a real PostgreSQL server (`scripts/postgres.sh` starts
//! one; `ACCOLADE_TEST_POSTGRES` names it).

use std::collections::HashSet;

use accolade_issuer::store::{self, Claim, KeyRow, SqlStore, StatusListRow, Store, TenantRow};
use sqlx::Connection as _;

/// A fresh PostgreSQL database for one test, dropped by [`PgDatabase::drop`] at the end.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    async fn new() -> PgDatabase {
        let admin_url = std::env::var("ACCOLADE_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://accolade:accolade@127.0.0.1:5432/postgres".into());
        let name = format!(
            "accolade_test_{}_{}",
            std::process::id(),
            accolade_issuer::credentials::random_id().to_lowercase().replace(['-', '_'], "")
        );
        let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("no PostgreSQL at {admin_url} ({e}); run `eval \"$(scripts/postgres.sh)\"` first")
        });
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap().to_owned();
        PgDatabase { url: format!("{base}/{name}"), admin_url, name }
    }

    async fn drop(self) {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ =
                sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut conn).await;
        }
    }
}

async fn sqlite() -> (SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    (store, dir)
}

fn tenant(id: &str) -> (TenantRow, KeyRow) {
    (
        TenantRow {
            id: id.into(),
            did: format!("did:web:x:{id}"),
            did_method: "web".into(),
            profile: serde_json::json!({"name": id}),
            created_at: "2026-01-01T00:00:00Z".into(),
        },
        KeyRow {
            tenant_id: id.into(),
            key_id: "key-1".into(),
            public_multibase: "z6Mk".into(),
            sealed_secret: vec![1, 2, 3],
            created_at: "2026-01-01T00:00:00Z".into(),
        },
    )
}

fn list(id: &str, tenant: &str, size: i64, capacity: i64) -> StatusListRow {
    StatusListRow {
        id: id.into(),
        tenant_id: tenant.into(),
        purpose: "revocation".into(),
        size,
        capacity,
        allocated: 0,
        bits: vec![0; usize::try_from(size / 8).unwrap()],
        version: 0,
        signed_version: 0,
        credential: Some("{}".into()),
        updated_at: "2026-01-01T00:00:00Z".into(),
    }
}

/// The same checks on any store.
async fn suite(a: SqlStore, b: SqlStore) {
    let (t, k) = tenant("uni");
    a.insert_tenant(&t, &k).await.unwrap();
    assert!(matches!(a.insert_tenant(&t, &k).await, Err(store::StoreError::Duplicate(_))));
    assert_eq!(b.tenant("uni").await.unwrap().unwrap(), t, "the second connection pool sees the first's write");
    assert_eq!(a.keys("uni").await.unwrap()[0].sealed_secret, vec![1, 2, 3]);

    // 10,000 concurrent claims in one list, from two pools (two processes' worth): every index
    // distinct, the count exact.
    a.insert_status_list(&list("l1", "uni", 131_072, 65_536)).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..16 {
        let store = if worker % 2 == 0 { a.clone() } else { b.clone() };
        tasks.spawn(async move {
            let mut mine = Vec::new();
            let mut seed: u64 = 0x9E37_79B9_7F4A_7C15 ^ worker;
            while mine.len() < 625 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let idx = i64::try_from(seed % 131_072).unwrap();
                match store.claim_index("l1", idx, &format!("c-{worker}-{}", mine.len())).await.unwrap() {
                    Claim::Claimed => mine.push(idx),
                    Claim::Taken => {}
                    Claim::Full => panic!("not full yet"),
                }
            }
            mine
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done.unwrap());
    }
    assert_eq!(all.len(), 10_000);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 10_000, "an index was handed out twice");
    assert_eq!(a.status_list("l1").await.unwrap().unwrap().allocated, 10_000);
    assert_eq!(a.claim_index("l1", all[0], "again").await.unwrap(), Claim::Taken);

    // A full list refuses, and the refused index stays free.
    a.insert_status_list(&list("tiny", "uni", 131_072, 1)).await.unwrap();
    assert_eq!(a.claim_index("tiny", 5, "x").await.unwrap(), Claim::Claimed);
    assert_eq!(a.claim_index("tiny", 6, "y").await.unwrap(), Claim::Full);
    assert_eq!(a.status_entries("y").await.unwrap(), []);

    // Bits: set, clear, version bumps; the signature is stored only if newer.
    let changed = a.set_status_bit("tiny", 5, true, "t1").await.unwrap().unwrap();
    assert_eq!((changed.version, changed.bits[0]), (1, 0b0000_0100));
    a.store_list_credential("tiny", 1, "{\"v\":1}", "t1").await.unwrap();
    a.store_list_credential("tiny", 0, "{\"v\":0}", "t1").await.unwrap();
    let stored = b.status_list("tiny").await.unwrap().unwrap();
    assert_eq!((stored.signed_version, stored.credential.as_deref()), (1, Some("{\"v\":1}")));
    assert!(a.set_status_bit("missing", 0, true, "t").await.unwrap().is_none());

    // Batch rows are unique.
    let row = accolade_issuer::store::CredentialRow {
        id: "cred-1".into(),
        tenant_id: "uni".into(),
        kind: "achievement".into(),
        achievement_id: Some("a".into()),
        recipient_name: Some("N".into()),
        recipient_identifier: Some("n@x.org".into()),
        format: "ldp".into(),
        body: "{}".into(),
        issued_at: "2026-01-01T00:00:00Z".into(),
        batch: Some(("batch-1".into(), 2)),
    };
    a.insert_credential(&row).await.unwrap();
    let twice = accolade_issuer::store::CredentialRow { id: "cred-2".into(), ..row.clone() };
    assert_eq!(b.insert_credential(&twice).await.unwrap_err().to_string(), "row 2 of batch batch-1 already exists");
    assert_eq!(b.batch_credential("batch-1", 2).await.unwrap().as_deref(), Some("cred-1"));
    assert_eq!(b.batch_count("batch-1").await.unwrap(), 1);
    assert_eq!(b.credentials_for("uni", "n@x.org").await.unwrap(), [row]);

    a.audit("t", "bootstrap", "x.y", "target", &serde_json::json!({"k": 1})).await.unwrap();
    assert_eq!(b.audit_log(10).await.unwrap()[0].detail, serde_json::json!({"k": 1}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_suite_on_sqlite() {
    let (a, dir) = sqlite().await;
    let b = store::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    suite(a, b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_suite_on_postgres() {
    let db = PgDatabase::new().await;
    let a = store::open(&db.url).await.unwrap();
    let b = store::open(&db.url).await.unwrap();
    assert_eq!(a.dialect(), store::Dialect::Postgres);
    suite(a, b).await;
    db.drop().await;
}

#[tokio::test]
async fn reopening_keeps_data_and_migrates_once() {
    let (a, dir) = sqlite().await;
    let (t, k) = tenant("uni");
    a.insert_tenant(&t, &k).await.unwrap();
    drop(a);
    let again = store::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    assert_eq!(again.tenants().await.unwrap().len(), 1);
    assert_eq!(
        store::open("mysql://x").await.unwrap_err().to_string(),
        "unsupported database URL \"mysql://x\": use sqlite://PATH or postgres://…"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_issues_and_revokes_on_postgres() {
    let db = PgDatabase::new().await;
    let s = crate::support::service_on(&db.url).await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let issued = s.award("uni", "welding-1", "a@b.org").await;
    assert!(s.verify(&issued["verifiableCredential"]).await.verified);
    let (status, _) = s
        .call(
            axum::http::Method::POST,
            &format!("/admin/credentials/{}/status", issued["id"].as_str().unwrap()),
            Some(serde_json::json!({"action": "revoke", "reason": "x"})),
        )
        .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(!s.verify(&issued["verifiableCredential"]).await.verified);
    drop(s);
    db.drop().await;
}
