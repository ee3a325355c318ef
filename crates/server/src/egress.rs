//! Which addresses the server's own outgoing requests (webhook deliveries) may reach. By
//! default only public ones: a team admin must not be able to make the server probe its own
//! network (loopback, private ranges, link-local cloud metadata endpoints, …) through a webhook.
//!
//! Host names are checked where they are resolved ([`PublicOnly`] is the delivery client's
//! resolver, so a name that later resolves elsewhere — DNS rebinding — is caught too); literal
//! addresses, which are never resolved, with [`internal_literal`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Where outgoing requests may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Targets {
    /// Public internet addresses only (the default).
    #[default]
    Public,
    /// Any address (`--webhooks-allow-private`), for receivers inside the network.
    Any,
}

/// Whether `ip` is a public unicast address. Hand-written because `IpAddr::is_global` is not
/// stable; the ranges are those of the IANA special-purpose registries that must not be reached
/// from outside.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier-grade NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    // Forms that carry traffic to the IPv4 addresses they embed are judged by those addresses.
    let embedded = embedded_v4(ip);
    if !embedded.is_empty() {
        return embedded.into_iter().all(is_public_v4);
    }
    let s = ip.segments();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible and other reserved forms
}

/// The IPv4 addresses an IPv6 address reaches through a translation or tunnel: NAT64
/// (`64:ff9b::/96`, and the local-use `64:ff9b:1::/48`) and the last 32 bits; 6to4
/// (`2002::/16`) and the 32 bits after the prefix; Teredo (`2001::/32`) and both its server
/// (bits 32–63) and its client (the last 32 bits, inverted). Empty for any other address.
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => vec![v4(hi, lo)],
        [0x64, 0xff9b, 1, .., hi, lo] => vec![v4(hi, lo)],
        [0x2002, hi, lo, ..] => vec![v4(hi, lo)],
        [0x2001, 0, server_hi, server_lo, _, _, client_hi, client_lo] => {
            vec![v4(server_hi, server_lo), v4(!client_hi, !client_lo)]
        }
        _ => Vec::new(),
    }
}

/// The internal address a URL names literally (`http://10.0.0.5/`, `http://[::1]/`), or a
/// `localhost` name; `None` for a public address or any other host name.
pub fn internal_literal(url: &reqwest::Url) -> Option<String> {
    match url.host()? {
        url::Host::Ipv4(v4) if !is_public_v4(v4) => Some(v4.to_string()),
        url::Host::Ipv6(v6) if !is_public_v6(v6) => Some(v6.to_string()),
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (d == "localhost" || d.ends_with(".localhost")).then_some(d)
        }
        _ => None,
    }
}

/// A resolver that keeps only public addresses, and fails for a name that has none.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!(
                    "`{host}` resolves to no public address (internal targets are refused; \
                     see --webhooks-allow-private)"
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::",
            "::1",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::a00:1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "2001:0:c0a8:101::",
            "::127.0.0.1",
        ] {
            assert!(!is_public(ip(s)), "{s} taken as public");
        }
    }

    #[test]
    fn public_addresses_are_public() {
        for s in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001:0:808:808:8000:63bf:f7f7:f7f7",
        ] {
            assert!(is_public(ip(s)), "{s} taken as internal");
        }
    }

    #[test]
    fn literal_internal_hosts_are_named() {
        let named = |u: &str| {
            reqwest::Url::parse(u)
                .ok()
                .and_then(|u| internal_literal(&u))
        };
        assert_eq!(
            named("http://127.0.0.1:9000/x").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(named("http://[::1]/").as_deref(), Some("::1"));
        assert_eq!(named("http://LOCALHOST./").as_deref(), Some("localhost"));
        assert_eq!(
            named("http://api.localhost/").as_deref(),
            Some("api.localhost")
        );
        assert_eq!(named("https://hooks.example/x"), None);
        assert_eq!(named("https://1.1.1.1/"), None);
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_of_internal_addresses() {
        use reqwest::dns::Resolve;
        let name: reqwest::dns::Name = match "localhost".parse() {
            Ok(n) => n,
            Err(e) => panic!("name: {e}"),
        };
        let Err(e) = PublicOnly.resolve(name).await else {
            panic!("localhost resolved to a public address")
        };
        assert!(e.to_string().contains("no public address"), "{e}");
    }
}
