package dev.ashlar.architecture;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a public repository and a user's build need of every published module, read from the poms. */
class PublishingTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theBomManagesEveryPublishedArtifact() throws Exception {
        Element bom = parse(ROOT.resolve("bom/pom.xml"));
        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            managed.add(child((Element) dependencies.item(i), "artifactId"));
        }

        assertThat(managed).containsExactlyInAnyOrderElementsOf(published().keySet());
    }

    @Test
    void theBomHasNoParentSoItPinsNoVersionOfTheBuildsOwnLibraries() throws Exception {
        Element bom = parse(ROOT.resolve("bom/pom.xml"));
        Element parent = parse(ROOT.resolve("pom.xml"));

        assertThat(bom.getElementsByTagName("parent").getLength()).isZero();
        assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));
        NodeList groups = bom.getElementsByTagName("groupId");
        for (int i = 0; i < groups.getLength(); i++) {
            assertThat(groups.item(i).getTextContent()).isIn("dev.ashlar", "org.apache.maven.plugins");
        }
    }

    @Test
    void everyPublishedJarNamesItsAutomaticModule() throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        published().forEach((artifact, pom) -> names.put(artifact, property(pom, "ashlar.module.name")));

        assertThat(names).allSatisfy((artifact, name) -> assertThat(name).as(artifact).matches("dev\\.ashlar(\\.[a-z]+)+"));
        assertThat(names.values()).doesNotHaveDuplicates();
        assertThat(names).containsEntry("ashlar-kernel", "dev.ashlar.kernel")
                .containsEntry("ashlar-references", "dev.ashlar.plugins.references");
    }

    @Test
    void theJunitExtensionForUsersTestsIsPublishedAsAshlarTestSupport() throws Exception {
        Element extension = published().get("ashlar-test-support");

        assertThat(extension).isNotNull();
        assertThat(property(extension, "ashlar.module.name")).isEqualTo("dev.ashlar.testing.kit");
        assertThat(published()).containsKey("ashlar-test-postgres").doesNotContainKey("ashlar-test-kit");
    }

    @Test
    void signingIsAProfileOfItsOwnSoThatReleaseBuildsWithoutKeysStillWork() throws Exception {
        String parent = Files.readString(ROOT.resolve("pom.xml"));

        assertThat(parent).contains("<artifactId>maven-gpg-plugin</artifactId>").contains("<id>sign</id>");
        assertThat(parent.substring(parent.indexOf("<id>release</id>"), parent.indexOf("<id>sign</id>")))
                .doesNotContain("maven-gpg-plugin");
        assertThat(child(parse(ROOT.resolve("pom.xml")), "distributionManagement")).contains("central.sonatype.com");
    }

    @Test
    void theParentPomCarriesTheMetadataARepositoryRequires() throws Exception {
        Element parent = parse(ROOT.resolve("pom.xml"));

        for (String required : List.of("name", "description", "url", "licenses", "scm", "developers")) {
            assertThat(child(parent, required)).as(required).isNotBlank();
        }
        assertThat(child(parent, "licenses")).contains("Apache-2.0");
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License").contains("Version 2.0");
    }

    /** The jar modules of the reactor that are deployed, by artifact id, with their pom. */
    private static Map<String, Element> published() throws Exception {
        Map<String, Element> published = new LinkedHashMap<>();
        NodeList modules = parse(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            Element pom = parse(ROOT.resolve(modules.item(i).getTextContent()).resolve("pom.xml"));
            if (!"pom".equals(child(pom, "packaging")) && !"true".equals(property(pom, "maven.deploy.skip"))) {
                published.put(child(pom, "artifactId"), pom);
            }
        }
        return published;
    }

    private static Element parse(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    private static String property(Element pom, String name) {
        for (Node properties = pom.getFirstChild(); properties != null; properties = properties.getNextSibling()) {
            if (properties instanceof Element element && element.getTagName().equals("properties")) {
                return child(element, name);
            }
        }
        return "";
    }

    /** The text of a direct child element, or an empty string. */
    private static String child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        return "";
    }
}
