package dev.ashlar.kernel.data;

/** A test class on its own database holding the sample domain's tables, with one Ashlar for all its tests. */
abstract class BlogDatabaseTest extends DomainDatabaseTest {
    BlogDatabaseTest() {
        super(Fixtures.BLOG);
    }
}
