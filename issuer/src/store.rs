//! Where the issuer keeps what it must not lose: tenants, sealed keys, achievements, every issued
//! credential, status lists, admin tokens and the audit log.
//!
//! [`Store`] is the contract; [`open`] picks the backend by URL scheme, as atuin does:
//! `sqlite://PATH` (the embedded default, in WAL mode) or `postgres://…`. Both backends are one
//! implementation, [`SqlStore`], over sqlx's `Any` driver: the queries are written once in the
//! SQL both dialects share (`$n` parameters, `RETURNING`, `ON CONFLICT DO NOTHING`), and only the
//! migrations (`issuer/migrations/{sqlite,postgres}/`) are written per dialect.
//!
//! Invariants the rest of the service relies on:
//! - a status-list index is claimed by an `INSERT` against the `(list_id, idx)` primary key, so it
//!   is never handed out twice, whether by two tasks or two processes sharing one database;
//! - a batch row is issued at most once: `(batch_id, batch_row)` is unique;
//! - every write commits before the method returns.

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL's scheme is neither `sqlite` nor `postgres`.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// The database refused or failed the operation.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A row with this key already exists.
    #[error("{0} already exists")]
    Duplicate(String),
    /// A stored value could not be read back.
    #[error("corrupt stored value in {what}: {detail}")]
    Corrupt {
        /// Which table and column.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
}

/// The result type of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// An institution on this server.
#[derive(Clone, Debug, PartialEq)]
pub struct TenantRow {
    /// The slug, unique on this server, used in URLs.
    pub id: String,
    /// The issuer's DID.
    pub did: String,
    /// `web` or `key`.
    pub did_method: String,
    /// The profile (name, url, email, image, description) as JSON.
    pub profile: serde_json::Value,
    /// When it was created.
    pub created_at: String,
}

/// A signing key, its secret sealed under the key-encryption key.
#[derive(Clone, Debug)]
pub struct KeyRow {
    /// The tenant.
    pub tenant_id: String,
    /// The fragment of the verification method id.
    pub key_id: String,
    /// The public key, Multikey multibase.
    pub public_multibase: String,
    /// Nonce and ciphertext of the secret seed.
    pub sealed_secret: Vec<u8>,
    /// When it was made; the newest key signs.
    pub created_at: String,
}

/// An achievement definition.
#[derive(Clone, Debug, PartialEq)]
pub struct AchievementRow {
    /// The tenant.
    pub tenant_id: String,
    /// The slug, unique within the tenant.
    pub id: String,
    /// The definition as the admin gave it (validated), JSON.
    pub definition: serde_json::Value,
    /// Retired achievements are no longer issued.
    pub retired: bool,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// An issued credential.
#[derive(Clone, Debug, PartialEq)]
pub struct CredentialRow {
    /// The unguessable public id, the last segment of `/c/{id}`.
    pub id: String,
    /// The tenant that issued it.
    pub tenant_id: String,
    /// `achievement`, `clr`, `endorsement` or `vc-api`.
    pub kind: String,
    /// The achievement awarded, if any.
    pub achievement_id: Option<String>,
    /// The learner's name as given, for the certificate.
    pub recipient_name: Option<String>,
    /// The learner's identifier (email, student number, DID) as given.
    pub recipient_identifier: Option<String>,
    /// `ldp` (Data Integrity JSON) or `vc+jwt`.
    pub format: String,
    /// The signed credential: JSON text, or the compact JWS.
    pub body: String,
    /// When it was issued.
    pub issued_at: String,
    /// The batch and row it was issued for, if it came from a batch.
    pub batch: Option<(String, i64)>,
}

/// A Bitstring Status List as the issuer keeps it.
#[derive(Clone, Debug)]
pub struct StatusListRow {
    /// The list's id, the last segment of its public URL.
    pub id: String,
    /// The tenant whose credentials it covers.
    pub tenant_id: String,
    /// `revocation` or `suspension`.
    pub purpose: String,
    /// Entries (bits) in the list.
    pub size: i64,
    /// How many entries may be allocated before the list is closed to new credentials.
    pub capacity: i64,
    /// How many have been.
    pub allocated: i64,
    /// The raw bitstring, `size / 8` bytes, most significant bit first.
    pub bits: Vec<u8>,
    /// Incremented on every change of a bit.
    pub version: i64,
    /// The version the stored credential was signed at; -1 before the first signature.
    pub signed_version: i64,
    /// The signed `BitstringStatusListCredential`, JSON text.
    pub credential: Option<String>,
    /// When the list was last changed or signed.
    pub updated_at: String,
}

/// Where one of a credential's status entries points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEntryRow {
    /// The list.
    pub list_id: String,
    /// The list's purpose.
    pub purpose: String,
    /// The index within it.
    pub idx: i64,
}

