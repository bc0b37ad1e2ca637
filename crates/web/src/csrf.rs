//! Anti-forgery for every state-changing request made with a cookie. The token
//! comes in the `X-CSRF-Token` header (scripts) or the `_csrf` form field
//! (plain forms and file uploads, in the body) and must equal the session's token, or, before sign-in, the
//! visitor's `kfq_csrf` cookie. Requests with an API token carry no ambient
//! credential and need none.

use axum::body::Bytes;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::auth::{cookie, Auth, Via, PRE_SESSION_CSRF_COOKIE};
use crate::error::AppError;
use crate::input::MAX_BODY;
use crate::routes::UPLOAD_MAX;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "_csrf";

pub async fn protect(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = match req.extensions().get::<Auth>().map(|a| &a.via) {
        Some(Via::ApiToken) => return next.run(req).await,
        Some(Via::Session { csrf, .. }) => Some(csrf.clone()),
        // An API call without a token is not signed in: 401, so a script
        // knows to send one (a forgery check would only confuse it).
        None if req.uri().path().starts_with("/api/") => {
            return AppError::Unauthenticated.into_response();
        }
        None => cookie(req.headers(), PRE_SESSION_CSRF_COOKIE).map(str::to_owned),
    };
    let Some(expected) = expected.filter(|t| !t.is_empty()) else {
        return AppError::Csrf.into_response();
    };
    if let Some(sent) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if same(sent, &expected) {
            next.run(req).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    // A file upload (multipart) carries the token as its first field, in the
    // body like any form (a query string would end up in logs).
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, UPLOAD_MAX).await else {
            return AppError::TooLarge(UPLOAD_MAX).into_response();
        };
        let sent = multipart_field(&content_type, bytes.clone(), FIELD).await;
        if !sent.as_deref().is_some_and(|s| same(s, &expected)) {
            return AppError::Csrf.into_response();
        }
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return AppError::Csrf.into_response();
    }
    // Read the form to find the token, then hand the same bytes on.
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return AppError::TooLarge(MAX_BODY).into_response();
    };
    let sent = form_field(&bytes, FIELD);
    if !sent.as_deref().is_some_and(|s| same(s, &expected)) {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The text of the field `name` of a multipart body, read from the bytes
/// already in memory.
async fn multipart_field(content_type: &str, bytes: Bytes, name: &str) -> Option<String> {
    let req = Request::builder()
        .method(Method::POST)
        .header(CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let mut form = Multipart::from_request(req, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Compares digests so the time taken says nothing about the token.
fn same(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_form_token() {
        assert_eq!(
            form_field(b"a=1&_csrf=tok%2B&b=2", FIELD).as_deref(),
            Some("tok+")
        );
        assert_eq!(form_field(b"a=1", FIELD), None);
        assert!(same("x", "x") && !same("x", "y"));
    }
}
