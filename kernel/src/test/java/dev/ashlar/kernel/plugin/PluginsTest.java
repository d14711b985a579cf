package dev.ashlar.kernel.plugin;

import dev.ashlar.spi.plugin.TenantScoping;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class PluginsTest {

    private static final Resource NOTE = Resource.builder("note").table("notes")
            .integerPrimaryKey("id")
            .attribute("body", TEXT)
            .attribute("touched_at", TIMESTAMPTZ)
            .with(TouchPlugin.touch("touched_at"))
            .build();

    private static final class Other implements AshlarPlugin {
        private final String id;

        Other(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private record FixedPlacement(String id, Scope scope) implements AshlarPlugin, TenantScoping {
        @Override
        public Optional<Tenancy> tenancy(Domain domain, Resource resource) {
            return Optional.of(scope == Scope.TENANT ? Tenancy.schemaPerTenant() : Tenancy.column("body", false));
        }

        @Override
        public TenantScope scope(Resource resource, Tenancy tenancy, String tenant) {
            return TenantScope.schema(tenant);
        }
    }

    @Test
    void discoversPluginsListedInMetaInfServices() {
        Plugins plugins = Plugins.discover(getClass().getClassLoader());

        assertThat(plugins.all()).extracting(AshlarPlugin::id).containsExactly("touch");
    }

    @Test
    void sortsPluginsByIdWhateverTheOrderTheyArriveIn() {
        Plugins plugins = Plugins.none().with(new Other("zeta")).with(new TouchPlugin()).with(new Other("alpha"));

        assertThat(plugins.all()).extracting(AshlarPlugin::id).containsExactly("alpha", "touch", "zeta");
    }

    @Test
    void installingTheSamePluginTwiceDoesNothing() {
        Plugins plugins = Plugins.none().with(new TouchPlugin()).with(new TouchPlugin());

        assertThat(plugins.all()).hasSize(1);
    }

    @Test
    void refusesTwoPluginsThatClaimTheSameId() {
        assertThatThrownBy(() -> Plugins.none().with(new TouchPlugin()).with(new Other("touch")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("Two plugins claim the id 'touch': dev.ashlar.kernel.plugin.TouchPlugin and ")
                .hasMessageEndingWith("Remove one of the jars from the class path.");
    }

    @Test
    void refusesASectionWhosePluginIsNotInstalledNamingTheArtifact() {
        Domain domain = Domain.builder("notes").resource(NOTE).build();

        assertThatThrownBy(() -> Plugins.none().check(domain))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("Domain 'notes': resource 'note', 'touch': uses the 'touch' section, but no plugin 'touch' "
                        + "is installed. Add com.example:ashlar-touch to the class path (or install the plugin by hand).");
    }

    @Test
    void letsAPluginValidateItsOwnSection() {
        Resource broken = Resource.builder("note").integerPrimaryKey("id").with(TouchPlugin.touch("missing")).build();
        Domain domain = Domain.builder("notes").resource(broken).build();

        assertThatThrownBy(() -> Plugins.none().with(new TouchPlugin()).check(domain))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("Domain 'notes': resource 'note', 'missing': is touched on update but is not an attribute "
                        + "of the resource");
    }

    @Test
    void refusesTwoPluginsThatScopeTheSameResource() {
        Plugins plugins = Plugins.none().with(new FixedPlacement("placement", Scope.TENANT))
                .with(new FixedPlacement("main-placement", Scope.MAIN)).with(new TouchPlugin());

        assertThatThrownBy(() -> plugins.check(Domain.builder("notes").resource(NOTE).build()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'note': is scoped to tenants by two plugins, 'main-placement' and "
                        + "'placement'");
    }

    @Test
    void aThirdPartyPluginAddsAWorkingTriggerWithoutTouchingTheKernel(TestDatabase db) {
        Domain domain = Domain.builder("notes").resource(NOTE).build();
        Table notes = new SchemaBuilder(domain, Plugins.discover(getClass().getClassLoader())).build().tables().get(0);
        db.execute(TableDdl.createTable(notes));
        notes.objects().forEach(object -> db.execute(object.up()));

        db.execute("INSERT INTO notes (body) VALUES ('draft')");
        assertThat(db.value("SELECT touched_at FROM notes")).isNull();
        db.execute("UPDATE notes SET body = 'final'");

        assertThat(db.value("SELECT touched_at IS NOT NULL FROM notes")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'notes_touch_trigger'")).isEqualTo(1L);
    }
}