/// The outcome of trying to claim one status-list index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The index is now this credential's.
    Claimed,
    /// Another credential holds it; try another.
    Taken,
    /// The list has reached its capacity; use or open another list.
    Full,
}

/// An admin bearer token, stored by the SHA-256 of its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    /// Hex SHA-256 of the token.
    pub hash: String,
    /// A label for the audit log.
    pub name: String,
    /// `admin` or `issue`.
    pub scope: String,
    /// The one tenant the token may act for; `None` for all.
    pub tenant_id: Option<String>,
    /// When it was made.
    pub created_at: String,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AuditRow {
    /// Its position in the log.
    pub seq: i64,
    /// When.
    pub at: String,
    /// The token's name.
    pub actor: String,
    /// What was done, e.g. `credential.revoke`.
    pub action: String,
    /// What it was done to.
    pub target: String,
    /// Details, JSON.
    pub detail: serde_json::Value,
}

/// Which SQL dialect a [`SqlStore`] speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite, embedded.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// What the issuer needs from its database. Every write commits before it returns.
#[allow(async_fn_in_trait)]
pub trait Store: Send + Sync {
    /// Adds a tenant and its first key, atomically. [`StoreError::Duplicate`] if the slug or DID is taken.
    async fn insert_tenant(&self, tenant: &TenantRow, key: &KeyRow) -> StoreResult<()>;
    /// One tenant.
    async fn tenant(&self, id: &str) -> StoreResult<Option<TenantRow>>;
    /// All tenants, by slug.
    async fn tenants(&self) -> StoreResult<Vec<TenantRow>>;
    /// Replaces a tenant's profile.
    async fn update_profile(&self, id: &str, profile: &serde_json::Value) -> StoreResult<bool>;
    /// Adds a key to a tenant; the newest signs.
    async fn insert_key(&self, key: &KeyRow) -> StoreResult<()>;
    /// A tenant's keys, oldest first.
    async fn keys(&self, tenant_id: &str) -> StoreResult<Vec<KeyRow>>;

    /// Adds an achievement. [`StoreError::Duplicate`] if its id is taken within the tenant.
    async fn insert_achievement(&self, row: &AchievementRow) -> StoreResult<()>;
    /// One achievement.
    async fn achievement(&self, tenant_id: &str, id: &str) -> StoreResult<Option<AchievementRow>>;
    /// A tenant's achievements, by id.
    async fn achievements(&self, tenant_id: &str) -> StoreResult<Vec<AchievementRow>>;
    /// Replaces a definition and sets `retired`; false if there is no such achievement.
    async fn update_achievement(
        &self,
        tenant_id: &str,
        id: &str,
        definition: &serde_json::Value,
        retired: bool,
        at: &str,
    ) -> StoreResult<bool>;

    /// Records an issued credential. [`StoreError::Duplicate`] if its batch row was issued already.
    async fn insert_credential(&self, row: &CredentialRow) -> StoreResult<()>;
    /// One credential by public id.
    async fn credential(&self, id: &str) -> StoreResult<Option<CredentialRow>>;
    /// The credential issued for a batch row, if any.
    async fn batch_credential(&self, batch_id: &str, row: i64) -> StoreResult<Option<String>>;
    /// How many credentials a batch has issued.
    async fn batch_count(&self, batch_id: &str) -> StoreResult<i64>;
    /// A tenant's credentials for one recipient identifier, oldest first.
    async fn credentials_for(&self, tenant_id: &str, identifier: &str) -> StoreResult<Vec<CredentialRow>>;

