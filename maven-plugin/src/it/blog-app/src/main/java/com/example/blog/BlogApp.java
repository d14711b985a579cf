package com.example.blog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.project.Project;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;

/** Migrates from the migrations inside its own jar, then writes a post and reads it back. */
public final class BlogApp {
    public static void main(String[] args) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv("ASHLAR_DATABASE_URL"));
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            Project.open("classpath:db/ashlar", BlogApp.class.getClassLoader()).dataSource(dataSource).migrate();
            try (Ashlar ashlar = Ashlar.builder().dataSource(dataSource).domain(new BlogDomain().domain()).build()) {
                Row created = ashlar.create("post", Map.of("title", args.length > 0 ? args[0] : "Hello"));
                Row read = ashlar.read("post").where(eq("id", created.get("id"))).first().orElseThrow();
                System.out.println("read post " + read.get("id") + ": " + read.getString("title"));
            }
        }
    }
}
