//! The guarded outbound HTTP client: the one way Accolade fetches `did:web` documents and
//! Bitstring Status List credentials.
//!
//! It implements the "Security rules" of `DESIGN.md` for outbound fetches:
//!
//! - **https only.** Plain `http://` is refused unless [`FetchPolicy::allow_loopback`] is set
//!   (`--allow-loopback` / `ACCOLADE_ALLOW_LOOPBACK=1`, see [`FetchPolicy::from_env`]), and even then
//!   only when every address the host resolves to is a loopback address.
//! - **No private destinations (SSRF).** URLs with userinfo are refused, and so is every address
//!   that is not public unicast (see [`AddressRange`] for the exact ranges), whether it is an IP
//!   literal in the URL or what a host name resolves to. [`FetchPolicy::allowed_hosts`] can open
//!   the private ranges for named hosts or addresses; loopback opens only with `allow_loopback`.
//! - **DNS rebinding.** The client resolves names itself, in a ureq
//!   [`Resolver`](ureq::unversioned::resolver::Resolver) that vets every address it returns, and
//!   ureq connects only to the addresses that resolver returned: the address checked is the
//!   address connected to, with no second lookup in between. Proxies from the environment are
//!   disabled, because a proxy would resolve the name again where we cannot check it.
//! - **Bounded.** One time budget covers the whole fetch (DNS, connect, TLS, headers, body and
//!   every redirect). The body is read with a hard cap, and a `gzip` body is capped again on its
//!   decompressed size (decoded here with flate2, not inside ureq), so a gzip bomb stops at the
//!   cap. Redirects are followed by hand, at most
//!   [`FetchPolicy::max_redirects`] of them, each target checked as if it were the first URL.
//! - **Cached.** Successful responses are kept in memory for the lifetime the server gives
//!   (RFC 9111 §4.2: `Cache-Control: max-age`, else `Expires`), capped at
//!   [`FetchPolicy::max_ttl`]; `no-store` and `no-cache` are never reused; a response that says
//!   nothing is kept for [`FetchPolicy::default_ttl`] (5 minutes), so a page of credentials from
//!   one issuer costs one fetch of its DID document and status list.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use flate2::read::MultiGzDecoder;
use ureq::http::{header, Uri};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::did::Fetcher;

/// The environment variable that turns on [`FetchPolicy::allow_loopback`] when it is `1`.
pub const ALLOW_LOOPBACK_ENV: &str = "ACCOLADE_ALLOW_LOOPBACK";

/// The default time budget for one fetch, redirects included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default cap on a response body, on the wire and after decompression: 2 MiB.
///
/// A did:web document is a few KiB. A Bitstring Status List credential carries its list
/// gzip-compressed and base64-encoded inside JSON: the minimum 131,072-bit list is 16 KiB raw, so
/// even an incompressible list of 16 times that size (2 Mibit) still fits, with room for the
/// credential around it. Anything larger is not a credential document we would accept.
pub const DEFAULT_MAX_BODY: usize = 2 * 1024 * 1024;

/// The default number of redirects followed.
pub const DEFAULT_MAX_REDIRECTS: u32 = 3;

/// How long a response without caching headers is reused: 5 minutes. Long enough that verifying a
/// batch from one issuer fetches its DID document and status list once; short enough that a key
/// rotation or a revocation is seen within minutes.
pub const DEFAULT_TTL: Duration = Duration::from_secs(5 * 60);

/// The longest a response is reused, whatever the server says: 1 day. A revocation must not hide
/// behind a server's `max-age=31536000`.
pub const DEFAULT_MAX_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// At most this many responses are cached; the soonest to expire are dropped first.
const CACHE_MAX_ENTRIES: usize = 512;

/// At most this many body bytes are cached in total, so the cache cannot grow to
/// `CACHE_MAX_ENTRIES * max_body`.
const CACHE_MAX_BYTES: usize = 32 * 1024 * 1024;

/// What the guarded client may fetch, and how much of it.
///
/// The fields are public so a service can set them from its configuration; start from
/// [`FetchPolicy::default`] (production) or [`FetchPolicy::from_env`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchPolicy {
    /// Development and tests only: allow plain `http://` to hosts that resolve to loopback only,
    /// and allow loopback addresses (127.0.0.0/8, `::1`) over https too. Off by default.
    pub allow_loopback: bool,
    /// Host names (matched case-insensitively, a trailing dot ignored) or IP addresses (matched
    /// against the URL's literal and every resolved address) that may be reached at non-public
    /// addresses: the private, shared, link-local, unique-local, documentation and reserved ranges.
    /// Loopback still needs `allow_loopback`; unspecified, multicast and broadcast addresses are
    /// never destinations. Entries that are neither a valid name nor an address match nothing.
    pub allowed_hosts: Vec<String>,
    /// The time budget for one fetch, from DNS lookup to the last body byte, redirects included.
    /// Default 10 s.
    pub timeout: Duration,
    /// The most body bytes accepted, counted on the wire and, for a gzip-encoded body, again after
    /// decompression. Default 2 MiB ([`DEFAULT_MAX_BODY`]).
    pub max_body: usize,
    /// The most redirects followed; each target is checked against this policy. Default 3.
    pub max_redirects: u32,
    /// How long a successful response without `Cache-Control` or `Expires` is reused. Default
    /// 5 minutes; zero turns that off.
    pub default_ttl: Duration,
    /// The longest any response is reused, whatever the server says. Default 1 day; zero turns the
    /// cache off.
    pub max_ttl: Duration,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_loopback: false,
            allowed_hosts: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            default_ttl: DEFAULT_TTL,
            max_ttl: DEFAULT_MAX_TTL,
        }
    }
}

impl FetchPolicy {
    /// The default policy, with `allow_loopback` set when `ACCOLADE_ALLOW_LOOPBACK=1`.
    ///
    /// Only the exact value `1` turns it on: anything else (`0`, `true`, empty) leaves the
    /// production behaviour, so a typo fails closed.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// `from_env` with the environment injected, so tests need not mutate the process's.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let allow_loopback = lookup(ALLOW_LOOPBACK_ENV).is_some_and(|v| v.trim() == "1");
        FetchPolicy { allow_loopback, ..FetchPolicy::default() }
    }

    /// How long a response with this freshness may be reused, or `None` when it may not be.
    fn ttl(&self, freshness: Freshness) -> Option<Duration> {
        let ttl = match freshness {
            Freshness::NoStore => return None,
            Freshness::For(lifetime) => lifetime,
            Freshness::Unspecified => self.default_ttl,
        };
        Some(ttl.min(self.max_ttl)).filter(|ttl| !ttl.is_zero())
    }
}

