//! One HTTP/1.1 GET over a connection this module makes itself: the name is resolved here,
//! every address checked against the refusal table, and the connection made to an address
//! that passed, so a name that changes its answer between check and use (DNS rebinding)
//! cannot reach a refused address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use crate::policy::{refusal, Target};
use crate::FetchError;

/// A byte stream over TCP or TLS.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// The TLS settings: the Mozilla roots shipped with `webpki-roots` and the operator's
/// `extra` roots (DER; one that cannot be read is skipped), no client certificate.
pub(crate) fn tls_connector(extra: &[Vec<u8>]) -> TlsConnector {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for der in extra {
        let certificate = tokio_rustls::rustls::pki_types::CertificateDer::from(der.clone());
        if let Err(e) = roots.add(certificate) {
            tracing::warn!("an extra root certificate for fetching was refused: {e}");
        }
    }
    // ring rather than aws-lc-rs: it builds without a C toolchain of its own. Its provider
    // lacks post-quantum key exchange, which rustls marks as deprecated; classical key
    // exchange is what verifying public documents needs.
    #[allow(deprecated)]
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
        .unwrap_or_else(|_| unreachable_config());
    TlsConnector::from(Arc::new(config))
}

/// The default protocol versions of the bundled provider are always accepted; this is only
/// reached if that ever stops being so, and then every TLS handshake fails safely.
fn unreachable_config() -> ClientConfig {
    ClientConfig::builder()
        .with_root_certificates(RootCertStore::empty())
        .with_no_client_auth()
}

/// The addresses to connect to: the literal address, or every address the name resolves
/// to that the table lets through (all of them for an allowed host).
async fn addresses(target: &Target) -> Result<Vec<SocketAddr>, FetchError> {
    if let Some(ip) = target.ip {
        return Ok(vec![SocketAddr::new(ip, target.port)]);
    }
    let resolved: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|e| FetchError::Resolve(format!("{} could not be resolved: {e}", target.host)))?
        .collect();
    if target.allowed {
        return Ok(resolved);
    }
    let mut refused: Option<(IpAddr, &'static str)> = None;
    let usable: Vec<SocketAddr> = resolved
        .into_iter()
        .filter(|a| match refusal(a.ip()) {
            Some(what) => {
                refused.get_or_insert((a.ip(), what));
                false
            }
            None => true,
        })
        .collect();
    match (usable.is_empty(), refused) {
        (true, Some((ip, what))) => Err(FetchError::Refused(format!(
            "{} resolves to {ip}, which is {what}",
            target.host
        ))),
        (true, None) => Err(FetchError::Resolve(format!(
            "{} resolves to no address",
            target.host
        ))),
        (false, _) => Ok(usable),
    }
}

async fn connect(
    target: &Target,
    connect_timeout: Duration,
    tls: &TlsConnector,
) -> Result<Box<dyn Stream>, FetchError> {
    let mut last = None;
    for addr in addresses(target).await? {
        // The address is checked again right before use, so no path reaches connect()
        // with a refused address for a host that is not allowed.
        if !target.allowed && refusal(addr.ip()).is_some() {
            continue;
        }
        match tokio::time::timeout(connect_timeout, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                if !target.tls {
                    return Ok(Box::new(tcp));
                }
                let name = ServerName::try_from(target.host.clone())
                    .map_err(|e| FetchError::Tls(e.to_string()))?;
                let stream = tls
                    .connect(name, tcp)
                    .await
                    .map_err(|e| FetchError::Tls(e.to_string()))?;
                return Ok(Box::new(stream));
            }
            Ok(Err(e)) => last = Some(FetchError::Connect(e.to_string())),
            Err(_) => {
                last = Some(FetchError::Connect(format!(
                    "no connection within {} s",
                    connect_timeout.as_secs_f32()
                )))
            }
        }
    }
    Err(last.unwrap_or_else(|| FetchError::Connect("no address to connect to".into())))
}

/// A response read whole.
pub(crate) struct Response {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub cache_control: Option<String>,
    pub body: Bytes,
}

fn header(response: &hyper::Response<Incoming>, name: hyper::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Sends one GET to `target` and reads at most `max_bytes` of the answer.
pub(crate) async fn get(
    target: &Target,
    accept: &str,
    connect_timeout: Duration,
    max_bytes: usize,
    tls: &TlsConnector,
) -> Result<Response, FetchError> {
    let stream = connect(target, connect_timeout, tls).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| FetchError::Http(e.to_string()))?;
    let driver = tokio::spawn(connection);
    let host = match (target.ip, target.url.port()) {
        (Some(IpAddr::V6(v6)), Some(p)) => format!("[{v6}]:{p}"),
        (Some(IpAddr::V6(v6)), None) => format!("[{v6}]"),
        (_, Some(p)) => format!("{}:{p}", target.host),
        (_, None) => target.host.clone(),
    };
    let path = match target.url.query() {
        Some(q) => format!("{}?{q}", target.url.path()),
        None => target.url.path().to_owned(),
    };
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, host)
        .header(hyper::header::ACCEPT, accept)
        .header(hyper::header::USER_AGENT, "Credence-verifier/1")
        .body(Empty::<Bytes>::new())
        .map_err(|e| FetchError::Http(e.to_string()))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| FetchError::Http(e.to_string()))?;
    let status = response.status().as_u16();
    let location = header(&response, hyper::header::LOCATION);
    let content_type = header(&response, hyper::header::CONTENT_TYPE).unwrap_or_default();
    let cache_control = header(&response, hyper::header::CACHE_CONTROL);
    let declared =
        header(&response, hyper::header::CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_bytes as u64) {
        driver.abort();
        return Err(FetchError::TooLarge(max_bytes));
    }
    let mut body = response.into_body();
    let mut read = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| FetchError::Http(e.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if read.len() + data.len() > max_bytes {
                driver.abort();
                return Err(FetchError::TooLarge(max_bytes));
            }
            read.extend_from_slice(&data);
        }
    }
    driver.abort();
    Ok(Response {
        status,
        location,
        content_type,
        cache_control,
        body: read.freeze(),
    })
}
