//! What the fetcher refuses: the table of address ranges it never connects to, the URL
//! rules (HTTPS only, no credentials in the URL), and the operator's allow list of hosts.
//!
//! The same table is in OPERATIONS.md ("Outbound fetches"); keep them in step.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One refused range of addresses and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedRange {
    /// The first address of the range.
    pub network: IpAddr,
    /// How many leading bits name the range.
    pub prefix: u8,
    /// What the range is, as said in a refusal.
    pub what: &'static str,
}

const fn v4(a: u8, b: u8, c: u8, d: u8, prefix: u8, what: &'static str) -> RefusedRange {
    RefusedRange {
        network: IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
        prefix,
        what,
    }
}

#[allow(clippy::too_many_arguments)]
const fn v6(s: [u16; 8], prefix: u8, what: &'static str) -> RefusedRange {
    RefusedRange {
        network: IpAddr::V6(Ipv6Addr::new(
            s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
        )),
        prefix,
        what,
    }
}

/// Every range the fetcher refuses to connect to, unless the host is in `fetch.allow_hosts`.
/// IPv4 addresses written inside IPv6 (`::ffff:a.b.c.d`, `::a.b.c.d`, `64:ff9b::a.b.c.d`)
/// are checked as the IPv4 address they carry.
pub const REFUSED_RANGES: &[RefusedRange] = &[
    v4(0, 0, 0, 0, 8, "the unspecified \"this network\" range"),
    v4(10, 0, 0, 0, 8, "a private network"),
    v4(100, 64, 0, 0, 10, "the shared carrier-grade NAT range"),
    v4(127, 0, 0, 0, 8, "loopback (this machine)"),
    v4(
        169,
        254,
        0,
        0,
        16,
        "link-local (including cloud metadata at 169.254.169.254)",
    ),
    v4(172, 16, 0, 0, 12, "a private network"),
    v4(192, 0, 0, 0, 24, "the IETF protocol assignments range"),
    v4(192, 0, 2, 0, 24, "a documentation range"),
    v4(192, 88, 99, 0, 24, "the 6to4 relay range"),
    v4(192, 168, 0, 0, 16, "a private network"),
    v4(198, 18, 0, 0, 15, "the benchmarking range"),
    v4(198, 51, 100, 0, 24, "a documentation range"),
    v4(203, 0, 113, 0, 24, "a documentation range"),
    v4(224, 0, 0, 0, 4, "multicast"),
    v4(240, 0, 0, 0, 4, "reserved (and broadcast)"),
    v6([0, 0, 0, 0, 0, 0, 0, 0], 128, "the unspecified address"),
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback (this machine)"),
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, "the discard-only range"),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        "a documentation range",
    ),
    v6(
        [0x2002, 0, 0, 0, 0, 0, 0, 0],
        16,
        "6to4, which can reach private IPv4 addresses",
    ),
    v6(
        [0xfc00, 0, 0, 0, 0, 0, 0, 0],
        7,
        "unique-local (including cloud metadata at fd00:ec2::254)",
    ),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local"),
    v6(
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        "the old site-local range",
    ),
    v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast"),
];

fn in_range(ip: IpAddr, range: &RefusedRange) -> bool {
    match (ip, range.network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(range.prefix))
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(range.prefix))
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The IPv4 address an IPv6 address carries (mapped, compatible or NAT64), if any.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let tail = Ipv4Addr::new(
        (s[6] >> 8) as u8,
        (s[6] & 0xff) as u8,
        (s[7] >> 8) as u8,
        (s[7] & 0xff) as u8,
    );
    // IPv4-compatible (::a.b.c.d, deprecated) and the NAT64 well-known prefix 64:ff9b::/96.
    let compatible = s[..6].iter().all(|&x| x == 0) && u32::from(tail) > 1;
    let nat64 = s[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    (compatible || nat64).then_some(tail)
}

/// Why `ip` must not be connected to, or `None` when it may be.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
    let ip = match ip {
        IpAddr::V6(v6) => embedded_v4(v6).map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    REFUSED_RANGES
        .iter()
        .find(|r| in_range(ip, r))
        .map(|r| r.what)
}

/// Why a URL is refused before anything is resolved or connected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    /// Not a URL at all.
    #[error("{0:?} is not a web address")]
    NotUrl(String),
    /// Not `https` (plain `http` only for allowed hosts).
    #[error("only https addresses are fetched, not {0}")]
    Scheme(String),
    /// A user name or password in the URL.
    #[error("addresses with a user name or password in them are not fetched")]
    Credentials,
    /// No host.
    #[error("the address names no host")]
    NoHost,
    /// An IP address in a refused range.
    #[error("{ip} is {what}, which is never fetched")]
    Address {
        /// The address.
        ip: IpAddr,
        /// Its range.
        what: &'static str,
    },
}

/// A URL the rules let through, with its host and port taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The whole URL.
    pub url: url::Url,
    /// The host as written (lower case; IPv6 without brackets).
    pub host: String,
    /// The IP address when the host is one.
    pub ip: Option<IpAddr>,
    /// The port (the scheme's default when none is written).
    pub port: u16,
    /// Whether TLS is used.
    pub tls: bool,
    /// Whether the host is in `fetch.allow_hosts` (addresses are then not checked).
    pub allowed: bool,
}

