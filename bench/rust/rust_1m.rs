//! rust-1m: a small but realistic WAGI handler in Rust (std only), built with a linear memory of
//! exactly 1 MiB (16 pages: 64 KiB stack, data and a heap that grows into the rest).
//!
//! It reads the CGI environment, parses QUERY_STRING into (name, value) pairs, reads any request
//! body, and renders an HTML page with the greeting, the request facts and a table of the query
//! parameters, HTML-escaped, into one buffer that is written to stdout at once.
//!
//!   GET /rust?name=bench  ->  200 text/html, about 1 KB
use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::io::{self, Read, Write};

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte, lossy UTF-8.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn main() {
    let var = |name: &str| env::var(name).unwrap_or_default();
    let query = var("QUERY_STRING");
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.entry(decode(k)).or_default().push(decode(v));
    }

    let mut body = Vec::new();
    io::stdin().read_to_end(&mut body).expect("read stdin");

    let name = params.get("name").and_then(|v| v.first()).map(String::as_str).unwrap_or("world");
    let headers = env::vars().filter(|(k, _)| k.starts_with("HTTP_")).count();

    let mut page = String::with_capacity(4096);
    page.push_str("Content-Type: text/html; charset=utf-8\nCache-Control: no-store\n\n");
    page.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Hello</title></head><body>\n<h1>Hello, ");
    escape(name, &mut page);
    page.push_str("!</h1>\n<dl>\n");
    for key in ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "SERVER_PROTOCOL", "X_MATCHED_ROUTE", "X_FULL_URL"] {
        page.push_str("<dt>");
        page.push_str(key);
        page.push_str("</dt><dd>");
        escape(&var(key), &mut page);
        page.push_str("</dd>\n");
    }
    let _ = writeln!(page, "<dt>request headers</dt><dd>{}</dd>", headers);
    let _ = writeln!(page, "<dt>body bytes</dt><dd>{}</dd>", body.len());
    page.push_str("</dl>\n<table><tr><th>parameter</th><th>values</th></tr>\n");
    for (k, vs) in &params {
        page.push_str("<tr><td>");
        escape(k, &mut page);
        page.push_str("</td><td>");
        escape(&vs.join(", "), &mut page);
        page.push_str("</td></tr>\n");
    }
    page.push_str("</table>\n</body></html>\n");

    let stdout = io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(page.as_bytes()).expect("write stdout");
    lock.flush().expect("flush stdout");
}
