//! The HTTP client of every command that talks to a server (the vulnerability database download,
//! `trusca scan --upload`): blocking ureq over rustls with ring, the platform's trust store (so an
//! internal mirror's certificate authority is trusted as the system trusts it), the proxy from
//! `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`, and no async runtime.

use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig};
use ureq::Agent;

/// An agent that answers every status as a response (callers decide what a 404 means), with
/// `timeout` bounding the wait for the response headers and each read of the body: a stalled
/// transfer fails, a long one does not.
pub fn agent(timeout: Duration) -> Agent {
    Agent::config_builder()
        .user_agent(concat!("trusca/", env!("CARGO_PKG_VERSION")))
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(timeout))
        .timeout_recv_body(None)
        .timeout_per_read(Some(timeout))
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

/// An error and every cause below it, on one line: the top-level message of a network error is
/// often generic ("io error"), the causes say what happened.
pub fn describe(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !message.contains(&more) {
            message.push_str(": ");
            message.push_str(&more);
        }
        source = s.source();
    }
    message
}
