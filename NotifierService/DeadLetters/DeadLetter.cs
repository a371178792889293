using System.Text.Json;

namespace RegistryCloud.NotifierService.DeadLetters;

/// <summary>An event an endpoint gave up on, with why and when.</summary>
internal sealed record DeadLetter(
    string Id,
    string OriginalId,
    string Reason,
    long Attempts,
    int LastStatus,
    string? LastError,
    DateTimeOffset DeadLetteredAt,
    JsonElement Event);
