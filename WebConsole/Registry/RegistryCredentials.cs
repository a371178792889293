namespace RegistryCloud.WebConsole.Registry;

/// <summary>
/// Who the console speaks for when it calls the registry API: the signed-in user's name and
/// password, kept only in the server-side session (never in a page), or nobody (anonymous).
/// </summary>
public sealed record RegistryCredentials(string User, string Password);
