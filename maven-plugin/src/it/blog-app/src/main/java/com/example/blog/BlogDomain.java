package com.example.blog;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.api.resource.Resource;

import static dev.ashlar.api.resource.Type.TEXT;

public final class BlogDomain implements DomainProvider {
    @Override
    public Domain domain() {
        Resource post = Resource.builder("post").table("posts")
                .primaryKey("id")
                .attribute("title", TEXT, a -> a.notNull())
                .timestamps()
                .build();
        return Domain.builder("blog").resources(post).build();
    }
}
