package dev.cutover.store;

import java.util.List;
import java.util.Optional;

/** The webhooks Cutover manages, one per database. Thread-safe. */
public interface ManagedWebhooks {
    /** Records the database's webhook, replacing an earlier one. */
    void save(ManagedWebhook webhook);

    Optional<ManagedWebhook> forDatabase(String database);

    List<ManagedWebhook> all();
}
