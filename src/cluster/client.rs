//! Requests to a cluster: JSON over HTTP(S) to one node at a time. A node that does not
//! answer is passed over for the next; busy answers (429) and server errors (502–504)
//! are retried with growing pauses. Every request dateline sends is safe to repeat
//! (writes are by id), so a request cut off by a dying node is simply sent again.

use super::address::Address;
use anyhow::{Result, anyhow, bail};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long one request may take before the node counts as not answering.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Pauses between rounds of retries: about 30 s in all, enough for a cluster to elect a
/// new manager and promote replicas after a node dies.
const BACKOFF_MS: [u64; 8] = [100, 250, 500, 1000, 2000, 4000, 8000, 15000];

/// A cluster's answer.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The JSON body (`Null` when empty).
    pub body: Value,
}

impl Reply {
    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// OpenSearch's own reason for a refusal, in one line.
    pub fn reason(&self) -> String {
        let error = &self.body["error"];
        let reason = error["root_cause"][0]["reason"]
            .as_str()
            .or_else(|| error["reason"].as_str())
            .or_else(|| error.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| compact(&self.body));
        format!("HTTP {}: {reason}", self.status)
    }

    /// The error type OpenSearch names (`index_not_found_exception`, …).
    pub fn error_type(&self) -> Option<&str> {
        self.body["error"]["type"].as_str()
    }
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A connection to a cluster's nodes.
pub struct Client {
    address: Address,
    agent: ureq::Agent,
    authorization: Option<String>,
    /// The node that answered last: requests go there first.
    preferred: AtomicUsize,
}

impl Client {
    /// A client of the nodes at `address` (nothing is sent yet). A certificate file
    /// that cannot be read is an error that names it.
    pub fn new(address: &Address) -> Result<Client> {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(path) = &address.ca {
            let pem = std::fs::read(path)
                .map_err(|e| anyhow!("reading DATELINE_OPENSEARCH_CA {}: {e}", path.display()))?;
            let certificates = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(certificate)) => Some(Ok(certificate)),
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| anyhow!("reading DATELINE_OPENSEARCH_CA {}: {e}", path.display()))?;
            if certificates.is_empty() {
                bail!(
                    "DATELINE_OPENSEARCH_CA {} holds no PEM certificate",
                    path.display()
                );
            }
            tls = tls.root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(
                certificates,
            )));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .max_idle_connections_per_host(8)
            .tls_config(tls.build())
            .build()
            .into();
        let authorization = address.credentials.as_ref().map(|(user, password)| {
            format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
        });
        Ok(Client {
            address: address.clone(),
            agent,
            authorization,
            preferred: AtomicUsize::new(0),
        })
    }

    /// The address (for messages: it shows no credentials).
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// Sends a JSON body (or none) and returns the answer, whatever its status, except
    /// that busy and failing-server answers are retried first.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Reply> {
        let bytes = body.map(|b| b.to_string().into_bytes());
        self.send_bytes(method, path, bytes.as_deref(), "application/json")
    }

    /// Searches the articles' index; a refusal is an error that begins with `doing`.
    pub fn search(&self, body: &Value, doing: &str) -> Result<Reply> {
        let reply = self.send(
            "POST",
            &format!("/{}/_search", self.address.index),
            Some(body),
        )?;
        if !reply.ok() {
            bail!("{doing}: {}", reply.reason());
        }
        Ok(reply)
    }

    /// Sends newline-delimited JSON (the bulk API).
    pub fn send_ndjson(&self, path: &str, body: &[u8]) -> Result<Reply> {
        self.send_bytes("POST", path, Some(body), "application/x-ndjson")
    }

    fn send_bytes(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        content_type: &str,
    ) -> Result<Reply> {
        let nodes = self.address.nodes.len();
        let mut last_failure = String::new();
        for (round, pause) in BACKOFF_MS
            .iter()
            .map(|&ms| Some(ms))
            .chain([None])
            .enumerate()
        {
            let first = self.preferred.load(Ordering::Relaxed);
            let mut unreachable = 0;
            for step in 0..nodes {
                let node = (first + step) % nodes;
                match self.once(node, method, path, body, content_type) {
                    Ok(reply) if matches!(reply.status, 429 | 502 | 503 | 504) => {
                        // Busy or between managers: the same node again after a pause.
                        last_failure = reply.reason();
                        break;
                    }
                    Ok(reply) => {
                        self.preferred.store(node, Ordering::Relaxed);
                        return Ok(reply);
                    }
                    Err(error) => {
                        unreachable += 1;
                        last_failure = format!("{}: {error}", self.address.nodes[node]);
                        let next = (node + 1) % nodes;
                        self.preferred.store(next, Ordering::Relaxed);
                    }
                }
            }
            // No node answers at all, three times over: the cluster is down (a dying
            // node's peers still answer while they elect a manager).
            if unreachable == nodes && round >= 2 {
                break;
            }
            match pause {
                Some(ms) => std::thread::sleep(Duration::from_millis(ms)),
                None => break,
            }
        }
        if last_failure.contains("certificate") {
            bail!(
                "the cluster at {} has a certificate dateline does not trust ({last_failure}); give its CA's certificates in DATELINE_OPENSEARCH_CA (a PEM file)",
                self.address.nodes.join(",")
            );
        }
        Err(anyhow!(
            "the cluster at {} does not answer ({last_failure})",
            self.address.nodes.join(",")
        ))
    }

    fn once(
        &self,
        node: usize,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        content_type: &str,
    ) -> Result<Reply> {
        let url = format!("{}{path}", self.address.nodes[node]);
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("Content-Type", content_type)
            .header("Accept", "application/json");
        if let Some(authorization) = &self.authorization {
            request = request.header("Authorization", authorization);
        }
        let request = request
            .body(body.unwrap_or_default().to_vec())
            .map_err(|e| anyhow!("{e}"))?;
        let mut response = self.agent.run(request).map_err(|e| anyhow!("{e}"))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(|e| anyhow!("{e}"))?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Reply { status, body })
    }
}

/// Standard base64 of the basic-authentication header.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_authentication_is_standard_base64() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn a_cluster_that_is_down_is_one_error_naming_its_address() {
        // A port nothing listens on: connection refused at once, every retry.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let address = Address::parse_with(&format!("http://127.0.0.1:{port}/x"), |_| None).unwrap();
        let started = std::time::Instant::now();
        let error = Client::new(&address)
            .unwrap()
            .send("GET", "/", None)
            .unwrap_err()
            .to_string();
        assert!(started.elapsed() < Duration::from_secs(5), "{error}");
        assert!(
            error.starts_with(&format!(
                "the cluster at http://127.0.0.1:{port} does not answer"
            )),
            "{error}"
        );
    }
}
