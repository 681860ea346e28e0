//! `accolade-wallet`: the learner's own wallet. Keep credentials from any institution, verify
//! them offline, present them to an employer, and back them up.
//!
//! The wallet home is `--home DIR`, else `ACCOLADE_WALLET_HOME`, else `accolade-wallet` in the
//! user's data directory. The passphrase comes from a terminal prompt, from
//! `ACCOLADE_WALLET_PASSPHRASE`, or from the file named by `--passphrase-file`. Exit status: 0
//! done, 1 a credential did not verify (or an import was refused), 2 an error.

#![forbid(unsafe_code)]

mod check;
mod sources;
mod store;

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use accolade_core::did::{did_key, did_key_method_id, StandardResolver};
use accolade_core::fetch::FetchPolicy;
use accolade_core::proof::{add_proof_owned, ProofOptions};
use age::secrecy::SecretString;
use anyhow::{anyhow, bail, Context as _};
use clap::{CommandFactory as _, Parser, Subcommand};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::store::{Entry, Home, Wallet};

#[derive(Parser)]
#[command(name = "accolade-wallet", version, about = "Keep, verify, present and back up your learning credentials")]
struct Cli {
    /// The wallet's directory.
    #[arg(long, global = true, env = "ACCOLADE_WALLET_HOME")]
    home: Option<PathBuf>,
    /// Read the passphrase from this file (else ACCOLADE_WALLET_PASSPHRASE, else a prompt).
    #[arg(long, global = true, env = "ACCOLADE_WALLET_PASSPHRASE_FILE")]
    passphrase_file: Option<PathBuf>,
    /// Development only: fetch over plain http from loopback addresses.
    #[arg(long, global = true, env = "ACCOLADE_ALLOW_LOOPBACK", value_parser = clap::builder::BoolishValueParser::new())]
    allow_loopback: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a wallet with a new holder key (did:key).
    #[command(after_help = "Example:\n  accolade-wallet --home ~/my-wallet init")]
    Init,
    /// Verify a credential and keep it: a JSON file, a vc+jwt token, a baked PNG or SVG badge, a
    /// photo of a QR code, a URL (the issuer's public link), or - for standard input.
    #[command(
        after_help = "Examples:\n  accolade-wallet import badge.png\n  accolade-wallet import https://badges.example.edu/c/Qx9…\n  cat credential.json | accolade-wallet import -"
    )]
    Import {
        /// Where the credential is.
        source: String,
        /// Keep it even if it does not verify (the report is kept with it).
        #[arg(long)]
        force: bool,
    },
    /// List the credentials.
    #[command(after_help = "Example:\n  accolade-wallet list --json")]
    List {
        /// A JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one credential: achievement, issuer, dates, status and evidence.
    #[command(after_help = "Example:\n  accolade-wallet show 3f9a")]
    Show {
        /// The credential's id (a prefix is enough).
        id: String,
    },
    /// Verify credentials again: offline by default, from saved status lists.
    #[command(after_help = "Examples:\n  accolade-wallet verify --all\n  accolade-wallet verify 3f9a --online")]
    Verify {
        /// The credential's id.
        #[arg(required_unless_present = "all")]
        id: Option<String>,
        /// Every credential.
        #[arg(long, conflicts_with = "id")]
        all: bool,
        /// Fetch fresh status lists and DID documents (and save them).
        #[arg(long)]
        online: bool,
    },
    /// Make a verifiable presentation of credentials, signed by the holder key.
    #[command(
        after_help = "Example:\n  accolade-wallet present 3f9a --challenge 8c1e… --domain hr.example.com --out presentation.json"
    )]
    Present {
        /// The credentials' ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// The verifier's challenge.
        #[arg(long)]
        challenge: String,
        /// The verifier's domain.
        #[arg(long)]
        domain: String,
        /// Write it here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show a QR code for the credential's public link, or for the whole credential when it fits.
    #[command(after_help = "Examples:\n  accolade-wallet qr 3f9a\n  accolade-wallet qr 3f9a --out badge-qr.png")]
    Qr {
        /// The credential's id.
        id: String,
        /// Write a PNG or SVG file (by extension) instead of drawing in the terminal.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write one credential in plain form (JSON, or the JWT).
    #[command(after_help = "Example:\n  accolade-wallet export 3f9a --out credential.json")]
    Export {
        /// The credential's id.
        id: String,
        /// Write it here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write an encrypted backup of the whole wallet (open it with the same passphrase).
    #[command(after_help = "Example:\n  accolade-wallet backup /media/usb/wallet-backup.age")]
    Backup {
        /// The backup file.
        file: PathBuf,
    },
    /// Restore a wallet from a backup.
    #[command(after_help = "Example:\n  accolade-wallet --home ~/new-wallet restore wallet-backup.age")]
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace an existing wallet.
        #[arg(long)]
        force: bool,
    },
    /// Remove a credential.
    #[command(after_help = "Example:\n  accolade-wallet remove 3f9a")]
    Remove {
        /// The credential's id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  accolade-wallet completions bash > ~/.local/share/bash-completion/completions/accolade-wallet"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  accolade-wallet man > accolade-wallet.1")]
    Man,
}

/// A failure that is a verdict, not an error: exit status 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct NotVerified(String);

/// mimalloc instead of the system allocator: signing and verifying build and drop many small
/// JSON and RDF values, and glibc's malloc cost about a fifth of the time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<NotVerified>().is_some() => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn home_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.home {
        Some(h) => Ok(h.clone()),
        None => dirs::data_dir()
            .map(|d| d.join("accolade-wallet"))
            .ok_or_else(|| anyhow!("no data directory on this system; pass --home DIR or set ACCOLADE_WALLET_HOME")),
    }
}

