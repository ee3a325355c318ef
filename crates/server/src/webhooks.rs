//! The webhook delivery worker: claims due deliveries from the outbox, POSTs each stored payload
//! with its HMAC-SHA256 signature, and records the outcome, retrying failures with exponential
//! backoff and jitter until [`MAX_ATTEMPTS`] is reached.
//!
//! Headers of every delivery: `Content-Type: application/json`, `X-Trusca-Event`,
//! `X-Trusca-Delivery` (the idempotency key, the same on every retry, for receivers to dedupe
//! on), `X-Trusca-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>` and
//! `User-Agent: trusca-server/<version>`. Redirects are not followed.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::Notify;
use tokio::task::JoinSet;

use crate::db::webhooks::{self, Attempt, Due, Outcome};
use crate::db::{Db, DbError};
use crate::egress::{self, Targets};
use crate::metrics::Metrics;

pub use crate::db::webhooks::MAX_ATTEMPTS;

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed delivery is reserved for the instance sending it.
const LEASE: Duration = Duration::from_secs(60);
/// The first retry delay; each further retry doubles it.
const BACKOFF_BASE: Duration = Duration::from_secs(30);
/// The longest retry delay.
const BACKOFF_MAX: Duration = Duration::from_secs(6 * 3600);
/// How often the worker looks for due deliveries when nothing wakes it.
const POLL: Duration = Duration::from_secs(5);
/// Deliveries claimed and sent concurrently per round.
const BATCH: i64 = 32;

static WAKE: Notify = Notify::const_new();

/// Wakes the worker early; call after committing a transaction that queued deliveries.
pub fn wake() {
    WAKE.notify_one();
}

/// Why the HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the webhook client: {0}")]
pub struct ClientError(String);

/// The HTTP client deliveries are sent with, and where it may send them.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    targets: Targets,
}

/// The delivery client: 10 s timeout, no redirects, our user agent; with [`Targets::Public`]
/// host names resolve to public addresses only ([`egress::PublicOnly`]).
pub fn client(targets: Targets) -> Result<Client, ClientError> {
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("trusca-server/", env!("CARGO_PKG_VERSION")));
    if targets == Targets::Public {
        builder = builder.dns_resolver(Arc::new(egress::PublicOnly));
    }
    let http = builder.build().map_err(|e| ClientError(e.to_string()))?;
    Ok(Client { http, targets })
}

/// `sha256=<hex HMAC-SHA256(secret, body)>`, the value of `X-Trusca-Signature-256`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The delay before retry number `attempts` (1 after the first failure): 30 s × 2^(n-1),
/// capped at 6 h, then scaled by `jitter` (clamped to 0.5..=1.5).
pub fn backoff(attempts: i64, jitter: f64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let delay = BACKOFF_BASE
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(BACKOFF_MAX);
    delay.mul_f64(jitter.clamp(0.5, 1.5))
}

/// A random factor in 0.8..1.2, so failed deliveries to one receiver spread out.
fn jitter() -> f64 {
    let mut b = [0u8; 2];
    if getrandom::fill(&mut b).is_err() {
        return 1.0;
    }
    // `min`: 0.8 + 0.4 rounds to just above 1.2.
    (0.8 + 0.4 * f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX)).min(1.2)
}

/// How many deliveries of one round ended in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Answered 2xx.
    pub delivered: u64,
    /// Failed, to be retried.
    pub retried: u64,
    /// Failed for the last time.
    pub failed: u64,
}

impl Round {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Delivered => self.delivered += 1,
            Outcome::Retry => self.retried += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    /// Deliveries attempted.
    pub fn total(&self) -> u64 {
        self.delivered + self.retried + self.failed
    }
}

