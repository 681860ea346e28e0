//! The wallet at rest: one file, `wallet.age`, in the wallet home, holding the holder key, the
//! credentials with their last reports, and the DID documents and status lists saved for offline
//! verification.
//!
//! **Encryption.** The file is an [age](https://age-encryption.org/v1) file encrypted to the
//! learner's passphrase (age's scrypt recipient), with the `age` crate (str4d's, also behind the
//! `rage` tool). Chosen because age is a small, audited, published format: a learner whose
//! institution and whose copy of Accolade are long gone can still open a backup with any age
//! implementation (`age -d` or `rage -d`) and read plain JSON.
//!
//! **Durability.** Every change writes a complete new file beside the old one (mode 0600),
//! syncs it, and renames it over the old one, then syncs the directory. A `kill -9` at any point
//! leaves either the old wallet or the new one, never a mixture: credentials stored earlier are
//! never lost.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

/// The store's file name in the wallet home.
pub const STORE_FILE: &str = "wallet.age";

/// Why the wallet could not be opened or saved. Each message carries a hint.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No wallet at the home.
    #[error("no wallet at {0}; run `accolade-wallet init` to create one (or pass --home DIR)")]
    Missing(PathBuf),
    /// A wallet exists already.
    #[error("a wallet already exists at {0}; use it, or choose another --home")]
    Exists(PathBuf),
    /// The passphrase does not open the wallet.
    #[error("wrong passphrase for the wallet at {0}")]
    WrongPassphrase(PathBuf),
    /// The file is not an age file, or its content is not a wallet.
    #[error(
        "the wallet file {path} is corrupted ({detail}); restore it from a backup with `accolade-wallet restore FILE`"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_owned(), source }
}

/// One credential in the wallet.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// The short id the commands take: the first 12 hex digits of the SHA-256 of the credential.
    pub id: String,
    /// When it was imported.
    pub added_at: String,
    /// Where it came from (a file name, a URL, `stdin`).
    pub source: String,
    /// The credential: its JSON, or a compact JWT as a string.
    pub credential: Value,
    /// The last verification report.
    pub report: Value,
    /// When the report was made.
    pub verified_at: String,
    /// Whether it was imported with `--force` despite not verifying.
    #[serde(default)]
    pub forced: bool,
}

/// A document saved for offline verification: a DID document or a status list.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    /// The body, base64.
    pub body: String,
    /// When it was fetched.
    pub fetched_at: String,
}

/// The decrypted wallet.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Wallet {
    /// Format version.
    pub version: u32,
    /// The holder key's Ed25519 seed, hex.
    pub holder_seed: String,
    /// The credentials, in import order.
    pub credentials: Vec<Entry>,
    /// Saved documents by URL.
    #[serde(default)]
    pub saved: std::collections::BTreeMap<String, Saved>,
}

impl Drop for Wallet {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.holder_seed);
    }
}

impl Wallet {
    /// A new wallet with this holder seed.
    pub fn new(holder_seed: &[u8; 32]) -> Wallet {
        Wallet { version: 1, holder_seed: hex::encode(holder_seed), credentials: Vec::new(), saved: Default::default() }
    }

    /// The holder's signing key.
    pub fn holder_key(&self) -> anyhow::Result<accolade_core::keys::SigningKey> {
        let seed = Zeroizing::new(hex::decode(&self.holder_seed)?);
        let seed: [u8; 32] =
            seed.as_slice().try_into().map_err(|_| anyhow::anyhow!("the holder key is not 32 bytes"))?;
        Ok(accolade_core::keys::SigningKey::from_seed(&Zeroizing::new(seed)))
    }

    /// The entry whose id starts with `prefix`, if exactly one does.
    pub fn find(&self, prefix: &str) -> Result<&Entry, FindError> {
        let matches: Vec<&Entry> = self.credentials.iter().filter(|e| e.id.starts_with(prefix)).collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(FindError::NotFound(prefix.to_owned())),
            _ => Err(FindError::Ambiguous(prefix.to_owned(), matches.len())),
        }
    }
}

