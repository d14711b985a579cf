package dev.ashlar.plugins.indexes;

import dev.ashlar.api.resource.Extension;

/** A section of a resource that this plugin reads: both name the plugin and its jar the same way. */
sealed interface Section extends Extension permits CustomIndexes, CustomStatements {

    @Override
    default String plugin() {
        return IndexesPlugin.ID;
    }

    @Override
    default String artifact() {
        return IndexesPlugin.ARTIFACT;
    }
}