fn work_factor() -> u8 {
    std::env::var("ACCOLADE_WALLET_KDF_LOG_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (10..=22).contains(n))
        .unwrap_or(store::DEFAULT_WORK_FACTOR)
}

/// The passphrase: from the file, the environment, or a prompt (twice when `confirm`).
fn passphrase(cli: &Cli, confirm: bool) -> anyhow::Result<SecretString> {
    if let Some(file) = &cli.passphrase_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the passphrase file {}", file.display()))?;
        return Ok(SecretString::from(text.trim_end_matches(['\n', '\r']).to_owned()));
    }
    if let Ok(value) = std::env::var("ACCOLADE_WALLET_PASSPHRASE") {
        return Ok(SecretString::from(value));
    }
    if !std::io::stdin().is_terminal() {
        bail!("no passphrase: set ACCOLADE_WALLET_PASSPHRASE or --passphrase-file for scripts, or run in a terminal");
    }
    let first = rpassword::prompt_password("Wallet passphrase: ")?;
    if confirm {
        if first.chars().count() < 8 {
            bail!("the passphrase must be at least 8 characters");
        }
        let second = rpassword::prompt_password("Again: ")?;
        if first != second {
            bail!("the passphrases differ; nothing was created");
        }
    }
    Ok(SecretString::from(first))
}

fn policy(cli: &Cli) -> FetchPolicy {
    let mut policy = FetchPolicy::from_env();
    policy.allow_loopback |= cli.allow_loopback;
    policy
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let home = Home::new(home_dir(&cli)?, work_factor());
    match &cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "accolade-wallet", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Init => {
            if home.exists() {
                return Err(store::StoreError::Exists(home.dir().to_owned()).into());
            }
            let secret = passphrase(&cli, true)?;
            let key = accolade_core::keys::SigningKey::generate();
            home.create(&Wallet::new(&key.seed()), &secret)?;
            println!("created a wallet at {}", home.dir().display());
            println!("holder: {}", did_key(&key.public()));
            Ok(())
        }
        Command::Restore { file, force } => {
            let bytes = std::fs::read(file).with_context(|| format!("cannot read the backup {}", file.display()))?;
            let secret = passphrase(&cli, false)?;
            let wallet = store::decrypt_wallet(&bytes, &secret, file, file)?;
            if home.exists() && !force {
                bail!("a wallet already exists at {}; pass --force to replace it", home.dir().display());
            }
            home.replace(&bytes)?;
            println!("restored {} credentials into {}", wallet.credentials.len(), home.dir().display());
            Ok(())
        }
        _ => {
            let secret = passphrase(&cli, false)?;
            let wallet = home.open(&secret)?;
            with_wallet(&cli, &home, &secret, wallet)
        }
    }
}

