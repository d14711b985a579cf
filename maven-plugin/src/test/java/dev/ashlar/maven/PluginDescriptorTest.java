package dev.ashlar.maven;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin descriptor Maven reads: what it promises each goal before the goal runs. */
class PluginDescriptorTest {

    private static Map<String, String> dependencyResolutionByGoal() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document descriptor;
        try (InputStream xml = PluginDescriptorTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertThat(xml).as("the generated META-INF/maven/plugin.xml").isNotNull();
            descriptor = factory.newDocumentBuilder().parse(xml);
        }
        Map<String, String> goals = new LinkedHashMap<>();
        NodeList mojos = descriptor.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            NodeList resolution = mojo.getElementsByTagName("requiresDependencyResolution");
            goals.put(mojo.getElementsByTagName("goal").item(0).getTextContent(),
                    resolution.getLength() == 0 ? "none" : resolution.item(0).getTextContent());
        }
        return goals;
    }

    /** Without it Maven hands a goal target/classes alone: a domain using a plugin (ashlar-tenancy) fails to load. */
    @Test
    void everyGoalGetsTheProjectsCompileAndRuntimeDependencies() throws Exception {
        Map<String, String> goals = dependencyResolutionByGoal();

        assertThat(goals).containsKeys("codegen", "check", "migrate", "rollback", "status", "drift", "repair", "baseline",
                "clean", "validate", "tag", "locks", "checksum");
        assertThat(goals).allSatisfy((goal, resolution) -> assertThat(resolution).as(goal)
                .isEqualTo("compile+runtime"));
    }

    /**
     * Each -Dashlar.* property the README's Maven plugin section names is one a goal reads; a prefix
     * ({@code -Dashlar.placeholders.NAME}) is no parameter, and its goals' tests cover it.
     */
    @Test
    void everyPropertyTheReadmeShowsIsAParameterOfAGoal() throws Exception {
        String descriptor = descriptor();
        String section = readmeSection();
        Matcher property = Pattern.compile("-Dashlar\\.(\\w+)(?![.\\w])").matcher(section);
        Set<String> shown = new TreeSet<>();
        while (property.find()) {
            shown.add(property.group(1));
        }

        assertThat(shown).contains("name", "to", "tenants", "skip");
        assertThat(shown).allSatisfy(name -> assertThat(descriptor).as("-Dashlar." + name)
                .contains("${ashlar." + name + "}"));
    }

    /**
     * Each element of the README's {@code <configuration>} example is a parameter of a goal: Maven ignores a
     * misspelt one without a word, and the user's build would go on without it.
     */
    @Test
    void everyConfigurationElementTheReadmeShowsIsAParameterOfAGoal() throws Exception {
        String descriptor = descriptor();
        String section = readmeSection();
        String configuration = section.substring(section.indexOf("<configuration>"), section.indexOf("</configuration>"));
        Set<String> shown = new TreeSet<>();
        Matcher element = Pattern.compile("\\n\\s*<(\\w+)>").matcher(configuration);
        while (element.find()) {
            shown.add(element.group(1));
        }

        assertThat(shown).contains("folder", "domain", "url", "user", "password");
        assertThat(shown).allSatisfy(name -> assertThat(descriptor).as("<" + name + ">")
                .contains("<name>" + name + "</name>"));
    }

    private static String descriptor() throws Exception {
        try (InputStream xml = PluginDescriptorTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            return new String(xml.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The README's "Maven plugin" section, up to the next one. */
    private static String readmeSection() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Maven plugin");
        return readme.substring(start, readme.indexOf("\n## ", start + 1));
    }
}
