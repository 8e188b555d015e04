package dev.cutover.store;

import java.sql.SQLException;

/** One unit of reading or writing, run on a thread that owns the session for its duration. */
@FunctionalInterface
interface SqlWork<T> {
    T run(SqlSession session) throws SQLException;
}
