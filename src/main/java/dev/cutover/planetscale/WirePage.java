package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One page of a list envelope (planetscale-api.md §2). Only {@code data} and {@code next_page} matter: we
 * build the next request ourselves instead of trusting {@code next_page_url}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WirePage<T>(List<T> data, Integer nextPage) {
    WirePage {
        data = data == null ? List.of() : data;
    }

    <R> List<R> toDomain(Function<? super T, ? extends R> item) {
        // A null entry carries nothing to show; skipping it beats failing the whole page.
        return data.stream().filter(Objects::nonNull).<R>map(item).toList();
    }
}
