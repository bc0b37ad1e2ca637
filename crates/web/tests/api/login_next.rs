//! Issue #15, open redirect: after signing in, `next` is followed only when it
//! is a plain path of this site; anything else goes home, and the answer
//! always carries a Location.

use kfq_demo::DEMO_PASSWORD;
use reqwest::header::LOCATION;
use reqwest::StatusCode;

use crate::helpers::{browser, csrf_from, each_backend, TestApp};

/// (`next` as it appears URL-encoded in a link or form body, where the browser is sent)
const CASES: &[(&str, &str)] = &[
    ("/%09/evil.example", "/"),
    ("/%0a/evil", "/"),
    ("/%0d%0aSet-Cookie:%20x=1", "/"),
    ("//evil", "/"),
    ("%2F%2Fevil", "/"),
    ("/%5Cevil", "/"),
    ("/\\evil", "/"),
    ("https://evil", "/"),
    ("https%3A%2F%2Fevil", "/"),
    ("/%2f%2fevil", "/"),
    ("/%252f%252fevil", "/"),
    ("/%2509/evil", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
    ("/projects?page=2", "/projects?page=2"),
    ("%2Fprojects%3Fpage%3D2", "/projects?page=2"),
    (
        "/enterprises%3Fq%3D%25E4%25B8%25B4%25E6%25B1%25BE",
        "/enterprises?q=%E4%B8%B4%E6%B1%BE",
    ),
];

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// Signs in with the form, `next` put into the body exactly as given.
async fn sign_in_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let client = browser();
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={csrf}&username=yc.staff&password={DEMO_PASSWORD}&next={next}"
        ))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn after_sign_in_only_paths_of_the_site_are_followed() {
    each_backend(async |app| {
        for (next, expected) in CASES {
            let response = sign_in_with_next(&app, next).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "next={next}");
            assert_eq!(
                location(&response).as_deref(),
                Some(*expected),
                "next={next}"
            );
        }

        // Already signed in, the login page sends on at once: same rule.
        let session = app.login("yc.staff").await;
        for (next, expected) in CASES {
            let response = session.get(&format!("/login?next={next}")).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "next={next}");
            assert_eq!(
                location(&response).as_deref(),
                Some(*expected),
                "next={next}"
            );
        }

        // A visitor sent to sign in keeps a plain path, and nothing else.
        let visitor = browser();
        let response = visitor
            .get(app.url("/projects?page=2"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            location(&response).as_deref(),
            Some("/login?next=%2Fprojects%3Fpage%3D2")
        );
        let response = visitor
            .get(app.url("/projects?q=%0a"))
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response).as_deref(), Some("/login?next=%2F"));
    })
    .await;
}