fn with_wallet(cli: &Cli, home: &Home, secret: &SecretString, mut wallet: Wallet) -> anyhow::Result<()> {
    match &cli.command {
        Command::Import { source, force } => {
            let (text, label) = sources::load(source, &policy(cli))?;
            let credential = credential_value(&text);
            let id = credential_id(&credential);
            if let Ok(existing) = wallet.find(&id) {
                bail!("this credential is already in the wallet as {}", existing.id);
            }
            let (report, saved) = check::online(&text, policy(cli));
            let verdict = check::verdict(&report);
            if !report.verified && !force {
                print_failures(&report);
                return Err(NotVerified(format!(
                    "not imported: the credential is {verdict}; pass --force to keep it anyway"
                ))
                .into());
            }
            wallet.saved.extend(saved);
            let now = now();
            wallet.credentials.push(Entry {
                id: id.clone(),
                added_at: now.clone(),
                source: label,
                credential,
                report: report.to_json(),
                verified_at: now,
                forced: !report.verified,
            });
            home.save(&wallet, secret)?;
            println!("imported {id} ({verdict}): {}", title(&wallet.credentials[wallet.credentials.len() - 1]));
            Ok(())
        }
        Command::List { json } => {
            if *json {
                let items: Vec<Value> = wallet.credentials.iter().map(list_item).collect();
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else if wallet.credentials.is_empty() {
                println!("the wallet is empty; add a credential with `accolade-wallet import SOURCE`");
            } else {
                println!("{:<12}  {:<10}  {:<26}  {:<24}  STATUS", "ID", "ISSUED", "CREDENTIAL", "ISSUER");
                for e in &wallet.credentials {
                    let item = list_item(e);
                    println!(
                        "{:<12}  {:<10}  {:<26}  {:<24}  {}",
                        e.id,
                        item["validFrom"].as_str().unwrap_or("").get(..10).unwrap_or(""),
                        clip(item["name"].as_str().unwrap_or(""), 26),
                        clip(item["issuer"].as_str().unwrap_or(""), 24),
                        item["status"].as_str().unwrap_or("")
                    );
                }
            }
            Ok(())
        }
        Command::Show { id } => {
            let entry = wallet.find(id)?;
            print!("{}", describe(entry));
            Ok(())
        }
        Command::Verify { id, all, online } => {
            let ids: Vec<String> = if *all {
                wallet.credentials.iter().map(|e| e.id.clone()).collect()
            } else {
                vec![wallet.find(id.as_deref().unwrap_or_default())?.id.clone()]
            };
            let mut failed = 0;
            for id in &ids {
                let entry = wallet.find(id)?.clone();
                let text = credential_text(&entry.credential);
                let (report, note) = if *online {
                    let (report, saved) = check::online(&text, policy(cli));
                    wallet.saved.extend(saved);
                    (report, "status checked online now".to_owned())
                } else {
                    let (report, age) = check::offline(&text, &summary_source(&entry.credential), &wallet.saved);
                    let note = match age {
                        Some(age) => format!("offline, status list saved {} ago", check::age_in_words(age)),
                        None => "offline".to_owned(),
                    };
                    (report, note)
                };
                println!("{}: {} ({note})", entry.id, check::verdict(&report));
                if !report.verified {
                    failed += 1;
                    print_failures(&report);
                }
                if let Some(e) = wallet.credentials.iter_mut().find(|e| e.id == *id) {
                    e.report = report.to_json();
                    e.verified_at = now();
                }
            }
            home.save(&wallet, secret)?;
            if failed > 0 {
                return Err(NotVerified(format!("{failed} of {} credentials did not verify", ids.len())).into());
            }
            Ok(())
        }
        Command::Present { ids, challenge, domain, out } => {
            let key = wallet.holder_key()?;
            let holder = did_key(&key.public());
            let credentials: Vec<Value> =
                ids.iter().map(|id| wallet.find(id).map(|e| presentable(&e.credential))).collect::<Result<_, _>>()?;
            let presentation = json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiablePresentation"],
                "holder": holder,
                "verifiableCredential": credentials,
            });
            let options = ProofOptions::authentication(
                did_key_method_id(&key.public()),
                Some(challenge.clone()),
                Some(domain.clone()),
            );
            let signed = add_proof_owned(presentation, &key, &options, &StandardResolver::offline())?;
            write_out(out.as_deref(), &serde_json::to_string_pretty(&signed)?)?;
            Ok(())
        }
        Command::Qr { id, out } => {
            let entry = wallet.find(id)?;
            let content = qr_content(entry)?;
            match out {
                Some(path) => {
                    let bytes = match path.extension().and_then(|e| e.to_str()) {
                        Some("png") => accolade_verifier::qr::render_png(&content, 8)?,
                        Some("svg") => accolade_verifier::qr::render_svg(&content)?.into_bytes(),
                        _ => bail!("--out must end in .png or .svg"),
                    };
                    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
                    println!("wrote {}", path.display());
                }
                None => print!("{}", accolade_verifier::qr::render_terminal(&content)?),
            }
            Ok(())
        }
        Command::Export { id, out } => {
            let entry = wallet.find(id)?;
            let text = match &entry.credential {
                Value::String(token) => format!("{token}\n"),
                other => format!("{}\n", serde_json::to_string_pretty(other)?),
            };
            write_out(out.as_deref(), &text)?;
            Ok(())
        }
        Command::Backup { file } => {
            let bytes = home.encrypted()?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                options.mode(0o600);
            }
            let mut f = options
                .open(file)
                .with_context(|| format!("cannot create {} (it must not exist yet)", file.display()))?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            println!(
                "backed up {} credentials to {} (encrypted with the wallet's passphrase)",
                wallet.credentials.len(),
                file.display()
            );
            Ok(())
        }
        Command::Remove { id, yes } => {
            let entry = wallet.find(id)?.clone();
            if !yes {
                if !std::io::stdin().is_terminal() {
                    bail!("removing {} needs confirmation: run in a terminal, or pass --yes", entry.id);
                }
                eprint!("Remove {} ({})? This cannot be undone. [y/N] ", entry.id, title(&entry));
                let mut answer = String::new();
                std::io::stdin().read_line(&mut answer)?;
                if !matches!(answer.trim(), "y" | "Y" | "yes") {
                    println!("kept {}", entry.id);
                    return Ok(());
                }
            }
            wallet.credentials.retain(|e| e.id != entry.id);
            home.save(&wallet, secret)?;
            println!("removed {}", entry.id);
            Ok(())
        }
        Command::Init | Command::Restore { .. } | Command::Completions { .. } | Command::Man => Ok(()),
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// JSON credentials as objects; anything else (a JWT) as a string.
fn credential_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => v,
        _ => Value::String(text.trim().to_owned()),
    }
}