/// A fetch that was refused or failed. Every variant names the URL, host or address involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL could not be parsed, or has no host.
    #[error("invalid URL {url}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The scheme is neither `https` nor `http`.
    #[error("refused {url}: only https:// URLs are fetched, not {scheme}:")]
    UnsupportedScheme {
        /// The URL as given.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// A plain `http://` URL, and loopback development mode is off.
    #[error(
        "refused {url}: only https:// URLs are fetched (plain http is allowed from loopback \
         addresses only, with --allow-loopback or ACCOLADE_ALLOW_LOOPBACK=1)"
    )]
    InsecureScheme {
        /// The URL as given.
        url: String,
    },
    /// A plain `http://` URL whose host is, or resolves to, an address that is not loopback.
    #[error("refused {url}: plain http is allowed to loopback addresses only, and {host} is at {addr}")]
    PlainHttpNotLoopback {
        /// The URL as given.
        url: String,
        /// Its host.
        host: String,
        /// The non-loopback address.
        addr: IpAddr,
    },
    /// The URL carries userinfo (`https://user:password@host/`), which can disguise the real host
    /// and has no place in a credential link.
    #[error("refused {url}: URLs with a user name or password are not fetched")]
    Userinfo {
        /// The URL as given.
        url: String,
    },
    /// The host is, or resolves to, a loopback address, and loopback development mode is off.
    #[error(
        "refused to connect to {host} at {addr}: loopback addresses are fetched only with \
         --allow-loopback or ACCOLADE_ALLOW_LOOPBACK=1"
    )]
    LoopbackRefused {
        /// The host.
        host: String,
        /// The loopback address.
        addr: IpAddr,
    },
    /// The host is, or resolves to, an address that is not public unicast.
    #[error("refused to connect to {host} at {addr}: {range} addresses are not fetched{hint}",
            hint = if range.allow_listable() { " unless the host is allow-listed" } else { "" })]
    AddressRefused {
        /// The host.
        host: String,
        /// The refused address.
        addr: IpAddr,
        /// The range it falls in.
        range: AddressRange,
    },
    /// The host name did not resolve.
    #[error("could not resolve {host}: {reason}")]
    Dns {
        /// The host.
        host: String,
        /// The resolver's reason.
        reason: String,
    },
    /// The time budget ran out (connecting, waiting for the server, or reading the body).
    #[error("fetching {url} timed out after {timeout:?}")]
    Timeout {
        /// The URL being fetched when time ran out.
        url: String,
        /// The policy's budget.
        timeout: Duration,
    },
    /// The connection, TLS handshake or HTTP exchange failed.
    #[error("fetching {url} failed: {reason}")]
    Transport {
        /// The URL being fetched.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The server answered with a status that is neither success nor a redirect we follow.
    #[error("fetching {url} failed: the server answered HTTP {status}")]
    Status {
        /// The URL that answered.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// More redirects than [`FetchPolicy::max_redirects`].
    #[error("fetching {url} failed: more than {max} redirects")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The policy's limit.
        max: u32,
    },
    /// A redirect without a usable `Location`.
    #[error("fetching {url} failed: bad redirect: {reason}")]
    BadRedirect {
        /// The URL that redirected.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The body is larger than [`FetchPolicy::max_body`].
    #[error("fetching {url} failed: the response is larger than the {limit}-byte limit")]
    BodyTooLarge {
        /// The URL that answered.
        url: String,
        /// The policy's limit.
        limit: usize,
    },
    /// The gzip-encoded body decompresses to more than [`FetchPolicy::max_body`] (a gzip bomb, or
    /// just too big).
    #[error("fetching {url} failed: the gzip-encoded response decompresses to more than the {limit}-byte limit")]
    DecompressedTooLarge {
        /// The URL that answered.
        url: String,
        /// The policy's limit.
        limit: usize,
    },
    /// The gzip-encoded body is corrupt.
    #[error("fetching {url} failed: the gzip-encoded response is corrupt: {reason}")]
    BadGzip {
        /// The URL that answered.
        url: String,
        /// The decoder's reason.
        reason: String,
    },
    /// The body has a `Content-Encoding` other than `gzip` or `identity`.
    #[error("fetching {url} failed: unsupported Content-Encoding {encoding:?}")]
    UnsupportedEncoding {
        /// The URL that answered.
        url: String,
        /// The encoding.
        encoding: String,
    },
}

/// The kinds of address that are not public unicast, and so not fetched by default.
///
/// IPv4-mapped (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) IPv6 addresses
/// are judged by the IPv4 address they embed, so `::ffff:127.0.0.1` is loopback and
/// `64:ff9b::a9fe:a9fe` is link-local (it reaches 169.254.169.254).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressRange {
    /// 127.0.0.0/8 and `::1`.
    Loopback,
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) and the deprecated site-local
    /// `fec0::/10`.
    Private,
    /// 100.64.0.0/10, carrier-grade NAT (RFC 6598).
    SharedCgnat,
    /// 169.254.0.0/16 (including the cloud metadata service at 169.254.169.254) and `fe80::/10`.
    LinkLocal,
    /// `fc00::/7` (RFC 4193).
    UniqueLocal,
    /// 0.0.0.0/8 ("this network", including 0.0.0.0) and `::`.
    Unspecified,
    /// 224.0.0.0/4 and `ff00::/8`.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737), `2001:db8::/32` (RFC 3849) and
    /// `3fff::/20` (RFC 9637).
    Documentation,
    /// Special-purpose and unallocated space: 192.0.0.0/24 (IETF protocol assignments),
    /// 192.88.99.0/24 (6to4 relay), 198.18.0.0/15 (benchmarking), 240.0.0.0/4 (future use);
    /// for IPv6 everything outside `2000::/3` except the embedded-IPv4 prefixes above (so
    /// `::/96` IPv4-compatible, `100::/64` discard, `64:ff9b:1::/48` local NAT64), plus
    /// `2001::/23` (IETF protocol assignments, Teredo) and `5f00::/16` (SRv6).
    Reserved,
}

impl AddressRange {
    /// The range `ip` is in, or `None` when it is public unicast.
    pub fn of(ip: IpAddr) -> Option<AddressRange> {
        match ip {
            IpAddr::V4(v4) => Self::of_v4(v4),
            IpAddr::V6(v6) => Self::of_v6(v6),
        }
    }

