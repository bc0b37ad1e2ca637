//! Where a robot webhook may point. The server itself calls these URLs, so a
//! URL a user typed must not reach the intranet, the machine itself or a cloud
//! metadata service (SSRF, issue #15).
//!
//! Two checks, both on the URL as a real parser reads it (the same parsed
//! [`Url`] is the one the client is given, so the check and the request cannot
//! disagree about the host):
//!
//! * [`WebhookPolicy::check`] when a channel is saved and again before each
//!   send: https only, no user-info, no explicit port, a domain name (not an IP
//!   literal) that is on the allow-list, nothing obfuscated in the authority
//!   (percent-escapes, backslashes, whitespace, control characters).
//! * [`WebhookPolicy::addresses`] right before connecting: the name is resolved
//!   here, every address must be public unicast (no loopback, private, CGNAT,
//!   link-local / metadata, unique-local, IPv4-mapped forms of these…), and the
//!   client then connects only to those addresses (see `webhook`), follows no
//!   redirect and uses no proxy.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
#[cfg(any(test, feature = "testing"))]
use std::sync::Arc;

use url::{Host, Url};

/// The robot hosts of WeCom and DingTalk: the allow-list unless configured otherwise.
pub const DEFAULT_WEBHOOK_HOSTS: [&str; 2] = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"];

/// Why a webhook URL is refused. Each is a configuration problem: trying again
/// with the same URL cannot help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not an absolute URL, or characters a robot URL never has (whitespace,
    /// control characters, backslashes, non-ASCII).
    Malformed,
    /// A scheme other than https.
    NotHttps,
    /// `user:password@` before the host.
    UserInfo,
    /// An explicit port: the robots answer on 443 only.
    Port,
    /// The host written as an address (127.0.0.1, 2130706433, 0x7f.1, [::1]…).
    IpLiteral,
    /// Percent-escapes in the host part.
    EncodedHost,
    /// A host that is not on the allow-list (a trailing dot included).
    HostNotAllowed,
    /// The host resolves to an address that is not public (send time only).
    PrivateAddress,
}

impl Refusal {
    /// For `last_error` and logs: says what is wrong, never repeats the URL.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Malformed => "地址格式不正确",
            Refusal::NotHttps => "地址必须以 https:// 开头",
            Refusal::UserInfo => "地址不能包含用户名或密码",
            Refusal::Port => "地址不能指定端口",
            Refusal::IpLiteral => "地址必须是域名，不能是 IP 地址",
            Refusal::EncodedHost => "域名不能含转义字符",
            Refusal::HostNotAllowed => "域名不在允许的机器人域名内",
            Refusal::PrivateAddress => "域名解析到内网或保留地址，已拒绝发送",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

/// Why no address to connect to was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressError {
    /// The URL or one of its addresses is refused; a configuration problem.
    Refused(Refusal),
    /// The name did not resolve (now): worth trying again later.
    Lookup,
}

/// The allow-list of robot hosts and how names are resolved.
#[derive(Debug, Clone)]
pub struct WebhookPolicy {
    /// Lower-case host names, exactly as they must appear in a URL.
    hosts: Vec<String>,
    /// Tests only: plain http, explicit ports and loopback addresses (a fake
    /// robot on 127.0.0.1). Private and other non-public addresses stay refused.
    local: bool,
    resolver: Resolver,
}

#[derive(Debug, Clone)]
enum Resolver {
    /// The operating system's resolver.
    System,
    /// Tests only: fixed answers, so a listed name can be made to resolve anywhere.
    #[cfg(any(test, feature = "testing"))]
    Fixed(Arc<Vec<(String, Vec<IpAddr>)>>),
}

impl Default for WebhookPolicy {
    fn default() -> Self {
        Self::new(DEFAULT_WEBHOOK_HOSTS)
    }
}

