//! The client address of a request, for the limit on failed authentications: the connection's
//! peer, or, when the peer is a trusted reverse proxy (`--trusted-proxy CIDR`), the right-most
//! `X-Forwarded-For` address that is not itself a trusted proxy. A client can put anything at
//! the left of that header, but not at its right, which the trusted proxies append.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// An address range: `10.0.0.0/8`, `2001:db8::/32`, or one address (`192.0.2.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

/// Why a range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an address range (`10.0.0.0/8`, `2001:db8::/32`) or an address")]
pub struct CidrError(String);

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let bad = || CidrError(s.to_owned());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let net = net.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { net, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

impl Cidr {
    /// Whether the range holds `ip` (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The client a request is counted against: `peer`, unless `peer` is in a `trusted` range; then
/// the right-most `X-Forwarded-For` address outside every trusted range (every address given,
/// all headers of that name read in order). When every listed address is trusted, the
/// left-most; when the header is missing, or an entry is not an address, the last trusted
/// address walked past.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !is_trusted(ip) {
            return ip;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`192.0.2.7:4711`,
/// `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|s| s.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().filter_map(|c| c.parse().ok()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.append("x-forwarded-for", v);
            }
        }
        h
    }

    #[test]
    fn ranges_are_read_and_matched() {
        let c: Cidr = "10.0.0.0/8".parse().expect("range");
        assert!(c.contains(ip("10.200.1.1")));
        assert!(c.contains(ip("::ffff:10.0.0.1")));
        assert!(!c.contains(ip("11.0.0.1")));
        let one: Cidr = "192.0.2.7".parse().expect("address");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8::/32".parse().expect("v6 range");
        assert!(v6.contains(ip("2001:db8:1::1")) && !v6.contains(ip("2001:db9::1")));
        let all: Cidr = "0.0.0.0/0".parse().expect("everything");
        assert!(all.contains(ip("203.0.113.9")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0.0/x", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = cidrs(&["10.0.0.0/8"]);
        let proxy = ip("10.0.0.2");
        // The client forged the left part; the proxies appended the right.
        let h = forwarded(&["1.1.1.1, 203.0.113.9", "10.0.0.9"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("203.0.113.9"));
        // An untrusted peer is the client, whatever it claims.
        assert_eq!(
            client_addr(ip("198.51.100.1"), &h, &trusted),
            ip("198.51.100.1")
        );
        // No header: the proxy itself.
        assert_eq!(client_addr(proxy, &HeaderMap::new(), &trusted), proxy);
        // Garbage stops the walk at the last trusted hop.
        let h = forwarded(&["203.0.113.9, garbage, 10.0.0.9"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("10.0.0.9"));
        // Ports are allowed.
        let h = forwarded(&["[2001:db8::5]:4711"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("2001:db8::5"));
        // Every hop trusted: the left-most.
        let h = forwarded(&["10.1.1.1, 10.0.0.9"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("10.1.1.1"));
    }
}
