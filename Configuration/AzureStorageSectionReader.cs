namespace RegistryCloud.Configuration;

/// <summary>Reads <c>storage.azure</c>; a value that cannot work stops start-up naming its key.</summary>
internal static class AzureStorageSectionReader
{
    private const long MinimumChunkSize = 64 * 1024;
    private const long MaximumChunkSize = 100 * 1024 * 1024;

    private static readonly string[] CredentialsTypes = ["shared_key", "client_secret", "default_credentials"];

    public static AzureStorageConfiguration Read(ConfigSection azure)
    {
        var connectionString = azure.String("connectionstring") is { Length: > 0 } text ? text : null;
        var accountName = azure.String("accountname") is { Length: > 0 } name ? name : null;
        var accountKey = azure.String("accountkey") is { Length: > 0 } key ? key : null;
        var serviceUrl = azure.HttpUrl("serviceurl");
        var credentials = azure.Section("credentials");
        var declared = credentials.OneOf("type", CredentialsTypes);
        var clientId = credentials.String("clientid") is { Length: > 0 } client ? client : null;
        var tenantId = credentials.String("tenantid") is { Length: > 0 } tenant ? tenant : null;
        var secret = credentials.String("secret") is { Length: > 0 } value ? value : null;

        AzureCredentialsType type;
        if (connectionString is not null)
        {
            foreach (var other in new[] { "accountname", "accountkey", "serviceurl" })
            {
                if (azure.Has(other))
                {
                    throw azure.Error(other, $"conflicts with {azure.PathOf("connectionstring")}, which names the account itself; set one of them");
                }
            }

            if (credentials.Has("type"))
            {
                throw credentials.Error("type", $"conflicts with {azure.PathOf("connectionstring")}, which carries its own credentials; set one of them");
            }

            type = AzureCredentialsType.ConnectionString;
        }
        else
        {
            // Distribution: a key alone means shared_key; no type and no key, the default credentials.
            type = declared switch
            {
                "shared_key" => AzureCredentialsType.SharedKey,
                "client_secret" => AzureCredentialsType.ClientSecret,
                "default_credentials" => AzureCredentialsType.DefaultCredentials,
                _ => accountKey is null ? AzureCredentialsType.DefaultCredentials : AzureCredentialsType.SharedKey,
            };
            if (accountName is null && serviceUrl is null)
            {
                throw azure.Error("accountname", "is required (or set serviceurl or connectionstring)");
            }

            Check(azure, credentials, type, accountName, accountKey, tenantId, clientId, secret);
        }

        var realm = azure.String("realm") is { Length: > 0 } given ? given : AzureStorageConfiguration.DefaultRealm;
        if (Uri.CheckHostName("x." + realm) != UriHostNameType.Dns)
        {
            throw azure.Error("realm", $"'{realm}' is not a DNS suffix (e.g. core.windows.net)");
        }

        var chunkSize = azure.ByteCount("chunksize") ?? AzureStorageConfiguration.DefaultChunkSize;
        if (chunkSize is < MinimumChunkSize or > MaximumChunkSize)
        {
            throw azure.Error("chunksize", $"'{azure.String("chunksize")}' must be between 64KiB and 100MiB");
        }

        // Distribution's copy polling and retry tuning have no counterpart: moves here do not poll.
        foreach (var tuning in new[] { "copy_status_poll_max_retry", "copy_status_poll_delay", "maxretries", "retrytrydelay", "retrydelay", "maxretrydelay", "skipverify" })
        {
            azure.NotImplemented(tuning, "this tuning of Distribution's azure driver");
        }

        return new AzureStorageConfiguration
        {
            Container = Container(azure),
            AccountName = accountName,
            AccountKey = accountKey,
            Realm = realm,
            ServiceUrl = serviceUrl,
            ConnectionString = connectionString,
            CredentialsType = type,
            ClientId = clientId,
            TenantId = tenantId,
            Secret = secret,
            RootDirectory = azure.String("rootdirectory") ?? "",
            ChunkSize = chunkSize,
        };
    }

    private static void Check(
        ConfigSection azure, ConfigSection credentials, AzureCredentialsType type, string? accountName, string? accountKey, string? tenantId, string? clientId, string? secret)
    {
        switch (type)
        {
            case AzureCredentialsType.SharedKey:
                if (accountName is null)
                {
                    throw azure.Error("accountname", "is required with a shared key");
                }

                if (accountKey is null)
                {
                    throw azure.Error("accountkey", "is required when credentials.type is shared_key");
                }

                // The key itself is never repeated in a message.
                if (!IsBase64(accountKey))
                {
                    throw azure.Error("accountkey", "is not a base64 account key");
                }

                break;
            case AzureCredentialsType.ClientSecret:
                foreach (var (key, value) in new[] { ("tenantid", tenantId), ("clientid", clientId), ("secret", secret) })
                {
                    if (value is null)
                    {
                        throw credentials.Error(key, "is required when credentials.type is client_secret");
                    }
                }

                break;
            default:
                break;
        }

        if (type != AzureCredentialsType.SharedKey && accountKey is not null)
        {
            throw azure.Error("accountkey", $"is only used when credentials.type is shared_key, not {credentials.String("type")}");
        }
    }

    /// <summary>Azure's rules: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    private static string Container(ConfigSection azure)
    {
        var name = azure.RequiredString("container");
        var valid = name.Length is >= 3 and <= 63
            && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0])
            && name[^1] != '-'
            && !name.Contains("--", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
        return valid
            ? name
            : throw azure.Error("container", $"'{name}' is not a container name (3-63 lower-case letters, digits and single hyphens)");
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[((text.Length * 3) + 3) / 4];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }
}
