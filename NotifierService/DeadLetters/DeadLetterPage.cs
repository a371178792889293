namespace RegistryCloud.NotifierService.DeadLetters;

/// <summary>A page of dead letters; <see cref="Next"/> is the id to continue after, if there are more.</summary>
internal sealed record DeadLetterPage(string Endpoint, IReadOnlyList<DeadLetter> DeadLetters, string? Next);
