using RegistryCloud.Events;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Infrastructure;

/// <summary>
/// What an endpoint's consumer group says about delivery. Once a group has acknowledged every event
/// of the stream, nothing of it can be sent again: a test that must show something did not arrive
/// waits for this, not for a while.
/// </summary>
internal static class StreamGroups
{
    /// <summary>Waits until <paramref name="endpoint"/>'s group has read every event of the stream and acknowledged each.</summary>
    public static async Task WaitUntilAcknowledgedAsync(RedisServer redis, string stream, string endpoint) =>
        await Poll.UntilAsync(() => DescribeAsync(redis, stream, endpoint), unacknowledged => unacknowledged is null, unacknowledged => unacknowledged!);

    /// <summary>Null when the group has acknowledged everything; otherwise what it still holds.</summary>
    private static async Task<string?> DescribeAsync(RedisServer redis, string stream, string endpoint)
    {
        var name = EventStreamKeys.GroupFor(endpoint);
        var info = await redis.Database.StreamInfoAsync(stream);
        var group = (await redis.Database.StreamGroupInfoAsync(stream)).SingleOrDefault(g => g.Name == name);
        if (group.Name is null)
        {
            return $"no group {name}";
        }

        return group.PendingMessageCount == 0 && group.LastDeliveredId == info.LastGeneratedId.ToString()
            ? null
            : $"group {name} has {group.PendingMessageCount} pending and read up to {group.LastDeliveredId} of {info.LastGeneratedId}";
    }
}
