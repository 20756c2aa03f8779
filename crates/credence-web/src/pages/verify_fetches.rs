//! The fetches a verification made, as the verification page lists them: address, HTTP
//! status or why it failed, from the cache or fresh, and the time taken.

use credence_vc::verify::FetchNote;

/// One fetch as a line of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchLine {
    pub url: String,
    /// "HTTP 200", or "Failed: …".
    pub outcome: String,
    /// Whether it failed (a CSS class).
    pub failed: bool,
    /// "from the cache" or "fetched now".
    pub source: &'static str,
    /// "12 ms", "1.2 s".
    pub time: String,
}

/// A duration in milliseconds as people read it.
fn time_words(millis: u64) -> String {
    if millis == 0 {
        "under 1 ms".to_owned()
    } else if millis < 1000 {
        format!("{millis} ms")
    } else {
        let tenths = millis / 100;
        format!("{}.{} s", tenths / 10, tenths % 10)
    }
}

/// Every fetch as a line.
pub fn fetch_lines(fetches: &[FetchNote]) -> Vec<FetchLine> {
    fetches
        .iter()
        .map(|f| {
            let outcome = match (&f.error, f.status) {
                (Some(error), _) => {
                    let mut chars = error.chars();
                    let first = chars.next().map(|c| c.to_uppercase().to_string());
                    format!("Failed: {}{}", first.unwrap_or_default(), chars.as_str())
                }
                (None, Some(status)) => format!("HTTP {status}"),
                (None, None) => "Read".to_owned(),
            };
            FetchLine {
                url: f.url.clone(),
                failed: f.error.is_some(),
                outcome,
                source: if f.from_cache {
                    "from the cache"
                } else {
                    "fetched now"
                },
                time: time_words(f.millis),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        status: Option<u16>,
        from_cache: bool,
        millis: u64,
        error: Option<&str>,
        expected: (&str, &str, &str),
    ) {
        let note = FetchNote {
            url: "https://a.example/x".into(),
            status,
            from_cache,
            millis,
            error: error.map(str::to_owned),
        };
        let line = fetch_lines(&[note]).remove(0);
        assert_eq!(
            (line.outcome.as_str(), line.source, line.time.as_str()),
            expected
        );
    }

    #[test]
    fn fetches_read_as_words() {
        check(
            Some(200),
            false,
            12,
            None,
            ("HTTP 200", "fetched now", "12 ms"),
        );
        check(
            Some(200),
            true,
            0,
            None,
            ("HTTP 200", "from the cache", "under 1 ms"),
        );
        check(
            None,
            false,
            5003,
            Some("timed out after 5 s"),
            ("Failed: Timed out after 5 s", "fetched now", "5.0 s"),
        );
        check(
            Some(404),
            false,
            1250,
            Some("the server answered HTTP 404"),
            (
                "Failed: The server answered HTTP 404",
                "fetched now",
                "1.2 s",
            ),
        );
    }
}