    fn of_v4(ip: Ipv4Addr) -> Option<AddressRange> {
        let [a, b, c, _] = ip.octets();
        Some(match (a, b, c) {
            (0, _, _) => AddressRange::Unspecified,
            (10, _, _) => AddressRange::Private,
            (100, 64..=127, _) => AddressRange::SharedCgnat,
            (127, _, _) => AddressRange::Loopback,
            (169, 254, _) => AddressRange::LinkLocal,
            (172, 16..=31, _) => AddressRange::Private,
            (192, 0, 0) | (192, 88, 99) | (198, 18..=19, _) => AddressRange::Reserved,
            (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressRange::Documentation,
            (192, 168, _) => AddressRange::Private,
            (224..=239, _, _) => AddressRange::Multicast,
            _ if ip == Ipv4Addr::BROADCAST => AddressRange::Broadcast,
            (240..=255, _, _) => AddressRange::Reserved,
            _ => return None,
        })
    }

    fn of_v6(ip: Ipv6Addr) -> Option<AddressRange> {
        // Judge an embedded IPv4 address by its own rules: a mapped or translated address
        // reaches the IPv4 host, so ::ffff:127.0.0.1 must not slip past the loopback check.
        if let Some(v4) = embedded_v4(ip) {
            return Self::of_v4(v4);
        }
        let s = ip.segments();
        Some(match s[0] {
            _ if ip.is_unspecified() => AddressRange::Unspecified,
            _ if ip.is_loopback() => AddressRange::Loopback,
            0xfc00..=0xfdff => AddressRange::UniqueLocal,
            0xfe80..=0xfebf => AddressRange::LinkLocal,
            0xfec0..=0xfeff => AddressRange::Private,
            0xff00..=0xffff => AddressRange::Multicast,
            // Outside 2000::/3 nothing is allocated for global unicast.
            x if x & 0xe000 != 0x2000 => AddressRange::Reserved,
            0x2001 if s[1] == 0x0db8 => AddressRange::Documentation,
            0x3fff if s[1] < 0x1000 => AddressRange::Documentation,
            0x2001 if s[1] < 0x0200 => AddressRange::Reserved,
            0x5f00 => AddressRange::Reserved,
            _ => return None,
        })
    }

    /// Whether [`FetchPolicy::allowed_hosts`] can open this range. Loopback opens only with
    /// `allow_loopback`; unspecified, multicast and broadcast are never a server's address.
    fn allow_listable(self) -> bool {
        !matches!(
            self,
            AddressRange::Loopback | AddressRange::Unspecified | AddressRange::Multicast | AddressRange::Broadcast
        )
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressRange::Loopback => "loopback",
            AddressRange::Private => "private",
            AddressRange::SharedCgnat => "shared (carrier-grade NAT)",
            AddressRange::LinkLocal => "link-local",
            AddressRange::UniqueLocal => "unique-local",
            AddressRange::Unspecified => "unspecified",
            AddressRange::Multicast => "multicast",
            AddressRange::Broadcast => "broadcast",
            AddressRange::Documentation => "documentation",
            AddressRange::Reserved => "reserved",
        })
    }
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:0:0/96`), NAT64 well-known-prefix
/// (`64:ff9b::/96`) or 6to4 (`2002::/16`) IPv6 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let join = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        [0x0064, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(join(hi, lo)),
        [0x2002, hi, lo, ..] => Some(join(hi, lo)),
        _ => None,
    }
}

/// How long the server says a response stays fresh (RFC 9111 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Freshness {
    /// `Cache-Control: no-store` or `no-cache`: not to be reused without asking the server.
    NoStore,
    /// Fresh for this long after it was received: `max-age` (or else `Expires` minus `Date`),
    /// less the `Age` it already had. Zero means stale on arrival.
    For(Duration),
    /// The server gave no lifetime.
    Unspecified,
}

impl Freshness {
    /// Reads `Cache-Control`, `Expires`, `Date` and `Age`; `now` stands in for a missing `Date`.
    fn from_headers(headers: &ureq::http::HeaderMap, now: SystemTime) -> Freshness {
        let text = |name| headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
        let mut max_age = None;
        for directive in text(header::CACHE_CONTROL).split(',') {
            let (name, value) = directive.split_once('=').unwrap_or((directive, ""));
            match name.trim().to_ascii_lowercase().as_str() {
                "no-store" | "no-cache" => return Freshness::NoStore,
                "max-age" => {
                    // An unparsable max-age makes the response stale (RFC 9111 §4.2.1).
                    let seconds = value.trim().trim_matches('"').parse::<u64>().unwrap_or(0);
                    max_age = Some(max_age.map_or(seconds, |prev: u64| prev.min(seconds)));
                }
                _ => {}
            }
        }
        let lifetime = match max_age {
            Some(seconds) => Duration::from_secs(seconds),
            None => {
                let expires = text(header::EXPIRES);
                if expires.is_empty() {
                    return Freshness::Unspecified;
                }
                // An invalid Expires, such as "0", means already expired (RFC 9111 §5.3).
                let date = http_date(&text(header::DATE)).unwrap_or(now);
                http_date(&expires).and_then(|e| e.duration_since(date).ok()).unwrap_or_default()
            }
        };
        let age = text(header::AGE).trim().parse::<u64>().map(Duration::from_secs).unwrap_or_default();
        Freshness::For(lifetime.saturating_sub(age))
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only HTTP-date form servers may
/// send (RFC 9110 §5.6.7); the obsolete forms count as invalid.
fn http_date(value: &str) -> Option<SystemTime> {
    let parsed = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    Some(SystemTime::from(parsed))
}

/// A successful response.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response {
    /// The URL that finally answered, after redirects.
    pub url: String,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// The `Content-Type` header as sent.
    pub content_type: Option<String>,
    /// The lifetime the server gave the response.
    pub freshness: Freshness,
    /// The `ETag` header as sent.
    pub etag: Option<String>,
}

/// The wall clock the cache reads, injectable so tests can move time forward.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The guarded HTTP client. Share one per process (it is `Send + Sync` and pools connections);
/// its cache is per client.
pub struct GuardedClient {
    policy: FetchPolicy,
    rules: Arc<Rules>,
    agent: ureq::Agent,
    clock: Arc<dyn Clock>,
    cache: Mutex<Cache>,
}

impl fmt::Debug for GuardedClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardedClient").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl GuardedClient {
    /// A client enforcing `policy`, caching by the system clock.
    pub fn new(policy: FetchPolicy) -> Self {
        Self::with_clock(policy, Arc::new(SystemClock))
    }

    /// A client enforcing `policy`, caching by `clock`.
    pub fn with_clock(policy: FetchPolicy, clock: Arc<dyn Clock>) -> Self {
        let rules = Arc::new(Rules::new(&policy));
        let config = ureq::Agent::config_builder()
            // Statuses and redirects are ours to judge: each redirect target is re-checked.
            .http_status_as_error(false)
            .max_redirects(0)
            // A proxy resolves the name itself, out of our resolver's sight: never use one.
            .proxy(None)
            // We decode gzip ourselves, with a cap on the decoded size.
            .accept_encoding("gzip")
            .timeout_global(Some(policy.timeout))
            .user_agent(concat!("accolade/", env!("CARGO_PKG_VERSION")))
            .build();
        let resolver = GuardedResolver { rules: rules.clone() };
        let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), resolver);
        GuardedClient { policy, rules, agent, clock, cache: Mutex::new(Cache::default()) }
    }

    /// The policy this client enforces.
    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Forgets every cached response.
    pub fn clear_cache(&self) {
        self.cache().entries.clear();
    }

    /// Fetches `url` with GET, following redirects, or answers from the cache while the last
    /// response is fresh.
    pub fn get(&self, url: &str) -> Result<Response, FetchError> {
        let now = self.clock.now();
        if let Some(hit) = self.cache().fresh(url, now) {
            return Ok(hit);
        }
        let response = self.fetch_uncached(url)?;
        if let Some(ttl) = self.policy.ttl(response.freshness) {
            self.cache().insert(url.to_owned(), response.clone(), now, ttl);
        }
        Ok(response)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        // Every cache update is a single insert or remove, so a panic elsewhere while the lock
        // was held cannot leave it inconsistent: keep using it.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// In development mode ([`FetchPolicy::allow_loopback`]), an `https://` URL whose host is a
    /// loopback literal (`127.x.x.x`, `[::1]`) or `localhost` is fetched over plain http. The
    /// did:web method always maps a DID to https, and an issuer under test on this machine serves
    /// plain http; without this, a local did:web issuer could not be resolved at all.
    fn development_url(&self, url: &str) -> Option<String> {
        if !self.policy.allow_loopback {
            return None;
        }
        let rest = url.strip_prefix("https://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
        };
        let loopback =
            host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        loopback.then(|| format!("http://{rest}"))
    }

    fn fetch_uncached(&self, url: &str) -> Result<Response, FetchError> {
        let development = self.development_url(url);
        let url = development.as_deref().unwrap_or(url);
        let deadline = Instant::now() + self.policy.timeout;
        let mut target = self.rules.check_url(url)?;
        let mut redirects = 0;
        loop {
            let hop = target.url.clone();
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(FetchError::Timeout { url: hop, timeout: self.policy.timeout });
            }
            let response = self
                .agent
                .get(target.uri.clone())
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|e| self.error(&hop, e))?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                if redirects >= self.policy.max_redirects {
                    return Err(FetchError::TooManyRedirects { url: url.to_owned(), max: self.policy.max_redirects });
                }
                redirects += 1;
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .ok_or_else(|| FetchError::BadRedirect { url: hop.clone(), reason: "no Location header".into() })?
                    .to_str()
                    .map_err(|_| FetchError::BadRedirect {
                        url: hop.clone(),
                        reason: "Location is not ASCII".into(),
                    })?;
                let next = join_location(&target.uri, location)
                    .map_err(|reason| FetchError::BadRedirect { url: hop.clone(), reason })?;
                target = self.rules.check_url(&next)?;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status { url: hop, status });
            }
            return self.read(hop, status, response);
        }
    }

    fn read(
        &self,
        url: String,
        status: u16,
        response: ureq::http::Response<ureq::Body>,
    ) -> Result<Response, FetchError> {
        let headers = response.headers();
        let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let limit = self.policy.max_body;
        let encoding = header_text(header::CONTENT_ENCODING).unwrap_or_default();
        let gzip = match encoding.trim().to_ascii_lowercase().as_str() {
            "" | "identity" => false,
            // RFC 9110 §8.4.1.3: x-gzip is the same coding.
            "gzip" | "x-gzip" => true,
            // Anything else (deflate, br, or gzip applied twice) would reach the caller still encoded.
            _ => return Err(FetchError::UnsupportedEncoding { url, encoding }),
        };
        // Refuse a declared oversize body before reading any of it.
        let declared = header_text(header::CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|len| len > limit as u64) {
            return Err(FetchError::BodyTooLarge { url, limit });
        }
        let content_type = header_text(header::CONTENT_TYPE);
        let etag = header_text(header::ETAG);
        let freshness = Freshness::from_headers(headers, self.clock.now());
        // ureq's limit stops at limit + 1 bytes on the wire, so a long body is never buffered
        // past the cap.
        let raw = response.into_body().into_with_config().limit(limit as u64);
        let body = if gzip {
            // The decoder's output is capped too, so a gzip bomb stops after limit + 1 bytes
            // rather than inflating to gigabytes; its input is the capped wire reader, so a
            // stream of empty gzip members cannot run on either.
            let mut decoded = Vec::new();
            MultiGzDecoder::new(raw.reader())
                .take(limit as u64 + 1)
                .read_to_end(&mut decoded)
                .map_err(|e| self.gzip_error(&url, e))?;
            if decoded.len() > limit {
                return Err(FetchError::DecompressedTooLarge { url, limit });
            }
            decoded
        } else {
            raw.read_to_vec().map_err(|e| self.error(&url, e))?
        };
        Ok(Response { url, status, body, content_type, freshness, etag })
    }

    /// Turns a ureq error into ours, recovering the refusals our resolver raised.
    fn error(&self, url: &str, error: ureq::Error) -> FetchError {
        let url = url.to_owned();
        let limit = self.policy.max_body;
        match error {
            ureq::Error::Other(inner) => match inner.downcast::<FetchError>() {
                Ok(ours) => *ours,
                Err(other) => FetchError::Transport { url, reason: other.to_string() },
            },
            ureq::Error::Timeout(_) => FetchError::Timeout { url, timeout: self.policy.timeout },
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                FetchError::Timeout { url, timeout: self.policy.timeout }
            }
            ureq::Error::BodyExceedsLimit(_) => FetchError::BodyTooLarge { url, limit },
            ureq::Error::HostNotFound => FetchError::Dns { host: host_of(&url), reason: "no address found".into() },
            other => FetchError::Transport { url, reason: other.to_string() },
        }
    }
}