impl WebhookPolicy {
    /// The production policy: https to one of `hosts` on port 443, resolving
    /// to public addresses only. Hosts are compared lower-case and exactly.
    pub fn new<S: AsRef<str>>(hosts: impl IntoIterator<Item = S>) -> Self {
        let hosts = hosts
            .into_iter()
            .map(|h| h.as_ref().trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        WebhookPolicy {
            hosts,
            local: false,
            resolver: Resolver::System,
        }
    }

    /// The allow-list, for telling users what they may enter.
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    /// Tests only (the `testing` feature): like [`WebhookPolicy::new`] but also
    /// admits http, explicit ports, IP literals that are on the list and
    /// loopback addresses, so a fake robot on 127.0.0.1 can be reached.
    #[cfg(any(test, feature = "testing"))]
    pub fn local_for_tests<S: AsRef<str>>(hosts: impl IntoIterator<Item = S>) -> Self {
        WebhookPolicy {
            local: true,
            ..Self::new(hosts)
        }
    }

    /// Tests only: `host` resolves to `addresses` instead of asking DNS; names
    /// not given resolve to nothing.
    #[cfg(any(test, feature = "testing"))]
    pub fn resolving(mut self, host: &str, addresses: &[IpAddr]) -> Self {
        let mut table = match &self.resolver {
            Resolver::Fixed(table) => table.as_ref().clone(),
            Resolver::System => Vec::new(),
        };
        table.push((host.to_ascii_lowercase(), addresses.to_vec()));
        self.resolver = Resolver::Fixed(Arc::new(table));
        self
    }

    /// The URL as the client will use it, if it may be called at all.
    pub fn check(&self, text: &str) -> Result<Url, Refusal> {
        let text = text.trim();
        // Browsers and the URL standard quietly drop tabs and newlines and read
        // '\' as '/': a URL that needs such help is not taken.
        if text.is_empty() || !text.chars().all(|c| c.is_ascii_graphic()) || text.contains('\\') {
            return Err(Refusal::Malformed);
        }
        // The authority as typed, between "//" and the path, query or fragment.
        let authority = text
            .split_once("//")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default())
            .ok_or(Refusal::Malformed)?;
        if authority.contains('@') {
            return Err(Refusal::UserInfo);
        }
        if authority.contains('%') {
            return Err(Refusal::EncodedHost);
        }
        let url = Url::parse(text).map_err(|_| Refusal::Malformed)?;
        match url.scheme() {
            "https" => {}
            "http" if self.local => {}
            _ => return Err(Refusal::NotHttps),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::UserInfo);
        }
        if url.port().is_some() && !self.local {
            return Err(Refusal::Port);
        }
        match url.host() {
            Some(Host::Domain(domain)) => {
                if !self.hosts.iter().any(|h| h == domain) {
                    return Err(Refusal::HostNotAllowed);
                }
            }
            Some(Host::Ipv4(_) | Host::Ipv6(_)) if self.local => {
                let written = url.host_str().unwrap_or_default();
                let bare = written.trim_start_matches('[').trim_end_matches(']');
                if !self.hosts.iter().any(|h| h == written || h == bare) {
                    return Err(Refusal::HostNotAllowed);
                }
            }
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => return Err(Refusal::IpLiteral),
            None => return Err(Refusal::Malformed),
        }
        Ok(url)
    }

    /// The addresses to connect to for `url` (one that passed [`Self::check`]):
    /// all of them allowed, or none at all.
    pub async fn addresses(&self, url: &Url) -> Result<Vec<SocketAddr>, AddressError> {
        let port = url
            .port_or_known_default()
            .ok_or(AddressError::Refused(Refusal::Malformed))?;
        let ips = match url.host() {
            Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(Host::Domain(domain)) => self.resolve(domain, port).await?,
            None => return Err(AddressError::Refused(Refusal::Malformed)),
        };
        if ips.is_empty() {
            return Err(AddressError::Lookup);
        }
        // One bad answer refuses the name: a resolver that mixes a public and a
        // private address is being played with.
        if let Some(bad) = ips.iter().find(|ip| !self.may_connect(**ip)) {
            tracing::warn!(address = %bad, "robot webhook resolves to a non-public address");
            return Err(AddressError::Refused(Refusal::PrivateAddress));
        }
        Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }

    fn may_connect(&self, ip: IpAddr) -> bool {
        is_public(ip) || (self.local && canonical(ip).is_loopback())
    }

    async fn resolve(&self, domain: &str, port: u16) -> Result<Vec<IpAddr>, AddressError> {
        match &self.resolver {
            Resolver::System => match tokio::net::lookup_host((domain, port)).await {
                Ok(found) => Ok(found.map(|a| a.ip()).collect()),
                Err(e) => {
                    tracing::info!(error = %e, "robot webhook host did not resolve");
                    Err(AddressError::Lookup)
                }
            },
            #[cfg(any(test, feature = "testing"))]
            Resolver::Fixed(table) => Ok(table
                .iter()
                .filter(|(host, _)| host == domain)
                .flat_map(|(_, ips)| ips.iter().copied())
                .collect()),
        }
    }
}

/// An IPv4 address written in IPv6 (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

