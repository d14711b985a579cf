package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes each relationship's own filter and sort once, when the data layer starts, with the renderer that
 * reads will use: a field the destination lacks, a parent field the source lacks, a value of the wrong type, a path
 * it cannot follow or a filter that reaches its own relationship again is refused then, naming the resource and
 * the relationship, rather than at the first read that follows it.
 */
final class RelationshipFilterCheck {
    private RelationshipFilterCheck() {
    }

    /** @throws DefinitionException listing every relationship whose filter or sort cannot be written */
    static void check(Domain domain, Links links) {
        List<Problem> problems = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            for (Relationship relationship : resource.relationships()) {
                Link link = links.link(resource.name(), relationship.name());
                if (relationship.filter() != null || !relationship.sorts().isEmpty()) {
                    check(links, link, false, "its own filter or sort", link.destination(), problems);
                }
                if (link.joinFilter() != null || !link.joinSorts().isEmpty()) {
                    check(links, link, true, "its join filter or sort", link.through(), problems);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain.name(), problems);
        }
    }

    private static void check(Links links, Link link, boolean join, String what, ResourcePlan over,
                              List<Problem> problems) {
        try {
            render(links, link, join);
        } catch (AshlarException e) {
            problems.add(new Problem(link.source().name(), link.name(), what + " does not fit '" + over.name()
                    + "': " + e.getMessage()));
        }
    }

    /** Writes the relationship's own filter and sort, or with {@code join} its many-to-many join filter and sort. */
    private static void render(Links links, Link link, boolean join) {
        Scopes scopes = Scopes.starting(links, Query::of);
        scopes.reach(link);
        scopes.walk(link.destination().name(), null, link.sorts());
        SqlWriter out = SqlWriter.rendering();
        RelatedSql related = new RelatedSql(links, scopes, null);
        FilterRenderer parent = new FilterRenderer(link.source(), out, related, Identifiers.quote("p0") + ".");
        if (join) {
            FilterRenderer through = new FilterRenderer(link.through(), out, related, Identifiers.quote("j0") + ".")
                    .under(parent);
            if (link.joinFilter() != null) {
                through.filter(link.joinFilter());
            }
            through.orderBy(link.joinSorts(), false);
            return;
        }
        FilterRenderer rows = new FilterRenderer(link.destination(), out, related, Identifiers.quote("r0") + ".")
                .under(parent);
        if (link.filter() != null) {
            rows.filter(link.filter());
        }
        rows.orderBy(link.sorts(), false);
    }
}
