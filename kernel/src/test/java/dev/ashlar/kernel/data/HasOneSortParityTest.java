package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's sort test cases over sorted has-one relationships (a chat's last message and last unread message),
 * asserted on the rows read.
 */
class HasOneSortParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("chats")
            .resource(Resource.builder("chat").table("chats").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasOne("last_message", "message", r -> r.sort(Sort.desc("sent_at")))
                    .hasOne("last_unread_message", "message", r -> r.filter(isNil("read_at"))
                            .sort(Sort.desc("sent_at")))
                    .build())
            .resource(Resource.builder("message").table("messages").uuidPrimaryKey("id")
                    .attribute("content", TEXT).attribute("sent_at", TIMESTAMPTZ).attribute("read_at", TIMESTAMPTZ)
                    .belongsTo("chat", "chat")
                    .build())
            .build();

    HasOneSortParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE chats, messages CASCADE");
    }

    private Row chat(String name) {
        return ashlar.create("chat", Map.of("name", name));
    }

    private void message(Row chat, String content, String sentAt, String readAt) {
        Map<String, Object> values = new HashMap<>(Map.of("chat_id", chat.get("id"), "content", content,
                "sent_at", Instant.parse(sentAt)));
        if (readAt != null) {
            values.put("read_at", Instant.parse(readAt));
        }
        ashlar.create("message", values);
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.getString("name")).toList();
    }

    @Test
    void sortingByOneOrTwoSortedHasOnesGivesEachChatOnceOrderedByItsFirstMessage() {
        Row test = chat("Test Chat");
        message(test, "First", "2025-01-01T10:00:00Z", null);
        message(test, "Second", "2025-01-02T10:00:00Z", "2025-01-02T11:00:00Z");
        message(test, "Third", "2025-01-03T10:00:00Z", null);
        Row other = chat("Other");
        message(other, "Only", "2025-01-02T12:00:00Z", "2025-01-02T13:00:00Z");
        chat("Quiet");

        assertThat(names(ashlar.read("chat").sort(Sort.desc("last_unread_message.sent_at").nullsLast(),
                Sort.asc("name")).list())).containsExactly("Test Chat", "Other", "Quiet");
        assertThat(names(ashlar.read("chat").sort(Sort.asc("last_message.read_at").nullsLast(), Sort.asc("name"))
                .list())).containsExactly("Other", "Quiet", "Test Chat");
        assertThat(names(ashlar.read("chat").sort(Sort.desc("last_unread_message.sent_at").nullsLast(),
                Sort.desc("last_message.read_at").nullsLast(), Sort.asc("name")).list()))
                .containsExactly("Test Chat", "Other", "Quiet");
    }
}
