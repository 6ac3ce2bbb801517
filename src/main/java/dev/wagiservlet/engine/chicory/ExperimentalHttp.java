package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wagiservlet.engine.http.AllowedHosts;
import dev.wagiservlet.engine.http.HttpTransport;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code wasi_experimental_http} host functions of one run (one instance), with exactly the ABI of
 * {@code deislabs/wasi-experimental-http} 0.10 as used by wagi, so modules built against the guest crate
 * (0.7 to 0.10) run unchanged. Every parameter and result is an i32 (u32 to the host); every function
 * returns an error code, 0 for success; out-parameters are written little-endian.
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
 * <p>Error codes: 0 success, 1 invalid_handle, 2 memory_not_found (no export named {@code memory}),
 * 3 memory_access_error (an out-parameter or output buffer outside memory), 4 buffer_too_small (an output
 * buffer too small for the value, or - as in the reference - an input string or body outside memory),
 * 5 header_not_found, 6 utf8_error (URL, method, header text or header name not UTF-8),
 * 7 destination_not_allowed, 8 invalid_method, 9 invalid_encoding (request header text),
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
 * <p>Every response still open when the run ends is closed by {@link #close()}.
 */
final class ExperimentalHttp implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExperimentalHttp.class.getName());

    /** The import module name. */
    static final String MODULE = "wasi_experimental_http";

    static final int SUCCESS = 0;
    static final int INVALID_HANDLE = 1;
    static final int MEMORY_NOT_FOUND = 2;
    static final int MEMORY_ACCESS_ERROR = 3;
    static final int BUFFER_TOO_SMALL = 4;
    static final int HEADER_NOT_FOUND = 5;
    static final int UTF8_ERROR = 6;
    static final int DESTINATION_NOT_ALLOWED = 7;
    static final int INVALID_METHOD = 8;
    static final int INVALID_ENCODING = 9;
    static final int INVALID_URL = 10;
    static final int REQUEST_ERROR = 11;
    static final int RUNTIME_ERROR = 12;
    static final int TOO_MANY_SESSIONS = 13;

    /** The functions we provide, with their types. */
    static final Map<String, FunctionType> FUNCTIONS;

    static {
        Map<String, FunctionType> f = new LinkedHashMap<>();
        f.put("req", i32s(10));
        f.put("close", i32s(1));
        f.put("header_get", i32s(6));
        f.put("headers_get_all", i32s(4));
        f.put("body_read", i32s(4));
        FUNCTIONS = Collections.unmodifiableMap(f);
    }

    private static FunctionType i32s(int params) {
        return FunctionType.of(Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
    }

    /** What a module needs of us: the functions it imports, whether it exports "memory", or why it cannot link. */
    record Linkage(List<String> functions, boolean memoryExported, String problem) {
        boolean used() {
            return !functions.isEmpty() || problem != null;
        }
    }

    /** Inspects a module's {@code wasi_experimental_http} imports (once per compiled module). */
    static Linkage link(WasmModule module) {
        Set<String> functions = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        ImportSection imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            if (!imp.module().equals(MODULE)) {
                continue;
            }
            String qualified = MODULE + "::" + imp.name();
            FunctionType expected = FUNCTIONS.get(imp.name());
            if (expected == null || imp.importType() != ExternalType.FUNCTION) {
                problems.add("it imports " + qualified + ", which the host does not provide (it provides "
                        + String.join(", ", FUNCTIONS.keySet()) + ")");
                continue;
            }
            FunctionType actual = module.typeSection().getType(((FunctionImport) imp).typeIndex());
            if (!expected.equals(actual)) {
                problems.add("it imports " + qualified + " as " + actual + ", but the host's is " + expected);
                continue;
            }
            functions.add(imp.name());
        }
        boolean memoryExported = false;
        ExportSection exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (export.name().equals("memory") && export.exportType() == ExternalType.MEMORY) {
                memoryExported = true;
            }
        }
        return new Linkage(List.copyOf(functions), memoryExported, problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** An error code on its way back to the module. */
    private static final class Code extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Code(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    @FunctionalInterface
    private interface Call {
        void apply(Instance instance, long[] args) throws Code, InterruptedException;
    }

    private final HttpTransport transport;
    private final OutboundHttpPolicy policy;
    private final AllowedHosts allowed;
    private final String moduleName;
    private final boolean memoryExported;
    private final Map<Integer, HttpTransport.Incoming> responses = new HashMap<>();
    private int currentHandle;

    /** {@code [/route] } for log lines, when the policy names its route. */
    private String routePrefix() {
        return policy.route().isEmpty() ? "" : "[" + policy.route() + "] ";
    }

    ExperimentalHttp(HttpTransport transport, OutboundHttpPolicy policy, String moduleName, boolean memoryExported) {
        this.transport = transport;
        this.policy = policy;
        this.allowed = AllowedHosts.of(policy.allowedHosts());
        this.moduleName = moduleName;
        this.memoryExported = memoryExported;
    }

    /** The host functions of these names (the ones the module imports). */
    HostFunction[] functions(List<String> names) {
        HostFunction[] result = new HostFunction[names.size()];
        for (int i = 0; i < result.length; i++) {
            String name = names.get(i);
            result[i] = new HostFunction(MODULE, name, FUNCTIONS.get(name), guard(name, call(name)));
        }
        return result;
    }

    private Call call(String name) {
        switch (name) {
            case "req":
                return this::req;
            case "close":
                return this::close;
            case "header_get":
                return this::headerGet;
            case "headers_get_all":
                return this::headersGetAll;
            case "body_read":
                return this::bodyRead;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private com.dylibso.chicory.runtime.WasmFunctionHandle guard(String name, Call call) {
        return (instance, args) -> {
            int code = SUCCESS;
            try {
                call.apply(instance, args);
            } catch (Code e) {
                code = e.code;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChicoryInterruptedException("Thread interrupted");
            } catch (ChicoryInterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "wasi_experimental_http::" + name + " failed in " + moduleName, e);
                code = RUNTIME_ERROR;
            }
            return new long[] {code};
        };
    }

    // ---- the five functions ----

    private void req(Instance instance, long[] a) throws Code, InterruptedException {
        Memory memory = memory(instance);
        if (policy.maxConcurrency().isPresent() && responses.size() >= policy.maxConcurrency().getAsInt()) {
            throw new Code(TOO_MANY_SESSIONS);
        }
        String urlText = utf8(read(memory, a[0], a[1]));
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
        String method = utf8(read(memory, a[2], a[3]));
        if (!isToken(method) || method.equals("CONNECT")) {
            throw new Code(INVALID_METHOD);
        }
        byte[] body = read(memory, a[6], a[7]);
        Map<String, String[]> headers = parseHeaders(utf8(read(memory, a[4], a[5])));

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
            memory.writeI32((int) a[9], handle);
        } catch (Code | RuntimeException e) {
            response.body().close();
            throw e;
        }
    }

    private void close(Instance instance, long[] a) {
        HttpTransport.Incoming response = responses.remove((int) a[0]);
        if (response != null) {
            response.body().close();
        }
    }

    private void headerGet(Instance instance, long[] a) throws Code {
        Memory memory = memory(instance);
        HttpTransport.Incoming response = response(a[0]);
        String name = asciiLowerCase(utf8(read(memory, a[1], a[2])));
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

    private void headersGetAll(Instance instance, long[] a) throws Code {
        Memory memory = memory(instance);
        HttpTransport.Incoming response = response(a[0]);
        byte[] all = serialize(response.headers());
        if (all.length > u32(a[2])) {
            throw new Code(BUFFER_TOO_SMALL);
        }
        write(memory, a[1], all);
        writeU32(memory, a[3], all.length);
    }

    private void bodyRead(Instance instance, long[] a) throws Code, InterruptedException {
        Memory memory = memory(instance);
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
        memory.writeI32((int) a[3], (int) total);
    }

    /** Closes every response the module left open. */
    @Override
    public void close() {
        for (HttpTransport.Incoming response : responses.values()) {
            response.body().close();
        }
        responses.clear();
    }

    /** How many responses are open (for tests). */
    int openResponses() {
        return responses.size();
    }

    // ---- helpers ----

    private Memory memory(Instance instance) throws Code {
        if (!memoryExported) {
            throw new Code(MEMORY_NOT_FOUND);
        }
        return instance.memory();
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

    private static long size(Memory memory) {
        return (long) memory.pages() * Memory.PAGE_SIZE;
    }

    /** An input: out of memory (or past 4 GiB) is buffer_too_small, as the reference's slice_from_memory. */
    private static byte[] read(Memory memory, long ptr, long len) throws Code {
        long start = u32(ptr);
        long end = start + u32(len);
        if (end > 0xFFFF_FFFFL || end > size(memory)) {
            throw new Code(BUFFER_TOO_SMALL);
        }
        return memory.readBytes((int) start, (int) u32(len));
    }

    /** An output: out of memory is memory_access_error. */
    private static void checkRange(Memory memory, long ptr, long len) throws Code {
        if (u32(ptr) + len > size(memory)) {
            throw new Code(MEMORY_ACCESS_ERROR);
        }
    }

    private static void write(Memory memory, long ptr, byte[] bytes) throws Code {
        checkRange(memory, ptr, bytes.length);
        memory.write((int) u32(ptr), bytes, 0, bytes.length);
    }

    private static void writeU32(Memory memory, long ptr, int value) throws Code {
        checkRange(memory, ptr, 4);
        memory.writeI32((int) u32(ptr), value);
    }

    private static void writeU16(Memory memory, long ptr, int value) throws Code {
        checkRange(memory, ptr, 2);
        memory.writeShort((int) u32(ptr), (short) value);
    }

    private static String utf8(byte[] bytes) throws Code {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Code(UTF8_ERROR);
        }
    }

    private static String asciiLowerCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    /** An RFC 9110 token: what reqwest accepts as a method and the http crate as a header name. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The module's header text: one {@code name:value} per line ({@code \n} or {@code \r\n}), split at the
     * first colon; a later line of the same name replaces an earlier one (as the reference's
     * {@code HeaderMap::insert}).
     */
    static Map<String, String[]> parseHeaders(String text) throws Code {
        Map<String, String[]> headers = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return headers;
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new Code(INVALID_ENCODING);
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (!isToken(name)) {
                throw new Code(INVALID_ENCODING);
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                    throw new Code(INVALID_ENCODING);
                }
            }
            headers.put(asciiLowerCase(name), new String[] {name, value.strip()});
        }
        return headers;
    }

    /** The reference's header_map_to_string: {@code name:value\n} per value; 12 for text it refuses. */
    static byte[] serialize(HttpHeaders headers) throws Code {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            String name = asciiLowerCase(header.getKey());
            if (name.startsWith(":")) {
                continue; // HTTP/2 pseudo-headers are not headers
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.getType(c) == Character.CONTROL || "(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                    throw new Code(RUNTIME_ERROR);
                }
            }
            for (String raw : header.getValue()) {
                String value = utf8OrRuntimeError(raw.getBytes(StandardCharsets.ISO_8859_1));
                if (value.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
                    throw new Code(RUNTIME_ERROR);
                }
                b.append(name).append(':').append(value).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8OrRuntimeError(byte[] bytes) throws Code {
        try {
            return utf8(bytes);
        } catch (Code e) {
            throw new Code(RUNTIME_ERROR);
        }
    }
}