impl GuardedClient {
    /// Sorts an error from the gzip reader: ureq's own (the wire cap, a timeout, a broken
    /// connection) passes through the decoder wrapped in an `io::Error`; the rest is the decoder's.
    fn gzip_error(&self, url: &str, error: std::io::Error) -> FetchError {
        if error.get_ref().is_some_and(|inner| inner.is::<ureq::Error>()) {
            return self.error(url, ureq::Error::from(error));
        }
        FetchError::BadGzip { url: url.to_owned(), reason: error.to_string() }
    }
}

impl Fetcher for GuardedClient {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        self.get(url).map(|r| r.body).map_err(|e| e.to_string())
    }
}

/// A URL that passed the checks that need no DNS.
#[derive(Debug)]
struct Target {
    url: String,
    uri: Uri,
}

/// The address rules of a [`FetchPolicy`], shared by the client and its resolver.
#[derive(Debug)]
struct Rules {
    allow_loopback: bool,
    allowed_names: HashSet<String>,
    allowed_ips: HashSet<IpAddr>,
}

impl Rules {
    fn new(policy: &FetchPolicy) -> Self {
        let mut allowed_names = HashSet::new();
        let mut allowed_ips = HashSet::new();
        for entry in &policy.allowed_hosts {
            let host = normalize_host(entry);
            match host.parse::<IpAddr>() {
                Ok(ip) => allowed_ips.insert(ip),
                Err(_) => allowed_names.insert(host),
            };
        }
        Rules { allow_loopback: policy.allow_loopback, allowed_names, allowed_ips }
    }

    /// Checks the scheme, userinfo and any IP literal; names are checked when resolved.
    fn check_url(&self, url: &str) -> Result<Target, FetchError> {
        let invalid = |reason: &str| FetchError::InvalidUrl { url: url.to_owned(), reason: reason.to_owned() };
        let uri: Uri = url.parse().map_err(|e: ureq::http::uri::InvalidUri| invalid(&e.to_string()))?;
        let scheme = uri.scheme_str().ok_or_else(|| invalid("not an absolute URL"))?.to_ascii_lowercase();
        let plain_http = match scheme.as_str() {
            "https" => false,
            "http" if self.allow_loopback => true,
            "http" => return Err(FetchError::InsecureScheme { url: url.to_owned() }),
            _ => return Err(FetchError::UnsupportedScheme { url: url.to_owned(), scheme }),
        };
        let authority = uri.authority().ok_or_else(|| invalid("no host"))?;
        if authority.as_str().contains('@') {
            return Err(FetchError::Userinfo { url: url.to_owned() });
        }
        let host = normalize_host(authority.host());
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        if let Ok(ip) = host.parse::<IpAddr>() {
            self.check_address(url, &host, ip, plain_http)?;
        }
        Ok(Target { url: url.to_owned(), uri })
    }

    /// Whether `host`, fetched over `https` (or plain http), may be reached at `ip`.
    fn check_address(&self, url: &str, host: &str, ip: IpAddr, plain_http: bool) -> Result<(), FetchError> {
        let range = AddressRange::of(ip);
        if plain_http && range != Some(AddressRange::Loopback) {
            return Err(FetchError::PlainHttpNotLoopback { url: url.to_owned(), host: host.to_owned(), addr: ip });
        }
        match range {
            None => Ok(()),
            Some(AddressRange::Loopback) if self.allow_loopback => Ok(()),
            Some(AddressRange::Loopback) => Err(FetchError::LoopbackRefused { host: host.to_owned(), addr: ip }),
            Some(range)
                if range.allow_listable() && (self.allowed_names.contains(host) || self.allowed_ips.contains(&ip)) =>
            {
                Ok(())
            }
            Some(range) => Err(FetchError::AddressRefused { host: host.to_owned(), addr: ip, range }),
        }
    }
}

/// Lower-cased, without IPv6 brackets or a trailing dot, so `Example.COM.` matches `example.com`.
fn normalize_host(host: &str) -> String {
    let host = host.trim();
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

fn host_of(url: &str) -> String {
    url.parse::<Uri>().ok().and_then(|u| u.host().map(normalize_host)).unwrap_or_else(|| url.to_owned())
}

/// The ureq resolver that makes DNS rebinding useless: it looks the name up once, refuses the
/// whole host if any address is off-limits (a name that answers both public and private addresses
/// is not to be trusted with either), and hands ureq exactly the addresses it checked.
#[derive(Debug)]
struct GuardedResolver {
    rules: Arc<Rules>,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().map(normalize_host).unwrap_or_default();
        let addrs = DefaultResolver::default().resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(io) => {
                ureq::Error::Other(Box::new(FetchError::Dns { host: host.clone(), reason: io.to_string() }))
            }
            other => other,
        })?;
        let plain_http = uri.scheme_str().is_some_and(|s| s.eq_ignore_ascii_case("http"));
        let url = uri.to_string();
        for addr in addrs.iter() {
            self.rules
                .check_address(&url, &host, addr.ip(), plain_http)
                .map_err(|e| ureq::Error::Other(Box::new(e)))?;
        }
        Ok(addrs)
    }
}

