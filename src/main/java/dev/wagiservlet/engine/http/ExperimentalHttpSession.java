package dev.wagiservlet.engine.http;

import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.BUFFER_TOO_SMALL;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.DESTINATION_NOT_ALLOWED;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.HEADER_NOT_FOUND;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.INVALID_HANDLE;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.INVALID_METHOD;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.INVALID_URL;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.MEMORY_ACCESS_ERROR;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.MEMORY_NOT_FOUND;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.REQUEST_ERROR;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.RUNTIME_ERROR;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.SUCCESS;
import static dev.wagiservlet.engine.http.ExperimentalHttpAbi.TOO_MANY_SESSIONS;

import dev.wagiservlet.engine.http.ExperimentalHttpAbi.Code;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code wasi_experimental_http} calls of one run, on any engine: the handle table of the
 * responses the module holds open and the five functions over the module's {@link GuestMemory},
 * with exactly the ABI of {@code deislabs/wasi-experimental-http} 0.10 as used by wagi, so modules
 * built against the guest crate (0.7 to 0.10) run unchanged. An engine adapts its host-function
 * calls to {@link #call} and closes the session when the run ends.
 *
 * <table>
 *   <caption>Functions</caption>
 *   <tr><th>function</th><th>signature</th></tr>
 *   <tr><td>{@code req}</td><td>(url_ptr, url_len, method_ptr, method_len, headers_ptr, headers_len,
 *       body_ptr, body_len, status_code_ptr, res_handle_ptr) -&gt; err; writes a u16 status, a u32 handle</td></tr>
 *   <tr><td>{@code close}</td><td>(handle) -&gt; err; an unknown handle is still 0</td></tr>
 *   <tr><td>{@code header_get}</td><td>(handle, name_ptr, name_len, value_ptr, value_len, value_written_ptr) -&gt; err</td></tr>
 *   <tr><td>{@code headers_get_all}</td><td>(handle, buf_ptr, buf_len, written_ptr) -&gt; err; {@code name:value\n} lines</td></tr>
 *   <tr><td>{@code body_read}</td><td>(handle, buf_ptr, buf_len, read_ptr) -&gt; err; writes a u32 count, 0 at the end</td></tr>
 * </table>
 *
 * <p>Error codes ({@link ExperimentalHttpAbi}): 0 success, 1 invalid_handle, 2 memory_not_found (no export
 * named {@code memory}), 3 memory_access_error (an out-parameter or output buffer outside memory),
 * 4 buffer_too_small (an output buffer too small for the value, or - as in the reference - an input string
 * or body outside memory), 5 header_not_found, 6 utf8_error (URL, method, header text or header name not
 * UTF-8), 7 destination_not_allowed, 8 invalid_method, 9 invalid_encoding (request header text),
 * 10 invalid_url, 11 request_error (transport errors, timeouts), 12 runtime_error, 13 too_many_sessions.
 *
 * <p>The checks run in the reference's order. {@code req}: memory, open responses against
 * {@code http_max_concurrency}, URL, allow-list, method, body, headers, then the request; the status is
 * written, then the handle allocated (a counter from 0 that skips handles still open, as the reference)
 * and written. {@code header_get}, {@code headers_get_all}, {@code body_read}: memory, then handle.
 *
 * <p>Deviations from the reference, each where it would panic, buffer or could not do the same:
 * <ul>
 *   <li>{@code body_read} on an unknown handle returns 1 (the reference panics, aborting the request).
 *   <li>A header line without {@code :} is 9 (the reference panics).
 *   <li>Response bodies are streamed, not buffered: {@code body_read} still fills the whole buffer
 *       unless the body ends (as the reference); it waits at most the policy's request timeout for more
 *       bytes, then returns what it has, or 11 if it has nothing. The whole buffer the module passes
 *       must lie in memory (3 otherwise), not only the part that gets written.
 *   <li>Request header values must be ASCII (9 otherwise): the JDK client cannot send other bytes.
 *       Values are sent trimmed; {@code Host}, {@code Content-Length}, {@code Connection},
 *       {@code Expect} and {@code Upgrade} are set by the JDK client and the module's values dropped.
 *   <li>Method {@code CONNECT} is 8 (the JDK client refuses it).
 *   <li>{@code headers_get_all} lists headers in alphabetical order (the JDK client does not keep the
 *       server's order); each value of a repeated header is its own line, as in the reference.
 *   <li>Redirects are followed (as reqwest) but never from https to http, and each target must pass the
 *       allow-list: 7 otherwise.
 *   <li>{@code http_max_concurrency} 0 refuses every request with 13 (the reference underflows).
 *   <li>When the status or handle cannot be written (3), the response is closed at once (the reference
 *       keeps it open, under a handle the module never learnt).
 * </ul>
 *
 * <p>Not thread-safe: one run calls it from its own thread.
 */
public final class ExperimentalHttpSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExperimentalHttpSession.class.getName());

    private final HttpTransport transport;
    private final OutboundHttpPolicy policy;
    private final AllowedHosts allowed;
    private final String moduleName;
    private final Map<Integer, HttpTransport.Incoming> responses = new HashMap<>();
    private int currentHandle;

    public ExperimentalHttpSession(HttpTransport transport, OutboundHttpPolicy policy, String moduleName) {
        this.transport = transport;
        this.policy = policy;
        this.allowed = AllowedHosts.of(policy.allowedHosts());
        this.moduleName = moduleName;
    }

    /**
     * One call of the module's.
     *
     * @param function one of {@link ExperimentalHttpAbi#FUNCTIONS}
     * @param memory the module's memory, or null if it exports none named {@code memory}
     * @param args the call's i32 arguments (as unsigned or sign-extended longs: both are read as u32)
     * @return the error code for the module
     * @throws InterruptedException if the run's thread was interrupted while waiting (the run must stop)
     */
    public int call(String function, GuestMemory memory, long[] args) throws InterruptedException {
        try {
            switch (function) {
                case "req" -> req(memory, args);
                case "close" -> close(args);
                case "header_get" -> headerGet(memory, args);
                case "headers_get_all" -> headersGetAll(memory, args);
                case "body_read" -> bodyRead(memory, args);
                default -> throw new IllegalArgumentException(function);
            }
            return SUCCESS;
        } catch (Code e) {
            return e.code;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, ExperimentalHttpAbi.MODULE + "::" + function + " failed in " + moduleName, e);
            return RUNTIME_ERROR;
        }
    }

    /** {@code [/route] } for log lines, when the policy names its route. */
    private String routePrefix() {
        return policy.route().isEmpty() ? "" : "[" + policy.route() + "] ";
    }

    private void req(GuestMemory memory, long[] a) throws Code, InterruptedException {
        present(memory);
        if (policy.maxConcurrency().isPresent() && responses.size() >= policy.maxConcurrency().getAsInt()) {
            throw new Code(TOO_MANY_SESSIONS);
        }
        String urlText = ExperimentalHttpAbi.utf8(read(memory, a[0], a[1]));
        AllowedHosts.Url url = AllowedHosts.parseUrl(urlText);
        AllowedHosts.Verdict verdict = url == null ? AllowedHosts.Verdict.INVALID_URL : allowed.check(url);
        if (verdict == AllowedHosts.Verdict.INVALID_URL) {
            LOG.log(Level.DEBUG, "{0}: outbound request to an invalid URL ({1}) or with an invalid allow-list {2}",
                    moduleName, urlText, allowed.invalidEntries());
            throw new Code(INVALID_URL);
        }
        if (verdict == AllowedHosts.Verdict.DENIED) {
            LOG.log(Level.WARNING, "{0}denied outbound request to {1} from {2}", routePrefix(), url.redacted(), moduleName);
            throw new Code(DESTINATION_NOT_ALLOWED);
        }
        String method = ExperimentalHttpAbi.utf8(read(memory, a[2], a[3]));
        if (!ExperimentalHttpAbi.isToken(method) || method.equals("CONNECT")) {
            throw new Code(INVALID_METHOD);
        }
        byte[] body = read(memory, a[6], a[7]);
        Map<String, String[]> headers = ExperimentalHttpAbi.parseHeaders(ExperimentalHttpAbi.utf8(read(memory, a[4], a[5])));

        HttpTransport.Incoming response;
        try {
            response = transport.send(new HttpTransport.Outgoing(url, method, headers, body), allowed, policy);
        } catch (HttpTransport.Denied e) {
            if (e.verdict() == AllowedHosts.Verdict.INVALID_URL) {
                throw new Code(INVALID_URL);
            }
            LOG.log(Level.WARNING, "{0}denied outbound request to {1} (redirected from {2}) from {3}",
                    routePrefix(), e.target().redacted(), e.from().redacted(), moduleName);
            throw new Code(DESTINATION_NOT_ALLOWED);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: outbound request to {1} failed: {2}", moduleName, url.redacted(), e.toString());
            throw new Code(REQUEST_ERROR);
        }
        try {
            writeU16(memory, a[8], response.status());
            int initial = currentHandle;
            while (responses.containsKey(currentHandle)) {
                currentHandle++;
                if (currentHandle == initial) {
                    throw new Code(TOO_MANY_SESSIONS);
                }
            }
            int handle = currentHandle;
            checkRange(memory, a[9], 4);
            responses.put(handle, response);
            memory.writeI32((int) u32(a[9]), handle);
        } catch (Code | RuntimeException e) {
            response.body().close();
            throw e;
        }
    }

    private void close(long[] a) {
        HttpTransport.Incoming response = responses.remove((int) a[0]);
        if (response != null) {
            response.body().close();
        }
    }

    private void headerGet(GuestMemory memory, long[] a) throws Code {
        present(memory);
        HttpTransport.Incoming response = response(a[0]);
        String name = ExperimentalHttpAbi.asciiLowerCase(ExperimentalHttpAbi.utf8(read(memory, a[1], a[2])));
        String value = name.isEmpty() || name.startsWith(":") ? null : response.headers().firstValue(name).orElse(null);
        if (value == null) {
            throw new Code(HEADER_NOT_FOUND);
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1); // the JDK decodes header bytes as Latin-1
        if (bytes.length > u32(a[4])) {
            throw new Code(BUFFER_TOO_SMALL);
        }
        write(memory, a[3], bytes);
        writeU32(memory, a[5], bytes.length);
    }

    private void headersGetAll(GuestMemory memory, long[] a) throws Code {
        present(memory);
        HttpTransport.Incoming response = response(a[0]);
        byte[] all = ExperimentalHttpAbi.serialize(response.headers());
        if (all.length > u32(a[2])) {
            throw new Code(BUFFER_TOO_SMALL);
        }
        write(memory, a[1], all);
        writeU32(memory, a[3], all.length);
    }

    private void bodyRead(GuestMemory memory, long[] a) throws Code, InterruptedException {
        present(memory);
        HttpTransport.Incoming response = response(a[0]);
        long ptr = u32(a[1]);
        long len = u32(a[2]);
        checkRange(memory, ptr, len);
        checkRange(memory, a[3], 4);
        byte[] chunk = new byte[(int) Math.min(len, 64 * 1024)];
        long total = 0;
        while (total < len) {
            int n;
            try {
                n = response.body().read(chunk, 0, (int) Math.min(chunk.length, len - total), policy.requestTimeout());
            } catch (IOException e) {
                if (total > 0) {
                    break; // hand over what arrived; the next call reports the failure
                }
                LOG.log(Level.DEBUG, "{0}: reading an outbound response failed: {1}", moduleName, e.toString());
                throw new Code(REQUEST_ERROR);
            }
            if (n < 0) {
                break;
            }
            memory.write((int) (ptr + total), chunk, 0, n);
            total += n;
        }
        memory.writeI32((int) u32(a[3]), (int) total);
    }

    /** Closes every response the module left open. */
    @Override
    public void close() {
        for (HttpTransport.Incoming response : responses.values()) {
            response.body().close();
        }
        responses.clear();
    }

    /** How many responses are open. */
    public int openResponses() {
        return responses.size();
    }

    // ---- memory ----

    private static void present(GuestMemory memory) throws Code {
        if (memory == null) {
            throw new Code(MEMORY_NOT_FOUND);
        }
    }

    private HttpTransport.Incoming response(long handle) throws Code {
        HttpTransport.Incoming response = responses.get((int) handle);
        if (response == null) {
            throw new Code(INVALID_HANDLE);
        }
        return response;
    }

    private static long u32(long value) {
        return value & 0xFFFF_FFFFL;
    }

    /** An input: out of memory (or past 4 GiB) is buffer_too_small, as the reference's slice_from_memory. */
    private static byte[] read(GuestMemory memory, long ptr, long len) throws Code {
        long start = u32(ptr);
        long end = start + u32(len);
        if (end > 0xFFFF_FFFFL || end > memory.size()) {
            throw new Code(BUFFER_TOO_SMALL);
        }
        return memory.read((int) start, (int) u32(len));
    }

    /** An output: out of memory is memory_access_error. */
    private static void checkRange(GuestMemory memory, long ptr, long len) throws Code {
        if (u32(ptr) + len > memory.size()) {
            throw new Code(MEMORY_ACCESS_ERROR);
        }
    }

    private static void write(GuestMemory memory, long ptr, byte[] bytes) throws Code {
        checkRange(memory, ptr, bytes.length);
        memory.write((int) u32(ptr), bytes, 0, bytes.length);
    }

    private static void writeU32(GuestMemory memory, long ptr, int value) throws Code {
        checkRange(memory, ptr, 4);
        memory.writeI32((int) u32(ptr), value);
    }

    private static void writeU16(GuestMemory memory, long ptr, int value) throws Code {
        checkRange(memory, ptr, 2);
        memory.writeI16((int) u32(ptr), (short) value);
    }
}
