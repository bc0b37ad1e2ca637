//! Local stand-ins for the outside world, so the tests never touch the network:
//! a fake group-robot webhook server and a minimal SMTP sink.

#![allow(dead_code)] // each test file uses only some of these helpers

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request the fake robot received.
#[derive(Debug, Clone)]
pub struct RobotRequest {
    pub path: String,
    pub query: Option<String>,
    pub body: Value,
}

/// A robot webhook on 127.0.0.1 whose reply is chosen by the URL path:
/// `/robot/{http_status}/{errcode}` answers that status with that errcode,
/// `/html` answers 200 with a page instead of JSON, like a misbehaving proxy,
/// `/redirect` answers 302 to `/robot/200/0`, and `/leak/{http_status}`
/// answers with [`LEAKED`] as the body, like an internal service would.
pub struct FakeRobot {
    base: String,
    requests: Arc<Mutex<Vec<RobotRequest>>>,
}

impl FakeRobot {
    pub async fn start() -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/robot/{status}/{errcode}", post(reply_as_told))
            .route("/html", post(reply_html))
            .route("/redirect", post(reply_redirect))
            .route("/leak/{status}", post(reply_leak))
            .with_state(requests.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeRobot { base, requests }
    }

    /// A webhook URL shaped like the real ones, with a key in the query string.
    pub fn url(&self, http_status: u16, errcode: i64) -> String {
        format!(
            "{}/robot/{http_status}/{errcode}?access_token=tok123",
            self.base
        )
    }

    pub fn html_url(&self) -> String {
        format!("{}/html?key=k", self.base)
    }

    pub fn redirect_url(&self) -> String {
        format!("{}/redirect?key=k", self.base)
    }

    pub fn leak_url(&self, http_status: u16) -> String {
        format!("{}/leak/{http_status}?key=k", self.base)
    }

    /// The port it listens on, for URLs with another host name.
    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn requests(&self) -> Vec<RobotRequest> {
        self.requests.lock().unwrap().clone()
    }
}

type Recorded = Arc<Mutex<Vec<RobotRequest>>>;

fn record(requests: &Recorded, path: String, query: Option<String>, body: &Bytes) {
    let body = serde_json::from_slice(body).unwrap_or(Value::Null);
    requests
        .lock()
        .unwrap()
        .push(RobotRequest { path, query, body });
}

async fn reply_as_told(
    State(requests): State<Recorded>,
    Path((status, errcode)): Path<(u16, i64)>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    record(
        &requests,
        format!("/robot/{status}/{errcode}"),
        query,
        &body,
    );
    let errmsg = if errcode == 0 { "ok" } else { "fake error" };
    (
        StatusCode::from_u16(status).unwrap(),
        Json(json!({ "errcode": errcode, "errmsg": errmsg })),
    )
}

async fn reply_html(
    State(requests): State<Recorded>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> &'static str {
    record(&requests, "/html".into(), query, &body);
    "<html><body>gateway</body></html>"
}

/// What an internal service might answer: it must never reach a stored reason.
pub const LEAKED: &str = "ami-id\ninstance-id\niam/security-credentials/admin-role";

async fn reply_redirect(
    State(requests): State<Recorded>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> (StatusCode, [(&'static str, &'static str); 1]) {
    record(&requests, "/redirect".into(), query, &body);
    (StatusCode::FOUND, [("location", "/robot/200/0?followed=1")])
}

async fn reply_leak(
    State(requests): State<Recorded>,
    Path(status): Path<u16>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> (StatusCode, &'static str) {
    record(&requests, format!("/leak/{status}"), query, &body);
    (StatusCode::from_u16(status).unwrap(), LEAKED)
}

/// One message as the SMTP sink received it.
#[derive(Debug, Clone, Default)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The DATA section with dot-stuffing undone, CRLF line ends kept.
    pub data: String,
}

/// Just enough SMTP to accept mail on 127.0.0.1 without TLS or AUTH.
/// `rcpt_reply` is the answer to every RCPT, e.g. "250 OK" or "550 no such user".
pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_with("250 OK").await
    }

    pub async fn start_with(rcpt_reply: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                tokio::spawn(smtp_session(socket, rcpt_reply, store.clone()));
            }
        });
        SmtpSink { port, mails }
    }

    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.mails.lock().unwrap().clone()
    }
}

async fn smtp_session(
    socket: tokio::net::TcpStream,
    rcpt_reply: &'static str,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let mut mail = ReceivedMail::default();
    write.write_all(&say("220 sink ESMTP")).await.unwrap();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply = if command.starts_with("EHLO") || command.starts_with("HELO") {
            "250 sink"
        } else if command.starts_with("MAIL FROM:") {
            mail.mail_from = line.trim_end()[10..].to_owned();
            "250 OK"
        } else if command.starts_with("RCPT TO:") {
            mail.rcpt_to.push(line.trim_end()[8..].to_owned());
            rcpt_reply
        } else if command == "DATA" {
            write
                .write_all(&say("354 end with <CRLF>.<CRLF>"))
                .await
                .unwrap();
            mail.data = read_data(&mut lines).await;
            mails.lock().unwrap().push(std::mem::take(&mut mail));
            "250 queued"
        } else if command == "QUIT" {
            write.write_all(&say("221 bye")).await.unwrap();
            return;
        } else if command == "RSET" || command == "NOOP" {
            "250 OK"
        } else {
            "502 not implemented"
        };
        write.write_all(&say(reply)).await.unwrap();
    }
}

fn say(text: &str) -> Vec<u8> {
    format!("{text}\r\n").into_bytes()
}

async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 || line == ".\r\n" {
            return data;
        }
        // RFC 5321 §4.5.2: a leading dot was doubled by the client.
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}
