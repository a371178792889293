namespace RegistryCloud.Admin;

/// <summary>Bad input a verb refuses (exit code 1); the message names the key, file or argument at fault.</summary>
internal sealed class AdminException : Exception
{
    public AdminException()
    {
    }

    public AdminException(string message)
        : base(message)
    {
    }

    public AdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
