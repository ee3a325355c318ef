//! A webhook receiver on 127.0.0.1 that checks the HMAC signature itself, answers as told,
//! and counts accepted events per delivery id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Seen {
    pub delivery: String,
    pub event: String,
    pub user_agent: String,
    pub signature_ok: bool,
    pub body: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Inbox {
    pub secret: String,
    /// Answer 500 to this many well-signed requests before answering 200.
    pub fail_first: usize,
    pub seen: Vec<Seen>,
    /// Events accepted (answered 200), by `X-Trusca-Delivery`.
    pub accepted: HashMap<String, usize>,
}

pub type Shared = Arc<Mutex<Inbox>>;

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn receive(State(inbox): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut inbox = inbox.lock().expect("inbox");
    let signature = header(&headers, "x-trusca-signature-256");
    let signature_ok = signature
        .strip_prefix("sha256=")
        .and_then(|hex| {
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()
        })
        .is_some_and(|expected| {
            let mut mac =
                Hmac::<Sha256>::new_from_slice(inbox.secret.as_bytes()).expect("hmac key");
            mac.update(&body);
            mac.verify_slice(&expected).is_ok()
        });
    let delivery = header(&headers, "x-trusca-delivery");
    inbox.seen.push(Seen {
        delivery: delivery.clone(),
        event: header(&headers, "x-trusca-event"),
        user_agent: header(&headers, "user-agent"),
        signature_ok,
        body: body.to_vec(),
    });
    assert_eq!(header(&headers, "content-type"), "application/json");
    if !signature_ok {
        return StatusCode::UNAUTHORIZED;
    }
    if inbox.fail_first > 0 {
        inbox.fail_first -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    *inbox.accepted.entry(delivery).or_default() += 1;
    StatusCode::OK
}

/// Starts a receiver; returns its URL and inbox.
pub async fn receiver(secret: &str, fail_first: usize) -> (String, Shared) {
    let inbox: Shared = Arc::new(Mutex::new(Inbox {
        secret: secret.to_owned(),
        fail_first,
        ..Inbox::default()
    }));
    let app = axum::Router::new()
        .route("/hook", post(receive))
        .with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/hook"), inbox)
}
