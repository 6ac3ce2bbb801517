package dev.wagiservlet.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a registry answers for {@code GET /v2/NAME/manifests/REF}: an image manifest (OCI or Docker
 * v2), whose first layer of media type {@link #WASM_LAYER} is the module, as wagi 0.8 takes it; or
 * an index (OCI image index, Docker manifest list), from which the manifest for {@code wasm}
 * (or the only one) is taken.
 *
 * @param mediaType the manifest's media type (from its {@code mediaType} field, else the response's Content-Type)
 * @param layers the layers, in order (empty for an index)
 * @param manifests the manifests an index lists (empty for an image manifest)
 */
record Manifest(String mediaType, List<Descriptor> layers, List<Descriptor> manifests) {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** The {@code Accept} header of a manifest request: every kind read here. */
    static final String ACCEPT = String.join(", ", OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST);
    /** The media type of a wasm module layer (wagi, wasm-to-oci, oras). */
    static final String WASM_LAYER = "application/vnd.wasm.content.layer.v1+wasm";
    /** What a layer or manifest digest must look like to be checked here. */
    static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A blob or manifest a manifest points at.
     *
     * @param architecture for an index entry, its {@code platform.architecture}, else empty
     */
    record Descriptor(String mediaType, String digest, long size, String architecture) {}

    Manifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
    }

    /**
     * Reads a manifest or index.
     *
     * @param contentType the response's Content-Type, for a manifest without a {@code mediaType} field
     * @throws IOException if it is not JSON or not a manifest
     */
    static Manifest parse(byte[] body, String contentType) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException("the manifest is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("the manifest is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
        }
        List<Descriptor> layers = descriptors(root.path("layers"));
        List<Descriptor> manifests = descriptors(root.path("manifests"));
        if (layers.isEmpty() && manifests.isEmpty()) {
            throw new IOException("the manifest (" + (mediaType.isEmpty() ? "no media type" : mediaType) + ") lists no layers");
        }
        return new Manifest(mediaType, layers, manifests);
    }

    private static List<Descriptor> descriptors(JsonNode array) throws IOException {
        List<Descriptor> list = new ArrayList<>();
        for (JsonNode node : array) {
            String digest = node.path("digest").asText("");
            if (digest.isEmpty()) {
                throw new IOException("a descriptor in the manifest has no digest");
            }
            list.add(new Descriptor(node.path("mediaType").asText(""), digest, node.path("size").asLong(-1),
                    node.path("platform").path("architecture").asText("")));
        }
        return list;
    }

    /** Whether this is an index of manifests rather than an image manifest. */
    boolean isIndex() {
        return layers.isEmpty() && !manifests.isEmpty();
    }

    /** The first wasm layer, if any. */
    Optional<Descriptor> wasmLayer() {
        return layers.stream().filter(layer -> layer.mediaType().equals(WASM_LAYER)).findFirst();
    }

    /** The manifest an index lists for architecture {@code wasm}, or its only one. */
    Optional<Descriptor> wasmManifest() {
        return manifests.stream().filter(m -> m.architecture().equals("wasm")).findFirst()
                .or(() -> manifests.size() == 1 ? Optional.of(manifests.get(0)) : Optional.empty());
    }

    /** The media types of the layers, for a message. */
    List<String> layerTypes() {
        return layers.stream().map(Descriptor::mediaType).toList();
    }
}
