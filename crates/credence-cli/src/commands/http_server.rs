//! The HTTP/1.1 server loop of `credence serve`, in place of `axum::serve`, for the limits a
//! public service needs against slow or greedy clients: a time limit on reading a request's
//! headers, on each stretch of its body, and on the whole request; a cap on open
//! connections (connections beyond it are closed at once); the peer address given to the
//! application (`ConnectInfo`) for per-client budgets; and a graceful stop that lets the
//! requests in flight finish.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::{Layer, ServiceExt};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    /// From accepting a connection (or the end of its last request) to the end of the next
    /// request's headers.
    pub header_read: Duration,
    /// The longest wait for the next piece of a request body.
    pub body_idle: Duration,
    /// The longest a request may take, body included, before it is answered 408.
    pub request: Duration,
    /// Open connections at most.
    pub max_connections: usize,
    /// How long a stop waits for the requests in flight.
    pub drain: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections finish
/// their requests (up to `limits.drain`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tracing::warn!(%peer, max = limits.max_connections, "connection refused: too many open connections");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = connection_service(app.clone(), peer, limits);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
                    }
                }
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a slot: all slots free means every connection has ended.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(limits.drain, slots.acquire_many(all)).await;
    Ok(())
}

/// The application as one connection sees it: its peer address in every request, the
/// body and whole-request time limits around it.
fn connection_service(
    app: Router,
    peer: SocketAddr,
    limits: ServerLimits,
) -> TowerToHyperService<
    impl tower::Service<
            Request<Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
            Future = impl Send,
        > + Clone,
> {
    let timed = TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request)
        .layer(RequestBodyTimeoutLayer::new(limits.body_idle).layer(app));
    let with_peer = timed.map_request(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    TowerToHyperService::new(with_peer)
}