fn credential_text(credential: &Value) -> String {
    match credential {
        Value::String(token) => token.clone(),
        other => other.to_string(),
    }
}

/// The first 12 hex digits of the SHA-256 of the credential as stored.
fn credential_id(credential: &Value) -> String {
    hex::encode(&Sha256::digest(credential_text(credential).as_bytes())[..6])
}

/// The credential as JSON for display: the JSON itself, or a JWT's payload credential.
fn summary_source(credential: &Value) -> Value {
    match credential {
        Value::String(token) => accolade_core::jose::decode(token).map(|d| d.into_credential()).unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// What goes into a presentation: the credential, or a JWT as an `EnvelopedVerifiableCredential`.
fn presentable(credential: &Value) -> Value {
    match credential {
        Value::String(token) => json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": format!("data:application/vc+jwt,{token}"),
            "type": "EnvelopedVerifiableCredential",
        }),
        other => other.clone(),
    }
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            items.iter().find_map(|i| i.get("@value").and_then(Value::as_str)).unwrap_or("").to_owned()
        }
        Some(Value::Object(o)) => o.get("@value").and_then(Value::as_str).unwrap_or("").to_owned(),
        _ => String::new(),
    }
}

fn title(entry: &Entry) -> String {
    let c = summary_source(&entry.credential);
    let name = text_of(c.pointer("/credentialSubject/achievement/name")).to_owned();
    if name.is_empty() {
        text_of(c.get("name"))
    } else {
        name
    }
}

