package dev.cutover.store;

/** Where the repositories read committed data. */
interface SqlReader {
    /**
     * Runs {@code work} against committed data.
     *
     * @param what names the read in errors, e.g. "find due events"; never includes values
     * @throws StoreException when the read failed or the store is closed
     */
    <T> T read(String what, SqlWork<T> work);
}
