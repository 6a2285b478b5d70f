package dev.runnablesystemdesign.guide.site;

import nu.validator.client.EmbeddedValidator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every page passes the Nu Html Checker, the validator behind validator.w3.org/nu, with no error. */
class HtmlValidityIT {

    @Test
    void everyPageIsValidHtml() throws Exception {
        Path site = BuiltSite.folder();
        EmbeddedValidator validator = new EmbeddedValidator();
        validator.setOutputFormat(EmbeddedValidator.OutputFormat.GNU);
        List<String> errors = new ArrayList<>();
        List<String> pages = BuiltSite.pages();
        assertFalse(pages.isEmpty());
        for (String page : pages) {
            String report = validator.validate(site.resolve(page));
            report.lines().filter(line -> line.contains("error:")).map(line -> page + ": " + line).forEach(errors::add);
        }
        assertEquals(List.of(), errors.stream().limit(40).toList(), "Nu Html Checker errors (" + errors.size() + " in all)");
    }

    @Test
    void theCheckerReportsAnInvalidPage() throws Exception {
        EmbeddedValidator validator = new EmbeddedValidator();
        validator.setOutputFormat(EmbeddedValidator.OutputFormat.GNU);
        String report = validator.validate(new java.io.ByteArrayInputStream(
                "<!DOCTYPE html><html lang=en><head><title>t</title></head><body><p><div></p></body></html>"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertFalse(report.lines().noneMatch(line -> line.contains("error:")), report);
    }
}
