//! Serving connections: HTTP/1.1 through hyper, with a limit on the time a client may take to
//! send a request head ([`Config::header_read_timeout`]), the client address given to the
//! application as [`ConnectInfo`], and graceful shutdown.
//!
//! hyper answers a request it cannot parse (a malformed head, a URI longer than 64 KiB, too
//! many header bytes) itself, before the application sees it, with a bare status line. Those
//! answers are recognised on their way out ([`ParseErrorAnswers`]) and replaced by the same
//! answer with the security headers every response carries and a problem document.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt as _;

/// How long connections still open at shutdown may take to finish.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections finish
/// (for at most [`DRAIN`]). A client that has not sent a whole request head within
/// `header_read_timeout` of starting one (or of the connection going idle) is disconnected.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            req
        });
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .serve_connection(
                TokioIo::new(ParseErrorAnswers::new(stream)),
                TowerToHyperService::new(service),
            );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "connections still open after {} s are dropped",
            DRAIN.as_secs()
        );
    }
}

/// The statuses hyper answers by itself when a request head cannot be parsed.
const PARSE_ERRORS: [&[u8]; 3] = [b"400", b"414", b"431"];

/// A connection whose outgoing bytes are watched for hyper's own parse-error answers, which
/// are swapped for [`replacement`]. The application's answers always carry `x-request-id`
/// (see [`crate::app`]); hyper's never do, and they are written alone, in one piece.
pub struct ParseErrorAnswers {
    inner: TcpStream,
    swap: Option<Swap>,
}

/// A replacement being written: its bytes, how many went out, and how many bytes of hyper's
/// answer it stands for.
struct Swap {
    bytes: Vec<u8>,
    written: usize,
}

impl ParseErrorAnswers {
    /// Wraps an accepted connection.
    pub fn new(inner: TcpStream) -> Self {
        ParseErrorAnswers { inner, swap: None }
    }
}

/// The status of `buf` when it is one of hyper's parse-error answers.
fn parse_error_status(buf: &[u8]) -> Option<StatusCode> {
    let rest = buf.strip_prefix(b"HTTP/1.")?;
    let code = rest.get(2..5)?;
    if !PARSE_ERRORS.contains(&code) {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = buf[..end].to_ascii_lowercase();
    if head.windows(13).any(|w| w == b"x-request-id:") {
        return None;
    }
    StatusCode::from_bytes(code).ok()
}

/// The answer sent instead of hyper's: the same status, a problem document, the security
/// headers, and the connection closed.
pub fn replacement(status: StatusCode) -> Vec<u8> {
    let body = crate::error::generic_body(status);
    let mut headers = HeaderMap::new();
    crate::web::security_headers(&mut headers);
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error"),
        crate::error::PROBLEM_JSON,
        body.len()
    )
    .into_bytes();
    for (name, value) in &headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    out
}

impl AsyncRead for ParseErrorAnswers {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ParseErrorAnswers {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.swap.is_none() {
            match parse_error_status(buf) {
                Some(status) => {
                    this.swap = Some(Swap {
                        bytes: replacement(status),
                        written: 0,
                    })
                }
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        let Some(swap) = this.swap.as_mut() else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        // After the replacement went out, hyper only closes the connection.
        while swap.written < swap.bytes.len() {
            let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &swap.bytes[swap.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            swap.written += n;
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyper_answers_are_told_from_ours() {
        let hyper_414 = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(
            parse_error_status(hyper_414),
            Some(StatusCode::URI_TOO_LONG)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\nx-request-id: 1\r\n\r\n{}";
        assert_eq!(parse_error_status(ours), None);
        assert_eq!(parse_error_status(b"HTTP/1.1 404 Not Found\r\n\r\n"), None);
        assert_eq!(parse_error_status(b"{\"a\":1}"), None);
    }

    #[test]
    fn the_replacement_carries_the_security_headers_and_a_problem() {
        let text = String::from_utf8(replacement(StatusCode::URI_TOO_LONG)).unwrap_or_default();
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        assert!(text.contains("content-security-policy: "), "{text}");
        assert!(text.contains("x-frame-options: DENY"), "{text}");
        assert!(
            text.contains("\"type\":\"urn:trusca:problem:uri-too-long\""),
            "{text}"
        );
    }
}
