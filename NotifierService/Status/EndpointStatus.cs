namespace RegistryCloud.NotifierService.Status;

/// <summary>
/// One endpoint as <c>GET /endpoints</c> shows it. Counters are the whole deployment's (kept in
/// Redis); <see cref="Owner"/> is the replica delivering to it now; <see cref="Pending"/> counts
/// events it has not acknowledged yet.
/// </summary>
internal sealed record EndpointStatus
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    public bool Disabled { get; init; }

    public string? Owner { get; init; }

    public long Pending { get; init; }

    public long DeadLetters { get; init; }

    public long Delivered { get; init; }

    public long Failed { get; init; }

    public long DeadLettered { get; init; }

    public long Ignored { get; init; }

    /// <summary>The last HTTP status (0: no response); null before any attempt.</summary>
    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public int ConsecutiveFailures { get; init; }

    public string? LastAttemptAt { get; init; }

    public string? LastDeliveredAt { get; init; }

    public string? LastFailureAt { get; init; }
}
