//! Batch throughput: issue one achievement to a cohort of N rows (default 10,000) and report
//! credentials signed and stored per second.
//!
//! ```sh
//! cargo run --release -p accolade-issuer --example batch_throughput -- [ROWS] [DATABASE_URL]
//! ```
//!
//! Without a URL it uses a new SQLite file in a temporary directory. A `postgres://…` URL must
//! name a database this may create tables in (use a scratch one).

use std::time::Instant;

use accolade_issuer::achievements::{self, AchievementDefinition};
use accolade_issuer::keyring::Kek;
use accolade_issuer::tenants::{self, NewIssuer};
use accolade_issuer::{batch, store, AppState, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("accolade-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = args.next().unwrap_or_else(|| format!("sqlite://{}", dir.join("issuer.db").display()));
    let state = AppState::new(
        store::open(&url).await?,
        Kek::parse(&Kek::generate_hex())?,
        Config::new("https://issuer.example"),
    );
    let tenant = format!("bench-{}", std::process::id());
    let new: NewIssuer =
        serde_json::from_value(serde_json::json!({"id": tenant, "profile": {"name": "Bench University"}}))?;
    let issuer = tenants::create(&state, new).await?;
    let definition: AchievementDefinition = serde_json::from_value(serde_json::json!({
        "id": "welding-1", "name": "Welding basics", "description": "Safe MIG welding of mild steel.",
        "criteria": {"narrative": "Pass the practical test."},
        "alignment": [{"targetName": "Weld metal", "targetUrl": "https://esco.example/skill/1"}],
    }))?;
    let achievement = achievements::create(&state, &issuer, definition).await?;
    let mut csv = String::from("name,email\n");
    for i in 0..rows {
        csv.push_str(&format!("Learner {i},learner{i}@example.org\n"));
    }
    let plan = batch::plan(&state, &issuer, &achievement, csv.as_bytes())?;
    let started = Instant::now();
    let summary = batch::run(&state, &issuer, &achievement, &plan, "bench", |_| {}).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} rows on {}: {:.1} s, {:.0} credentials signed and stored per second",
        summary.issued,
        url.split(':').next().unwrap_or_default(),
        seconds,
        summary.issued as f64 / seconds
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
