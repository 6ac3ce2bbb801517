//! A WAGI handler in Zig (0.11): the request comes in as environment variables, argv and stdin;
//! everything written to stdout is the response (a CGI header block, a blank line, the body).
//!
//! Build: ./build.sh   (zig build-exe hello.zig -target wasm32-wasi -O ReleaseSmall -femit-bin=hello.wasm)
//!
//! Zig's start code calls `main`, then always proc_exit(0) (or proc_exit(1) when main returns an
//! error). wagi-servlet, like Spin, treats proc_exit(0) as success; the original wagi answers 500.
//! For a module that returns from _start instead, see docs/guides/zig.md.
const std = @import("std");

pub fn main() !void {
    // Everything allocated here lives until the request ends: one arena, freed at once.
    var arena = std.heap.ArenaAllocator.init(std.heap.page_allocator);
    defer arena.deinit();
    const alloc = arena.allocator();

    // The request body is stdin. Count it in chunks without holding it: it is streamed, and may be binary.
    var body_len: usize = 0;
    var chunk: [4096]u8 = undefined;
    const stdin = std.io.getStdIn().reader();
    while (true) {
        const n = try stdin.read(&chunk);
        if (n == 0) break;
        body_len += n;
    }

    var env = try std.process.getEnvMap(alloc);
    const args = try std.process.argsAlloc(alloc);

    // Zig's stdout is not buffered: buffer it, and flush before returning (nothing flushes it for you).
    var buffered = std.io.bufferedWriter(std.io.getStdOut().writer());
    const out = buffered.writer();
    try out.writeAll("Content-Type: text/plain\n\n");
    try out.writeAll("Hello from Zig!\n");
    try out.print("REQUEST_METHOD={s}\n", .{env.get("REQUEST_METHOD") orelse ""});
    try out.print("QUERY_STRING={s}\n", .{env.get("QUERY_STRING") orelse ""});
    for (args, 0..) |arg, i| {
        try out.print("argv[{d}]={s}\n", .{ i, arg });
    }
    try out.print("body_len={d}\n", .{body_len});
    try buffered.flush();
}
