package dev.wagiservlet.engine.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.fs.SandboxedDirectory.Refusal;
import dev.wagiservlet.engine.fs.SandboxedDirectory.Watch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox through plain java.nio, as any engine would use it. */
class SandboxedDirectoryTest {

    @TempDir
    Path base;
    Path vol;

    @BeforeEach
    void layout() throws IOException {
        vol = Files.createDirectories(base.resolve("vol"));
        Files.writeString(vol.resolve("a.txt"), "inside");
        Files.createDirectories(vol.resolve("sub"));
        Files.writeString(base.resolve("secret.txt"), "SECRET");
        Files.createSymbolicLink(vol.resolve("out"), base.resolve("secret.txt"));
        Files.createSymbolicLink(vol.resolve("outdir"), base);
        Files.createSymbolicLink(vol.resolve("sub/up"), Path.of("../a.txt"));
    }

    @Test
    void pathsAreLexicalWithTheRootAtTheVolume() throws IOException {
        Path root = SandboxedDirectory.of(vol, false);
        assertEquals("/", root.toString());
        assertTrue(root.isAbsolute());
        assertEquals("/x", root.resolve("../../x").normalize().toString());
        assertEquals("../x", root.getFileSystem().getPath("a/../../x").normalize().toString());
        assertEquals("/a/b", root.resolve("a").resolve("./b").normalize().toString());
        assertEquals("b/c", root.resolve("a").relativize(root.resolve("a/b/c")).toString());
        assertEquals("c", root.resolve("a/b/c").getFileName().toString());
        assertEquals("/a/b", root.resolve("a/b/c").getParent().toString());
        assertNull(root.getFileName());
        assertTrue(root.resolve("a/b").startsWith(root.resolve("a")));
        assertThrows(InvalidPathException.class, () -> root.resolve("a\0b"));
        assertTrue(SandboxedDirectory.isSandboxed(root));
        assertFalse(SandboxedDirectory.isSandboxed(root.resolve("sub")));
        assertFalse(SandboxedDirectory.isSandboxed(vol));
        assertFalse(SandboxedDirectory.isWritable(root));
        assertTrue(SandboxedDirectory.isWritable(SandboxedDirectory.of(vol, true)));
        assertSame(root, SandboxedDirectory.confine(root));
        assertThrows(NotDirectoryException.class, () -> SandboxedDirectory.of(vol.resolve("a.txt"), true));
        assertThrows(NoSuchFileException.class, () -> SandboxedDirectory.of(base.resolve("missing"), true));
    }

