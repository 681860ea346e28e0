//! `accolade-verifier`: serve the verification API, or verify files from the command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use accolade_core::fetch::FetchPolicy;
use accolade_core::verify::Verifier;
use accolade_verifier::TrustedIssuers;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

/// Verifies learning credentials (Open Badges 3.0, CLR 2.0, W3C VC 2.0).
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the VC-API verification endpoints.
    ///
    /// Example: accolade-verifier serve --listen 127.0.0.1:8080
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Development only: fetch over plain http from loopback addresses.
        #[arg(long, env = "ACCOLADE_ALLOW_LOOPBACK", value_parser = clap::builder::BoolishValueParser::new())]
        allow_loopback: bool,
        /// A JSON file of trusted issuers: {"issuers": [{"id": "did:…", "name": "…"}]}.
        #[arg(long, value_name = "FILE")]
        trusted_issuers: Option<PathBuf>,
    },
    /// Verify credential files and print one JSON report per file, one per line.
    ///
    /// Exits 0 when every file verified, 1 when any did not, 2 when a file could not be read.
    ///
    /// Example: accolade-verifier verify badge.json --now 2025-01-01T00:00:00Z
    Verify {
        /// Files holding a credential or presentation as JSON, or a compact JWT.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Judge validity at this time (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<DateTime<Utc>>,
        /// Fetch nothing: keys resolve only from did:key, and status lists are not checked.
        #[arg(long)]
        offline: bool,
        /// Development only: fetch over plain http from loopback addresses.
        #[arg(long, env = "ACCOLADE_ALLOW_LOOPBACK", value_parser = clap::builder::BoolishValueParser::new())]
        allow_loopback: bool,
        /// A JSON file of trusted issuers: {"issuers": [{"id": "did:…", "name": "…"}]}.
        #[arg(long, value_name = "FILE")]
        trusted_issuers: Option<PathBuf>,
    },
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{e}; expected RFC 3339, such as 2025-01-01T00:00:00Z"))
}

/// mimalloc instead of the system allocator: signing and verifying build and drop many small
/// JSON and RDF values, and glibc's malloc cost about a fifth of the time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify { files, now, offline, allow_loopback, trusted_issuers } => {
            let trust = match load_trust(trusted_issuers.as_deref()) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}\nhint: check the file given to --trusted-issuers");
                    return ExitCode::from(2);
                }
            };
            verify(&files, now, offline, policy(allow_loopback), trust.as_ref())
        }
        Command::Serve { listen, allow_loopback, trusted_issuers } => {
            match serve(listen, policy(allow_loopback), trusted_issuers) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn policy(allow_loopback: bool) -> FetchPolicy {
    let mut policy = FetchPolicy::from_env();
    policy.allow_loopback |= allow_loopback;
    policy
}

fn load_trust(path: Option<&std::path::Path>) -> Result<Option<TrustedIssuers>, accolade_verifier::TrustListError> {
    path.map(TrustedIssuers::load).transpose()
}

fn verify(
    files: &[PathBuf],
    now: Option<DateTime<Utc>>,
    offline: bool,
    policy: FetchPolicy,
    trust: Option<&TrustedIssuers>,
) -> ExitCode {
    let (resolver, status) = accolade_verifier::online_parts(policy, offline);
    let mut verifier = Verifier::new(&resolver);
    if let Some(trust) = trust {
        verifier = verifier.with_trust(trust);
    }
    if let Some(status) = &status {
        verifier = verifier.with_status(status);
    }
    if let Some(now) = now {
        verifier = verifier.at(now);
    }
    let mut all_verified = true;
    for file in files {
        let text = match read_credential(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}\nhint: pass a credential file: JSON, a JWT, or a baked PNG or SVG badge");
                return ExitCode::from(2);
            }
        };
        let report = verifier.verify_text(&text);
        all_verified &= report.verified;
        println!("{}", report.to_json());
    }
    if all_verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The credential text in `file`: the file itself, or what is baked into a PNG or SVG badge.
fn read_credential(file: &std::path::Path) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if accolade_core::bake::detect(&bytes).is_some() {
        return accolade_core::bake::unbake(&bytes).map_err(|e| format!("{}: {e}", file.display()));
    }
    String::from_utf8(bytes).map_err(|_| format!("{} is neither text nor a PNG or SVG badge", file.display()))
}

fn serve(listen: SocketAddr, policy: FetchPolicy, trusted_issuers: Option<PathBuf>) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener =
            tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
        let address = listener.local_addr()?;
        tracing::info!(%address, "accolade-verifier listening");
        let mut state = accolade_verifier::online_state(policy);
        if let Some(trust) = load_trust(trusted_issuers.as_deref())? {
            tracing::info!(issuers = trust.len(), "trusted-issuer list loaded");
            state = state.with_trust(trust);
        }
        accolade_verifier::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server failed")
    })
}
