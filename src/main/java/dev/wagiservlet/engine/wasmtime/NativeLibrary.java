package dev.wagiservlet.engine.wasmtime;

import io.github.kawamuray.wasmtime.NativeLibraryLoader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * Loads wasmtime-java's JNI library once per class loader of the wasmtime-java classes, without
 * the copy into the temp dir that its own loader makes at every start: the library is extracted
 * once to a file named by its SHA-256 in a stable directory ({@code wagi-servlet.native-dir}, else
 * {@code <java.io.tmpdir>/wagi-servlet-native}) and loaded from there, by the class loader that
 * loaded the wasmtime-java classes (JNI binds a library to one class loader), then wasmtime-java's
 * loader is told it is loaded.
 *
 * <p>A JVM can load one library file into one class loader only. When the wasmtime-java jar is in a
 * webapp (WEB-INF/lib) and the webapp is redeployed while its old class loader is still alive, the
 * new loader gets its own copy ({@code <sha>/2/...}, {@code <sha>/3/...}), at most {@link #COPIES};
 * with the jar in the container's shared lib there is one load per JVM. See docs/engines.md.
 */
final class NativeLibrary {

    private static final System.Logger LOG = System.getLogger(NativeLibrary.class.getName());
    static final String DIRECTORY_PROPERTY = "wagi-servlet.native-dir";
    private static final int COPIES = 8;
    /** When every copy is held: how many times to have the JVM collect garbage and try again, and how long to wait each time. */
    private static final int COLLECTION_ROUNDS = 3;
    private static final long COLLECTION_WAIT_MILLIS = 300;
    private static final String LOADER_CLASS = "io.github.kawamuray.wasmtime.WagiNativeLoad";

    private NativeLibrary() {}

    /**
     * Loads the library for this platform, unless wasmtime-java's classes have it already.
     *
     * @throws IllegalStateException if there is no library for this platform, or it cannot be loaded
     */
    static synchronized void load() {
        MethodHandles.Lookup lookup;
        VarHandle loaded;
        try {
            lookup = MethodHandles.privateLookupIn(NativeLibraryLoader.class, MethodHandles.lookup());
            loaded = lookup.findStaticVarHandle(NativeLibraryLoader.class, "loaded", boolean.class);
        } catch (IllegalAccessException | NoSuchFieldException e) {
            throw new IllegalStateException("this wasmtime-java is not the 0.19.0 wagi-servlet knows: " + e, e);
        }
        if ((boolean) loaded.get()) {
            return;
        }
        String resource = resourceName();
        Path directory = directory();
        Path first;
        try {
            first = extract(resource, directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the wasmtime library " + resource + " to " + directory + ": " + e, e);
        }
        UnsatisfiedLinkError failure = null;
        for (int round = 0; round <= COLLECTION_ROUNDS; round++) {
            if (round == 1) {
                LOG.log(Level.INFO, "All {0} copies of the wasmtime library are held by class loaders still alive (earlier"
                        + " deployments); asking the JVM to collect them", Integer.toString(COPIES));
            }
            if (round > 0 && !collectEarlierLoaders()) {
                break;
            }
            failure = loadAnyCopy(lookup, loaded, first);
            if (failure == null) {
                return;
            }
        }
        throw new IllegalStateException("the wasmtime library is loaded by " + COPIES + " other class loaders (earlier deployments"
                + " not yet collected?); put the wasmtime-java jar in the container's shared lib (docs/engines.md)", failure);
    }

    /**
     * A garbage collection, then a moment for the JVM to unload the libraries of the class loaders
     * it collected (their cleaner runs on its own thread). False if interrupted.
     */
    private static boolean collectEarlierLoaders() {
        System.gc();
        try {
            Thread.sleep(COLLECTION_WAIT_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Loads the first copy no other class loader holds; the last refusal if every copy is held. */
    private static UnsatisfiedLinkError loadAnyCopy(MethodHandles.Lookup lookup, VarHandle loaded, Path first) {
        UnsatisfiedLinkError failure = null;
        for (int copy = 1; copy <= COPIES; copy++) {
            Path file = copy == 1 ? first : first.getParent().resolve(Integer.toString(copy)).resolve(first.getFileName());
            try {
                if (copy > 1 && !Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    copyAtomically(first, file);
                }
                systemLoad(lookup, file);
                loaded.set(true);
                LOG.log(Level.INFO, "Loaded the wasmtime library from {0}", file);
                return null;
            } catch (UnsatisfiedLinkError e) {
                if (!String.valueOf(e.getMessage()).contains("another classloader")) {
                    throw new IllegalStateException("cannot load the wasmtime library " + file + ": " + e.getMessage(), e);
                }
                failure = e; // a class loader still alive (an earlier deployment of this webapp) holds it: try another copy
            } catch (IOException e) {
                throw new IllegalStateException("cannot copy the wasmtime library to " + file + ": " + e, e);
            }
        }
        return failure;
    }

    /** The library's name in the wasmtime-java jar, for this platform. */
    private static String resourceName() {
        String name = resourceName(System.getProperty("os.name"), System.getProperty("os.arch"), version());
        if (NativeLibraryLoader.class.getResource("/" + name) == null) {
            throw new IllegalStateException("the wasmtime-java jar has no " + name);
        }
        return name;
    }

    /**
     * The library's name in the wasmtime-java jar for a platform.
     *
     * @throws IllegalStateException if wasmtime-java has no library for it
     */
    static String resourceName(String osName, String osArch, String version) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        String name;
        if (os.contains("linux") && archName != null) {
            name = "libwasmtime_jni_" + version + "_linux_" + archName + ".so";
        } else if ((os.contains("mac") || os.contains("darwin")) && archName != null) {
            name = "libwasmtime_jni_" + version + "_macos_" + archName + ".dylib";
        } else if (os.contains("windows") && "x86_64".equals(archName)) {
            name = "wasmtime_jni_" + version + "_windows_x86_64.dll";
        } else {
            throw new IllegalStateException("wasmtime-java " + version + " has no native library for " + os + " on " + arch
                    + " (it has linux and macOS on x86_64 and aarch64, Windows on x86_64); use engine = \"chicory\"");
        }
        return name;
    }

    private static String version() {
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream("/wasmtime-java-meta.properties")) {
            Properties properties = new Properties();
            if (in == null) {
                throw new IllegalStateException("the wasmtime-java jar has no wasmtime-java-meta.properties");
            }
            properties.load(in);
            return properties.getProperty("jnilib.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "wagi-servlet-native");
    }

    /** The library in {@code directory/<sha256>/<name>}, extracted if it is not there yet. */
    private static Path extract(String resource, Path directory) throws IOException {
        byte[] bytes;
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream("/" + resource)) {
            bytes = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path file = directory.resolve(digest).resolve(resource);
        if (Files.isRegularFile(file) && Files.size(file) == bytes.length) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), resource, ".part");
        try {
            Files.write(temporary, bytes);
            move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return file;
    }

    private static void copyAtomically(Path from, Path to) throws IOException {
        Path temporary = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
        try {
            Files.copy(from, temporary, StandardCopyOption.REPLACE_EXISTING);
            move(temporary, to);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * {@code System.load(file)} as called from a class of wasmtime-java's own class loader, so that
     * the library binds to the loader of the classes whose native methods it implements: a small
     * class ({@code WagiNativeLoad.load(String)}, which calls {@code System.load}) is defined in
     * wasmtime-java's package through a private lookup, once per loader.
     */
    private static void systemLoad(MethodHandles.Lookup lookup, Path file) {
        try {
            Class<?> loader;
            try {
                loader = Class.forName(LOADER_CLASS, false, NativeLibraryLoader.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                loader = lookup.defineClass(loaderClass());
            }
            loader.getMethod("load", String.class).invoke(null, file.toAbsolutePath().toString());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof UnsatisfiedLinkError link) {
                throw link;
            }
            throw new IllegalStateException("cannot load " + file + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + file + ": " + e, e);
        }
    }

    /** The class file of {@code public final class WagiNativeLoad { public static void load(String f) { System.load(f); } }}. */
    static byte[] loaderClass() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(52); // Java 8: straight-line code needs no stack map
            out.writeShort(12); // constant pool: entries 1..11
            utf8(out, LOADER_CLASS.replace('.', '/'));  // 1
            classRef(out, 1);                            // 2
            utf8(out, "java/lang/Object");               // 3
            classRef(out, 3);                            // 4
            utf8(out, "java/lang/System");               // 5
            classRef(out, 5);                            // 6
            utf8(out, "load");                           // 7
            utf8(out, "(Ljava/lang/String;)V");          // 8
            out.writeByte(12);                           // 9: NameAndType load (String)V
            out.writeShort(7);
            out.writeShort(8);
            out.writeByte(10);                           // 10: Methodref System.load
            out.writeShort(6);
            out.writeShort(9);
            utf8(out, "Code");                           // 11
            out.writeShort(0x0031); // public final super
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields
            out.writeShort(1); // methods
            out.writeShort(0x0009); // public static
            out.writeShort(7);
            out.writeShort(8);
            out.writeShort(1); // attributes: Code
            out.writeShort(11);
            out.writeInt(17);
            out.writeShort(1); // max stack
            out.writeShort(1); // max locals
            out.writeInt(5);
            out.write(new byte[] {0x2A, (byte) 0xB8, 0x00, 0x0A, (byte) 0xB1}); // aload_0; invokestatic #10; return
            out.writeShort(0); // exception table
            out.writeShort(0); // code attributes
            out.writeShort(0); // class attributes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void utf8(DataOutputStream out, String value) throws IOException {
        out.writeByte(1);
        out.writeUTF(value);
    }

    private static void classRef(DataOutputStream out, int name) throws IOException {
        out.writeByte(7);
        out.writeShort(name);
    }
}
