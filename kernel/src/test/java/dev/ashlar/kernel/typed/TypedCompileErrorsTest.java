package dev.ashlar.kernel.typed;

import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the typed API promises the compiler catches: code using a removed field, a value of the wrong
 * type, or a field of another resource does not compile, and the error points at the field. Each case
 * is a small program compiled with javac against the api and kernel classes.
 */
class TypedCompileErrorsTest {
    private static final String DOMAIN = """
            package app;

            import dev.ashlar.api.typed.*;
            import dev.ashlar.kernel.Ashlar;
            import java.util.List;
            import static dev.ashlar.api.typed.Kind.*;

            record Post(Integer id, String title, Integer rating) {
                static final Table<Post> POSTS = Table.of("post", Post.class);
                static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
                static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
                %s
            }

            record Comment(Integer id, String body) {
                static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
                static final Field<Comment, Integer> ID = COMMENTS.integerPrimaryKey("id");
                static final TextField<Comment> BODY = COMMENTS.attribute("body", TEXT);
            }

            final class Use {
                static Object use(Ashlar ashlar, Post post) {
                    return
                            %s;
                }
            }
            """;
    private static final String RATING = "static final Field<Post, Integer> RATING = POSTS.attribute(\"rating\", INTEGER);";

    @TempDir
    Path classes;

    @Test
    void theSameProgramsCompileWhenFieldsValuesAndResourcesFit() {
        List<Diagnostic<? extends JavaFileObject>> errors = compile(RATING, "List.of("
                + "ashlar.read(Post.POSTS).where(Post.RATING.gt(2).and(Post.TITLE.like(\"J%\"))).sort(Post.ID.asc()).list(), "
                + "ashlar.update(Post.POSTS, post, Post.TITLE.set(\"New\")), "
                + "ashlar.read(Comment.COMMENTS).where(Comment.BODY.eq(\"x\")).list(), "
                + "ashlar.read(Post.POSTS).groupBy(Post.ID).sum(Post.RATING, \"r\").max(Post.TITLE, \"t\").list(), "
                + "ashlar.upsert(Post.POSTS, List.of(post), Post.POSTS.primaryKey().updateAll(), "
                + "dev.ashlar.kernel.data.Returning.KEYS))");

        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a removed field in a filter          | false | ashlar.read(Post.POSTS).where(Post.RATING.gt(2)).list()          | RATING | cannot find symbol",
        "a removed field in a sort            | false | ashlar.read(Post.POSTS).sort(Post.RATING.desc()).list()         | RATING | cannot find symbol",
        "a String where an Integer belongs    | true  | ashlar.read(Post.POSTS).where(Post.RATING.eq(\"two\")).list()   | RATING | java.lang.String cannot be converted to java.lang.Integer",
        "a number where a String belongs      | true  | ashlar.read(Post.POSTS).where(Post.TITLE.eq(42)).list()         | TITLE  | int cannot be converted to java.lang.String",
        "a wrong value in a change            | true  | ashlar.update(Post.POSTS, post, Post.TITLE.set(3))              | TITLE  | int cannot be converted to java.lang.String",
        "a field of another resource in a filter | true | ashlar.read(Post.POSTS).where(Comment.BODY.eq(\"x\")).list()  | BODY   | Condition<app.Comment> cannot be converted to dev.ashlar.api.typed.Condition<app.Post>",
        "a field of another resource in a sort   | true | ashlar.read(Post.POSTS).sort(Comment.ID.asc()).list()         | ID     | Order<app.Comment> cannot be converted to dev.ashlar.api.typed.Order<app.Post>",
        "a field of another resource in a change | true | ashlar.update(Post.POSTS, post, Comment.BODY.set(\"x\"))     | BODY   | Comment",
        "a record of another resource            | true | ashlar.create(Post.POSTS, new Comment(null, \"x\"))            | Comment | Comment",
        "a text field summed over each group     | true | ashlar.read(Post.POSTS).groupBy(Post.ID).sum(Post.TITLE, \"t\").list() | TITLE | no suitable method found for sum",
        "a field of another resource in a group  | true | ashlar.read(Post.POSTS).groupBy(Post.ID).max(Comment.BODY, \"b\").list() | BODY | no suitable method found for max",
        "a conflict of another resource          | true | ashlar.upsert(Post.POSTS, List.of(post), Comment.COMMENTS.primaryKey().updateAll(), dev.ashlar.kernel.data.Returning.KEYS) | COMMENTS | Comment",
    })
    void aProgramThatMisusesAFieldDoesNotCompileAndTheErrorPointsAtTheField(String what, boolean declareRating,
                                                                            String expression, String field,
                                                                            String message) {
        List<Diagnostic<? extends JavaFileObject>> errors = compile(declareRating ? RATING : "", expression);

        assertThat(errors).as(what).isNotEmpty();
        Diagnostic<? extends JavaFileObject> error = errors.get(0);
        String shown = shown(error);
        assertThat(shown).as(what).contains(message);
        assertThat(shown.substring(shown.indexOf('\n'))).as(what + ": the line the error shows names the field")
                .contains(field);
        assertThat(error.getLineNumber()).as("the error is on the line of the expression").isEqualTo(expressionLine());
    }

    /** The error as javac prints it: the message, the source line, and a caret under the column. */
    private static String shown(Diagnostic<? extends JavaFileObject> error) {
        try {
            String source = error.getSource().getCharContent(true).toString();
            String line = source.lines().skip(error.getLineNumber() - 1).findFirst().orElse("");
            return error.getMessage(Locale.ROOT) + "\n" + line + "\n" + " ".repeat((int) error.getColumnNumber() - 1) + "^";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long expressionLine() {
        String before = DOMAIN.substring(0, DOMAIN.indexOf("%s;"));
        return before.lines().count();
    }

    private List<Diagnostic<? extends JavaFileObject>> compile(String postField, String expression) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///app/Use.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return DOMAIN.formatted(postField, expression);
            }
        };
        List<String> options = List.of("-classpath", classPath(), "-d", classes.toString(), "-proc:none");
        javac.getTask(null, null, diagnostics, options, null, List.of(source)).call();
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .collect(Collectors.toList());
    }

    /** The api and kernel classes, where the test runs them from. */
    private static String classPath() {
        return List.of(Table.class, Ashlar.class).stream().map(TypedCompileErrorsTest::location)
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
