/**
 * The typed API: a resource's fields, relationships and identities declared once, as constants beside
 * the Java record its rows come back as, and used both to build the resource
 * ({@code POSTS.builder().add(ID, TITLE, AUTHOR)}) and to query it
 * ({@code ashlar.read(POSTS).where(TITLE.eq("Hello"))}). Names, value types and the resource a filter
 * applies to are checked by the compiler; every typed value is a thin wrapper over the string API's
 * {@code Filter}, {@code Sort} and maps, so both run the same data layer.
 */
package dev.ashlar.api.typed;
