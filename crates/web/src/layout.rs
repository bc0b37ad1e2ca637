//! What every page shares: the context the layout template needs, rendering,
//! the error page, security headers and the embedded static assets.

use askama::Template;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use kfq_domain::Role;

use crate::auth::Auth;
use crate::error::{AppError, AppResult, ErrorBody};
use kfq_app::i18n::Catalog;

/// The signed-in user as the layout shows them.
#[derive(Debug, Clone)]
pub struct UserBadge {
    pub display_name: String,
    pub role: String,
    /// Notices not yet read: shown beside 通知 in the header.
    pub unread: i64,
}

/// The part of every page's data that the layout uses.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub catalog: &'static Catalog,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub active: &'static str,
    pub is_admin: bool,
    pub notice: Option<String>,
}

/// The main sections, in menu order: (id, href, catalogue key).
pub const SECTIONS: &[(&str, &str, &str)] = &[
    ("home", "/", "nav.home"),
    ("projects", "/projects", "nav.projects"),
    ("dispatch", "/dispatch", "nav.dispatch"),
    ("attraction", "/attraction", "nav.investment"),
    ("indicators", "/indicators", "nav.indicators"),
    ("services", "/services", "nav.services"),
    ("safety", "/safety", "nav.safety"),
    ("assessment", "/assessment", "nav.assessment"),
];

/// The administration pages: (id, href, catalogue key).
pub const ADMIN_PAGES: &[(&str, &str, &str)] = &[
    ("orgs", "/orgs", "nav.orgs"),
    ("enterprises", "/enterprises", "nav.enterprises"),
    ("users", "/users", "nav.users"),
    ("audit", "/audit", "nav.audit"),
];

/// Notices a redirect may ask the next page to show (`?notice=saved`).
const NOTICES: &[(&str, &str)] = &[
    ("saved", "common.saved"),
    ("unchanged", "common.unchanged"),
    ("deleted", "common.deleted"),
    ("imported", "project.import_done"),
    ("leads_imported", "lead_import.done"),
    ("discarded", "project.import_discarded"),
];

impl PageContext {
    pub fn new(auth: Option<&Auth>, active: &'static str) -> Self {
        let catalog = Catalog::zh();
        Self {
            catalog,
            user: auth.map(|a| UserBadge {
                display_name: a.user.display_name.clone(),
                role: catalog.t(&a.principal.role.label_key()).to_owned(),
                unread: a.user.unread_notices,
            }),
            csrf: auth.map(|a| a.csrf().to_owned()).unwrap_or_default(),
            active,
            is_admin: auth.is_some_and(|a| a.principal.role != Role::Enterprise),
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice
            .and_then(|n| NOTICES.iter().find(|(code, _)| *code == n))
            .map(|(_, key)| self.catalog.t(key).to_owned());
        self
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.catalog.t(key)
    }

    /// The label of a coded value, e.g. `label("Role", "zone_staff")`.
    /// The name of a coded value (a code's text or a `code_enum!`, whose
    /// `Display` is its code); an unknown code shows as itself.
    pub fn label(&self, family: &str, code: impl std::fmt::Display) -> String {
        let key = format!("{family}.{code}");
        if self.catalog.has(&key) {
            self.catalog.t(&key).to_owned()
        } else {
            code.to_string()
        }
    }

    pub fn format(&self, key: &str, name: &str, value: &str) -> String {
        self.catalog.format(key, &[(name, value)])
    }

    /// The menu: an enterprise's user sees its own projects and nothing
    /// else (until enterprise services give it more); everyone else sees all.
    pub fn sections(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        if self.user.is_some() && !self.is_admin {
            &SECTIONS[..2]
        } else {
            SECTIONS
        }
    }

    pub fn admin_pages(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        ADMIN_PAGES
    }

    pub fn admin_active(&self) -> bool {
        ADMIN_PAGES.iter().any(|(id, _, _)| *id == self.active)
    }

    /// A time as people in China read it: Beijing time, "2024年6月30日 14:05".
    pub fn time(&self, ms: &i64) -> String {
        format_time(*ms)
    }

    /// The scripts a page with interactive charts loads: ECharts, then the
    /// file that draws each chart figure with it.
    pub fn chart_scripts(&self) -> String {
        format!(
            "<script src=\"{ECHARTS_SRC}\" defer></script><script src=\"/static/charts.js\" defer></script>"
        )
    }

    pub fn opt_time(&self, ms: &Option<i64>) -> String {
        ms.map(format_time).unwrap_or_default()
    }
}

pub fn format_time(ms: i64) -> String {
    kfq_app::clock::beijing_time_text(ms)
}

/// Renders a template into a page.
pub fn render<T: Template>(template: &T) -> AppResult<Html<String>> {
    template
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))
}

/// A redirect after a successful form (303: the browser follows with GET).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    error: ErrorBody,
}

/// Draws API-shaped errors of page routes as pages; sends visitors who are not
/// signed in to the login page.
pub async fn html_errors(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let auth = req.extensions().get::<Auth>().cloned();
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let is_get = req.method() == axum::http::Method::GET;
    let response = next.run(req).await;
    let Some(error) = response.extensions().get::<ErrorBody>().cloned() else {
        return response;
    };
    if error.status == 401 {
        // Only a path safe_next would take back is carried: nothing else is
        // worth a round trip through the login form.
        let next = if is_get {
            crate::session::safe_next(&target)
        } else {
            "/".into()
        };
        return see_other(&format!("/login?next={}", urlencode(&next)));
    }
    let status = response.status();
    let page = ErrorPage {
        page: PageContext::new(auth.as_ref(), ""),
        error,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => response,
    }
}

pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)])
        .map(|s| s[2..].to_owned())
        .unwrap_or_default()
}

/// Static files, embedded in the binary.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/app.js"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/charts.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../static/favicon.svg"),
    ),
];

/// ECharts as installed by the build (see build.rs), raw and gzipped.
const ECHARTS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/node_modules/echarts/dist/echarts.min.js"
));
const ECHARTS_GZ: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/echarts.min.js.gz"));

/// Where pages load ECharts from: the version in the address lets browsers
/// keep the file for a year.
pub const ECHARTS_SRC: &str = concat!("/static/echarts.min.js?v=", env!("KFQ_ECHARTS_VERSION"));

pub async fn static_file(
    axum::extract::Path(file): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    if file == "echarts.min.js" {
        let gzip = headers
            .get(axum::http::header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        let cache = (
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        let js = (
            CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        );
        let vary = (
            axum::http::header::VARY,
            HeaderValue::from_static("accept-encoding"),
        );
        return if gzip {
            let encoding = (
                axum::http::header::CONTENT_ENCODING,
                HeaderValue::from_static("gzip"),
            );
            ([js, cache, vary, encoding], ECHARTS_GZ).into_response()
        } else {
            ([js, cache, vary], ECHARTS).into_response()
        };
    }
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (
                    CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            *body,
        )
            .into_response(),
        None => AppError::NotFound.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_beijing_time() {
        // 2024-06-30T06:05:00Z is 14:05 in Beijing.
        assert_eq!(format_time(1_719_727_500_000), "2024年6月30日 14:05");
    }

    #[test]
    fn urls_are_encoded() {
        assert_eq!(
            urlencode("/orgs?q=临汾&x=1"),
            "%2Forgs%3Fq%3D%E4%B8%B4%E6%B1%BE%26x%3D1"
        );
    }
}
