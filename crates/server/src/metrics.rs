//! Prometheus metrics: requests by route and status, latency, uploads, webhook deliveries, and
//! the database pool.

use axum::http::Method;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// Every metric the server exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    /// Scans stored.
    pub uploads: Counter,
    /// Components stored.
    pub components: Counter,
    webhook_deliveries: Family<OutcomeLabels, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with every metric registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("trusca");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let uploads = Counter::default();
        let components = Counter::default();
        let webhook_deliveries = Family::<OutcomeLabels, Counter>::default();
        let pool_size = Gauge::default();
        let pool_idle = Gauge::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register("uploads", "Scans stored", uploads.clone());
        registry.register("components_stored", "Components stored", components.clone());
        registry.register(
            "webhook_deliveries",
            "Webhook delivery attempts by outcome (delivered, retry, failed)",
            webhook_deliveries.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_size.clone(),
        );
        registry.register(
            "db_pool_idle",
            "Idle database connections",
            pool_idle.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            uploads,
            components,
            webhook_deliveries,
            pool_size,
            pool_idle,
        }
    }

    /// Counts one answered request. `route` is a route template or `unmatched` (never a raw
    /// path), and the method is one of the standard ones or `other`, so that what clients send
    /// cannot grow the label sets.
    pub fn observe(&self, method: &Method, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method_label(method),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    /// Counts the outcomes of one round of webhook deliveries.
    pub fn webhook_round(&self, delivered: u64, retried: u64, failed: u64) {
        for (outcome, n) in [
            ("delivered", delivered),
            ("retry", retried),
            ("failed", failed),
        ] {
            self.webhook_deliveries
                .get_or_create(&OutcomeLabels { outcome })
                .inc_by(n);
        }
    }

    /// The text exposition, with the pool gauges read now.
    pub fn render(&self, pool: (u32, usize)) -> String {
        self.pool_size.set(i64::from(pool.0));
        self.pool_idle
            .set(i64::try_from(pool.1).unwrap_or(i64::MAX));
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// The label of a request method: the standard methods by name, anything else `other`.
pub fn method_label(method: &Method) -> &'static str {
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::DELETE, "DELETE"),
        (Method::PATCH, "PATCH"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::CONNECT, "CONNECT"),
        (Method::TRACE, "TRACE"),
    ];
    KNOWN
        .iter()
        .find(|(m, _)| m == method)
        .map_or("other", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::PUT), "PUT");
        let made_up = Method::from_bytes(b"PROBE1").unwrap_or(Method::GET);
        assert_eq!(method_label(&made_up), "other");
    }
}
