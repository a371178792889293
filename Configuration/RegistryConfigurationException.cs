namespace RegistryCloud.Configuration;

/// <summary>
/// A configuration RegistryCloud refuses to start with. Every message begins with the key path
/// (<c>redis.dialtimeout: ...</c>) or the environment variable that carried the bad value.
/// </summary>
public sealed class RegistryConfigurationException : Exception
{
    public RegistryConfigurationException()
        : this("the registry configuration is invalid")
    {
    }

    public RegistryConfigurationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public RegistryConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Several problems found at once (one per line in <see cref="Exception.Message"/>).</summary>
    public RegistryConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem on its own, each naming its key.</summary>
    public IReadOnlyList<string> Problems { get; }
}
