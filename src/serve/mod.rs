//! `dateline serve`: the index in a browser. One server-rendered page (search box,
//! facets to click, a timeline to look at, hits), an article view, and a JSON API under
//! `/api/` that prints what the CLI's `--json` prints, with the same serializers.
//!
//! The index is opened read-only and searched on blocking threads, a bounded number at
//! a time; the reader reloads when an `index` run commits. Nothing a request names
//! reaches the file system: articles are looked up by id in the index, and the page's
//! script and style are compiled into the binary.

mod page;
mod params;

use crate::archive::Archive;
use crate::output;
use crate::usage::UsageError;
use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use params::Params;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The index folder or cluster URL (`--index`).
    pub index: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port (the address is told to `ready`).
    pub port: u16,
}

/// Searches at once; more requests wait their turn. Searching is CPU work: more
/// threads than cores only share them.
const SEARCHES_AT_ONCE: usize = 8;
/// Requests waiting for a search beyond this get 503 at once, not a growing queue.
const SEARCHES_WAITING: usize = 512;

/// A page's rules for what it may load: its own script and style, nothing inline,
/// nothing from elsewhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

struct Shared {
    archive: Archive,
    searches: Semaphore,
    waiting: Semaphore,
}

/// Serves until Ctrl-C. `ready` is told the address once the server listens.
pub fn serve(options: &Options, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let shared = Arc::new(Shared {
        archive: Archive::open(&options.index, true)?,
        searches: Semaphore::new(SEARCHES_AT_ONCE),
        waiting: Semaphore::new(SEARCHES_WAITING),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((options.bind, options.port))
            .await
            .with_context(|| format!("listening on {}:{}", options.bind, options.port))?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")
    })
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(results_page))
        .route("/article/{id}", get(article_page))
        .route("/api/search", get(api_search))
        .route("/api/article/{id}", get(api_article))
        .route("/api/timeline", get(api_timeline))
        .route("/api/stats", get(api_stats))
        .route("/api/follow", get(api_follow))
        .route("/static/app.js", get(script))
        .route("/static/style.css", get(style))
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "no such page", false) })
        .layer(axum::middleware::map_response(secure))
        .layer(axum::extract::DefaultBodyLimit::max(4_096))
        .with_state(shared)
}

/// Every answer: the content-security policy, no sniffing, no referrer.
async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A request's failure: 400 for what the request got wrong (with dateline's message),
/// 404, 503 when too many wait, 500 for anything else (said, not panicked).
fn failure(status: StatusCode, message: &str, json: bool) -> Response {
    if json {
        let body = serde_json::json!({ "error": message }).to_string();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        let page = page::error(status, message);
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    }
}

fn failure_of(error: &anyhow::Error, json: bool) -> Response {
    let message = format!("{error:#}");
    if error.chain().any(|e| e.is::<UsageError>()) {
        let status = if message.starts_with("no article has the id") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::BAD_REQUEST
        };
        failure(status, &message, json)
    } else {
        failure(StatusCode::INTERNAL_SERVER_ERROR, &message, json)
    }
}

/// Runs `work` on a blocking thread when a search slot is free.
async fn searching<T: Send + 'static>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&Shared) -> Result<T> + Send + 'static,
) -> Result<T, Response> {
    let json = false;
    let Ok(_waiting) = shared.waiting.try_acquire() else {
        return Err(failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many searches at once; try again",
            json,
        ));
    };
    let Ok(_slot) = shared.searches.acquire().await else {
        return Err(failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting down",
            json,
        ));
    };
    let shared = Arc::clone(shared);
    match tokio::task::spawn_blocking(move || work(&shared)).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(failure_of(&error, json)),
        Err(_) => Err(failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the search failed",
            json,
        )),
    }
}

type Pairs = Query<Vec<(String, String)>>;

fn html(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn json(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn results_page(State(shared): State<Arc<Shared>>, Query(pairs): Pairs) -> Response {
    let params = match Params::parse(&pairs, params::Use::Page) {
        Ok(params) => params,
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message, false),
    };
    let answer = searching(&shared, move |shared| {
        let archive = &shared.archive;
        let request = params.request()?;
        let hits = archive.search(&request)?;
        let languages = archive.language_counts(&request)?;
        let timeline =
            archive.timeline(&Params::for_timeline(&request), params.by, params.split)?;
        let saved = crate::follow::counts(archive)?;
        Ok(page::results(&params, &hits, &languages, &timeline, &saved))
    })
    .await;
    match answer {
        Ok(body) => html(body),
        Err(response) => response,
    }
}

async fn article_page(State(shared): State<Arc<Shared>>, UrlPath(id): UrlPath<String>) -> Response {
    let answer = searching(&shared, move |shared| {
        let articles = shared.archive.find_stories(&[id])?;
        Ok(page::article(&articles[0]))
    })
    .await;
    match answer {
        Ok(body) => html(body),
        Err(response) => response,
    }
}

async fn api_search(State(shared): State<Arc<Shared>>, Query(pairs): Pairs) -> Response {
    let params = match Params::parse(&pairs, params::Use::Api) {
        Ok(params) => params,
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message, true),
    };
    api(&shared, move |shared| {
        let hits = shared.archive.search(&params.request()?)?;
        let mut out = Vec::new();
        output::json::write(&mut out, &hits)?;
        Ok(out)
    })
    .await
}

async fn api_article(State(shared): State<Arc<Shared>>, UrlPath(id): UrlPath<String>) -> Response {
    api(&shared, move |shared| {
        let articles = shared.archive.find_stories(&[id])?;
        let mut out = Vec::new();
        output::json::write_article(&mut out, &articles[0])?;
        Ok(out)
    })
    .await
}

async fn api_timeline(State(shared): State<Arc<Shared>>, Query(pairs): Pairs) -> Response {
    let params = match Params::parse(&pairs, params::Use::Api) {
        Ok(params) => params,
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message, true),
    };
    api(&shared, move |shared| {
        let timeline = shared
            .archive
            .timeline(&params.request()?, params.by, params.split)?;
        let mut out = Vec::new();
        output::json::write_timeline(&mut out, &timeline)?;
        Ok(out)
    })
    .await
}

async fn api_stats(State(shared): State<Arc<Shared>>) -> Response {
    api(&shared, |shared| {
        let stats = shared.archive.stats()?;
        let mut out = Vec::new();
        output::json::write_stats(&mut out, &stats)?;
        Ok(out)
    })
    .await
}

/// `follow --peek --json`: what each saved search has that is new, not remembered.
async fn api_follow(State(shared): State<Arc<Shared>>) -> Response {
    api(&shared, |shared| {
        let followed = crate::follow::show(&shared.archive, &[], false)?;
        let mut out = Vec::new();
        output::json::write_followed(&mut out, &followed)?;
        Ok(out)
    })
    .await
}

/// An API answer: the JSON the work writes, or the failure as JSON.
async fn api(
    shared: &Arc<Shared>,
    work: impl FnOnce(&Shared) -> Result<Vec<u8>> + Send + 'static,
) -> Response {
    match searching(shared, move |shared| Ok(work(shared))).await {
        Ok(Ok(body)) => json(body),
        Ok(Err(error)) => failure_of(&error, true),
        Err(response) => {
            // The page's failure, as JSON.
            let status = response.status();
            let message = status.canonical_reason().unwrap_or("failed");
            failure(status, message, true)
        }
    }
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("app.js"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("style.css"),
    )
        .into_response()
}
