// A WAGI handler in AssemblyScript: the request comes in as environment variables, argv and
// stdin; everything written to stdout is the response (a CGI header block, a blank line, the body).
//
// Build: ./build.sh   (npx asc assembly/index.ts --config ./node_modules/@assemblyscript/wasi-shim/asconfig.json -O3z --noAssert -o hello.wasm)
//
// @assemblyscript/wasi-shim provides `process` (argv, env, stdin, stdout, exit) on top of WASI
// preview 1. Top-level statements become the module's `_start`.

// The request body is stdin. Count it in chunks without holding it: it is streamed, and may be binary.
let bodyLen: i64 = 0;
const chunk = new ArrayBuffer(4096);
while (true) {
  const n = process.stdin.read(chunk);
  if (n <= 0) break;
  bodyLen += n;
}

function envOrEmpty(name: string): string {
  return process.env.has(name) ? process.env.get(name) : "";
}

// process.stdout.write is not buffered: each call is one fd_write. Build the response, then write it once.
let response = "Content-Type: text/plain\n\n";
response += "Hello from AssemblyScript!\n";
response += "REQUEST_METHOD=" + envOrEmpty("REQUEST_METHOD") + "\n";
response += "QUERY_STRING=" + envOrEmpty("QUERY_STRING") + "\n";
const argv = process.argv;
for (let i = 0; i < argv.length; i++) {
  response += "argv[" + i.toString() + "]=" + argv[i] + "\n";
}
response += "body_len=" + bodyLen.toString() + "\n";
process.stdout.write(response);
// Falling off the end returns from _start without proc_exit. process.exit(n) would call proc_exit(n).