    /// A list of `tenant_id`'s with `purpose` that still has room, if any.
    async fn open_status_list(&self, tenant_id: &str, purpose: &str) -> StoreResult<Option<StatusListRow>>;
    /// Adds a new status list.
    async fn insert_status_list(&self, row: &StatusListRow) -> StoreResult<()>;
    /// One status list.
    async fn status_list(&self, id: &str) -> StoreResult<Option<StatusListRow>>;
    /// Claims `idx` in `list_id` for `credential_id`, unless taken or the list is full.
    async fn claim_index(&self, list_id: &str, idx: i64, credential_id: &str) -> StoreResult<Claim>;
    /// A credential's status entries.
    async fn status_entries(&self, credential_id: &str) -> StoreResult<Vec<StatusEntryRow>>;
    /// Sets one bit and bumps the list's version, atomically; returns the list as it now is.
    /// `None` if there is no such list.
    async fn set_status_bit(
        &self,
        list_id: &str,
        idx: i64,
        value: bool,
        at: &str,
    ) -> StoreResult<Option<StatusListRow>>;
    /// Stores the list credential signed at `version`, unless a later one is stored already.
    async fn store_list_credential(&self, list_id: &str, version: i64, credential: &str, at: &str) -> StoreResult<()>;

    /// Adds a token.
    async fn insert_token(&self, row: &TokenRow) -> StoreResult<()>;
    /// Makes `row` the only token with its name, atomically: the bootstrap token set at start-up
    /// replaces the one set before, which stops working.
    async fn replace_named_token(&self, row: &TokenRow) -> StoreResult<()>;
    /// The token with this hash.
    async fn token(&self, hash: &str) -> StoreResult<Option<TokenRow>>;

    /// Appends to the audit log.
    async fn audit(
        &self,
        at: &str,
        actor: &str,
        action: &str,
        target: &str,
        detail: &serde_json::Value,
    ) -> StoreResult<()>;
    /// The latest `limit` audit lines, newest first.
    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditRow>>;
}

/// The store over SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pool: AnyPool,
    dialect: Dialect,
}

const SQLITE_MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/sqlite/0001_init.sql"))];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/postgres/0001_init.sql"))];

