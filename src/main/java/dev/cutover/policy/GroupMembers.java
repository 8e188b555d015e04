package dev.cutover.policy;

import java.util.Set;

/**
 * Resolves a Slack user group ({@code S…}) named in the policy to its members' user IDs. The Slack side
 * implements it with {@code usergroups.users.list}; wrap it in {@link CachingGroupMembers}.
 */
public interface GroupMembers {
    /**
     * @return the user IDs ({@code U…}/{@code W…}) currently in the group
     * @throws Exception when the group cannot be resolved (network, Slack error, unknown group); the policy
     *     then treats the user as not a member
     */
    Set<String> members(String groupId) throws Exception;
}
