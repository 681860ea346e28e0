//! `accolade-issuer`: run the issuer service, or issue a CSV cohort from the command line.

use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use accolade_issuer::achievements::{self, AchievementDefinition};
use accolade_issuer::keyring::{Kek, KeyringError, KEK_ENV};
use accolade_issuer::tenants::{self, NewIssuer};
use accolade_issuer::{auth, batch, store, AppState, Config, ServiceError};

#[derive(Parser)]
#[command(name = "accolade-issuer", version, about = "Issue Open Badges 3.0 and CLR 2.0 credentials")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the issuer service.
    ///
    /// Example: ACCOLADE_KEK=$(accolade-issuer new-kek) ACCOLADE_ADMIN_TOKEN=… accolade-issuer serve --database sqlite://issuer.db
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// `sqlite://PATH` (embedded, the default) or `postgres://…`.
        #[arg(long, env = "ACCOLADE_DATABASE_URL")]
        database: Option<String>,
        /// The URL the service is reached at from outside (links, status lists, did:web).
        #[arg(long, env = "ACCOLADE_PUBLIC_URL")]
        public_url: Option<String>,
        /// A file holding the key-encryption key (64 hex digits); else ACCOLADE_KEK.
        #[arg(long)]
        kek_file: Option<PathBuf>,
        /// Try it out: keep everything in --data-dir (database, a generated key-encryption key and
        /// admin token, both mode 0600) and seed one institution with one achievement.
        #[arg(long)]
        demo: bool,
        /// Where --demo keeps its files.
        #[arg(long, default_value = "accolade-demo")]
        data_dir: PathBuf,
    },
    /// Issue an achievement to every row of a CSV file.
    ///
    /// Example: accolade-issuer issue-batch --database sqlite://issuer.db --issuer uni --achievement welding-1 cohort.csv
    IssueBatch {
        /// The store.
        #[arg(long, env = "ACCOLADE_DATABASE_URL")]
        database: String,
        /// The URL the service is reached at (must match the running service's).
        #[arg(long, env = "ACCOLADE_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        /// The key-encryption key file; else ACCOLADE_KEK.
        #[arg(long)]
        kek_file: Option<PathBuf>,
        /// The issuer's id.
        #[arg(long)]
        issuer: String,
        /// The achievement's id.
        #[arg(long)]
        achievement: String,
        /// Check every row and report; sign nothing.
        #[arg(long)]
        dry_run: bool,
        /// The batch's name; by default a digest of issuer, achievement and file, so running the
        /// same file again after a crash continues it.
        #[arg(long)]
        batch_id: Option<String>,
        /// The CSV file.
        file: PathBuf,
    },
    /// Print a new random key-encryption key (64 hex digits) for ACCOLADE_KEK or --kek-file.
    NewKek,
}

/// mimalloc instead of the system allocator: signing and verifying build and drop many small
/// JSON and RDF values, and glibc's malloc cost about a fifth of the time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "accolade_issuer=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::NewKek => {
            println!("{}", Kek::generate_hex().as_str());
            Ok(())
        }
        Command::Serve { listen, database, public_url, kek_file, demo, data_dir } => {
            serve(listen, database, public_url, kek_file, demo, &data_dir).await
        }
        Command::IssueBatch { database, public_url, kek_file, issuer, achievement, dry_run, batch_id, file } => {
            issue_batch(&database, &public_url, kek_file.as_deref(), &issuer, &achievement, dry_run, batch_id, &file)
                .await
        }
    }
}

fn load_kek(file: Option<&Path>) -> anyhow::Result<Kek> {
    Kek::load(file).map_err(|e| match e {
        KeyringError::Missing => anyhow::anyhow!(
            "no key-encryption key; set {KEK_ENV} (make one with `accolade-issuer new-kek`) or pass --kek-file FILE"
        ),
        other => other.into(),
    })
}