/// Opens the store at `url` and brings its schema up to date.
///
/// `sqlite://PATH` creates the file if it is missing (the user named it) and sets WAL mode, a busy
/// timeout and foreign keys; `postgres://…` connects to an existing database.
pub async fn open(url: &str) -> StoreResult<SqlStore> {
    sqlx::any::install_default_drivers();
    let dialect = if url.starts_with("sqlite:") {
        Dialect::Sqlite
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Dialect::Postgres
    } else {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    };
    let url = match dialect {
        Dialect::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
        _ => url.to_owned(),
    };
    let options = AnyConnectOptions::from_str(&url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(if dialect == Dialect::Sqlite { 4 } else { 8 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if dialect == Dialect::Sqlite {
                    // WAL lets readers run beside the one writer; NORMAL is durable at every
                    // commit in WAL mode against process crashes (the kill -9 case).
                    for pragma in [
                        "PRAGMA journal_mode = WAL",
                        "PRAGMA synchronous = NORMAL",
                        "PRAGMA busy_timeout = 10000",
                        "PRAGMA foreign_keys = ON",
                    ] {
                        sqlx::query(pragma).execute(&mut *conn).await?;
                    }
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    let store = SqlStore { pool, dialect };
    store.migrate().await?;
    Ok(store)
}

impl SqlStore {
    /// The dialect this store speaks.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Applies the migrations not yet applied, each in its own transaction, in order.
    async fn migrate(&self) -> StoreResult<()> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS accolade_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        let migrations = match self.dialect {
            Dialect::Sqlite => SQLITE_MIGRATIONS,
            Dialect::Postgres => POSTGRES_MIGRATIONS,
        };
        for (version, sql) in migrations {
            let mut tx = self.pool.begin().await?;
            // Take the write lock first, so two processes starting together apply each once.
            let claimed = sqlx::query(
                "INSERT INTO accolade_migrations (version, applied_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(*version)
            .bind(crate::now_rfc3339())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            for statement in split_statements(sql) {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}

/// The statements of a migration file, comments dropped. Migrations hold no string literals with
/// semicolons, which keeps this split sound.
fn split_statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';')
        .map(str::trim)
        .filter(|s| s.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--")))
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

fn json_column(row: &AnyRow, column: &'static str) -> StoreResult<serde_json::Value> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { what: column, detail: e.to_string() })
}

fn tenant_row(row: &AnyRow) -> StoreResult<TenantRow> {
    Ok(TenantRow {
        id: row.try_get("id")?,
        did: row.try_get("did")?,
        did_method: row.try_get("did_method")?,
        profile: json_column(row, "profile")?,
        created_at: row.try_get("created_at")?,
    })
}

fn key_row(row: &AnyRow) -> StoreResult<KeyRow> {
    Ok(KeyRow {
        tenant_id: row.try_get("tenant_id")?,
        key_id: row.try_get("key_id")?,
        public_multibase: row.try_get("public_multibase")?,
        sealed_secret: row.try_get("sealed_secret")?,
        created_at: row.try_get("created_at")?,
    })
}

fn achievement_row(row: &AnyRow) -> StoreResult<AchievementRow> {
    Ok(AchievementRow {
        tenant_id: row.try_get("tenant_id")?,
        id: row.try_get("id")?,
        definition: json_column(row, "definition")?,
        retired: row.try_get::<i64, _>("retired")? != 0,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn credential_row(row: &AnyRow) -> StoreResult<CredentialRow> {
    let batch_id: Option<String> = row.try_get("batch_id")?;
    let batch_row: Option<i64> = row.try_get("batch_row")?;
    Ok(CredentialRow {
        id: row.try_get("id")?,
        tenant_id: row.try_get("tenant_id")?,
        kind: row.try_get("kind")?,
        achievement_id: row.try_get("achievement_id")?,
        recipient_name: row.try_get("recipient_name")?,
        recipient_identifier: row.try_get("recipient_identifier")?,
        format: row.try_get("format")?,
        body: row.try_get("body")?,
        issued_at: row.try_get("issued_at")?,
        batch: batch_id.zip(batch_row),
    })
}

fn status_list_row(row: &AnyRow) -> StoreResult<StatusListRow> {
    Ok(StatusListRow {
        id: row.try_get("id")?,
        tenant_id: row.try_get("tenant_id")?,
        purpose: row.try_get("purpose")?,
        size: row.try_get("size")?,
        capacity: row.try_get("capacity")?,
        allocated: row.try_get("allocated")?,
        bits: row.try_get("bits")?,
        version: row.try_get("version")?,
        signed_version: row.try_get("signed_version")?,
        credential: row.try_get("credential")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn token_row(row: &AnyRow) -> StoreResult<TokenRow> {
    Ok(TokenRow {
        hash: row.try_get("hash")?,
        name: row.try_get("name")?,
        scope: row.try_get("scope")?,
        tenant_id: row.try_get("tenant_id")?,
        created_at: row.try_get("created_at")?,
    })
}

const CREDENTIAL_COLUMNS: &str = "id, tenant_id, kind, achievement_id, recipient_name, recipient_identifier, format, \
                                  body, issued_at, batch_id, batch_row";
const LIST_COLUMNS: &str =
    "id, tenant_id, purpose, size, capacity, allocated, bits, version, signed_version, credential, updated_at";

impl Store for SqlStore {
    async fn insert_tenant(&self, tenant: &TenantRow, key: &KeyRow) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO tenants (id, did, did_method, profile, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&tenant.id)
        .bind(&tenant.did)
        .bind(&tenant.did_method)
        .bind(tenant.profile.to_string())
        .bind(&tenant.created_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StoreError::Duplicate(format!("issuer {:?}", tenant.id)));
        }
        insert_key_in(&mut tx, key).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tenant(&self, id: &str) -> StoreResult<Option<TenantRow>> {
        let row = sqlx::query("SELECT id, did, did_method, profile, created_at FROM tenants WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(tenant_row).transpose()
    }

    async fn tenants(&self) -> StoreResult<Vec<TenantRow>> {
        let rows = sqlx::query("SELECT id, did, did_method, profile, created_at FROM tenants ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(tenant_row).collect()
    }

    async fn update_profile(&self, id: &str, profile: &serde_json::Value) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE tenants SET profile = $1 WHERE id = $2")
            .bind(profile.to_string())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_key(&self, key: &KeyRow) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_key_in(&mut tx, key).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn keys(&self, tenant_id: &str) -> StoreResult<Vec<KeyRow>> {
        let rows = sqlx::query(
            "SELECT tenant_id, key_id, public_multibase, sealed_secret, created_at FROM signing_keys \
             WHERE tenant_id = $1 ORDER BY created_at, key_id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(key_row).collect()
    }

    async fn insert_achievement(&self, row: &AchievementRow) -> StoreResult<()> {
        let inserted = sqlx::query(
            "INSERT INTO achievements (tenant_id, id, definition, retired, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&row.tenant_id)
        .bind(&row.id)
        .bind(row.definition.to_string())
        .bind(i64::from(row.retired))
        .bind(&row.created_at)
        .bind(&row.updated_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StoreError::Duplicate(format!("achievement {:?}", row.id)));
        }
        Ok(())
    }

    async fn achievement(&self, tenant_id: &str, id: &str) -> StoreResult<Option<AchievementRow>> {
        let row = sqlx::query(
            "SELECT tenant_id, id, definition, retired, created_at, updated_at FROM achievements \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(achievement_row).transpose()
    }

    async fn achievements(&self, tenant_id: &str) -> StoreResult<Vec<AchievementRow>> {
        let rows = sqlx::query(
            "SELECT tenant_id, id, definition, retired, created_at, updated_at FROM achievements \
             WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(achievement_row).collect()
    }

    async fn update_achievement(
        &self,
        tenant_id: &str,
        id: &str,
        definition: &serde_json::Value,
        retired: bool,
        at: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE achievements SET definition = $1, retired = $2, updated_at = $3 WHERE tenant_id = $4 AND id = $5",
        )
        .bind(definition.to_string())
        .bind(i64::from(retired))
        .bind(at)
        .bind(tenant_id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_credential(&self, row: &CredentialRow) -> StoreResult<()> {
        let (batch_id, batch_row) = match &row.batch {
            Some((id, n)) => (Some(id.as_str()), Some(*n)),
            None => (None, None),
        };
        let result = sqlx::query(&format!(
            "INSERT INTO credentials ({CREDENTIAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&row.id)
        .bind(&row.tenant_id)
        .bind(&row.kind)
        .bind(row.achievement_id.as_deref())
        .bind(row.recipient_name.as_deref())
        .bind(row.recipient_identifier.as_deref())
        .bind(&row.format)
        .bind(&row.body)
        .bind(&row.issued_at)
        .bind(batch_id)
        .bind(batch_row)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(StoreError::Duplicate(match &row.batch {
                Some((batch, n)) => format!("row {n} of batch {batch}"),
                None => format!("credential {}", row.id),
            })),
            Err(e) => Err(e.into()),
        }
    }

    async fn credential(&self, id: &str) -> StoreResult<Option<CredentialRow>> {
        let row = sqlx::query(&format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(credential_row).transpose()
    }

    async fn batch_credential(&self, batch_id: &str, row: i64) -> StoreResult<Option<String>> {
        let found = sqlx::query("SELECT id FROM credentials WHERE batch_id = $1 AND batch_row = $2")
            .bind(batch_id)
            .bind(row)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.map(|r| r.try_get("id")).transpose()?)
    }

    async fn batch_count(&self, batch_id: &str) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM credentials WHERE batch_id = $1")
            .bind(batch_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    async fn credentials_for(&self, tenant_id: &str, identifier: &str) -> StoreResult<Vec<CredentialRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE tenant_id = $1 AND recipient_identifier = $2 \
             ORDER BY issued_at, id"
        ))
        .bind(tenant_id)
        .bind(identifier)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(credential_row).collect()
    }

    async fn open_status_list(&self, tenant_id: &str, purpose: &str) -> StoreResult<Option<StatusListRow>> {
        let row = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS} FROM status_lists WHERE tenant_id = $1 AND purpose = $2 AND allocated < capacity \
             ORDER BY created_at, id LIMIT 1"
        ))
        .bind(tenant_id)
        .bind(purpose)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(status_list_row).transpose()
    }

    async fn insert_status_list(&self, row: &StatusListRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO status_lists (id, tenant_id, purpose, size, capacity, allocated, bits, version, \
             signed_version, credential, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(&row.id)
        .bind(&row.tenant_id)
        .bind(&row.purpose)
        .bind(row.size)
        .bind(row.capacity)
        .bind(row.allocated)
        .bind(row.bits.as_slice())
        .bind(row.version)
        .bind(row.signed_version)
        .bind(row.credential.as_deref())
        .bind(&row.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn status_list(&self, id: &str) -> StoreResult<Option<StatusListRow>> {
        let row = sqlx::query(&format!("SELECT {LIST_COLUMNS} FROM status_lists WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(status_list_row).transpose()
    }

    async fn claim_index(&self, list_id: &str, idx: i64, credential_id: &str) -> StoreResult<Claim> {
        let mut tx = self.pool.begin().await?;
        // Write first: the INSERT takes SQLite's write lock (waiting for it) rather than upgrading
        // a read lock later, which SQLite would refuse outright under contention.
        let inserted = sqlx::query(
            "INSERT INTO status_entries (list_id, idx, credential_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(list_id)
        .bind(idx)
        .bind(credential_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(Claim::Taken);
        }
        let counted =
            sqlx::query("UPDATE status_lists SET allocated = allocated + 1 WHERE id = $1 AND allocated < capacity")
                .bind(list_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if counted == 0 {
            tx.rollback().await?;
            return Ok(Claim::Full);
        }
        tx.commit().await?;
        Ok(Claim::Claimed)
    }

    async fn status_entries(&self, credential_id: &str) -> StoreResult<Vec<StatusEntryRow>> {
        let rows = sqlx::query(
            "SELECT e.list_id AS list_id, l.purpose AS purpose, e.idx AS idx FROM status_entries e \
             JOIN status_lists l ON l.id = e.list_id WHERE e.credential_id = $1 ORDER BY l.purpose",
        )
        .bind(credential_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatusEntryRow {
                    list_id: r.try_get("list_id")?,
                    purpose: r.try_get("purpose")?,
                    idx: r.try_get("idx")?,
                })
            })
            .collect()
    }

    async fn set_status_bit(
        &self,
        list_id: &str,
        idx: i64,
        value: bool,
        at: &str,
    ) -> StoreResult<Option<StatusListRow>> {
        let mut tx = self.pool.begin().await?;
        // The version bump comes first so that it takes the row's write lock before the bits are
        // read: two concurrent changes to one list serialise instead of losing an update.
        let bumped = sqlx::query("UPDATE status_lists SET version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(list_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if bumped == 0 {
            return Ok(None);
        }
        let row = sqlx::query(&format!("SELECT {LIST_COLUMNS} FROM status_lists WHERE id = $1"))
            .bind(list_id)
            .fetch_one(&mut *tx)
            .await?;
        let mut list = status_list_row(&row)?;
        let byte = usize::try_from(idx / 8).ok().filter(|b| *b < list.bits.len()).ok_or_else(|| {
            StoreError::Corrupt { what: "status_entries.idx", detail: format!("index {idx} outside list {list_id}") }
        })?;
        let mask = 0x80u8 >> (idx % 8);
        if value {
            list.bits[byte] |= mask;
        } else {
            list.bits[byte] &= !mask;
        }
        sqlx::query("UPDATE status_lists SET bits = $1 WHERE id = $2")
            .bind(list.bits.as_slice())
            .bind(list_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(list))
    }

    async fn store_list_credential(&self, list_id: &str, version: i64, credential: &str, at: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE status_lists SET credential = $1, signed_version = $2, updated_at = $3 \
             WHERE id = $4 AND signed_version < $2",
        )
        .bind(credential)
        .bind(version)
        .bind(at)
        .bind(list_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn insert_token(&self, row: &TokenRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tokens (hash, name, scope, tenant_id, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&row.hash)
        .bind(&row.name)
        .bind(&row.scope)
        .bind(row.tenant_id.as_deref())
        .bind(&row.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn replace_named_token(&self, row: &TokenRow) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM tokens WHERE name = $1 AND hash <> $2")
            .bind(&row.name)
            .bind(&row.hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tokens (hash, name, scope, tenant_id, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&row.hash)
        .bind(&row.name)
        .bind(&row.scope)
        .bind(row.tenant_id.as_deref())
        .bind(&row.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn token(&self, hash: &str) -> StoreResult<Option<TokenRow>> {
        let row = sqlx::query("SELECT hash, name, scope, tenant_id, created_at FROM tokens WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(token_row).transpose()
    }

    async fn audit(
        &self,
        at: &str,
        actor: &str,
        action: &str,
        target: &str,
        detail: &serde_json::Value,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(at)
            .bind(actor)
            .bind(action)
            .bind(target)
            .bind(detail.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditRow>> {
        let rows =
            sqlx::query("SELECT seq, at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT $1")
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: json_column(r, "detail")?,
                })
            })
            .collect()
    }
}

async fn insert_key_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, key: &KeyRow) -> StoreResult<()> {
    let inserted = sqlx::query(
        "INSERT INTO signing_keys (tenant_id, key_id, public_multibase, sealed_secret, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(&key.tenant_id)
    .bind(&key.key_id)
    .bind(&key.public_multibase)
    .bind(key.sealed_secret.as_slice())
    .bind(&key.created_at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(StoreError::Duplicate(format!("key {:?}", key.key_id)));
    }
    Ok(())
}
