namespace RegistryCloud.NotifierService.DeadLetters;

/// <summary>The answer to a replay.</summary>
internal sealed record ReplayResult(string Endpoint, long Replayed);
