package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a read's rows with the count of every row the read selects (Ebean's {@code PagedList}, Spring Data's
 * {@code Page}), from {@code read.offset(n).limit(size).page()} or a keyset read's {@code after(...)}.
 *
 * <pre>{@code
 * Page<Row> page = ashlar.read("post").sort(Sort.desc("id")).offset(40).limit(20).page();
 * page.rows();      // at most 20 rows
 * page.total();     // every post the read's filter selects, not only this page's
 * page.hasNext();   // whether a row follows the page (precedes it, for a before(...) read)
 * }</pre>
 *
 * @param rows    the page's rows, in the read's order
 * @param total   how many rows the read selects without its limit, offset and cursor
 * @param hasNext whether another page follows in the direction the read pages: a row after the page's last in the
 *                read's order, or, for a {@code before(...)} read, a row before its first
 * @param <T>     a row, or the record it was read as
 */
public record Page<T>(List<T> rows, long total, boolean hasNext) {

    public Page {
        rows = List.copyOf(QueryException.required(rows, "rows"));
    }

    /** The same page with each row mapped, such as onto a record. */
    public <U> Page<U> map(Function<? super T, ? extends U> mapping) {
        List<U> mapped = new ArrayList<>(rows.size());
        rows.forEach(row -> mapped.add(mapping.apply(row)));
        return new Page<>(mapped, total, hasNext);
    }
}
