//! Every route is added through [`Routes`], which records its method, path and
//! whether it is public. A route for users is wrapped in [`require_user`], so a
//! handler that forgets to ask for `Auth` still never runs for a visitor. The
//! scoping and anonymous-walk tests walk this list, so a route added later is
//! checked without anyone remembering to add it.

use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use crate::auth::Auth;
use crate::error::AppError;

use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Served to anyone (sign-in, health, metrics, assets, API description).
    Public,
    /// Needs a signed-in user.
    User,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

impl RouteInfo {
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }

    /// The `{name}` parameters of the path, in order.
    pub fn params(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect()
    }
}

/// Every route gets anti-forgery and has its query string checked for
/// control characters (`input::refuse_forbidden_query`); a user route is first put behind
/// [`require_user`], so a visitor's write is refused as unauthenticated (401,
/// or the login page) rather than as forged.
fn guarded(access: Access, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    let route = route
        .route_layer(from_fn(crate::input::refuse_forbidden_query))
        .route_layer(from_fn(crate::csrf::protect));
    match access {
        Access::Public => route,
        Access::User => route.route_layer(from_fn(require_user)),
    }
}

/// Refuses a request without a signed-in user before its handler runs: 401
/// for the API, the login page for a browser (by the error-page layer).
pub async fn require_user(req: Request, next: Next) -> Response {
    if req.extensions().get::<Auth>().is_none() {
        return AppError::Unauthenticated.into_response();
    }
    next.run(req).await
}

/// Largest file upload: a province-wide workbook of 100,000 rows is ~10 MB.
pub const UPLOAD_MAX: usize = 64 * 1024 * 1024;

/// Uploads one app server takes in at once: each may be held whole while it
/// is checked and read, so more wait their turn rather than add up.
static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);

async fn upload_turn(req: Request, next: Next) -> Response {
    let _turn = UPLOADS.acquire().await.ok();
    next.run(req).await
}

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    infos: Vec<RouteInfo>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        self.router = self
            .router
            .route(path, guarded(access, on(filter, handler)));
        self.infos.push(RouteInfo {
            method,
            path,
            access,
        });
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::GET, path, Access::User, handler)
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::POST, path, Access::User, handler)
    }

    /// A POST taking a file (multipart) of up to [`UPLOAD_MAX`] bytes.
    pub fn upload<H: Handler<T, AppState>, T: 'static>(
        mut self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.router = self.router.route(
            path,
            guarded(
                Access::User,
                axum::routing::post(handler)
                    .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_MAX)),
            )
            .route_layer(from_fn(upload_turn)),
        );
        self.infos.push(RouteInfo {
            method: Method::POST,
            path,
            access: Access::User,
        });
        self
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::PUT, path, Access::User, handler)
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add(Method::DELETE, path, Access::User, handler)
    }

    pub fn public_get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add(Method::GET, path, Access::Public, handler)
    }

    pub fn public_post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add(Method::POST, path, Access::Public, handler)
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.infos.extend(other.infos);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.infos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_listed() {
        let info = RouteInfo {
            method: Method::GET,
            path: "/api/v1/orgs/{org_id}/history",
            access: Access::User,
        };
        assert_eq!(info.params(), ["org_id"]);
        assert!(info.is_api());
    }
}
