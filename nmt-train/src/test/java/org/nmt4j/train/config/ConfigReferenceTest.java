package org.nmt4j.train.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nmt4j.core.model.ModelConfig;

/**
 * docs/config.md documents every key of the training configuration: each {@code section.key} of
 * {@code default-config.yaml} has a table row whose first cell is the key and second cell its default, and the
 * document names no key that does not exist (a renamed or removed key fails here).
 */
class ConfigReferenceTest {

    static final Path REFERENCE = Path.of("..", "docs", "config.md");
    /** A {@code section.key} name anywhere in the document (not part of a path such as data/bible/train.es). */
    static final Pattern KEY = Pattern.compile("(?<![\\w/.-])((?:data|model|train)\\.[a-z][a-z0-9_]*)(?![\\w-])");

    static Map<String, String> defaults;
    static String document;

    @BeforeAll
    static void read() throws IOException {
        JsonNode tree;
        try (InputStream in = TrainConfig.class.getResourceAsStream("default-config.yaml")) {
            tree = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        defaults = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> sections = tree.fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            for (Iterator<Map.Entry<String, JsonNode>> keys = section.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                defaults.put(section.getKey() + "." + key.getKey(), key.getValue().asText());
            }
        }
        assertTrue(Files.isRegularFile(REFERENCE), REFERENCE.toAbsolutePath().normalize() + " is missing");
        document = Files.readString(REFERENCE, UTF_8).replace("\r\n", "\n");
    }

    /** The table rows of the document whose first cell is a key: key → cells. */
    static Map<String, List<String>> rows() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : document.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : trimmed.substring(1).split("(?<!\\\\)\\|", -1)) {
                cells.add(cell.trim());
            }
            if (cells.get(cells.size() - 1).isEmpty()) {
                cells.remove(cells.size() - 1);
            }
            String key = unquote(cells.get(0));
            if (KEY.matcher(key).matches()) {
                assertTrue(rows.put(key, cells) == null, key + " has two rows in docs/config.md");
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.startsWith("`") && cell.endsWith("`") && cell.length() >= 2
                ? cell.substring(1, cell.length() - 1) : cell;
    }

    @Test
    void everyKeyHasARowWithItsDefault() {
        Map<String, List<String>> rows = rows();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : defaults.entrySet()) {
            List<String> row = rows.get(entry.getKey());
            if (row == null) {
                problems.add(entry.getKey() + ": no table row");
            } else if (row.size() < 4) {
                problems.add(entry.getKey() + ": the row needs key, default, allowed values and meaning");
            } else if (!unquote(row.get(1)).equals(entry.getValue())) {
                problems.add(entry.getKey() + ": the row says default " + row.get(1) + ", the configuration has "
                        + entry.getValue());
            } else if (row.get(2).isEmpty() || row.get(3).isEmpty()) {
                problems.add(entry.getKey() + ": allowed values or meaning is empty");
            }
        }
        assertTrue(problems.isEmpty(), "docs/config.md is out of date with default-config.yaml:\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void everyKeyNamedInTheDocumentExists() {
        Set<String> unknown = new TreeSet<>();
        Matcher m = KEY.matcher(document);
        while (m.find()) {
            if (!defaults.containsKey(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertTrue(unknown.isEmpty(), "docs/config.md names keys that default-config.yaml does not have: " + unknown);
    }

    /** The YAML keys are those the configuration records bind, so documenting the YAML documents every key. */
    @Test
    void theDefaultsHaveEveryKeyOfTheConfigurationRecords() {
        Set<String> bound = new LinkedHashSet<>();
        Map<String, Class<? extends Record>> sections = new LinkedHashMap<>();
        sections.put("data", DataConfig.class);
        sections.put("model", ModelConfig.class);
        sections.put("train", TrainingOptions.class);
        var snake = new PropertyNamingStrategies.SnakeCaseStrategy();
        for (Map.Entry<String, Class<? extends Record>> section : sections.entrySet()) {
            for (RecordComponent component : section.getValue().getRecordComponents()) {
                bound.add(section.getKey() + "." + snake.translate(component.getName()));
            }
        }
        assertEquals(new TreeSet<>(bound), new TreeSet<>(defaults.keySet()));
    }
}