    @Test
    void readsStayInside() throws IOException {
        Path root = SandboxedDirectory.of(vol, true);
        assertEquals("inside", Files.readString(root.resolve("a.txt")));
        assertEquals("inside", Files.readString(root.resolve("sub/up")));
        assertEquals("inside", Files.readString(root.resolve("../../a.txt")), "`..` at the root stays at the root");
        assertEquals("/a.txt", Files.readSymbolicLink(root.resolve("sub/up")).toString());
        assertEquals(root.resolve("a.txt"), root.resolve("sub/up").toRealPath());
        assertThrows(NoSuchFileException.class, () -> Files.readString(root.resolve("out")));
        assertThrows(NoSuchFileException.class, () -> Files.readString(root.resolve("outdir/secret.txt")));
        assertThrows(NoSuchFileException.class, () -> Files.readSymbolicLink(root.resolve("out")));
        assertThrows(NoSuchFileException.class, () -> Files.size(root.resolve("outdir/secret.txt")));
        assertTrue(Files.isSymbolicLink(root.resolve("out")));
        assertFalse(Files.exists(root.resolve("out")));
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of("/a.txt", "/out", "/outdir", "/sub"), entries.map(Path::toString).sorted().toList());
        }
        assertThrows(NoSuchFileException.class, () -> Files.list(root.resolve("outdir")).close());
    }

    @Test
    void refusalsAreRecordedWhileWatched() throws IOException {
        Path ro = SandboxedDirectory.of(vol, false);
        try (Watch watch = SandboxedDirectory.watchRefusals()) {
            assertNull(watch.refusal());
            assertThrows(AccessDeniedException.class, () -> Files.writeString(ro.resolve("a.txt"), "x"));
            assertEquals(Refusal.READ_ONLY, watch.refusal());
            try (Watch inner = SandboxedDirectory.watchRefusals()) {
                assertThrows(NoSuchFileException.class, () -> Files.readString(ro.resolve("out")));
                assertEquals(Refusal.OUTSIDE, inner.refusal());
            }
            assertEquals(Refusal.READ_ONLY, watch.refusal());
        }
        // unwatched refusals are not recorded anywhere
        assertThrows(NoSuchFileException.class, () -> Files.readString(ro.resolve("out")));
        try (Watch watch = SandboxedDirectory.watchRefusals()) {
            assertNull(watch.refusal());
        }
    }

    @Test
    void readOnlyRefusesWritesButReads() throws IOException {
        Path ro = SandboxedDirectory.of(vol, false);
        assertTrue(ro.getFileSystem().isReadOnly());
        assertThrows(AccessDeniedException.class, () -> Files.writeString(ro.resolve("new.txt"), "x"));
        assertThrows(AccessDeniedException.class, () -> FileChannel.open(ro.resolve("a.txt"), StandardOpenOption.WRITE).close());
        assertThrows(AccessDeniedException.class, () -> Files.createDirectory(ro.resolve("d")));
        assertThrows(AccessDeniedException.class, () -> Files.delete(ro.resolve("a.txt")));
        assertThrows(AccessDeniedException.class, () -> Files.move(ro.resolve("a.txt"), ro.resolve("b.txt")));
        assertThrows(AccessDeniedException.class, () -> Files.copy(ro.resolve("a.txt"), ro.resolve("b.txt")));
        assertThrows(AccessDeniedException.class, () -> Files.createSymbolicLink(ro.resolve("l"), ro.resolve("a.txt")));
        assertThrows(AccessDeniedException.class, () -> Files.createLink(ro.resolve("h"), ro.resolve("a.txt")));
        assertThrows(AccessDeniedException.class, () -> Files.setLastModifiedTime(ro.resolve("a.txt"),
                FileTime.fromMillis(0)));
        assertFalse(Files.isWritable(ro.resolve("a.txt")));
        assertTrue(Files.isReadable(ro.resolve("a.txt")));
        assertEquals("inside", Files.readString(ro.resolve("a.txt")));
        assertEquals(List.of("a.txt", "out", "outdir", "sub"), list(vol));
    }

    @Test
    void writesStayInside() throws IOException {
        Path rw = SandboxedDirectory.of(vol, true);
        Files.createSymbolicLink(rw.resolve("sub/l"), rw.getFileSystem().getPath("x.txt"));
        Path hostTarget = Files.readSymbolicLink(vol.resolve("sub/l"));
        assertEquals(vol.toRealPath().resolve("sub/x.txt"), hostTarget, "relative to the link's directory, written absolute");
        Files.writeString(rw.resolve("sub/l"), "created through a link");
        assertEquals("created through a link", Files.readString(vol.resolve("sub/x.txt")));
        Files.move(rw.resolve("sub/l"), rw.resolve("moved"));
        assertEquals("created through a link", Files.readString(rw.resolve("moved")), "a moved link points where it did");

        // a hard link to a link links the file, and only a file inside
        Files.createLink(rw.resolve("hard"), rw.resolve("sub/up"));
        assertTrue(Files.isSameFile(vol.resolve("hard"), vol.resolve("a.txt")));
        assertFalse(Files.isSymbolicLink(vol.resolve("hard")));
        assertThrows(NoSuchFileException.class, () -> Files.createLink(rw.resolve("hard2"), rw.resolve("out")));
        assertThrows(NoSuchFileException.class, () -> Files.createLink(rw.resolve("hard3"), rw.resolve("outdir/secret.txt")));

        // O_CREAT through a dangling link, and anything through a link to a directory outside
        Files.createSymbolicLink(vol.resolve("dangling"), base.resolve("created-outside.txt"));
        assertThrows(NoSuchFileException.class, () -> Files.writeString(rw.resolve("dangling"), "x"));
        assertThrows(NoSuchFileException.class, () -> Files.writeString(rw.resolve("outdir/new.txt"), "x"));
        assertThrows(NoSuchFileException.class, () -> Files.createDirectory(rw.resolve("outdir/newdir")));
        assertThrows(NoSuchFileException.class, () -> Files.delete(rw.resolve("outdir/secret.txt")));
        assertThrows(NoSuchFileException.class, () -> Files.copy(rw.resolve("out"), rw.resolve("copy.txt")));
        assertThrows(NoSuchFileException.class, () -> Files.delete(rw), "the root itself cannot go");

        // a volume's path cannot be used in another volume's link
        Path other = SandboxedDirectory.of(Files.createDirectories(base.resolve("other")), true);
        assertThrows(NoSuchFileException.class, () -> Files.createSymbolicLink(rw.resolve("x"), other.resolve("y")));

        // links to inside files can be replaced by renames, deleted, and the volume can be written normally
        Files.delete(rw.resolve("out"));
        assertTrue(Files.exists(base.resolve("secret.txt")));
        assertEquals("SECRET", Files.readString(base.resolve("secret.txt")));
        assertEquals(List.of("other", "secret.txt", "vol"), list(base));
        try (FileChannel channel = FileChannel.open(rw.resolve("fresh"), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        assertEquals(3, Files.size(vol.resolve("fresh")));
        assertTrue(Files.exists(vol.resolve("dangling"), LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
