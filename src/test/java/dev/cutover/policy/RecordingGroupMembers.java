package dev.cutover.policy;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** User groups held in memory that count how often each is asked for, and can be told to fail like Slack. */
final class RecordingGroupMembers implements GroupMembers {
    private final Map<String, Set<String>> groups = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private final Map<String, Integer> calls = new HashMap<>();

    RecordingGroupMembers with(String groupId, String... members) {
        groups.put(groupId, Set.of(members));
        return this;
    }

    RecordingGroupMembers failing(String groupId) {
        failing.add(groupId);
        return this;
    }

    void recover(String groupId) {
        failing.remove(groupId);
    }

    int calls(String groupId) {
        return calls.getOrDefault(groupId, 0);
    }

    @Override
    public Set<String> members(String groupId) throws IOException {
        calls.merge(groupId, 1, Integer::sum);
        if (failing.contains(groupId)) {
            throw new IOException("usergroups.users.list failed: ratelimited");
        }
        Set<String> members = groups.get(groupId);
        if (members == null) {
            throw new IOException("usergroups.users.list failed: no_such_subteam");
        }
        return members;
    }
}
