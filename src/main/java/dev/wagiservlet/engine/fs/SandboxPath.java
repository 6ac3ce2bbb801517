package dev.wagiservlet.engine.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path inside one {@link SandboxFileSystem}: {@code /} is the volume's root. Purely lexical; the
 * provider maps it to a host path (and checks it) only when an operation uses it. A relative path
 * is taken relative to the root. Names are separated by {@code /}; empty names are dropped.
 */
final class SandboxPath implements Path {

    final SandboxFileSystem fs;
    private final boolean absolute;
    private final String[] names;

    SandboxPath(SandboxFileSystem fs, boolean absolute, String... names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
    }

    static SandboxPath parse(SandboxFileSystem fs, String first, String... more) {
        StringBuilder joined = new StringBuilder(first);
        for (String part : more) {
            if (!part.isEmpty()) {
                joined.append('/').append(part);
            }
        }
        String text = joined.toString();
        if (text.indexOf('\0') >= 0) {
            throw new InvalidPathException(text, "NUL character not allowed");
        }
        List<String> names = new ArrayList<>();
        for (String name : text.split("/")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return new SandboxPath(fs, text.startsWith("/"), names.toArray(new String[0]));
    }

    static SandboxPath of(Path path) {
        if (path instanceof SandboxPath) {
            return (SandboxPath) path;
        }
        throw new ProviderMismatchException("not a volume path: " + path);
    }

    /** The names of this path made absolute and normalized: where it lies below the root. */
    List<String> namesBelowRoot() {
        return Arrays.asList(((SandboxPath) toAbsolutePath().normalize()).names);
    }

    @Override
    public SandboxFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? fs.root() : null;
    }

    @Override
    public Path getFileName() {
        return names.length == 0 ? null : new SandboxPath(fs, false, names[names.length - 1]);
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (names.length == 1 && !absolute)) {
            return null;
        }
        return new SandboxPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        return new SandboxPath(fs, false, names[index]);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex >= endIndex || endIndex > names.length) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + this);
        }
        return new SandboxPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof SandboxPath)) {
            return false;
        }
        SandboxPath o = (SandboxPath) other;
        return o.fs == fs && o.absolute == absolute && o.names.length <= names.length
                && Arrays.equals(names, 0, o.names.length, o.names, 0, o.names.length);
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof SandboxPath)) {
            return false;
        }
        SandboxPath o = (SandboxPath) other;
        if (o.fs != fs || o.names.length > names.length || (o.absolute && !(absolute && o.names.length == names.length))) {
            return false;
        }
        return Arrays.equals(names, names.length - o.names.length, names.length, o.names, 0, o.names.length);
    }

    /** Drops {@code .} and folds {@code name/..}; {@code ..} at the root stays at the root, as on POSIX. */
    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue;
                }
            }
            out.add(name);
        }
        return new SandboxPath(fs, absolute, out.toArray(new String[0]));
    }

    @Override
    public Path resolve(Path other) {
        SandboxPath o = of(other);
        if (o.absolute) {
            return o;
        }
        if (o.names.length == 0) {
            return this;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new SandboxPath(fs, absolute, joined);
    }

    @Override
    public Path resolve(String other) {
        return resolve(parse(fs, other));
    }

    @Override
    public Path relativize(Path other) {
        SandboxPath o = of(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return new SandboxPath(fs, false, out.toArray(new String[0]));
    }

    @Override
    public URI toUri() {
        try {
            return new URI(SandboxProvider.SCHEME, null, toAbsolutePath().toString(), null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : fs.root().resolve(this);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.toVolumePath(SandboxProvider.INSTANCE.hostPath(this, SandboxProvider.followLinks(options)));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("volumes cannot be watched");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(of(other).toString());
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SandboxPath)) {
            return false;
        }
        SandboxPath o = (SandboxPath) other;
        return o.fs == fs && o.absolute == absolute && Arrays.equals(o.names, names);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(fs) * 31 + Arrays.hashCode(names) * 2 + (absolute ? 1 : 0);
    }

    @Override
    public String toString() {
        return (absolute ? "/" : "") + String.join("/", names);
    }
}
