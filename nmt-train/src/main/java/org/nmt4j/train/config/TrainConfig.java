package org.nmt4j.train.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nmt4j.core.model.ModelConfig;

/**
 * A training configuration: {@code data}, {@code model} and {@code train} sections, read from YAML over the
 * shipped defaults ({@code default-config.yaml}, the Bible es→en quickstart), with {@code --set key=value}
 * overrides. Unknown keys and impossible values are errors naming the key.
 */
public record TrainConfig(DataConfig data, ModelConfig model, TrainingOptions train) {

    private static final String DEFAULTS = "default-config.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * Reads a configuration.
     *
     * @param file      YAML file whose values replace the defaults (null: defaults only)
     * @param overrides {@code section.key=value} pairs applied last; values are parsed as YAML scalars
     */
    public static TrainConfig load(Path file, List<String> overrides) throws IOException {
        ObjectNode tree = defaults();
        String origin = "the default configuration";
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            }
            JsonNode user;
            try {
                user = YAML.readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("config file " + file + " is not valid YAML: "
                        + e.getOriginalMessage());
            }
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                if (!user.isObject()) {
                    throw new IllegalArgumentException("config file " + file + " must be a mapping of sections");
                }
                merge(tree, (ObjectNode) user);
            }
            origin = file.toString();
        }
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return bind(tree, origin);
    }

    /**
     * The configuration saved in a model directory, for resuming: only {@code train.*} values (limits,
     * validation, learning rate…) may be overridden; the data and the model are those of the checkpoint. Keys
     * added since the model was saved take their defaults.
     */
    public static TrainConfig resume(Path savedConfig, List<String> overrides) throws IOException {
        if (!Files.isRegularFile(savedConfig)) {
            throw new IllegalArgumentException("nothing to resume: " + savedConfig + " does not exist");
        }
        ObjectNode tree = defaults();
        merge(tree, (ObjectNode) YAML.readTree(savedConfig.toFile()));
        for (String override : overrides) {
            if (!override.startsWith("train.")) {
                throw new IllegalArgumentException("--set " + override + ": only train.* values can change when "
                        + "resuming; the data and model are fixed by the checkpoint");
            }
            applyOverride(tree, override);
        }
        return bind(tree, savedConfig.toString());
    }

    /** This configuration with {@code section.key=value} overrides applied (checked as by {@link #load}). */
    public TrainConfig with(List<String> overrides) throws IOException {
        ObjectNode tree = YAML.valueToTree(this);
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return bind(tree, "the configuration");
    }

    /** This configuration as YAML, every value resolved. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode defaults() throws IOException {
        try (InputStream defaults = TrainConfig.class.getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) YAML.readTree(defaults);
        }
    }

    private static TrainConfig bind(JsonNode tree, String origin) {
        try {
            return YAML.treeToValue(tree, TrainConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown config key " + path(e) + " in " + origin + "; known keys"
                    + " there: " + e.getKnownPropertyIds());
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("invalid config in " + origin + ": " + cause.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid config in " + origin + ": " + e.getOriginalMessage());
        }
    }

    private static String path(UnrecognizedPropertyException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(reference.getFieldName());
        }
        return path.toString();
    }

    private static void merge(ObjectNode base, ObjectNode update) {
        Iterator<Map.Entry<String, JsonNode>> fields = update.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode section && field.getValue() instanceof ObjectNode values) {
                merge(section, values);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) throws IOException {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set expects section.key=value, got '" + override + "'");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (!(child instanceof ObjectNode section)) {
                throw new IllegalArgumentException("--set " + override + ": unknown config section '"
                        + keys[i] + "'");
            }
            node = section;
        }
        String value = override.substring(eq + 1);
        node.set(keys[keys.length - 1], value.isEmpty() ? YAML.getNodeFactory().textNode("")
                : YAML.readTree(value));
    }
}
