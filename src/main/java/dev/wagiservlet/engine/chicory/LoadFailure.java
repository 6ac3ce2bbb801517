package dev.wagiservlet.engine.chicory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why Chicory could not parse a module, in terms of what to do: a file in the WebAssembly text
 * format (which Chicory reports as a wrong magic header) and a module using legacy exception
 * handling (which Chicory 1.7.5 reports as an illegal opcode) are named as such, with the fix.
 */
final class LoadFailure {

    /** Chicory's message for an opcode it does not know, e.g. {@code illegal opcode, op value 06} (hex). */
    private static final Pattern ILLEGAL_OPCODE = Pattern.compile("illegal opcode, op value ([0-9A-Fa-f]{2})\\b");

    private LoadFailure() {}

    /**
     * The message for a module that failed to parse.
     *
     * @param name the module's name, for the message
     * @param wasm the module's bytes
     * @param chicoryMessage what Chicory said
     */
    static String explain(String name, byte[] wasm, String chicoryMessage) {
        if (isText(wasm)) {
            return name + " is in the WebAssembly text format (.wat), not the binary format (.wasm): compile it first,"
                    + " e.g. 'wat2wasm " + stem(name) + ".wat -o " + stem(name) + ".wasm' (wat2wasm is in Debian's package wabt)";
        }
        Matcher opcode = ILLEGAL_OPCODE.matcher(chicoryMessage == null ? "" : chicoryMessage);
        if (opcode.find()) {
            String instruction = switch (opcode.group(1).toUpperCase(Locale.ROOT)) {
                case "06" -> "try";
                case "07" -> "catch";
                case "09" -> "rethrow";
                case "18" -> "delegate";
                case "19" -> "catch_all";
                default -> null;
            };
            if (instruction != null) {
                return name + " uses legacy WebAssembly exception handling (the '" + instruction + "' instruction, opcode 0x"
                        + opcode.group(1) + "), which the Chicory engine does not support; it supports the standard form"
                        + " (try_table, throw_ref). Build the module without exceptions, or translate it, e.g. with binaryen's"
                        + " 'wasm-opt --enable-exceptions --translate-to-exnref' (Chicory said: " + chicoryMessage.strip() + ")";
            }
        }
        return name + " is not a valid WebAssembly module: " + chicoryMessage;
    }

    /** Whether the bytes look like WebAssembly text: {@code (module ...} or a {@code ;;} comment first, not {@code \0asm}. */
    static boolean isText(byte[] wasm) {
        int i = 0;
        if (wasm.length >= 3 && (wasm[0] & 0xff) == 0xEF && (wasm[1] & 0xff) == 0xBB && (wasm[2] & 0xff) == 0xBF) {
            i = 3; // a UTF-8 byte order mark
        }
        while (i < wasm.length && (wasm[i] == ' ' || wasm[i] == '\t' || wasm[i] == '\n' || wasm[i] == '\r')) {
            i++;
        }
        return i < wasm.length && (wasm[i] == '(' || (wasm[i] == ';' && i + 1 < wasm.length && wasm[i + 1] == ';'));
    }

    /** {@code /srv/hello.wat} becomes {@code /srv/hello}. */
    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') && dot > 0 ? name.substring(0, dot) : name;
    }
}
