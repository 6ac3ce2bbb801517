package dev.wagiservlet.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wagiservlet.config.OciReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciCacheIndexTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    void remembersWhatAReferenceResolvedTo() throws IOException {
        OciCacheIndex index = new OciCacheIndex(dir);
        OciReference hello = OciReference.parse("oci:127.0.0.1:5000/wagi/hello:1");
        assertEquals(Optional.empty(), index.get(hello));
        index.put(hello, new OciCacheIndex.Entry(A, B));
        assertEquals(Optional.of(new OciCacheIndex.Entry(A, B)), index.get(hello));
        assertEquals(Optional.of(new OciCacheIndex.Entry(A, B)), new OciCacheIndex(dir).get(OciReference.parse("oci://127.0.0.1:5000/wagi/hello:1")));
        assertEquals(Optional.empty(), index.get(OciReference.parse("oci:127.0.0.1:5000/wagi/hello:2")));
        index.put(hello, new OciCacheIndex.Entry(B, A));
        assertEquals(Optional.of(new OciCacheIndex.Entry(B, A)), index.get(hello));
        try (Stream<Path> files = Files.list(dir.resolve("oci"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString()); // no temporary files left
            assertEquals(true, Files.readString(all.get(0)).contains("reference=oci\\:127.0.0.1\\:5000/wagi/hello\\:1"));
        }
    }

    @Test
    void unreadableEntryIsNoEntry() throws IOException {
        OciCacheIndex index = new OciCacheIndex(dir);
        OciReference hello = OciReference.parse("oci:ghcr.io/a/b:1");
        index.put(hello, new OciCacheIndex.Entry(A, B));
        try (Stream<Path> files = Files.list(dir.resolve("oci"))) {
            Files.writeString(files.findFirst().orElseThrow(), "reference=oci:ghcr.io/a/b:1\nlayer=garbage\n");
        }
        assertEquals(Optional.empty(), index.get(hello));
    }
}
