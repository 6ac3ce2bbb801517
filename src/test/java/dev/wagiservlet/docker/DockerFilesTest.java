package dev.wagiservlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.wagiservlet.config.Keys;
import io.smallrye.config.EnvConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Docker cannot run where the tests run, so this test reads docker/ as text and checks it against
 * the build: every COPY source exists in the repository or is what {@code mvn package} produces
 * (the WAR's name comes from the pom), the environment variable is the one the code reads, the
 * ports agree, and the Kubernetes probes ask for paths the WAR serves (per webapp/WEB-INF/web.xml).
 */
class DockerFilesTest {

    /** The MicroProfile Config key of the modules.toml setting (README: "Configuration"). */
    private static final String MODULES_TOML_KEY = "wagi.modules-toml";
    /** The port the official Tomcat and Jetty images listen on. */
    private static final int SERVER_PORT = 8080;

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");

    private static List<Dockerfile> dockerfiles;
    private static String warArtifact;
    private static List<List<String>> manifest;

    @BeforeAll
    static void read() throws Exception {
        try (Stream<Path> files = Files.walk(DOCKER)) {
            dockerfiles = files.filter(f -> f.getFileName().toString().equals("Dockerfile")).sorted()
                    .map(Dockerfile::read).toList();
        }
        assertTrue(dockerfiles.size() >= 2, "expected the Tomcat and Jetty Dockerfiles under " + DOCKER);
        warArtifact = "target/" + warNameFromPom() + ".war";
        manifest = yamlDocuments(DOCKER.resolve("k8s/wagi.yaml"));
    }

    // ---------------------------------------------------------------------------- Dockerfiles

    @Test
    void everyCopySourceExistsOrIsBuiltByMavenPackage() {
        for (Dockerfile dockerfile : dockerfiles) {
            List<Copy> copies = dockerfile.copies();
            assertFalse(copies.isEmpty(), dockerfile + " copies nothing");
            for (Copy copy : copies) {
                for (String source : copy.sources()) {
                    String where = dockerfile + " line " + copy.line() + ": COPY " + source;
                    assertFalse(source.startsWith("/") || source.contains(".."), where + " must stay inside the build context");
                    if (source.startsWith("target/")) {
                        assertEquals(warArtifact, source, where + ": the only build output is " + warArtifact
                                + " (the war execution's <warName> in pom.xml)");
                    } else {
                        assertFalse(matchingFiles(source).isEmpty(), where + ": no such file in the repository");
                    }
                }
            }
        }
    }

    @Test
    void serverImagesDeployTheWarAtTheRootContext() {
        Map<String, String> expected = Map.of(
                "tomcat", "/usr/local/tomcat/webapps/ROOT.war",
                "jetty", "/var/lib/jetty/webapps/root.war");
        Set<String> seen = new LinkedHashSet<>();
        for (Dockerfile dockerfile : serverDockerfiles()) {
            String server = dockerfile.server();
            seen.add(server);
            List<Copy> wars = dockerfile.copies().stream().filter(c -> c.sources().contains(warArtifact)).toList();
            assertEquals(1, wars.size(), dockerfile + " must COPY " + warArtifact + " once");
            assertEquals(expected.get(server), wars.get(0).destination(), dockerfile + ": the root context of " + server);
        }
        assertEquals(Set.of("tomcat", "jetty"), seen, "one Dockerfile per server");
    }

    @Test
    void jettyImageEnablesTheEe10Deployer() {
        Dockerfile jetty = serverDockerfiles().stream().filter(d -> d.server().equals("jetty")).findFirst().orElseThrow();
        assertTrue(jetty.all("RUN").stream().anyMatch(r -> r.matches(".*start\\.jar\"?\\s+--add-modules?=\\S*ee10-deploy.*")),
                jetty + " must enable ee10-deploy: the official image's JETTY_BASE has only server, http, ext, resources");
    }

    @Test
    void baseImagesAreTheServerLinesTheIntegrationTestsRun() throws Exception {
        Map<String, String> versions = Map.of("tomcat", pomProperty("tomcat.version"), "jetty", pomProperty("jetty.version"));
        for (Dockerfile dockerfile : serverDockerfiles()) {
            String from = dockerfile.from();
            String tag = from.substring(from.indexOf(':') + 1);
            String major = versions.get(dockerfile.server()).split("\\.")[0];
            assertTrue(tag.startsWith(major + "-") || tag.startsWith(major + "."), dockerfile + ": FROM " + from
                    + " is not the " + dockerfile.server() + " " + major + " line the integration tests run");
            assertTrue(tag.contains("jdk17") || tag.contains("jre17"), dockerfile + ": FROM " + from + " should be Java 17, the build's release");
        }
    }

    @Test
    void modulesTomlVariableIsTheOneTheCodeReads() throws IOException {
        String envName = environmentVariableForm(MODULES_TOML_KEY);
        assertEquals("WAGI_MODULES_TOML", envName);
        // The WAR reads MicroProfile Config through SmallRye: its environment source maps the key to this name.
        assertEquals("/x/modules.toml", new EnvConfigSource(Map.of(envName, "/x/modules.toml"), 300).getValue(MODULES_TOML_KEY));
        assertTrue(Keys.ALL.stream().anyMatch(key -> key.dashed().equals("modules-toml") && key.scope() == Keys.Scope.SETTING),
                "the registry of keys no longer has the setting " + MODULES_TOML_KEY + "; update docker/ and this test");

        for (Dockerfile dockerfile : serverDockerfiles()) {
            Map<String, String> env = dockerfile.environment();
            List<String> wagiVariables = env.keySet().stream().filter(k -> k.startsWith("WAGI_")).toList();
            assertEquals(List.of(envName), wagiVariables, dockerfile + ": ENV");
            String toml = env.get(envName);
            assertTrue(dockerfile.all("VOLUME").stream().flatMap(v -> words(v).stream())
                            .anyMatch(volume -> toml.startsWith(volume.replaceAll("/$", "") + "/")),
                    dockerfile + ": " + envName + "=" + toml + " must lie in a VOLUME, where the user mounts the modules");
        }
        List<String> known = List.of(envName, environmentVariableForm("wagi.health-route"));
        for (String name : values(deployment(), "name", "env")) {
            if (name.startsWith("WAGI_")) {
                assertTrue(known.contains(name), "k8s/wagi.yaml env " + name + " is not one of " + known);
            }
        }
    }

    @Test
    void dockerignoreLetsEveryCopiedFileThrough() throws IOException {
        for (Dockerfile dockerfile : dockerfiles) {
            Path ignore = dockerfile.path().resolveSibling("Dockerfile.dockerignore");
            assertTrue(Files.isRegularFile(ignore), dockerfile + ": no " + ROOT.relativize(ignore)
                    + "; without it the whole repository (node_modules included) is the build context");
            List<String> patterns = Files.readAllLines(ignore).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            for (Copy copy : dockerfile.copies()) {
                for (String source : copy.sources()) {
                    List<String> files = source.equals(warArtifact) ? List.of(source) : matchingFiles(source);
                    for (String file : files) {
                        assertFalse(ignored(file, patterns), ROOT.relativize(ignore) + " excludes " + file
                                + ", which " + dockerfile + " copies");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------- Kubernetes

    @Test
    void portsAgree() {
        for (Dockerfile dockerfile : serverDockerfiles()) {
            assertEquals(List.of(Integer.toString(SERVER_PORT)), dockerfile.all("EXPOSE"), dockerfile + ": EXPOSE");
        }
        List<String> deployment = deployment();
        Map<String, String> containerPorts = containerPorts(deployment);
        assertEquals(List.of(Integer.toString(SERVER_PORT)), List.copyOf(new LinkedHashSet<>(containerPorts.values())),
                "k8s/wagi.yaml containerPort");
        for (String port : probeValues(deployment, "port")) {
            assertTrue(port.equals(Integer.toString(SERVER_PORT)) || containerPorts.containsKey(port), "probe port " + port);
        }
        for (String port : values(document("Service"), "targetPort", "ports")) {
            assertTrue(port.equals(Integer.toString(SERVER_PORT)) || containerPorts.containsKey(port),
                    "Service targetPort " + port + " is no container port of the Deployment " + containerPorts);
        }
    }

    @Test
    void probesAskForPathsTheWarServes() throws Exception {
        List<String> deployment = deployment();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertFalse(block(deployment, probe).isEmpty(), "k8s/wagi.yaml has no " + probe);
        }
        List<String> paths = probeValues(deployment, "path");
        assertFalse(paths.isEmpty(), "no httpGet probe paths in k8s/wagi.yaml");
        Set<String> served = pathsServedByTheWar();
        // The built-in health route, when the manifest turns it on (MicroProfile Config key wagi.health-route).
        envValue(deployment, environmentVariableForm("wagi.health-route")).ifPresent(served::add);
        for (String path : paths) {
            assertTrue(served.contains(path), "probe path " + path + " is not served by the WAR at the root context;"
                    + " webapp/WEB-INF/web.xml serves " + served);
        }
    }

    @Test
    void deploymentScalesOutBehindTheService() {
        List<String> deployment = deployment();
        int replicas = Integer.parseInt(scalar(deployment, "replicas").orElseThrow());
        assertTrue(replicas >= 2, "replicas: " + replicas + "; the manifest shows scaling out");
        Map<String, String> podLabels = map(block(block(deployment, "template"), "labels"));
        Map<String, String> selector = map(block(document("Service"), "selector"));
        assertFalse(selector.isEmpty(), "the Service has no selector");
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()),
                "Service selector " + selector + " does not match the pod labels " + podLabels);
        assertEquals(selector, map(block(block(deployment, "selector"), "matchLabels")), "Deployment selector");
    }

    @Test
    void configMapModulesArePutIntoTheVolumeByTheModulesImage() throws Exception {
        List<String> deployment = deployment();
        // WAGI_MODULES_TOML points into the volume that mounts the ConfigMap.
        String tomlPath = envValue(deployment, environmentVariableForm(MODULES_TOML_KEY)).orElseThrow();
        Map<String, String> mounts = volumeMounts(deployment);
        String configDir = tomlPath.substring(0, tomlPath.lastIndexOf('/'));
        String configVolume = mounts.get(configDir);
        assertNotNull(configVolume, "no volume mounted at " + configDir + " " + mounts);
        List<String> volume = listItem(block(deployment, "volumes"), configVolume);
        String configMapName = scalar(block(volume, "configMap"), "name").orElseThrow(
                () -> new AssertionError("volume " + configVolume + " is not a ConfigMap"));
        List<String> configMap = document("ConfigMap");
        assertEquals(Optional.of(configMapName), scalar(block(configMap, "metadata"), "name"), "ConfigMap name");
        String tomlKey = tomlPath.substring(tomlPath.lastIndexOf('/') + 1);
        String tomlText = blockScalar(configMap, tomlKey);

        // Valid TOML; every module is an absolute path into a mounted volume, put there from /wasm of the modules image.
        JsonNode toml = new TomlMapper().readTree(tomlText);
        JsonNode modules = toml.get("module");
        assertTrue(modules != null && modules.isArray() && modules.size() > 0, "no [[module]] in the ConfigMap's " + tomlKey);
        Dockerfile modulesImage = dockerfiles.stream().filter(d -> d.path().equals(DOCKER.resolve("modules/Dockerfile")))
                .findFirst().orElseThrow();
        Set<String> wasmInImage = modulesImage.copies().stream().map(Copy::destination).collect(Collectors.toSet());
        for (JsonNode module : modules) {
            assertTrue(module.hasNonNull("route") && module.get("route").asText().startsWith("/"), "route of " + module);
            String file = module.get("module").asText();
            String dir = file.substring(0, file.lastIndexOf('/'));
            assertTrue(mounts.containsKey(dir), file + " is in no volume mount " + mounts);
            assertTrue(wasmInImage.contains("/wasm" + file.substring(dir.length())),
                    file + " is not copied to /wasm by " + modulesImage + " " + wasmInImage);
        }
        String init = String.join("\n", block(deployment, "initContainers"));
        assertTrue(init.contains("/wasm/*.wasm") && init.contains(" /modules/"), "the init container copies /wasm/*.wasm to /modules/");
    }

    @Test
    void manifestImagesAreTheOnesTheReadmeBuilds() throws IOException {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        for (String image : values(deployment(), "image", null)) {
            Matcher build = Pattern.compile("docker build -f (\\S+)\\s+-t " + Pattern.quote(image) + " \\.").matcher(readme);
            assertTrue(build.find(), "docker/README.md has no 'docker build -f ... -t " + image + " .'");
            assertTrue(Files.isRegularFile(ROOT.resolve(build.group(1))), build.group(1));
        }
    }

    // ---------------------------------------------------------------------------- the build

    /** The WAR's name: {@code <warName>} of the maven-war-plugin execution with goal {@code war}. */
    private static String warNameFromPom() throws Exception {
        Document pom = xml(ROOT.resolve("wagi-servlet.pom.xml"));
        for (Element plugin : elements(pom.getDocumentElement(), "plugin")) {
            if (!"maven-war-plugin".equals(childText(plugin, "artifactId"))) {
                continue;
            }
            for (Element execution : elements(plugin, "execution")) {
                boolean war = elements(execution, "goal").stream().anyMatch(g -> g.getTextContent().strip().equals("war"));
                String name = elements(execution, "warName").stream().map(e -> e.getTextContent().strip()).findFirst().orElse(null);
                if (war && name != null) {
                    return name;
                }
            }
        }
        throw new AssertionError("wagi-servlet.pom.xml has no maven-war-plugin execution of goal war with a <warName>");
    }

    private static String pomProperty(String name) throws Exception {
        Element properties = elements(xml(ROOT.resolve("wagi-servlet.pom.xml")).getDocumentElement(), "properties").get(0);
        return childText(properties, name);
    }

    /** Paths the WAR deployed at the root context answers: servlet mappings and the filter's routes in web.xml. */
    private static Set<String> pathsServedByTheWar() throws Exception {
        Document webXml = xml(ROOT.resolve("webapp/WEB-INF/web.xml"));
        Set<String> served = new LinkedHashSet<>();
        for (Element mapping : elements(webXml.getDocumentElement(), "servlet-mapping")) {
            for (Element pattern : elements(mapping, "url-pattern")) {
                String p = pattern.getTextContent().strip();
                // "" is the context root exactly (Servlet spec 12.2); "/" the default servlet, which answers any path.
                if (p.isEmpty() || p.equals("/")) {
                    served.add("/");
                } else if (!p.contains("*")) {
                    served.add(p);
                }
            }
        }
        for (Element param : elements(webXml.getDocumentElement(), "init-param")) {
            if (childText(param, "param-name").matches("routes\\.[^.]+\\.route")) {
                served.add(childText(param, "param-value").replace("/...", ""));
            }
        }
        return served;
    }

    /** MicroProfile Config's environment variable form: every character but [A-Za-z0-9_] becomes _, upper case. */
    private static String environmentVariableForm(String key) {
        return key.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase(Locale.ROOT);
    }

    /** Repository files a COPY source names (a path, or a glob like examples/{@literal *}/hello.wasm). */
    private static List<String> matchingFiles(String source) {
        if (!source.contains("*") && !source.contains("?") && !source.contains("[")) {
            return Files.exists(ROOT.resolve(source)) ? List.of(source) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + source);
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile).map(ROOT::relativize)
                    .filter(matcher::matches).map(p -> p.toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * .dockerignore semantics, simplified: the last matching line wins; a pattern that matches a parent
     * folder matches the file too; "!" re-includes.
     */
    private static boolean ignored(String file, List<String> patterns) {
        boolean ignored = false;
        for (String line : patterns) {
            boolean exception = line.startsWith("!");
            String glob = (exception ? line.substring(1) : line).replaceAll("^/+", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            Path path = Path.of(file);
            boolean matches = false;
            for (int i = 1; i <= path.getNameCount() && !matches; i++) {
                matches = matcher.matches(path.subpath(0, i));
            }
            if (matches) {
                ignored = !exception;
            }
        }
        return ignored;
    }

    // ---------------------------------------------------------------------------- Dockerfile reading

    private static List<Dockerfile> serverDockerfiles() {
        return dockerfiles.stream().filter(d -> d.server() != null).toList();
    }

    record Instruction(String keyword, String arguments, int line) {}

    record Copy(List<String> flags, List<String> sources, String destination, int line) {}

    record Dockerfile(Path path, List<Instruction> instructions) {

        static Dockerfile read(Path path) {
            try {
                List<String> lines = Files.readAllLines(path);
                List<Instruction> instructions = new ArrayList<>();
                StringBuilder current = null;
                int start = 0;
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("#") || (line.isEmpty() && current == null)) {
                        continue; // comments, also between continuation lines
                    }
                    boolean continues = line.endsWith("\\");
                    String text = continues ? line.substring(0, line.length() - 1) : line;
                    if (current == null) {
                        current = new StringBuilder(text);
                        start = i + 1;
                    } else {
                        current.append(' ').append(text);
                    }
                    if (!continues) {
                        String[] parts = current.toString().strip().split("\\s+", 2);
                        instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "", start));
                        current = null;
                    }
                }
                return new Dockerfile(path, instructions);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        String from() {
            List<String> from = all("FROM");
            assertEquals(1, from.size(), this + ": one FROM");
            return words(from.get(0)).get(0);
        }

        /** "tomcat" or "jetty" for the official server images, null for other images. */
        String server() {
            String image = from().split(":")[0];
            return image.equals("tomcat") || image.equals("jetty") ? image : null;
        }

        /** COPY and ADD instructions that copy from the build context (not --from another stage). */
        List<Copy> copies() {
            List<Copy> copies = new ArrayList<>();
            for (Instruction i : instructions) {
                if (!i.keyword().equals("COPY") && !i.keyword().equals("ADD")) {
                    continue;
                }
                List<String> args = words(i.arguments());
                List<String> flags = args.stream().takeWhile(a -> a.startsWith("--")).toList();
                List<String> rest = args.subList(flags.size(), args.size());
                if (flags.stream().anyMatch(f -> f.startsWith("--from="))) {
                    continue;
                }
                if (rest.size() < 2) {
                    fail(this + " line " + i.line() + ": " + i.keyword() + " needs a source and a destination");
                }
                copies.add(new Copy(flags, List.copyOf(rest.subList(0, rest.size() - 1)), rest.get(rest.size() - 1), i.line()));
            }
            return copies;
        }

        /** ENV NAME=value ... and the old ENV NAME value form. */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String args : all("ENV")) {
                List<String> words = words(args);
                if (!words.get(0).contains("=")) {
                    env.put(words.get(0), args.substring(args.indexOf(words.get(0)) + words.get(0).length()).strip());
                } else {
                    for (String word : words) {
                        int eq = word.indexOf('=');
                        env.put(word.substring(0, eq), unquote(word.substring(eq + 1)));
                    }
                }
            }
            return env;
        }

        @Override
        public String toString() {
            return ROOT.relativize(path).toString();
        }
    }

    /** Shell-like words; the JSON array form ["a", "b"] too. */
    private static List<String> words(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            List<String> words = new ArrayList<>();
            Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(t);
            while (m.find()) {
                words.add(m.group(1));
            }
            return words;
        }
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"[^\"]*\"|'[^']*'|\\S+").matcher(t);
        while (m.find()) {
            words.add(unquote(m.group()));
        }
        return words;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    // ---------------------------------------------------------------------------- YAML as text

    /** The manifest's documents (split at ---), each as its lines without comments. */
    private static List<List<String>> yamlDocuments(Path file) throws IOException {
        List<List<String>> documents = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.strip().equals("---")) {
                documents.add(current);
                current = new ArrayList<>();
            } else if (!line.strip().startsWith("#") && !line.isBlank()) {
                current.add(line.replaceAll("\\s+#\\s.*$", "")); // trailing comments (the toml has none)
            } else if (line.isBlank()) {
                current.add(""); // blank lines matter inside block scalars
            }
        }
        documents.add(current);
        return documents.stream().filter(d -> d.stream().anyMatch(l -> !l.isBlank())).toList();
    }

    private static List<String> document(String kind) {
        List<List<String>> found = manifest.stream()
                .filter(d -> d.stream().anyMatch(l -> l.equals("kind: " + kind))).toList();
        assertEquals(1, found.size(), "k8s/wagi.yaml: one " + kind);
        return found.get(0);
    }

    private static List<String> deployment() {
        return document("Deployment");
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '-')) {
            i++;
        }
        return i;
    }

    /** The lines below the first "key:" line that are indented deeper than it (empty if none). */
    private static List<String> block(List<String> lines, String key) {
        Pattern keyLine = Pattern.compile("^[\\s-]*" + Pattern.quote(key) + ":\\s*(\\S.*)?$");
        for (int i = 0; i < lines.size(); i++) {
            if (keyLine.matcher(lines.get(i)).matches()) {
                int depth = lines.get(i).indexOf(key);
                List<String> block = new ArrayList<>();
                for (int j = i + 1; j < lines.size(); j++) {
                    String l = lines.get(j);
                    if (!l.isBlank() && l.length() - l.stripLeading().length() <= depth) {
                        break;
                    }
                    block.add(l);
                }
                return block;
            }
        }
        return List.of();
    }

    /** The value of the first "key: value" line. */
    private static Optional<String> scalar(List<String> lines, String key) {
        Pattern p = Pattern.compile("^[\\s-]*" + Pattern.quote(key) + ":\\s*(\\S.*?)\\s*$");
        return lines.stream().map(p::matcher).filter(Matcher::matches).map(m -> unquote(m.group(1))).findFirst();
    }

    /** Every "key: value" value within the block of parent (or anywhere when parent is null). */
    private static List<String> values(List<String> lines, String key, String parent) {
        List<String> scope = parent == null ? lines : block(lines, parent);
        Pattern p = Pattern.compile("^[\\s-]*" + Pattern.quote(key) + ":\\s*(\\S.*?)\\s*$");
        return scope.stream().map(p::matcher).filter(Matcher::matches).map(m -> unquote(m.group(1))).toList();
    }

    /** A list item (a "- name: X" entry and the lines that belong to it) of a block. */
    private static List<String> listItem(List<String> lines, String name) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^\\s*- name:\\s*" + Pattern.quote(name) + "\\s*$")) {
                int depth = indent(lines.get(i));
                List<String> item = new ArrayList<>();
                for (int j = i + 1; j < lines.size() && (lines.get(j).isBlank() || indent(lines.get(j)) >= depth
                        && !lines.get(j).stripLeading().startsWith("-")); j++) {
                    item.add(lines.get(j));
                }
                return item;
            }
        }
        throw new AssertionError("no list item '- name: " + name + "' in " + lines);
    }

    /** A block of "key: value" lines as a map. */
    private static Map<String, String> map(List<String> lines) {
        Map<String, String> map = new LinkedHashMap<>();
        int depth = lines.stream().filter(l -> !l.isBlank()).mapToInt(DockerFilesTest::indent).min().orElse(0);
        for (String line : lines) {
            Matcher m = Pattern.compile("^\\s*([^:\\s]+):\\s*(\\S.*?)\\s*$").matcher(line);
            if (!line.isBlank() && indent(line) == depth && m.matches()) {
                map.put(m.group(1), unquote(m.group(2)));
            }
        }
        return map;
    }

    /** The text of a "key: |" block scalar. */
    private static String blockScalar(List<String> lines, String key) {
        assertTrue(lines.stream().anyMatch(l -> l.matches("^\\s*" + Pattern.quote(key) + ":\\s*\\|\\s*$")),
                "no '" + key + ": |' block in the ConfigMap");
        List<String> body = block(lines, key);
        int depth = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(depth)).collect(Collectors.joining("\n")) + "\n";
    }

    /** Container port name to number ("8080" to "8080" for unnamed ones). */
    private static Map<String, String> containerPorts(List<String> deployment) {
        Map<String, String> ports = new LinkedHashMap<>();
        List<String> lines = block(block(deployment, "containers"), "ports");
        String name = null;
        for (String line : lines) {
            Matcher n = Pattern.compile("^[\\s-]*name:\\s*(\\S+)\\s*$").matcher(line);
            Matcher p = Pattern.compile("^[\\s-]*containerPort:\\s*(\\d+)\\s*$").matcher(line);
            if (n.matches()) {
                name = n.group(1);
            } else if (p.matches()) {
                ports.put(name != null ? name : p.group(1), p.group(1));
                name = null;
            }
        }
        assertFalse(ports.isEmpty(), "no containerPort in the Deployment");
        return ports;
    }

    private static List<String> probeValues(List<String> deployment, String key) {
        List<String> values = new ArrayList<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            values.addAll(values(block(deployment, probe), key, "httpGet"));
        }
        return values;
    }

    private static Optional<String> envValue(List<String> deployment, String name) {
        List<String> env = block(block(deployment, "containers"), "env");
        for (int i = 0; i < env.size() - 1; i++) {
            if (env.get(i).matches("^\\s*- name:\\s*" + Pattern.quote(name) + "\\s*$")) {
                return scalar(List.of(env.get(i + 1)), "value");
            }
        }
        return Optional.empty();
    }

    /** mountPath to volume name, for the main containers. */
    private static Map<String, String> volumeMounts(List<String> deployment) {
        Map<String, String> mounts = new LinkedHashMap<>();
        List<String> lines = block(block(deployment, "containers"), "volumeMounts");
        String name = null;
        for (String line : lines) {
            Matcher n = Pattern.compile("^[\\s-]*name:\\s*(\\S+)\\s*$").matcher(line);
            Matcher p = Pattern.compile("^[\\s-]*mountPath:\\s*(\\S+)\\s*$").matcher(line);
            if (n.matches()) {
                name = n.group(1);
            } else if (p.matches()) {
                mounts.put(p.group(1), name);
            }
        }
        return mounts;
    }

    // ---------------------------------------------------------------------------- XML

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elements(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static String childText(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }
}