/// Why an id did not name one credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FindError {
    /// No credential has that id.
    #[error("no credential {0} in the wallet; `accolade-wallet list` shows the ids")]
    NotFound(String),
    /// Several do.
    #[error("{0} names {1} credentials; give more of the id")]
    Ambiguous(String, usize),
}

/// The wallet home and how to open it.
#[derive(Debug, Clone)]
pub struct Home {
    dir: PathBuf,
    /// The scrypt work factor (log2 N) for new encryptions.
    work_factor: u8,
}

/// The scrypt work factor used unless `ACCOLADE_WALLET_KDF_LOG_N` says otherwise: 2^16, about a
/// tenth of a second here, a deliberate cost for each guess at the passphrase.
pub const DEFAULT_WORK_FACTOR: u8 = 16;

impl Home {
    /// The home at `dir`.
    pub fn new(dir: PathBuf, work_factor: u8) -> Home {
        Home { dir, work_factor }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    /// Whether a wallet exists here.
    pub fn exists(&self) -> bool {
        self.file().exists()
    }

    /// Creates the home (mode 0700) and a new wallet in it.
    pub fn create(&self, wallet: &Wallet, passphrase: &SecretString) -> Result<(), StoreError> {
        if self.exists() {
            return Err(StoreError::Exists(self.dir.clone()));
        }
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700)).map_err(io(&self.dir))?;
        }
        self.save(wallet, passphrase)
    }

    /// Opens and decrypts the wallet.
    pub fn open(&self, passphrase: &SecretString) -> Result<Wallet, StoreError> {
        if !self.exists() {
            return Err(StoreError::Missing(self.dir.clone()));
        }
        let file = self.file();
        let encrypted = std::fs::read(&file).map_err(io(&file))?;
        decrypt_wallet(&encrypted, passphrase, &file, &self.dir)
    }

    /// Encrypts and writes the wallet, atomically.
    pub fn save(&self, wallet: &Wallet, passphrase: &SecretString) -> Result<(), StoreError> {
        let file = self.file();
        let encrypted = encrypt_wallet(wallet, passphrase, self.work_factor, &file)?;
        write_atomically(&file, &encrypted)
    }

    /// The encrypted file's bytes, for backups.
    pub fn encrypted(&self) -> Result<Vec<u8>, StoreError> {
        let file = self.file();
        std::fs::read(&file).map_err(io(&file))
    }

    /// Replaces the wallet with already-encrypted bytes (a restore), atomically.
    pub fn replace(&self, encrypted: &[u8]) -> Result<(), StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        write_atomically(&self.file(), encrypted)
    }
}

/// Encrypts a wallet to a passphrase.
pub fn encrypt_wallet(
    wallet: &Wallet,
    passphrase: &SecretString,
    work_factor: u8,
    path: &Path,
) -> Result<Vec<u8>, StoreError> {
    let plain = Zeroizing::new(
        serde_json::to_vec(wallet).map_err(|e| StoreError::Corrupt { path: path.to_owned(), detail: e.to_string() })?,
    );
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(work_factor);
    let fail = |detail: String| StoreError::Corrupt { path: path.to_owned(), detail };
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| fail(e.to_string()))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(io(path))?;
    writer.write_all(&plain).map_err(io(path))?;
    writer.finish().map_err(io(path))?;
    Ok(out)
}

/// Decrypts a wallet file's bytes.
pub fn decrypt_wallet(
    encrypted: &[u8],
    passphrase: &SecretString,
    path: &Path,
    home: &Path,
) -> Result<Wallet, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt { path: path.to_owned(), detail };
    let decryptor = age::Decryptor::new(encrypted).map_err(|e| corrupt(format!("not an age file: {e}")))?;
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(22);
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
            StoreError::WrongPassphrase(home.to_owned())
        }
        other => corrupt(other.to_string()),
    })?;
    let mut plain = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut plain).map_err(|e| corrupt(format!("truncated or altered: {e}")))?;
    serde_json::from_slice(&plain).map_err(|e| corrupt(format!("not a wallet: {e}")))
}

/// Writes `bytes` to `path` through a synced temporary file and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{STORE_FILE}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(&temp).map_err(io(&temp))?;
    file.write_all(bytes).map_err(io(&temp))?;
    file.sync_all().map_err(io(&temp))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(io(path))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