/// Whether `ip` is an ordinary address on the public internet, the only kind a
/// webhook may reach.
pub fn is_public(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0 // "this network", 0.0.0.0
        || a == 10 // private
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10 (Alibaba Cloud metadata 100.100.100.200)
        || (a == 169 && b == 254) // link-local, cloud metadata 169.254.169.254
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 168) // private
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224; // multicast, reserved, broadcast
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Global unicast is 2000::/3; everything else (::, ::1, ::/96 IPv4-compatible,
    // 64:ff9b::/96 NAT64, 100::/64 discard, fc00::/7 unique-local, fe80::/10
    // link-local, fec0::/10 site-local, ff00::/8 multicast) is refused.
    if s[0] & 0xe000 != 0x2000 {
        return false;
    }
    match s[0] {
        // Teredo 2001::/32 tunnels to an address hidden in the rest; 2001:db8::/32
        // is documentation; 2001:0::/23 holds other special purposes.
        0x2001 => s[1] >= 0x0200 && s[1] != 0x0db8,
        // 6to4 carries an IPv4 address in bits 16..48: judge that one.
        0x2002 => is_public_v4(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        )),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WECOM: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc";

    fn production() -> WebhookPolicy {
        WebhookPolicy::default()
    }

    #[test]
    fn real_robot_urls_pass() {
        let policy = production();
        for url in [
            WECOM,
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            // The parser lower-cases the host and drops the default port.
            "https://QYAPI.WEIXIN.QQ.COM/cgi-bin/webhook/send?key=abc",
            "https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=abc",
            "  https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc  ",
        ] {
            let parsed = policy.check(url).unwrap_or_else(|r| panic!("{url}: {r:?}"));
            assert!(
                matches!(
                    parsed.host_str(),
                    Some("qyapi.weixin.qq.com" | "oapi.dingtalk.com")
                ),
                "{url}"
            );
            assert_eq!(parsed.port_or_known_default(), Some(443));
        }
    }

    /// Every way round the allow-list found so far, each with the refusal it gets.
    #[test]
    fn bypass_forms_are_refused() {
        use Refusal::*;
        let policy = production();
        let cases: &[(&str, Refusal)] = &[
            // The reported one: the text starts with an allowed host, the real host is 127.0.0.1.
            ("http://qyapi.weixin.qq.com:x@127.0.0.1/leak", UserInfo),
            ("https://qyapi.weixin.qq.com:x@127.0.0.1/leak", UserInfo),
            ("https://qyapi.weixin.qq.com@evil.example/", UserInfo),
            ("https://user@qyapi.weixin.qq.com/", UserInfo),
            ("https://@qyapi.weixin.qq.com/", UserInfo),
            ("https://:pw@qyapi.weixin.qq.com/", UserInfo),
            // Plain http and other schemes.
            ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send", NotHttps),
            ("HTTP://qyapi.weixin.qq.com/", NotHttps),
            ("ftp://qyapi.weixin.qq.com/", NotHttps),
            ("file:///etc/passwd", NotHttps),
            ("gopher://127.0.0.1:6379/_INFO", NotHttps),
            // A trailing dot is another spelling the list does not hold.
            (
                "https://QYAPI.WEIXIN.QQ.COM./cgi-bin/webhook/send",
                HostNotAllowed,
            ),
            ("https://qyapi.weixin.qq.com../", HostNotAllowed),
            // Look-alikes and suffixes.
            ("https://qyapi.weixin.qq.com.evil.example/", HostNotAllowed),
            ("https://evilqyapi.weixin.qq.com/", HostNotAllowed),
            ("https://weixin.qq.com/", HostNotAllowed),
            ("https://localhost/", HostNotAllowed),
            // IP literals in every notation the parser (and browsers) accept.
            ("https://127.0.0.1/", IpLiteral),
            ("https://2130706433/", IpLiteral),
            ("https://0x7f000001/", IpLiteral),
            ("https://0x7f.0.0.1/", IpLiteral),
            ("https://0177.0.0.1/", IpLiteral),
            ("https://127.1/", IpLiteral),
            ("https://0/", IpLiteral),
            ("https://169.254.169.254/latest/meta-data/", IpLiteral),
            ("https://[::1]/", IpLiteral),
            ("https://[::ffff:127.0.0.1]/", IpLiteral),
            ("https://[0:0:0:0:0:ffff:7f00:1]/", IpLiteral),
            ("https://[fe80::1]/", IpLiteral),
            // Backslashes, which the parser reads as '/'.
            ("https://qyapi.weixin.qq.com\\@evil.example/", Malformed),
            ("https://evil.example\\qyapi.weixin.qq.com/", Malformed),
            ("https:\\\\qyapi.weixin.qq.com/", Malformed),
            // Whitespace and control characters the parser would drop silently.
            ("https://qyapi.weixin.qq.com\t@127.0.0.1/", Malformed),
            ("https://qyapi.weixin\n.qq.com/", Malformed),
            ("https://qyapi.weixin.qq.com /", Malformed),
            // Percent-encoded hosts.
            ("https://qyapi%2eweixin.qq.com/", EncodedHost),
            ("https://%31%32%37.0.0.1/", EncodedHost),
            ("https://qyapi.weixin.qq.com%40127.0.0.1/", EncodedHost),
            ("https://qyapi.weixin.qq.com%2f@127.0.0.1/", UserInfo),
            // Ports.
            ("https://qyapi.weixin.qq.com:8443/", Port),
            ("https://qyapi.weixin.qq.com:22/", Port),
            ("https://qyapi.weixin.qq.com:80/", Port),
            ("https://qyapi.weixin.qq.com:443.evil.example/", Malformed),
            ("https://qyapi.weixin.qq.com:99999/", Malformed),
            // Not URLs at all, or not ASCII.
            ("qyapi.weixin.qq.com/cgi-bin/webhook/send", Malformed),
            ("//qyapi.weixin.qq.com/", Malformed),
            ("https://", Malformed),
            ("", Malformed),
            ("https://ｑｙａｐｉ.weixin.qq.com/", Malformed),
        ];
        for (url, expected) in cases {
            assert_eq!(policy.check(url).err(), Some(*expected), "{url:?}");
        }
    }

    #[test]
    fn addresses_that_are_not_public() {
        let refused = [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.8",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.100.100.200",
            "100.127.255.255",
            "169.254.169.254",
            "169.254.0.23",
            "192.0.0.170",
            "192.0.2.1",
            "198.18.0.1",
            "198.51.100.1",
            "203.0.113.9",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:0.0.0.0",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "100::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "2002:7f00:1::1",
            "2002:a00:1::1",
        ];
        for text in refused {
            let ip: IpAddr = text.parse().unwrap();
            assert!(!is_public(ip), "{text} passed as public");
        }
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "101.91.40.112",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "169.253.1.1",
            "::ffff:101.91.40.112",
            "240e:97c:2f:3003::1",
            "2400:da00::6666",
            "2002:655b:2870::1",
        ];
        for text in public {
            let ip: IpAddr = text.parse().unwrap();
            assert!(is_public(ip), "{text} refused");
        }
    }

    #[tokio::test]
    async fn a_listed_host_resolving_inside_is_refused() {
        let url = production().check(WECOM).unwrap();
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.10",
            "169.254.169.254",
            "100.100.100.200",
            "::1",
            "::ffff:127.0.0.1",
            "fd00::1",
            "fe80::1",
        ] {
            let ip: IpAddr = inside.parse().unwrap();
            let policy = production().resolving("qyapi.weixin.qq.com", &[ip]);
            assert_eq!(
                policy.addresses(&url).await,
                Err(AddressError::Refused(Refusal::PrivateAddress)),
                "{inside}"
            );
        }
        // One inside address among public ones refuses the name.
        let mixed = production().resolving(
            "qyapi.weixin.qq.com",
            &[
                "101.91.40.112".parse().unwrap(),
                "127.0.0.1".parse().unwrap(),
            ],
        );
        assert_eq!(
            mixed.addresses(&url).await,
            Err(AddressError::Refused(Refusal::PrivateAddress))
        );
        // Public answers are what the client connects to, on port 443.
        let public =
            production().resolving("qyapi.weixin.qq.com", &["101.91.40.112".parse().unwrap()]);
        assert_eq!(
            public.addresses(&url).await,
            Ok(vec!["101.91.40.112:443".parse().unwrap()])
        );
        // No answer at all may clear up: a lookup failure.
        let nothing = production().resolving("oapi.dingtalk.com", &[]);
        assert_eq!(nothing.addresses(&url).await, Err(AddressError::Lookup));
    }

    #[tokio::test]
    async fn the_test_policy_reaches_loopback_only() {
        let local = WebhookPolicy::local_for_tests(["127.0.0.1"]);
        let url = local.check("http://127.0.0.1:8080/robot?key=k").unwrap();
        assert_eq!(
            local.addresses(&url).await,
            Ok(vec!["127.0.0.1:8080".parse().unwrap()])
        );
        // Still only what is listed, and still never the private network.
        assert_eq!(
            local.check("http://10.0.0.8/hook").err(),
            Some(Refusal::HostNotAllowed)
        );
        let listed = WebhookPolicy::local_for_tests(["10.0.0.8"]);
        let url = listed.check("http://10.0.0.8/hook").unwrap();
        assert_eq!(
            listed.addresses(&url).await,
            Err(AddressError::Refused(Refusal::PrivateAddress))
        );
        assert_eq!(
            local.check("http://qyapi.weixin.qq.com:x@127.0.0.1/").err(),
            Some(Refusal::UserInfo)
        );
    }
}
