package dev.wagiservlet.engine.chicory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;

/**
 * One module's compiled code as a code-cache entry: a JAR, in memory, of the generated classes and
 * a {@code wasm-module.properties} naming the main class (the layout of Chicory's own cache), plus
 * this project's format and the indices of the functions Chicory left to its interpreter, so that
 * a module loaded from the cache reports the same functions as one just compiled. An entry without
 * the format (from an older version, or damaged) is refused, never half-read.
 *
 * @param mainClass the class whose constructor makes a machine for an instance
 * @param classes every generated class by name, the main class included, in the order to load them
 * @param interpreted the indices of the functions left to the interpreter
 */
record CodeArchive(String mainClass, Map<String, byte[]> classes, Set<Integer> interpreted) {

    /** The value of {@code format} this version writes and reads. */
    static final String FORMAT = "wagi-servlet-code-1";

    private static final String PROPERTIES = "wasm-module.properties";
    private static final String CLASS = ".class";

    CodeArchive {
        classes = new LinkedHashMap<>(classes);
        interpreted = Set.copyOf(interpreted);
        if (!classes.containsKey(mainClass)) {
            throw new IllegalArgumentException("no class " + mainClass + " among " + classes.keySet());
        }
    }

    /** The entry's bytes. */
    byte[] toJar() {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("mainClass", mainClass);
        properties.setProperty("interpretedFunctions",
                new TreeSet<>(interpreted).stream().map(String::valueOf).collect(Collectors.joining(",")));
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar)) {
            out.putNextEntry(new JarEntry(PROPERTIES));
            properties.store(out, null);
            out.closeEntry();
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey().replace('.', '/') + CLASS));
                out.write(entry.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return jar.toByteArray();
    }

    /**
     * Reads an entry written by {@link #toJar}.
     *
     * @throws IOException if it is not one: not a JAR, another format, no main class, a bad list
     */
    static CodeArchive fromJar(byte[] jar) throws IOException {
        Properties properties = null;
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (entry.getName().equals(PROPERTIES)) {
                    properties = new Properties();
                    properties.load(in);
                } else if (entry.getName().endsWith(CLASS)) {
                    String name = entry.getName();
                    classes.put(name.substring(0, name.length() - CLASS.length()).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        if (properties == null || !FORMAT.equals(properties.getProperty("format"))) {
            throw new IOException("not a code cache entry of format " + FORMAT
                    + (properties == null ? "" : " (format: " + properties.getProperty("format") + ")"));
        }
        String mainClass = properties.getProperty("mainClass");
        if (mainClass == null || !classes.containsKey(mainClass)) {
            throw new IOException("the entry lacks its main class " + mainClass);
        }
        return new CodeArchive(mainClass, classes, indices(properties.getProperty("interpretedFunctions", "")));
    }

    private static Set<Integer> indices(String list) throws IOException {
        Set<Integer> indices = new TreeSet<>();
        for (String index : list.split(",")) {
            if (!index.isBlank()) {
                try {
                    indices.add(Integer.parseUnsignedInt(index.strip()));
                } catch (NumberFormatException e) {
                    throw new IOException("a bad function index in interpretedFunctions: " + list, e);
                }
            }
        }
        return indices;
    }
}
