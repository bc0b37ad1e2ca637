//! Signing in and out. Failed attempts are recorded in the database (login
//! name, client address, time), so throttling holds across instances: by
//! client with exponential backoff, by account without locking out a client
//! that has not failed (`kfq_domain::throttle`).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::{cookie, Auth, MaybeAuth, Via, PRE_SESSION_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::AppResult;
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .public_get("/login", login_page)
        .public_post("/login", login)
        .post("/logout", logout)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginView {
    page: PageContext,
    next: String,
    username: String,
    message: Option<String>,
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// Where to go after signing in: a path of this site, else home (no open
/// redirect). Only a strict set of characters is taken, as typed (a form or a
/// query string has already been decoded once) and after undoing any further
/// percent-escapes: no scheme, no "//" or "/\" that browsers read as another
/// host, no whitespace or control characters (which browsers drop, so
/// "/\t/evil" is "//evil", and which a Location header cannot carry).
pub(crate) fn safe_next(next: &str) -> String {
    if is_site_path(next) {
        next.to_owned()
    } else {
        "/".into()
    }
}

fn is_site_path(next: &str) -> bool {
    const ALLOWED: &[u8] = b"/_-.~?=&%+,:@!";
    let strict = |bytes: &[u8]| {
        bytes.first() == Some(&b'/')
            && !matches!(bytes.get(1), Some(b'/' | b'\\'))
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || ALLOWED.contains(b))
    };
    if next.len() > 2048 || !strict(next.as_bytes()) {
        return false;
    }
    // Undo escapes a few layers deep; every layer must still be a plain path
    // (non-ASCII text, e.g. a Chinese search term, is fine once decoded).
    let mut text = next.as_bytes().to_vec();
    for _ in 0..3 {
        let decoded = percent_decode(&text);
        if decoded == text {
            break;
        }
        let plain = decoded.first() == Some(&b'/')
            && !matches!(decoded.get(1), Some(b'/' | b'\\'))
            && !decoded
                .iter()
                .any(|b| b.is_ascii_control() || b.is_ascii_whitespace() || *b == b'\\');
        if !plain {
            return false;
        }
        text = decoded;
    }
    true
}

/// `%XY` → the byte 0xXY; anything else, a stray `%` included, as it is.
fn percent_decode(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match (
            text[i],
            text.get(i + 1).copied().and_then(hex),
            text.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

pub(crate) fn cookie_header(
    name: &str,
    value: &str,
    max_age_s: i64,
    same_site: &str,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age_s}{secure}"
    ))
    .expect("cookie values are URL-safe")
}

/// Cookies are `Secure` when configured, or when a trusted proxy says HTTPS.
pub(crate) fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.secure_cookies
        || (state.config.trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                == Some("https"))
}

/// The throttling figures of the configuration: `max_login_failures` free
/// failures per client, then a doubling wait up to `throttle_window_ms`; ten
/// times as many per account and twenty times per address within the window.
pub fn throttle_limits(config: &crate::state::WebConfig) -> kfq_domain::throttle::Limits {
    kfq_domain::throttle::Limits::new(config.max_login_failures, config.throttle_window_ms)
}

/// The client's address: the peer's, or the first address of
/// `X-Forwarded-For` when the server is configured to trust its proxy
/// (`--trust-proxy`).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.trust_proxy {
        if let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return forwarded.trim().to_owned();
        }
    }
    peer.ip().to_string()
}

