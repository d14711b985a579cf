package dev.ashlar.api.resource;

/**
 * Hands the {@code ashlar} command an application's domain. List the implementing class in
 * {@code META-INF/services/dev.ashlar.api.resource.DomainProvider}, or name it with {@code --domain}.
 */
public interface DomainProvider {

    /** Builds the domain; called once per command. */
    Domain domain();
}
