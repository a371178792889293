using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace RegistryCloud.Storage.S3;

/// <summary>Builds the SDK client from <see cref="S3StorageOptions"/>.</summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checksums = options.ChecksumsWhenRequired;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            UseHttp = !options.Secure,
            RequestChecksumCalculation = checksums ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = checksums ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED,
        };

        if (options.RegionEndpoint is { Length: > 0 } endpoint)
        {
            config.ServiceURL = EndpointUrl(endpoint, options.Secure);
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.UserAgent is { Length: > 0 } userAgent)
        {
            config.ClientAppId = userAgent;
        }

        if (options.SkipVerify)
        {
            config.HttpClientFactory = new UnverifiedTlsHttpClientFactory();
        }

        return options.AccessKey is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, options.SecretKey ?? ""), config)
            : new AmazonS3Client(config);
    }

    /// <summary>
    /// Distribution accepts an endpoint with or without its scheme; without one, <c>secure</c> picks it.
    /// </summary>
    internal static string EndpointUrl(string endpoint, bool secure) =>
        endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : (secure ? "https://" : "http://") + endpoint;

    /// <summary><c>skipverify</c>: an HTTP client that accepts any server certificate.</summary>
    private sealed class UnverifiedTlsHttpClientFactory : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            });
    }
}