/// Sends every delivery due at `now` once (in batches, concurrently within a batch) and records
/// the outcomes. Retries are scheduled from `now`, so tests can step time forward.
pub async fn deliver_due(db: &Db, client: &Client, now: SystemTime) -> Result<Round, DbError> {
    let at = crate::db::rfc3339(now);
    let lease = crate::db::rfc3339(now + LEASE);
    let mut round = Round::default();
    loop {
        let due = webhooks::claim_due(db, &at, &lease, BATCH).await?;
        if due.is_empty() {
            return Ok(round);
        }
        let mut sends = JoinSet::new();
        for d in due {
            let client = client.clone();
            sends.spawn(async move {
                let attempt = send(&client, &d, now).await;
                (d, attempt)
            });
        }
        let mut done = Vec::with_capacity(sends.len());
        while let Some(joined) = sends.join_next().await {
            // A panicked send leaves its delivery leased; it is retried when the lease ends.
            if let Ok(pair) = joined {
                done.push(pair);
            }
        }
        let outcomes = webhooks::record(db, &at, &done).await?;
        for ((d, _), outcome) in done.iter().zip(outcomes) {
            let Some(outcome) = outcome else {
                continue;
            };
            tracing::info!(
                delivery = d.id,
                event = %d.event,
                outcome = outcome.as_str(),
                attempts = d.attempts + 1,
                "webhook delivery"
            );
            round.add(outcome);
        }
    }
}

/// POSTs one delivery. Errors never carry the URL, which may hold a token.
async fn send(client: &Client, d: &Due, now: SystemTime) -> Attempt {
    let retry_at = || crate::db::rfc3339(now + backoff(d.attempts + 1, jitter()));
    if client.targets == Targets::Public {
        let internal = reqwest::Url::parse(&d.url)
            .ok()
            .and_then(|u| egress::internal_literal(&u));
        if let Some(host) = internal {
            return Attempt::Failed {
                status: None,
                error: format!(
                    "`{host}` is an internal address (internal targets are refused; see \
                     --webhooks-allow-private)"
                ),
                retry_at: retry_at(),
            };
        }
    }
    let body = d.payload.clone().into_bytes();
    let result = client
        .http
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("x-trusca-event", &d.event)
        .header("x-trusca-delivery", &d.idem_key)
        .header("x-trusca-signature-256", signature(&d.secret, &body))
        .body(body)
        .send()
        .await;
    match result {
        Ok(res) if res.status().is_success() => Attempt::Delivered {
            status: res.status().as_u16(),
        },
        Ok(res) => Attempt::Failed {
            status: Some(res.status().as_u16()),
            error: format!("the receiver answered {}", res.status()),
            retry_at: retry_at(),
        },
        Err(e) => Attempt::Failed {
            status: None,
            error: with_causes(&e.without_url()),
            retry_at: retry_at(),
        },
    }
}

/// An error and its causes (`error sending request: … : \`host\` resolves to no public
/// address …`), so a delivery's recorded error says why.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let part = c.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = c.source();
    }
    text
}

/// Delivers due webhooks until the process ends: every few seconds, or sooner when [`wake`]
/// is called. Outcomes are counted in `metrics`.
pub async fn run(db: Db, metrics: Arc<Metrics>, targets: Targets) {
    let client = match client(targets) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook deliveries are off");
            return;
        }
    };
    loop {
        match deliver_due(&db, &client, SystemTime::now()).await {
            Ok(round) => metrics.webhook_round(round.delivered, round.retried, round.failed),
            Err(e) => tracing::warn!(error = %e, "webhook delivery round failed"),
        }
        let _ = tokio::time::timeout(POLL, WAKE.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_six_hours() {
        assert_eq!(backoff(1, 1.0), Duration::from_secs(30));
        assert_eq!(backoff(2, 1.0), Duration::from_secs(60));
        assert_eq!(backoff(5, 1.0), Duration::from_secs(480));
        assert_eq!(backoff(11, 1.0), Duration::from_secs(6 * 3600));
        assert_eq!(backoff(100, 1.0), Duration::from_secs(6 * 3600));
        assert_eq!(backoff(1, 1.2), Duration::from_secs(36));
        assert_eq!(backoff(1, 9.0), Duration::from_secs(45));
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.8..=1.2).contains(&j), "{j}");
        }
    }

    #[test]
    fn signature_is_the_hex_hmac_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
