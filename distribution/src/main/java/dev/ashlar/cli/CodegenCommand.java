package dev.ashlar.cli;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.Renames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

@Command(name = "codegen", description = "Write the migrations and snapshots that bring the schema to the resources.")
final class CodegenCommand extends ProjectCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The migration's name, e.g. add_comments.")
    String name;

    @Option(names = "--dev", description = "Write development migrations to iterate on; a later 'codegen NAME' "
            + "rolls them back and squashes them into one.")
    boolean dev;

    @Option(names = "--check", description = "Change nothing; exit 1 and list the changes if migrations are pending.")
    boolean check;

    @Option(names = "--rename", paramLabel = "TABLE.OLD=NEW", description = "A column rename (posts.title=headline) "
            + "or a table rename (posts=articles); without one, a disappeared name is dropped.")
    List<String> renames = new ArrayList<>();

    @Option(names = "--no-input", description = "Never ask questions, even in a terminal.")
    boolean noInput;

    @Override
    public Integer call() {
        if (name == null && !dev && !check) {
            throw new ParameterException(spec.commandLine(), "codegen needs a NAME for the migration (or --dev, or --check)");
        }
        PrintWriter out = out();
        Codegen codegen = new Codegen(project.dir, project.domain(), project.plugins(), renames(), Clock.systemUTC());
        if (check) {
            Codegen.Result pending = codegen.check();
            print(out, pending.steps(), pending.destructive());
            out.println(pending.changed() ? "Migrations are pending: run 'ashlar codegen NAME'." : "Migrations are up to date.");
            return pending.changed() ? 1 : 0;
        }
        if (!dev && !codegen.devVersions().isEmpty()) {
            squash(codegen, out);
        }
        Codegen.Result result = codegen.generate(dev ? Codegen.DEV : name);
        if (!result.changed()) {
            out.println("No changes: the migrations already match the resources.");
            return 0;
        }
        print(out, result.steps(), result.destructive());
        result.files().forEach(file -> out.println("wrote " + project.dir.relativize(file)));
        out.println("Review the files, then run 'ashlar migrate'.");
        return 0;
    }

    private void squash(Codegen codegen, PrintWriter out) {
        List<String> versions = codegen.devVersions();
        try (Database database = project.database()) {
            migrator(database).rollbackVersions(Set.copyOf(versions));
        }
        codegen.discardDev();
        out.println("Squashing " + versions.size() + " development migration(s) into '" + name + "'.");
    }

    private Renames renames() {
        Console console = System.console();
        if (noInput || console == null) {
            return Renames.hints(renames);
        }
        return Renames.asking(renames, question -> {
            String answer = console.readLine("%s [y/N] ", question);
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        });
    }

    static void print(PrintWriter out, List<MigrationStep> steps, List<String> destructive) {
        steps.forEach(step -> out.println("  " + step.describe()));
        destructive.forEach(reason -> out.println("  DESTRUCTIVE: " + reason));
    }
}
