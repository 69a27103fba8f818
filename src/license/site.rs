//! Which host a license is for, and whether a site URL is that host.

/// Hosts that never need a license seat: a developer's machine or a staging
/// name that cannot exist on the public internet.
pub fn is_development_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".test")
}

/// Reduces a site URL or bare host to the host a license names: lower case,
/// without scheme, credentials, port, path, query, trailing dot or a leading
/// `www.`. `None` when there is no plausible host.
pub fn normalize_host(input: &str) -> Option<String> {
    let s = input.trim();
    let s = match s.find("://") {
        Some(i) => &s[i + 3..],
        None => s.strip_prefix("//").unwrap_or(s),
    };
    let authority = s.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = if let Some(rest) = authority.strip_prefix('[') {
        // [IPv6]:port
        rest.split_once(']')?.0
    } else if authority.matches(':').count() > 1 {
        // A bare IPv6 address without brackets has no port to strip.
        authority
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").map(str::to_owned).unwrap_or(host);
    let valid = !host.is_empty()
        && host.len() <= 253
        && !host.starts_with('.')
        && !host.contains("..")
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '_' | '*'));
    valid.then_some(host)
}

/// Normalizes a licensed site pattern: a host, or `*.` followed by a host.
pub fn normalize_pattern(pattern: &str) -> Option<String> {
    match pattern.trim().strip_prefix("*.") {
        Some(base) => {
            let base = normalize_host(base)?;
            (!base.contains('*')).then(|| format!("*.{base}"))
        }
        None => normalize_host(pattern).filter(|h| !h.contains('*')),
    }
}

/// Whether normalized `host` is covered by normalized `pattern`. `*.example.com`
/// covers `example.com` and every subdomain, at any depth.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(base) => {
            host == base || (host.len() > base.len() && host.ends_with(base) && host.as_bytes()[host.len() - base.len() - 1] == b'.')
        }
        None => pattern == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_urls_to_hosts() {
        for (input, want) in [
            ("https://WWW.Example.com:8443/shop?x=1#y", "example.com"),
            ("example.com", "example.com"),
            ("http://user:pw@shop.example.com/", "shop.example.com"),
            ("//example.com/path", "example.com"),
            ("example.com.", "example.com"),
            ("http://[::1]:8080/", "::1"),
            ("::1", "::1"),
            ("127.0.0.1:8080", "127.0.0.1"),
            ("https://www.www.example.com", "www.example.com"),
        ] {
            assert_eq!(normalize_host(input).as_deref(), Some(want), "{input}");
        }
        for bad in ["", "https://", "http:///path", "exa mple.com", "a..b", ".example.com", "https://[::1"] {
            assert_eq!(normalize_host(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn wildcard_covers_apex_and_subdomains_only() {
        assert!(host_matches("*.example.com", "example.com"));
        assert!(host_matches("*.example.com", "shop.example.com"));
        assert!(host_matches("*.example.com", "a.b.example.com"));
        assert!(!host_matches("*.example.com", "badexample.com"));
        assert!(!host_matches("*.example.com", "example.com.evil.net"));
        assert!(host_matches("example.com", "example.com"));
        assert!(!host_matches("example.com", "shop.example.com"));
        assert_eq!(normalize_pattern("*.WWW.Example.com").as_deref(), Some("*.example.com"));
        assert_eq!(normalize_pattern("*.*.example.com"), None);
        assert_eq!(normalize_pattern("ex*ample.com"), None);
    }

    #[test]
    fn development_hosts() {
        for h in ["localhost", "127.0.0.1", "::1", "shop.localhost", "mysite.local", "store.test"] {
            assert!(is_development_host(h), "{h}");
        }
        for h in ["example.com", "localhost.com", "test", "mytest", "local"] {
            assert!(!is_development_host(h), "{h}");
        }
    }
}