/// Resolves a redirect's `Location` against the URL that sent it (RFC 3986 §5.2, without
/// dot-segment removal, which the server applies to the path it receives).
fn join_location(base: &Uri, location: &str) -> Result<String, String> {
    let location = location.trim();
    let location = location.split_once('#').map_or(location, |(before, _)| before);
    if location.is_empty() {
        return Err("empty Location".into());
    }
    let has_scheme = location.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if has_scheme {
        return Ok(location.to_owned());
    }
    let scheme = base.scheme_str().ok_or("redirect from a relative URL")?;
    if location.starts_with("//") {
        return Ok(format!("{scheme}:{location}"));
    }
    let authority = base.authority().ok_or("redirect from a URL without host")?;
    let origin = format!("{scheme}://{authority}");
    if location.starts_with('/') {
        return Ok(format!("{origin}{location}"));
    }
    let path = base.path();
    if location.starts_with('?') {
        return Ok(format!("{origin}{path}{location}"));
    }
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    Ok(format!("{origin}{dir}{location}"))
}

#[derive(Default)]
struct Cache {
    entries: HashMap<String, CacheEntry>,
    bytes: usize,
}

struct CacheEntry {
    response: Response,
    stored: SystemTime,
    expires: SystemTime,
}

impl Cache {
    fn fresh(&mut self, url: &str, now: SystemTime) -> Option<Response> {
        let entry = self.entries.get(url)?;
        // A clock that went backwards past the store time is not trusted to say "fresh".
        if now >= entry.stored && now < entry.expires {
            return Some(entry.response.clone());
        }
        self.remove(url);
        None
    }

    fn insert(&mut self, url: String, response: Response, now: SystemTime, ttl: Duration) {
        let size = response.body.len();
        if size > CACHE_MAX_BYTES {
            return;
        }
        self.remove(&url);
        let expired: Vec<String> =
            self.entries.iter().filter(|(_, e)| e.expires <= now).map(|(k, _)| k.clone()).collect();
        for key in expired {
            self.remove(&key);
        }
        while self.entries.len() >= CACHE_MAX_ENTRIES || self.bytes + size > CACHE_MAX_BYTES {
            let Some(soonest) = self.entries.iter().min_by_key(|(_, e)| e.expires).map(|(k, _)| k.clone()) else {
                break;
            };
            self.remove(&soonest);
        }
        let expires = now.checked_add(ttl).unwrap_or(now);
        self.bytes += size;
        self.entries.insert(url, CacheEntry { response, stored: now, expires });
    }