fn login_response(
    state: &AppState,
    headers: &HeaderMap,
    view: LoginView,
    status: StatusCode,
    csrf: &str,
) -> AppResult<Response> {
    let mut response = (status, render(&view)?).into_response();
    if cookie(headers, PRE_SESSION_CSRF_COOKIE) != Some(csrf) {
        let value = cookie_header(
            PRE_SESSION_CSRF_COOKIE,
            csrf,
            24 * 3600,
            "Strict",
            secure(state, headers),
        );
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

fn visitor_csrf(headers: &HeaderMap) -> String {
    cookie(headers, PRE_SESSION_CSRF_COOKIE)
        .filter(|t| {
            t.len() >= 32
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(random_token)
}

fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

async fn login_page(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> AppResult<Response> {
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    if auth.is_some() {
        return Ok(see_other(&next));
    }
    let csrf = visitor_csrf(&headers);
    let mut page = PageContext::new(None, "");
    page.csrf.clone_from(&csrf);
    let view = LoginView {
        page,
        next,
        username: String::new(),
        message: None,
    };
    login_response(&state, &headers, view, StatusCode::OK, &csrf)
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    input: Input,
) -> AppResult<Response> {
    let username = input.text("username").trim().to_ascii_lowercase();
    let password = input.text("password");
    let next = safe_next(&input.text("next"));
    let ip = client_ip(&state, &headers, peer);
    let config = &state.config;
    let refuse = |key: &str, status: StatusCode| -> AppResult<Response> {
        let csrf = visitor_csrf(&headers);
        let mut page = PageContext::new(None, "");
        page.csrf.clone_from(&csrf);
        let view = LoginView {
            message: Some(page.t(key).to_owned()),
            page,
            next: next.clone(),
            username: username.clone(),
        };
        login_response(&state, &headers, view, status, &csrf)
    };

    // Throttled by client (exponential backoff) and by account (a client
    // that has not failed still gets its check), whether the name exists or not.
    let limits = throttle_limits(config);
    match kfq_app::account::check_throttle(&state.store, &limits, &username, &ip).await {
        Ok(()) => {}
        Err(kfq_app::Error::Throttled(seconds)) => {
            tracing::warn!(username = %username, ip = %ip, "sign-in throttled");
            let csrf = visitor_csrf(&headers);
            let mut page = PageContext::new(None, "");
            page.csrf.clone_from(&csrf);
            let message =
                crate::error::throttled_message(page.catalog, "login.throttled_wait", seconds);
            let view = LoginView {
                message: Some(message),
                page,
                next: next.clone(),
                username: username.clone(),
            };
            let mut response =
                login_response(&state, &headers, view, StatusCode::TOO_MANY_REQUESTS, &csrf)?;
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            return Ok(response);
        }
        Err(other) => return Err(other.into()),
    }
    let credentials = state.store.credentials(&username).await?;
    // Without an account, still spend the time a check takes: timing tells nothing.
    let stored = credentials
        .as_ref()
        .map(|(_, hash, _)| hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    let checked =
        tokio::task::spawn_blocking(move || kfq_store::verify_password(&password, &stored))
            .await
            .unwrap_or(false);
    let user = match credentials {
        Some((id, _, true)) if checked => id,
        _ => {
            state
                .store
                .record_login_failure(&username, &ip, "login")
                .await?;
            tracing::info!(username = %username, ip = %ip, "sign-in failed");
            return refuse("login.failed", StatusCode::UNAUTHORIZED);
        }
    };
    state
        .store
        .record_login_success(user, &username, &ip)
        .await?;
    let agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let session = state
        .store
        .create_session(user, config.session_lifetime_ms, &ip, agent)
        .await?;
    tracing::info!(username = %username, ip = %ip, "signed in");
    let mut response = see_other(&next);
    let max_age = config.session_lifetime_ms / 1000;
    let secure = secure(&state, &headers);
    response.headers_mut().append(
        SET_COOKIE,
        cookie_header(SESSION_COOKIE, &session.token, max_age, "Lax", secure),
    );
    response.headers_mut().append(
        SET_COOKIE,
        cookie_header(PRE_SESSION_CSRF_COOKIE, "", 0, "Strict", secure),
    );
    Ok(response)
}

/// A valid argon2id hash of a random secret, checked when the name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8OoFyFuANb/r6VMMrp3TEVEGG8wIuk9+Q1aZnuzgfRk";

async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
) -> AppResult<Response> {
    if let Via::Session { token, .. } = &auth.via {
        state.store.end_session(token).await?;
    }
    let mut response = see_other("/login");
    response.headers_mut().append(
        SET_COOKIE,
        cookie_header(SESSION_COOKIE, "", 0, "Lax", secure(&state, &headers)),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        let kept = [
            "/",
            "/orgs?q=1",
            "/projects?page=2",
            "/projects?zone_id=3&sort=name&page=2",
            "/enterprises?q=%E4%B8%B4%E6%B1%BE",
            "/projects/12/edit",
            "/a-b_c.d~e",
            "/search?q=a+b",
        ];
        for next in kept {
            assert_eq!(safe_next(next), next, "{next:?}");
        }
        let home = [
            "",
            "orgs",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example",
            "HTTPS://evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil",
            "/\r\n/evil",
            "/ /evil",
            "/x\u{0}",
            "/x\u{7f}",
            "/%09/evil.example",
            "/%0a/evil",
            "/%0d%0aSet-Cookie:x=1",
            "/%2f%2fevil",
            "/%2F%2Fevil",
            "/%5cevil",
            "/%5c%5cevil",
            "/%252f%252fevil",
            "/%25%30%39/evil",
            "/x%00",
            "/x#y",
            "/x\"y",
            "/x<y",
            "/临汾",
            "/\u{3000}/evil",
        ];
        for next in home {
            assert_eq!(safe_next(next), "/", "{next:?}");
        }
    }

    #[test]
    fn the_dummy_hash_is_well_formed() {
        assert!(!kfq_store::verify_password("anything", DUMMY_HASH));
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
