package dev.ashlar.kernel.plugin;

import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.TenantScoping;

/** A plugin and one capability in one type, for tests that write a plugin as an anonymous class. */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** A plugin that maps errors. */
    public interface Mapper extends AshlarPlugin, ErrorMapper {
    }

    /** A plugin that scopes resources to tenants. */
    public interface Scoping extends AshlarPlugin, TenantScoping {
    }

    /** A plugin that contributes schema objects. */
    public interface Contributor extends AshlarPlugin, SchemaContributor {
    }
}