    fn remove(&mut self, url: &str) {
        if let Some(old) = self.entries.remove(url) {
            self.bytes -= old.response.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    use super::*;

    /// What the test server does with one request.
    enum Reply {
        /// Send these bytes and close.
        Raw(Vec<u8>),
        /// Accept, read the request, and say nothing for this long.
        Silence(Duration),
    }

    /// A tiny HTTP/1.1 server on 127.0.0.1 that answers each request from `handler(path)` and
    /// counts requests.
    struct Server {
        base: String,
        hits: Arc<AtomicUsize>,
    }

    impl Server {
        fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            let hits = Arc::new(AtomicUsize::new(0));
            let handler = Arc::new(handler);
            let counter = hits.clone();
            thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    let handler = handler.clone();
                    let counter = counter.clone();
                    thread::spawn(move || serve_one(stream, &*handler, &counter));
                }
            });
            Server { base, hits }
        }

        fn url(&self, path: &str) -> String {
            format!("{}{path}", self.base)
        }

        fn hits(&self) -> usize {
            self.hits.load(Ordering::SeqCst)
        }
    }

    fn serve_one(mut stream: TcpStream, handler: &dyn Fn(&str) -> Reply, hits: &AtomicUsize) {
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        hits.fetch_add(1, Ordering::SeqCst);
        let text = String::from_utf8_lossy(&request);
        let path = text.split(' ').nth(1).unwrap_or("/").to_owned();
        match handler(&path) {
            // The client may hang up mid-body (that is the point of the size tests).
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes);
            }
            Reply::Silence(d) => thread::sleep(d),
        }
    }

    fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body);
        Reply::Raw(bytes)
    }

    fn ok(headers: &[(&str, &str)], body: &[u8]) -> Reply {
        response("200 OK", headers, body)
    }

    fn loopback_policy() -> FetchPolicy {
        FetchPolicy { allow_loopback: true, ..FetchPolicy::default() }
    }

    #[test]
    fn development_mode_fetches_loopback_https_over_http() {
        let dev = GuardedClient::new(loopback_policy());
        assert_eq!(
            dev.development_url("https://127.0.0.1:8080/issuers/a/did.json").as_deref(),
            Some("http://127.0.0.1:8080/issuers/a/did.json")
        );
        assert_eq!(dev.development_url("https://localhost/x").as_deref(), Some("http://localhost/x"));
        assert_eq!(dev.development_url("https://[::1]:9/x").as_deref(), Some("http://[::1]:9/x"));
        assert_eq!(dev.development_url("https://issuer.example/x"), None);
        assert_eq!(dev.development_url("https://10.0.0.1/x"), None);
        let production = GuardedClient::new(FetchPolicy::default());
        assert_eq!(production.development_url("https://127.0.0.1:8080/x"), None);
    }

    /// A clock the test moves by hand.
    struct ManualClock(Mutex<SystemTime>);

    impl ManualClock {
        fn new() -> Arc<ManualClock> {
            Arc::new(ManualClock(Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))))
        }
        fn advance(&self, by: Duration) {
            *self.0.lock().unwrap() += by;
        }
    }

    impl Clock for ManualClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn gzip_frame(deflate: &[u8], crc: u32, size: u32) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        out.extend_from_slice(deflate);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out
    }

    /// gzip with one stored (uncompressed) deflate block.
    fn gzip_stored(data: &[u8]) -> Vec<u8> {
        let len = u16::try_from(data.len()).unwrap();
        let mut deflate = vec![1];
        deflate.extend_from_slice(&len.to_le_bytes());
        deflate.extend_from_slice(&(!len).to_le_bytes());
        deflate.extend_from_slice(data);
        gzip_frame(&deflate, crc32(data), u32::from(len))
    }

    /// gzip of `n` zero bytes as one fixed-Huffman block: a literal 0 then back-references of
    /// length 258 at distance 1, 13 bits per 258 bytes, the shape of a real gzip bomb.
    fn gzip_zeros(n: usize) -> Vec<u8> {
        struct Bits {
            out: Vec<u8>,
            acc: u64,
            count: u32,
        }
        impl Bits {
            fn put(&mut self, value: u32, width: u32) {
                self.acc |= u64::from(value) << self.count;
                self.count += width;
                while self.count >= 8 {
                    self.out.push(self.acc as u8);
                    self.acc >>= 8;
                    self.count -= 8;
                }
            }
            // Huffman codes go most significant bit first.
            fn code(&mut self, code: u32, width: u32) {
                self.put(code.reverse_bits() >> (32 - width), width);
            }
        }
        let mut bits = Bits { out: Vec::new(), acc: 0, count: 0 };
        bits.put(1, 1); // BFINAL
        bits.put(1, 2); // BTYPE = fixed Huffman
        bits.code(0x30, 8); // literal 0
        let mut written = 1;
        while written + 258 <= n {
            bits.code(0xc5, 8); // length symbol 285 = 258
            bits.code(0, 5); // distance symbol 0 = 1
            written += 258;
        }
        while written < n {
            bits.code(0x30, 8);
            written += 1;
        }
        bits.code(0, 7); // end of block
        bits.put(0, 7); // flush to a byte boundary
        let size = n as u32;
        // The CRC is only right for sizes the test decodes fully; a bomb fails before the trailer.
        let crc = if n <= 1 << 20 { crc32(&vec![0; n]) } else { 0 };
        gzip_frame(&bits.out, crc, size)
    }

    #[test]
    fn plain_http_refused_without_the_flag() {
        let client = GuardedClient::new(FetchPolicy::default());
        let err = client.get("http://issuer.example/did.json").unwrap_err();
        assert_eq!(err, FetchError::InsecureScheme { url: "http://issuer.example/did.json".into() });
        assert_eq!(
            err.to_string(),
            "refused http://issuer.example/did.json: only https:// URLs are fetched (plain http is allowed \
             from loopback addresses only, with --allow-loopback or ACCOLADE_ALLOW_LOOPBACK=1)"
        );
        // Even to loopback itself: the flag, not the address, is what permits plain http.
        let server = Server::start(|_| ok(&[], b"{}"));
        let err = client.get(&server.url("/")).unwrap_err();
        assert!(matches!(err, FetchError::InsecureScheme { .. }), "{err}");
        assert_eq!(server.hits(), 0);
    }

    #[test]
    fn loopback_allowed_with_the_flag() {
        let server = Server::start(|path| {
            assert_eq!(path, "/.well-known/did.json");
            ok(&[("Content-Type", "application/did+json"), ("ETag", "\"v1\"")], br#"{"id":"did:web:x"}"#)
        });
        let client = GuardedClient::new(loopback_policy());
        let response = client.get(&server.url("/.well-known/did.json")).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, br#"{"id":"did:web:x"}"#);
        assert_eq!(response.content_type.as_deref(), Some("application/did+json"));
        assert_eq!(response.etag.as_deref(), Some("\"v1\""));
        assert_eq!(response.freshness, Freshness::Unspecified);
        assert_eq!(Fetcher::fetch(&client, &server.url("/.well-known/did.json")).unwrap(), br#"{"id":"did:web:x"}"#);
    }

    #[test]
    fn policy_from_env_needs_exactly_one() {
        let with = |value: &'static str| FetchPolicy::from_lookup(move |_| Some(value.to_owned()));
        assert!(with("1").allow_loopback);
        assert!(!with("0").allow_loopback);
        assert!(!with("true").allow_loopback);
        assert!(!FetchPolicy::from_lookup(|_| None).allow_loopback);
        let defaults = FetchPolicy::default();
        assert_eq!(defaults.timeout, Duration::from_secs(10));
        assert_eq!(defaults.max_body, 2 * 1024 * 1024);
        assert_eq!(defaults.max_redirects, 3);
    }

    #[test]
    fn non_public_addresses_are_classified() {
        use AddressRange::*;
        let table: &[(&str, Option<AddressRange>)] = &[
            ("0.0.0.0", Some(Unspecified)),
            ("0.1.2.3", Some(Unspecified)),
            ("10.0.0.1", Some(Private)),
            ("10.255.255.255", Some(Private)),
            ("100.64.0.1", Some(SharedCgnat)),
            ("100.127.255.254", Some(SharedCgnat)),
            ("127.0.0.1", Some(Loopback)),
            ("127.1.2.3", Some(Loopback)),
            ("169.254.169.254", Some(LinkLocal)),
            ("169.254.0.1", Some(LinkLocal)),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("192.168.1.1", Some(Private)),
            ("192.0.0.8", Some(Reserved)),
            ("192.0.2.1", Some(Documentation)),
            ("192.88.99.1", Some(Reserved)),
            ("198.18.0.1", Some(Reserved)),
            ("198.19.255.255", Some(Reserved)),
            ("198.51.100.7", Some(Documentation)),
            ("203.0.113.9", Some(Documentation)),
            ("224.0.0.1", Some(Multicast)),
            ("239.255.255.250", Some(Multicast)),
            ("240.0.0.1", Some(Reserved)),
            ("255.255.255.255", Some(Broadcast)),
            ("::", Some(Unspecified)),
            ("::1", Some(Loopback)),
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:169.254.169.254", Some(LinkLocal)),
            ("::ffff:10.0.0.1", Some(Private)),
            ("::ffff:0.0.0.0", Some(Unspecified)),
            ("::127.0.0.1", Some(Reserved)),
            ("64:ff9b::a9fe:a9fe", Some(LinkLocal)),
            ("64:ff9b::7f00:1", Some(Loopback)),
            ("64:ff9b:1::1", Some(Reserved)),
            ("2002:a9fe:a9fe::1", Some(LinkLocal)),
            ("2002:c0a8:0101::1", Some(Private)),
            ("100::1", Some(Reserved)),
            ("fe80::1", Some(LinkLocal)),
            ("febf::1", Some(LinkLocal)),
            ("fec0::1", Some(Private)),
            ("fc00::1", Some(UniqueLocal)),
            ("fd12:3456::1", Some(UniqueLocal)),
            ("ff02::1", Some(Multicast)),
            ("2001:db8::1", Some(Documentation)),
            ("3fff::1", Some(Documentation)),
            ("2001::1", Some(Reserved)),
            ("5f00::1", Some(Reserved)),
            ("4000::1", Some(Reserved)),
            // Public unicast.
            ("8.8.8.8", None),
            ("1.1.1.1", None),
            ("9.255.255.255", None),
            ("11.0.0.1", None),
            ("100.63.255.255", None),
            ("100.128.0.1", None),
            ("172.15.255.255", None),
            ("172.32.0.1", None),
            ("169.253.0.1", None),
            ("192.169.0.1", None),
            ("223.255.255.255", None),
            ("::ffff:8.8.8.8", None),
            ("64:ff9b::808:808", None),
            ("2002:808:808::1", None),
            ("2606:4700:4700::1111", None),
            ("2a00:1450:4001::200e", None),
            ("3ffe::1", None),
        ];
        for (text, expected) in table {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(AddressRange::of(ip), *expected, "{text}");
        }
    }

    #[test]
    fn private_link_local_and_metadata_literals_refused() {
        // No connection is attempted: IP literals are checked before anything is sent.
        let client = GuardedClient::new(FetchPolicy::default());
        let table: &[(&str, Option<AddressRange>)] = &[
            ("https://10.0.0.1/", Some(AddressRange::Private)),
            ("https://172.16.5.4/list", Some(AddressRange::Private)),
            ("https://192.168.0.10:8443/", Some(AddressRange::Private)),
            ("https://100.64.1.1/", Some(AddressRange::SharedCgnat)),
            ("https://169.254.169.254/latest/meta-data/", Some(AddressRange::LinkLocal)),
            ("https://0.0.0.0/", Some(AddressRange::Unspecified)),
            ("https://255.255.255.255/", Some(AddressRange::Broadcast)),
            ("https://224.0.0.251/", Some(AddressRange::Multicast)),
            ("https://192.0.2.1/", Some(AddressRange::Documentation)),
            ("https://[fe80::1]/", Some(AddressRange::LinkLocal)),
            ("https://[fd00::1]/", Some(AddressRange::UniqueLocal)),
            ("https://[::]/", Some(AddressRange::Unspecified)),
            ("https://[ff02::1]/", Some(AddressRange::Multicast)),
            ("https://[::ffff:169.254.169.254]/", Some(AddressRange::LinkLocal)),
            ("https://[::ffff:192.168.1.1]/", Some(AddressRange::Private)),
            ("https://[64:ff9b::a9fe:a9fe]/", Some(AddressRange::LinkLocal)),
            ("https://127.0.0.1/", None),
            ("https://[::1]/", None),
            ("https://[::ffff:127.0.0.1]/", None),
        ];
        for (url, range) in table {
            let err = client.get(url).unwrap_err();
            match range {
                Some(range) => {
                    assert!(matches!(&err, FetchError::AddressRefused { range: r, .. } if r == range), "{url}: {err}")
                }
                None => assert!(matches!(err, FetchError::LoopbackRefused { .. }), "{url}: {err}"),
            }
        }
        let err = client.get("https://169.254.169.254/latest/meta-data/").unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused to connect to 169.254.169.254 at 169.254.169.254: link-local addresses are not fetched \
             unless the host is allow-listed"
        );
    }

    #[test]
    fn resolved_names_are_checked_too() {
        // "localhost" and the short form "127.1" are names to the URL parser; only the resolved
        // address reveals loopback. The resolver refuses before any connection.
        let client = GuardedClient::new(FetchPolicy::default());
        for url in ["https://localhost:9/", "https://127.1:9/"] {
            let err = client.get(url).unwrap_err();
            assert!(matches!(err, FetchError::LoopbackRefused { .. }), "{url}: {err}");
        }
    }

    #[test]
    fn the_resolver_hands_over_only_the_addresses_it_vetted() {
        // What ureq connects to is this list, so the address checked is the address used.
        let config = ureq::config::Config::default();
        let uri: Uri = "http://127.1:9/".parse().unwrap();
        let resolver = GuardedResolver { rules: Arc::new(Rules::new(&loopback_policy())) };
        let addrs = resolver.resolve(&uri, &config, NextTimeout::default()).unwrap();
        assert_eq!(addrs.iter().map(|a| a.to_string()).collect::<Vec<_>>(), ["127.0.0.1:9"]);
        let refusing = GuardedResolver { rules: Arc::new(Rules::new(&FetchPolicy::default())) };
        let uri: Uri = "https://127.1:9/".parse().unwrap();
        match refusing.resolve(&uri, &config, NextTimeout::default()) {
            Err(ureq::Error::Other(e)) => {
                assert!(matches!(e.downcast_ref::<FetchError>(), Some(FetchError::LoopbackRefused { .. })), "{e}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn plain_http_only_to_loopback_even_with_the_flag() {
        let client = GuardedClient::new(FetchPolicy { allowed_hosts: vec!["10.0.0.1".into()], ..loopback_policy() });
        let err = client.get("http://10.0.0.1/status").unwrap_err();
        assert!(matches!(err, FetchError::PlainHttpNotLoopback { .. }), "{err}");
        let err = client.get("http://[fe80::1]/").unwrap_err();
        assert!(matches!(err, FetchError::PlainHttpNotLoopback { .. }), "{err}");
    }

    #[test]
    fn allow_list_opens_private_ranges_only() {
        let rules = Rules::new(&FetchPolicy {
            allowed_hosts: vec!["Intranet.Example.".into(), "10.9.8.7".into(), "[fd00::5]".into()],
            ..FetchPolicy::default()
        });
        let check = |host: &str, ip: &str| rules.check_address("https://x/", host, ip.parse().unwrap(), false);
        assert_eq!(check("intranet.example", "192.168.4.4"), Ok(()));
        assert_eq!(check("intranet.example", "169.254.169.254"), Ok(()));
        assert_eq!(check("anything.example", "10.9.8.7"), Ok(()));
        assert_eq!(check("anything.example", "fd00::5"), Ok(()));
        assert_eq!(check("public.example", "8.8.8.8"), Ok(()));
        assert!(matches!(check("other.example", "192.168.4.4"), Err(FetchError::AddressRefused { .. })));
        assert!(matches!(check("intranet.example", "127.0.0.1"), Err(FetchError::LoopbackRefused { .. })));
        assert!(matches!(
            check("intranet.example", "0.0.0.0"),
            Err(FetchError::AddressRefused { range: AddressRange::Unspecified, .. })
        ));
        assert!(matches!(
            check("intranet.example", "ff02::1"),
            Err(FetchError::AddressRefused { range: AddressRange::Multicast, .. })
        ));
    }

    #[test]
    fn userinfo_and_odd_schemes_refused() {
        let client = GuardedClient::new(loopback_policy());
        for url in
            ["https://user@issuer.example/", "https://user:secret@issuer.example/did.json", "http://a@127.0.0.1/"]
        {
            assert_eq!(client.get(url).unwrap_err(), FetchError::Userinfo { url: url.into() });
        }
        assert!(matches!(
            client.get("ftp://issuer.example/x").unwrap_err(),
            FetchError::UnsupportedScheme { scheme, .. } if scheme == "ftp"
        ));
        assert!(matches!(client.get("/relative/path").unwrap_err(), FetchError::InvalidUrl { .. }));
        assert!(matches!(client.get("https://exa mple.com/").unwrap_err(), FetchError::InvalidUrl { .. }));
    }

    #[test]
    fn a_silent_server_times_out() {
        let server = Server::start(|_| Reply::Silence(Duration::from_secs(5)));
        let client = GuardedClient::new(FetchPolicy { timeout: Duration::from_millis(300), ..loopback_policy() });
        let start = Instant::now();
        let err = client.get(&server.url("/slow")).unwrap_err();
        let elapsed = start.elapsed();
        assert!(matches!(err, FetchError::Timeout { timeout, .. } if timeout == Duration::from_millis(300)), "{err}");
        assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    }

    #[test]
    fn an_oversized_body_fails() {
        let big = vec![b'a'; 5000];
        let declared = big.clone();
        let server = Server::start(move |path| match path {
            "/declared" => ok(&[], &declared),
            // No Content-Length: the body runs until the server closes, so only the read cap stops it.
            _ => {
                let mut raw = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
                raw.extend(std::iter::repeat_n(b'a', 1 << 20));
                Reply::Raw(raw)
            }
        });
        let client = GuardedClient::new(FetchPolicy { max_body: 1000, ..loopback_policy() });
        for path in ["/declared", "/undeclared"] {
            let err = client.get(&server.url(path)).unwrap_err();
            assert!(matches!(err, FetchError::BodyTooLarge { limit: 1000, .. }), "{path}: {err}");
        }
        // A body of exactly the limit is fine.
        let client = GuardedClient::new(FetchPolicy { max_body: 5000, ..loopback_policy() });
        assert_eq!(client.get(&server.url("/declared")).unwrap().body, big);
    }

    #[test]
    fn gzip_is_decompressed() {
        let doc = br#"{"id":"did:web:issuer.example"}"#;
        let stored = gzip_stored(doc);
        let zeros = gzip_zeros(4096);
        let server = Server::start(move |path| match path {
            "/stored" => ok(&[("Content-Encoding", "gzip")], &stored),
            "/zeros" => ok(&[("Content-Encoding", "gzip")], &zeros),
            "/corrupt" => ok(&[("Content-Encoding", "gzip")], b"\x1f\x8b\x08\x00garbage"),
            _ => ok(&[("Content-Encoding", "br")], b"xx"),
        });
        let client = GuardedClient::new(loopback_policy());
        assert_eq!(client.get(&server.url("/stored")).unwrap().body, doc);
        assert_eq!(client.get(&server.url("/zeros")).unwrap().body, vec![0; 4096]);
        let err = client.get(&server.url("/corrupt")).unwrap_err();
        assert!(matches!(err, FetchError::BadGzip { .. }), "{err}");
        let err = client.get(&server.url("/br")).unwrap_err();
        assert!(matches!(err, FetchError::UnsupportedEncoding { ref encoding, .. } if encoding == "br"), "{err}");
    }

    #[test]
    fn a_gzip_bomb_fails_at_the_cap() {
        // ~100 KiB on the wire, 16 MiB decompressed; the wire size is under the cap.
        let bomb = gzip_zeros(16 << 20);
        assert!(bomb.len() < 128 * 1024, "{}", bomb.len());
        let server = Server::start(move |_| ok(&[("Content-Encoding", "gzip")], &bomb));
        let client = GuardedClient::new(FetchPolicy { max_body: 128 * 1024, ..loopback_policy() });
        let start = Instant::now();
        let err = client.get(&server.url("/bomb")).unwrap_err();
        assert!(matches!(err, FetchError::DecompressedTooLarge { limit: 131_072, .. }), "{err}");
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn redirects_are_followed_and_rechecked() {
        let server = Server::start(|path| match path {
            "/moved" => response("301 Moved Permanently", &[("Location", "/a/final")], b""),
            "/a/final" => response("302 Found", &[("Location", "last?x=1")], b""),
            "/a/last?x=1" => ok(&[], b"here"),
            "/to-metadata" => response("302 Found", &[("Location", "http://169.254.169.254/latest/meta-data/")], b""),
            "/to-private" => response("307 Temporary Redirect", &[("Location", "https://10.1.1.1/x")], b""),
            "/to-mapped" => response("308 Permanent Redirect", &[("Location", "https://[::ffff:10.1.1.1]/")], b""),
            "/to-ftp" => response("302 Found", &[("Location", "ftp://issuer.example/x")], b""),
            "/no-location" => response("302 Found", &[], b""),
            _ => response("302 Found", &[("Location", "/loop")], b""),
        });
        let client = GuardedClient::new(loopback_policy());
        let response = client.get(&server.url("/moved")).unwrap();
        assert_eq!(response.body, b"here");
        assert_eq!(response.url, server.url("/a/last?x=1"));

        let err = client.get(&server.url("/to-metadata")).unwrap_err();
        assert!(matches!(err, FetchError::PlainHttpNotLoopback { .. }), "{err}");
        let err = client.get(&server.url("/to-private")).unwrap_err();
        assert!(matches!(err, FetchError::AddressRefused { range: AddressRange::Private, .. }), "{err}");
        let err = client.get(&server.url("/to-mapped")).unwrap_err();
        assert!(matches!(err, FetchError::AddressRefused { range: AddressRange::Private, .. }), "{err}");
        let err = client.get(&server.url("/to-ftp")).unwrap_err();
        assert!(matches!(err, FetchError::UnsupportedScheme { .. }), "{err}");
        let err = client.get(&server.url("/no-location")).unwrap_err();
        assert!(matches!(err, FetchError::BadRedirect { .. }), "{err}");

        let before = server.hits();
        let err = client.get(&server.url("/loop")).unwrap_err();
        assert!(matches!(err, FetchError::TooManyRedirects { max: 3, .. }), "{err}");
        assert_eq!(server.hits() - before, 4);
    }

    #[test]
    fn redirect_targets_get_the_first_hops_checks() {
        // From a public https origin, a redirect to loopback or to plain http is refused: the
        // checks that need no connection, run on each hop.
        let rules = Rules::new(&FetchPolicy::default());
        let base: Uri = "https://issuer.example/dir/status".parse().unwrap();
        let hop = |location: &str| rules.check_url(&join_location(&base, location).unwrap()).map(|t| t.url);
        assert!(matches!(hop("http://issuer.example/x"), Err(FetchError::InsecureScheme { .. })));
        assert!(matches!(hop("https://127.0.0.1/x"), Err(FetchError::LoopbackRefused { .. })));
        assert!(matches!(hop("//169.254.169.254/"), Err(FetchError::AddressRefused { .. })));
        assert_eq!(hop("other").unwrap(), "https://issuer.example/dir/other");
        assert_eq!(hop("/root#frag").unwrap(), "https://issuer.example/root");
        assert_eq!(hop("//cdn.example/list").unwrap(), "https://cdn.example/list");
    }

    #[test]
    fn status_errors_carry_the_code() {
        let server = Server::start(|_| response("404 Not Found", &[], b"nope"));
        let client = GuardedClient::new(loopback_policy());
        let url = server.url("/missing.json");
        assert_eq!(client.get(&url).unwrap_err(), FetchError::Status { url: url.clone(), status: 404 });
        assert!(Fetcher::fetch(&client, &url).unwrap_err().contains("HTTP 404"));
    }

    #[test]
    fn cache_honours_max_age() {
        let server = Server::start(|_| ok(&[("Cache-Control", "public, max-age=60")], b"list"));
        let clock = ManualClock::new();
        let client = GuardedClient::with_clock(loopback_policy(), clock.clone());
        let url = server.url("/status/1");
        assert_eq!(client.get(&url).unwrap().freshness, Freshness::For(Duration::from_secs(60)));
        clock.advance(Duration::from_secs(59));
        assert_eq!(client.get(&url).unwrap().body, b"list");
        assert_eq!(server.hits(), 1);
        clock.advance(Duration::from_secs(2));
        client.get(&url).unwrap();
        assert_eq!(server.hits(), 2);
    }

    #[test]
    fn cache_respects_no_store_and_zero_max_age() {
        let server = Server::start(|path| match path {
            "/no-store" => ok(&[("Cache-Control", "no-store")], b"x"),
            _ => ok(&[("Cache-Control", "max-age=0")], b"x"),
        });
        let client = GuardedClient::with_clock(loopback_policy(), ManualClock::new());
        for _ in 0..2 {
            assert_eq!(client.get(&server.url("/no-store")).unwrap().freshness, Freshness::NoStore);
        }
        assert_eq!(server.hits(), 2);
        client.get(&server.url("/zero")).unwrap();
        client.get(&server.url("/zero")).unwrap();
        assert_eq!(server.hits(), 4);
    }

    #[test]
    fn cache_defaults_and_caps() {
        let server = Server::start(|path| match path {
            "/plain" => ok(&[], b"doc"),
            "/forever" => ok(&[("Cache-Control", "max-age=31536000")], b"doc"),
            _ => ok(&[("Date", "Tue, 14 Nov 2023 22:13:20 GMT"), ("Expires", "Tue, 14 Nov 2023 22:23:20 GMT")], b"doc"),
        });
        let clock = ManualClock::new();
        let client = GuardedClient::with_clock(loopback_policy(), clock.clone());
        let (plain, forever, expires) = (server.url("/plain"), server.url("/forever"), server.url("/expires"));
        client.get(&plain).unwrap();
        client.get(&forever).unwrap();
        assert_eq!(client.get(&expires).unwrap().freshness, Freshness::For(Duration::from_secs(600)));
        assert_eq!(server.hits(), 3);
        clock.advance(Duration::from_secs(4 * 60));
        for url in [&plain, &forever, &expires] {
            client.get(url).unwrap();
        }
        assert_eq!(server.hits(), 3, "all fresh at 4 minutes");
        clock.advance(Duration::from_secs(2 * 60));
        client.get(&plain).unwrap();
        client.get(&forever).unwrap();
        assert_eq!(server.hits(), 4, "the 5-minute default has passed");
        clock.advance(Duration::from_secs(24 * 60 * 60));
        client.get(&forever).unwrap();
        client.get(&expires).unwrap();
        assert_eq!(server.hits(), 6, "max-age is capped at a day");
    }

    #[test]
    fn freshness_parsing() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let parse = |pairs: &[(&'static str, &'static str)]| {
            let mut headers = ureq::http::HeaderMap::new();
            for (name, value) in pairs {
                headers.append(*name, value.parse().unwrap());
            }
            Freshness::from_headers(&headers, now)
        };
        assert_eq!(parse(&[]), Freshness::Unspecified);
        assert_eq!(parse(&[("cache-control", "max-age=\"30\"")]), Freshness::For(Duration::from_secs(30)));
        assert_eq!(parse(&[("cache-control", "max-age=30"), ("age", "10")]), Freshness::For(Duration::from_secs(20)));
        assert_eq!(parse(&[("cache-control", "max-age=soon")]), Freshness::For(Duration::ZERO));
        assert_eq!(parse(&[("cache-control", "private, No-Cache")]), Freshness::NoStore);
        assert_eq!(parse(&[("expires", "0")]), Freshness::For(Duration::ZERO));
        // Expires without Date counts from our clock (1,700,000,000 s = 2023-11-14T22:13:20Z).
        assert_eq!(parse(&[("expires", "Tue, 14 Nov 2023 22:14:20 GMT")]), Freshness::For(Duration::from_secs(60)));
        // max-age wins over Expires.
        assert_eq!(
            parse(&[("cache-control", "max-age=5"), ("expires", "Tue, 14 Nov 2023 22:14:20 GMT")]),
            Freshness::For(Duration::from_secs(5))
        );
    }
}