/// The operator's list of hosts that may be fetched although private or loopback, and over
/// plain HTTP: each `host` (any port) or `host:port` (`[v6]:port` for IPv6).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowHosts {
    entries: Vec<(String, Option<u16>)>,
}

impl AllowHosts {
    /// Reads entries such as `intranet.example`, `127.0.0.1:8443` or `[::1]:8080`; blank
    /// entries are skipped. An entry that is neither is refused with a sentence.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, String> {
        let mut out = Vec::new();
        for raw in entries {
            let entry = raw.as_ref().trim().to_ascii_lowercase();
            if entry.is_empty() {
                continue;
            }
            let parsed = url::Url::parse(&format!("http://{entry}/"))
                .ok()
                .filter(|u| u.path() == "/" && u.username().is_empty() && u.query().is_none());
            let Some(host) = parsed.as_ref().and_then(|u| u.host_str()) else {
                return Err(format!(
                    "{entry:?} in fetch.allow_hosts is not a host or host:port"
                ));
            };
            let host = host.trim_matches(|c| c == '[' || c == ']').to_owned();
            let port = parsed.as_ref().and_then(url::Url::port).or_else(|| {
                // `url` drops the scheme's default port; keep ":80" when it was written.
                entry.ends_with(":80").then_some(80)
            });
            out.push((host, port));
        }
        Ok(Self { entries: out })
    }

    /// Reads the comma-separated form of `CREDENCE_FETCH_ALLOW_HOSTS`.
    pub fn parse_comma_separated(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split(',').collect();
        Self::parse(&parts)
    }

    /// Whether `host` on `port` is allowed.
    pub fn allows(&self, host: &str, port: u16) -> bool {
        self.entries
            .iter()
            .any(|(h, p)| h == host && p.is_none_or(|p| p == port))
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Applies the URL rules to `text`: a parsed target, or why it is refused. Names are not
/// resolved here; an IP literal is checked against [`REFUSED_RANGES`] at once.
pub fn check_url(text: &str, allow: &AllowHosts) -> Result<Target, UrlRefusal> {
    let url = url::Url::parse(text.trim()).map_err(|_| UrlRefusal::NotUrl(text.to_owned()))?;
    let tls = match url.scheme() {
        "https" => true,
        "http" => false,
        other => return Err(UrlRefusal::Scheme(other.to_owned())),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlRefusal::Credentials);
    }
    let (host, ip) = match url.host() {
        Some(url::Host::Domain(d)) => (d.trim_end_matches('.').to_ascii_lowercase(), None),
        Some(url::Host::Ipv4(v4)) => (v4.to_string(), Some(IpAddr::V4(v4))),
        Some(url::Host::Ipv6(v6)) => (v6.to_string(), Some(IpAddr::V6(v6))),
        None => return Err(UrlRefusal::NoHost),
    };
    if host.is_empty() {
        return Err(UrlRefusal::NoHost);
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let allowed = allow.allows(&host, port);
    if !tls && !allowed {
        return Err(UrlRefusal::Scheme("http".into()));
    }
    if let (Some(ip), false) = (ip, allowed) {
        if let Some(what) = refusal(ip) {
            return Err(UrlRefusal::Address { ip, what });
        }
    }
    Ok(Target {
        url,
        host,
        ip,
        port,
        tls,
        allowed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_ip(ip: &str, refused: bool) {
        let parsed: IpAddr = ip.parse().expect("an address");
        assert_eq!(refusal(parsed).is_some(), refused, "{ip}");
    }

    #[test]
    fn the_table_refuses_every_inner_range_and_lets_public_addresses_through() {
        for (ip, refused) in [
            ("127.0.0.1", true),
            ("127.255.255.254", true),
            ("10.1.2.3", true),
            ("172.16.0.1", true),
            ("172.31.255.255", true),
            ("172.32.0.1", false),
            ("192.168.1.1", true),
            ("169.254.169.254", true),
            ("100.64.0.1", true),
            ("0.0.0.0", true),
            ("224.0.0.1", true),
            ("255.255.255.255", true),
            ("8.8.8.8", false),
            ("1.1.1.1", false),
            ("::1", true),
            ("::", true),
            ("fe80::1", true),
            ("fc00::1", true),
            ("fd00:ec2::254", true),
            ("ff02::1", true),
            ("::ffff:127.0.0.1", true),
            ("::ffff:10.0.0.1", true),
            ("::127.0.0.1", true),
            ("64:ff9b::a9fe:a9fe", true),
            ("::ffff:8.8.8.8", false),
            ("2606:4700:4700::1111", false),
            ("2001:db8::1", true),
        ] {
            check_ip(ip, refused);
        }
    }

    fn check(url: &str, allow: &[&str], expected: Result<(&str, u16, bool), &str>) {
        let allow = AllowHosts::parse(allow).expect("allow list");
        let got = check_url(url, &allow)
            .map(|t| (t.host.clone(), t.port, t.allowed))
            .map_err(|e| e.to_string());
        let expected = expected
            .map(|(h, p, a)| (h.to_owned(), p, a))
            .map_err(str::to_owned);
        assert_eq!(got, expected, "{url} with {allow:?}");
    }

    #[test]
    fn urls_are_checked_before_any_connection() {
        check(
            "https://example.org/a",
            &[],
            Ok(("example.org", 443, false)),
        );
        check(
            "https://Example.ORG.:8443/a",
            &[],
            Ok(("example.org", 8443, false)),
        );
        check(
            "http://example.org/",
            &[],
            Err("only https addresses are fetched, not http"),
        );
        check(
            "ftp://example.org/",
            &[],
            Err("only https addresses are fetched, not ftp"),
        );
        check(
            "https://user:pw@example.org/",
            &[],
            Err("addresses with a user name or password in them are not fetched"),
        );
        check(
            "https://127.0.0.1:8080/x",
            &[],
            Err("127.0.0.1 is loopback (this machine), which is never fetched"),
        );
        check(
            "https://[::ffff:169.254.169.254]/latest/meta-data",
            &[],
            Err("::ffff:169.254.169.254 is link-local (including cloud metadata at 169.254.169.254), which is never fetched"),
        );
        check(
            "https://2130706433/",
            &[],
            Err("127.0.0.1 is loopback (this machine), which is never fetched"),
        );
        check(
            "http://127.0.0.1:8080/x",
            &["127.0.0.1:8080"],
            Ok(("127.0.0.1", 8080, true)),
        );
        check(
            "http://127.0.0.1:8081/x",
            &["127.0.0.1:8080"],
            Err("only https addresses are fetched, not http"),
        );
        check(
            "https://127.0.0.1:9/x",
            &["127.0.0.1"],
            Ok(("127.0.0.1", 9, true)),
        );
        check("http://[::1]:80/", &["[::1]:80"], Ok(("::1", 80, true)));
        check("not a url", &[], Err("\"not a url\" is not a web address"));
    }

    #[test]
    fn allow_list_entries_must_be_hosts() {
        for (entry, ok) in [
            ("intranet.example", true),
            ("127.0.0.1:8443", true),
            ("[::1]:8080", true),
            ("", true),
            ("https://x/", false),
            ("a b", false),
            ("host/path", false),
            ("user@host", false),
        ] {
            assert_eq!(AllowHosts::parse(&[entry]).is_ok(), ok, "{entry:?}");
        }
        let list = AllowHosts::parse_comma_separated("a.example, 127.0.0.1:1 ,").expect("list");
        assert!(list.allows("a.example", 5));
        assert!(list.allows("127.0.0.1", 1));
        assert!(!list.allows("127.0.0.1", 2));
    }

    proptest! {
        /// Any text is either refused with a reason or yields a target whose host is the
        /// URL's own host, never a panic; without an allow list no target is plain HTTP or
        /// names a refused IP address.
        #[test]
        fn any_text_is_refused_or_safe(text in ".{0,80}", host in "[a-z0-9.:\\[\\]%@-]{0,30}") {
            for candidate in [text.clone(), format!("https://{host}/"), format!("http://{host}/")] {
                if let Ok(target) = check_url(&candidate, &AllowHosts::default()) {
                    prop_assert!(target.tls);
                    prop_assert!(!target.allowed);
                    if let Some(ip) = target.ip {
                        prop_assert!(refusal(ip).is_none());
                    }
                    prop_assert!(!target.host.is_empty());
                }
            }
        }

        /// Every IPv4 address is judged the same written plainly, mapped into IPv6, and as
        /// a URL host.
        #[test]
        fn ipv4_is_judged_alike_in_every_spelling(bits in any::<u32>()) {
            let v4 = Ipv4Addr::from(bits);
            let plain = refusal(IpAddr::V4(v4));
            prop_assert_eq!(plain, refusal(IpAddr::V6(v4.to_ipv6_mapped())));
            let by_url = check_url(&format!("https://{v4}/"), &AllowHosts::default());
            prop_assert_eq!(plain.is_some(), by_url.is_err());
        }

        /// Any IPv6 address in a refused range is refused in a URL too.
        #[test]
        fn ipv6_urls_follow_the_table(bits in any::<u128>()) {
            let v6 = Ipv6Addr::from(bits);
            let by_url = check_url(&format!("https://[{v6}]/"), &AllowHosts::default());
            prop_assert_eq!(refusal(IpAddr::V6(v6)).is_some(), by_url.is_err());
        }
    }
}

#[cfg(test)]
mod operations_table {
    use super::REFUSED_RANGES;

    /// OPERATIONS.md lists every refused range (a single address without its `/128`).
    #[test]
    fn operations_md_lists_every_refused_range() {
        let doc = include_str!("../../../OPERATIONS.md");
        for range in REFUSED_RANGES {
            let cidr = format!("`{}/{}`", range.network, range.prefix);
            let single = format!("`{}`", range.network);
            assert!(
                doc.contains(&cidr) || (range.prefix == 128 && doc.contains(&single)),
                "OPERATIONS.md does not list {cidr}"
            );
        }
    }
}
