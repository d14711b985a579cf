package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Extension;

/** The tenancy plugin's sections name it and its jar once. */
interface TenancySection extends Extension {
    @Override
    default String plugin() {
        return TenancyPlugin.ID;
    }

    @Override
    default String artifact() {
        return TenancyPlugin.ARTIFACT;
    }
}
