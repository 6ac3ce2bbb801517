// A WAGI handler in Go (GOOS=wasip1): the request comes in as environment variables, argv and
// stdin; everything written to stdout is the response (a CGI header block, a blank line, the body).
//
// Build: ./build.sh   (GOOS=wasip1 GOARCH=wasm go build -ldflags='-s -w' -trimpath -o hello.wasm .)
//
// The Go runtime ends every wasip1 program with proc_exit(0), even when main simply returns.
// wagi-servlet (like Spin) treats proc_exit(0) as success; the original wagi answers 500.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

func main() {
	// The request body is stdin. Count it without holding it: it is streamed, and may be binary.
	bodyLen, err := io.Copy(io.Discard, os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reading the request body:", err) // stderr goes to the server log
		os.Exit(1)                                                 // proc_exit(1): a 500
	}

	// os.Stdout is not buffered: every Fprintf would be its own fd_write. Buffer, then flush once.
	// Flush explicitly: os.Exit skips deferred calls, so a deferred Flush can be lost.
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprint(out, "Content-Type: text/plain\n\n")
	fmt.Fprintln(out, "Hello from Go!")
	fmt.Fprintf(out, "REQUEST_METHOD=%s\n", os.Getenv("REQUEST_METHOD"))
	fmt.Fprintf(out, "QUERY_STRING=%s\n", os.Getenv("QUERY_STRING"))
	for i, arg := range os.Args {
		fmt.Fprintf(out, "argv[%d]=%s\n", i, arg)
	}
	fmt.Fprintf(out, "body_len=%d\n", bodyLen)
	if err := out.Flush(); err != nil {
		os.Exit(1)
	}
}
