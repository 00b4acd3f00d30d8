package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer copies into a running detector must not make it reach out of the machine: an
 * evidence or listing photo with a {@code uri} is fetched by the job. The README shows the link
 * form only in blocks marked {@code link-form} and said not to be pasted; the sample data has none.
 */
class ReadmeSamplesStayOnTheMachineTest {
    private static final Pattern JSON_BLOCK = Pattern.compile("(?m)^```json([^\\n]*)\\n(.*?)\\n```$", Pattern.DOTALL);
    private static final Pattern URI_FIELD = Pattern.compile("\"uri\"\\s*:");

    @TempDir
    Path tmp;

    @Test
    void onlyBlocksMarkedAsTheLinkFormCarryALink() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> linkForms = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(readme);
        while (block.find()) {
            boolean linkForm = List.of(block.group(1).trim().split(" ")).contains("link-form");
            if (linkForm) {
                linkForms.add(block.group(2));
                String before = readme.substring(Math.max(0, block.start() - 400), block.start());
                assertThat(before).as("the text before a link-form block").contains("not for pasting");
            } else {
                assertThat(URI_FIELD.matcher(block.group(2)).find())
                        .as("a README sample with a link that the job would fetch:\n%s", block.group(2)).isFalse();
            }
        }
        assertThat(linkForms).as("the link form is still shown").isNotEmpty()
                .allSatisfy(json -> assertThat(json).containsPattern(URI_FIELD));
    }

    @Test
    void sampleDataHasNoLinks() throws Exception {
        Path sample = tmp.resolve("sample.jsonl");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Main.run(List.of("sample-data", "--out", sample.toString(), "--persons", "50", "--start", "fixed"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(sample, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().noneMatch(line -> URI_FIELD.matcher(line).find());
    }
}
