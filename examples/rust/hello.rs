//! A WAGI handler in Rust: the request comes in as environment variables, argv and stdin;
//! everything written to stdout is the response (a CGI header block, a blank line, the body).
//!
//! Build: ./build.sh   (rustc --edition 2021 --target wasm32-wasi -C opt-level=s -C strip=symbols -C lto -o hello.wasm hello.rs)

use std::env;
use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    // The request body is stdin. Count it without holding it: it is streamed, and may be binary.
    let body_len = io::copy(&mut io::stdin().lock(), &mut io::sink())?;

    // Rust's stdout is line-buffered; a BufWriter makes the whole response one write, and the
    // explicit flush reports an error instead of losing it when the writer is dropped.
    let mut out = BufWriter::new(io::stdout().lock());
    write!(out, "Content-Type: text/plain\n\n")?;
    writeln!(out, "Hello from Rust!")?;
    writeln!(out, "REQUEST_METHOD={}", env::var("REQUEST_METHOD").unwrap_or_default())?;
    writeln!(out, "QUERY_STRING={}", env::var("QUERY_STRING").unwrap_or_default())?;
    // args_os, not args: args() panics on an argument that is not valid UTF-8.
    for (i, arg) in env::args_os().enumerate() {
        writeln!(out, "argv[{}]={}", i, arg.to_string_lossy())?;
    }
    writeln!(out, "body_len={}", body_len)?;
    out.flush()
    // Returning Ok(()) ends the module without calling proc_exit. An Err exits with code 1 and a panic
    // traps: both are a 500, with the message in the server log.
}
