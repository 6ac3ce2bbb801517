//! rust-env: reads stdin fully (binary), then writes
//! "Content-Type: text/plain\n\nhello from Rust\nREQUEST_METHOD=<value or empty>\n",
//! one "argv[I]=VALUE" line per argument, one "NAME=value" line per environment variable
//! (std::env order), then "body_len=N\n". std only.
//! Non-UTF-8 names/values are written lossily (U+FFFD) instead of panicking like env::vars().
use std::env;
use std::io::{self, Read, Write};

fn main() {
    let mut body = Vec::new();
    io::stdin().read_to_end(&mut body).expect("read stdin");

    let mut out: Vec<u8> = Vec::new();
    out.extend_from_slice(b"Content-Type: text/plain\n\nhello from Rust\n");
    let method = env::var_os("REQUEST_METHOD").unwrap_or_default();
    writeln!(out, "REQUEST_METHOD={}", method.to_string_lossy()).unwrap();
    for (i, a) in env::args_os().enumerate() {
        writeln!(out, "argv[{}]={}", i, a.to_string_lossy()).unwrap();
    }
    for (k, v) in env::vars_os() {
        writeln!(out, "{}={}", k.to_string_lossy(), v.to_string_lossy()).unwrap();
    }
    writeln!(out, "body_len={}", body.len()).unwrap();

    let stdout = io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(&out).expect("write stdout");
    lock.flush().expect("flush stdout");
}
