//! Who is asking. A layer resolves the session cookie or the bearer token of
//! every request into an [`Auth`]; handlers that need a user take `Auth` as an
//! argument and so cannot run without one.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use kfq_domain::{OrgPath, Principal, Role};
use kfq_store::SessionUser;

use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "kfq_session";
/// Anti-forgery token of a visitor who has not signed in (the login form).
pub const PRE_SESSION_CSRF_COOKIE: &str = "kfq_csrf";

#[derive(Debug, Clone)]
pub enum Via {
    Session { token: String, csrf: String },
    ApiToken,
}

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: SessionUser,
    pub principal: Principal,
    pub via: Via,
}

impl Auth {
    fn from_user(user: SessionUser, via: Via) -> Option<Auth> {
        let principal = Principal {
            user_id: user.user_id,
            role: Role::from_code(&user.role)?,
            unit_path: OrgPath::parse(&user.unit_path).ok()?,
            zone_path: user
                .zone_path
                .as_deref()
                .and_then(|p| OrgPath::parse(p).ok()),
            enterprise_id: user.enterprise_id,
        };
        Some(Auth {
            user,
            principal,
            via,
        })
    }

    /// The proof that the caller acts on their own account, by the domain's rule.
    pub fn own_account(&self) -> crate::error::AppResult<kfq_domain::OwnAccount> {
        crate::common::proven(self.principal.own_account(self.user.user_id))
    }

    pub fn actor(&self) -> kfq_store::Actor {
        kfq_store::Actor::user(self.user.user_id, &self.user.display_name)
    }

    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::ApiToken => "",
        }
    }
}

/// The value of one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Resolves the caller and stores `Option<Auth>` in the request.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let auth = match resolve(&state, req.headers()).await {
        Ok(auth) => auth,
        Err(err) => return axum::response::IntoResponse::into_response(AppError::from(err)),
    };
    if let Some(auth) = auth {
        req.extensions_mut().insert(auth);
    }
    next.run(req).await
}

async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Auth>, kfq_store::StoreError> {
    if let Some(token) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let user = state.store.api_token_user(token.trim()).await?;
        return Ok(user.and_then(|u| Auth::from_user(u, Via::ApiToken)));
    }
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let user = state
            .store
            .session_user(token, state.config.session_idle_ms)
            .await?;
        return Ok(user.and_then(|u| {
            let csrf = u.csrf_token.clone().unwrap_or_default();
            Auth::from_user(
                u,
                Via::Session {
                    token: token.to_owned(),
                    csrf,
                },
            )
        }));
    }
    Ok(None)
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Auth>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// The caller, if signed in (for pages that also serve visitors).
pub struct MaybeAuth(pub Option<Auth>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuth(parts.extensions.get::<Auth>().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn reads_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; kfq_session=abc; b=2"),
        );
        headers.append(COOKIE, HeaderValue::from_static("kfq_csrf=xyz"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, PRE_SESSION_CSRF_COOKIE), Some("xyz"));
        assert_eq!(cookie(&headers, "missing"), None);
    }
}
