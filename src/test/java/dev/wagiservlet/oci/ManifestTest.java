package dev.wagiservlet.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static Manifest parse(String json, String contentType) throws IOException {
        return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), contentType);
    }

    @Test
    void ociImageManifestWithAWasmLayer() throws IOException {
        Manifest m = parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.wasm.config.v1+json","digest":"%s","size":2},
                 "layers":[{"mediaType":"text/plain","digest":"%s","size":5},
                           {"mediaType":"application/vnd.wasm.content.layer.v1+wasm","digest":"%s","size":1234},
                           {"mediaType":"application/vnd.wasm.content.layer.v1+wasm","digest":"%s","size":1}]}
                """.formatted(A, B, C, A), "application/json");
        assertEquals(Manifest.OCI_MANIFEST, m.mediaType());
        assertFalse(m.isIndex());
        assertEquals(Optional.of(new Manifest.Descriptor(Manifest.WASM_LAYER, C, 1234, "")), m.wasmLayer());
    }

    @Test
    void mediaTypeFromTheResponseWhenTheManifestHasNone() throws IOException {
        Manifest m = parse("{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.wasm.content.layer.v1+wasm\","
                + "\"digest\":\"" + A + "\",\"size\":1}]}", Manifest.DOCKER_MANIFEST + "; charset=utf-8");
        assertEquals(Manifest.DOCKER_MANIFEST, m.mediaType());
        assertEquals(A, m.wasmLayer().orElseThrow().digest());
    }

    @Test
    void noWasmLayer() throws IOException {
        Manifest m = parse("{\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + A
                + "\",\"size\":1}]}", "");
        assertEquals(Optional.empty(), m.wasmLayer());
        assertEquals(List.of("application/vnd.oci.image.layer.v1.tar+gzip"), m.layerTypes());
    }

    @Test
    void indexPicksTheWasmManifestOrTheOnlyOne() throws IOException {
        Manifest index = parse("""
                {"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"amd64"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"wasip1","architecture":"wasm"}}]}
                """.formatted(A, B), "");
        assertTrue(index.isIndex());
        assertEquals(B, index.wasmManifest().orElseThrow().digest());
        Manifest one = parse("{\"manifests\":[{\"digest\":\"" + C + "\"}]}", Manifest.OCI_INDEX);
        assertEquals(C, one.wasmManifest().orElseThrow().digest());
        Manifest two = parse("{\"manifests\":[{\"digest\":\"" + A + "\"},{\"digest\":\"" + C + "\"}]}", Manifest.OCI_INDEX);
        assertEquals(Optional.empty(), two.wasmManifest());
    }

    @Test
    void notAManifest() {
        assertThrows(IOException.class, () -> parse("not json", ""));
        assertThrows(IOException.class, () -> parse("[1,2]", ""));
        assertThrows(IOException.class, () -> parse("{\"schemaVersion\":2}", ""));
        assertThrows(IOException.class, () -> parse("{\"layers\":[{\"mediaType\":\"x\"}]}", ""));
    }
}