fn list_item(entry: &Entry) -> Value {
    let c = summary_source(&entry.credential);
    let issuer = c.get("issuer");
    let issuer_name = issuer.and_then(|i| i.get("name")).map(|n| text_of(Some(n))).filter(|n| !n.is_empty());
    let issuer_id = issuer
        .and_then(|i| i.as_str().map(str::to_owned).or_else(|| i.get("id").and_then(Value::as_str).map(str::to_owned)));
    json!({
        "id": entry.id,
        "name": title(entry),
        "issuer": issuer_name.or(issuer_id.clone()),
        "issuerId": issuer_id,
        "validFrom": c.get("validFrom").or_else(|| c.get("issuanceDate")),
        "status": if entry.report["verified"] == json!(true) { "verified" } else if entry.forced { "not verified (forced)" } else { "not verified" },
        "addedAt": entry.added_at,
        "source": entry.source,
    })
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(width - 1).collect::<String>())
    }
}

fn describe(entry: &Entry) -> String {
    let c = summary_source(&entry.credential);
    let a = c.pointer("/credentialSubject/achievement");
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        if !value.is_empty() {
            out.push_str(&format!("{label:<13} {value}\n"));
        }
    };
    line("Credential", format!("{} ({})", title(entry), entry.id));
    line("Description", text_of(a.and_then(|a| a.get("description"))));
    line("Criteria", text_of(a.and_then(|a| a.pointer("/criteria/narrative"))));
    let item = list_item(entry);
    line("Issuer", format!("{} ({})", item["issuer"].as_str().unwrap_or(""), item["issuerId"].as_str().unwrap_or("")));
    let learner = c
        .pointer("/credentialSubject/identifier")
        .and_then(Value::as_array)
        .and_then(|ids| ids.iter().find(|i| i["identityType"] == "name" && i["hashed"] == false))
        .and_then(|i| i["identityHash"].as_str())
        .unwrap_or("");
    line("Awarded to", learner.to_owned());
    line("Valid from", text_of(c.get("validFrom").or_else(|| c.get("issuanceDate"))));
    line("Valid until", text_of(c.get("validUntil").or_else(|| c.get("expirationDate"))));
    line("Status", format!("{} (last checked {})", item["status"].as_str().unwrap_or(""), entry.verified_at));
    let evidence = match c.get("evidence") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    for e in evidence {
        let name = text_of(e.get("name"));
        let id = text_of(e.get("id"));
        line("Evidence", format!("{name} {id}").trim().to_owned());
    }
    line("Source", entry.source.clone());
    out
}

fn print_failures(report: &accolade_core::verify::Report) {
    for c in &report.checks {
        if c.status != accolade_core::verify::Status::Valid && c.check != accolade_core::verify::CheckName::Trust {
            let status =
                serde_json::to_value(c.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let check =
                serde_json::to_value(c.check).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            eprintln!("  {check}: {status} ({}): {}", c.code, c.message);
        }
    }
}

/// The credential's public link when it has one, else the whole credential when it fits.
fn qr_content(entry: &Entry) -> anyhow::Result<String> {
    let c = summary_source(&entry.credential);
    if let Some(id) =
        c.get("id").and_then(Value::as_str).filter(|i| i.starts_with("https://") || i.starts_with("http://"))
    {
        return Ok(id.to_owned());
    }
    let text = credential_text(&entry.credential);
    // Version 40, low error correction, holds 2,953 bytes.
    if text.len() <= 2_953 {
        return Ok(text);
    }
    bail!(
        "{} has no public link and is too large ({} bytes) for one QR code; use `accolade-wallet export` instead",
        entry.id,
        text.len()
    )
}

fn write_out(path: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!("wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