/// Writes `contents` to a new file readable by its owner only.
fn write_secret(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

async fn serve(
    listen: SocketAddr,
    database: Option<String>,
    public_url: Option<String>,
    kek_file: Option<PathBuf>,
    demo: bool,
    data_dir: &Path,
) -> anyhow::Result<()> {
    let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
    let (database, kek, demo_files) = if demo {
        std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
        let kek_path = data_dir.join("kek");
        if !kek_path.exists() {
            write_secret(&kek_path, Kek::generate_hex().as_str())?;
        }
        let token_path = data_dir.join("admin-token");
        if !token_path.exists() {
            write_secret(&token_path, &auth::new_token())?;
        }
        let token = std::fs::read_to_string(&token_path)?.trim().to_owned();
        let db = database.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("issuer.db").display()));
        (db, load_kek(Some(&kek_path))?, Some((token_path, token)))
    } else {
        let Some(db) = database else {
            bail!("no database; pass --database sqlite://PATH (or postgres://…), or try --demo");
        };
        (db, load_kek(kek_file.as_deref())?, None)
    };
    let store = store::open(&database).await.with_context(|| format!("cannot open the store {database}"))?;
    // The verification page the QR codes point to, mounted here. In --demo the public URL is on
    // loopback, so the page may fetch from loopback (development only, as --allow-loopback).
    let mut policy = accolade_core::fetch::FetchPolicy::from_env();
    policy.allow_loopback |= demo;
    let state =
        AppState::new(store, kek, Config::new(&public_url)).with_verifier(accolade_verifier::online_state(policy));
    let bootstrap =
        demo_files.as_ref().map(|(_, token)| token.clone()).or_else(|| std::env::var(auth::ADMIN_TOKEN_ENV).ok());
    match bootstrap {
        Some(token) => auth::install_bootstrap(&state, token.trim()).await?,
        None => tracing::warn!("{} is not set: only tokens made earlier can use the admin API", auth::ADMIN_TOKEN_ENV),
    }
    if demo {
        seed_demo(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let base = state.config().public_url.clone();
    println!("accolade-issuer is ready at {base} (store: {database})");
    println!("  OpenAPI:      {base}/openapi.json");
    println!("  health:       {base}/healthz");
    println!("  verify page:  {base}/verify (the QR codes on certificates point here)");
    if let Some((token_path, _)) = &demo_files {
        println!("  admin token:  {} (mode 0600)", token_path.display());
        println!("  demo issuer:  {base}/admin/issuers/demo-university (DID document at {base}/issuers/demo-university/did.json)");
        println!();
        println!("Issue a first badge:");
        println!(
            "  curl -s -X POST {base}/admin/issuers/demo-university/awards -H \"Authorization: Bearer $(cat {})\" \\\n    -H 'Content-Type: application/json' \\\n    -d '{{\"achievement\": \"first-aid\", \"recipient\": {{\"name\": \"Ada Lovelace\", \"email\": \"ada@example.org\"}}}}'",
            token_path.display()
        );
        println!(
            "The answer's links.json is the credential's public link; links.certificate is its printable certificate."
        );
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    accolade_issuer::serve(listener, state, shutdown).await?;
    Ok(())
}

async fn seed_demo(state: &AppState) -> anyhow::Result<()> {
    let issuer: NewIssuer = serde_json::from_value(serde_json::json!({
        "id": "demo-university",
        "suspension": true,
        "profile": {"name": "Demo University", "url": "https://university.example", "email": "registrar@university.example",
                    "description": "A demonstration issuer."}
    }))?;
    let issuer = match tenants::create(state, issuer).await {
        Ok(issuer) => issuer,
        Err(ServiceError::Store(store::StoreError::Duplicate(_))) => tenants::load(state, "demo-university").await?,
        Err(e) => return Err(e.into()),
    };
    let definition: AchievementDefinition = serde_json::from_value(serde_json::json!({
        "id": "first-aid",
        "language": "en",
        "name": {"en": "First Aid at Work", "fr": "Premiers secours au travail", "es": "Primeros auxilios en el trabajo"},
        "description": {"en": "Can give first aid to an injured or ill person at work.",
                        "fr": "Sait porter les premiers secours à une personne blessée ou malade au travail.",
                        "es": "Sabe prestar primeros auxilios a una persona herida o enferma en el trabajo."},
        "criteria": {"narrative": {"en": "Completed 18 hours of training and passed the practical assessment.",
                                   "fr": "A suivi 18 heures de formation et réussi l'évaluation pratique.",
                                   "es": "Completó 18 horas de formación y aprobó la evaluación práctica."}},
        "achievementType": "Certificate",
        "alignment": [{"targetName": "provide first aid", "targetUrl": "http://data.europa.eu/esco/skill/5e5b5b5f-0b5a-4b5b-9c8e-0f0b0a0b0c0d",
                       "targetFramework": "ESCO", "targetType": "ext:ESCOSkill"}],
        "creditsAvailable": 1,
        "tag": ["health", "safety"],
    }))?;
    match achievements::create(state, &issuer, definition).await {
        Ok(_) | Err(ServiceError::Conflict { code: "DUPLICATE_ACHIEVEMENT", .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn issue_batch(
    database: &str,
    public_url: &str,
    kek_file: Option<&Path>,
    issuer_id: &str,
    achievement_id: &str,
    dry_run: bool,
    batch_id: Option<String>,
    file: &Path,
) -> anyhow::Result<()> {
    let csv = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let kek = load_kek(kek_file)?;
    let store = store::open(database).await.with_context(|| format!("cannot open the store {database}"))?;
    let state = AppState::new(store, kek, Config::new(public_url));
    let issuer = tenants::load(&state, issuer_id).await?;
    let achievement = achievements::load(&state, &issuer, achievement_id).await?;
    let plan = match batch::plan(&state, &issuer, &achievement, &csv) {
        Ok(plan) => plan,
        Err(ServiceError::BadRows(rows)) => {
            for row in &rows {
                eprintln!("{}:{}: {}", file.display(), row.line, row.message);
            }
            bail!("{} bad rows in {}; nothing was issued. Fix them and run again.", rows.len(), file.display());
        }
        Err(e) => return Err(e.into()),
    };
    if dry_run {
        println!("{}: {} rows, all valid; nothing was issued (dry run)", file.display(), plan.len());
        return Ok(());
    }
    let batch_id = batch_id.unwrap_or_else(|| plan.default_id(&issuer, &achievement));
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(plan.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} rows, {per_sec}, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let summary = batch::run(&state, &issuer, &achievement, &plan, &batch_id, |_| bar.inc(1)).await?;
    bar.finish_and_clear();
    println!(
        "batch {batch_id}: {} issued, {} already issued by an earlier run, {} rows in all",
        summary.issued,
        summary.already,
        plan.len()
    );
    Ok(())
}
