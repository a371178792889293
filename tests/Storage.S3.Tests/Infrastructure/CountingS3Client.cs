using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3.Tests.Infrastructure;

/// <summary>
/// The real client, with a count of the S3 operations the driver calls and of the bytes its
/// UploadPart and PutObject requests carry: what a test of the driver's request pattern reads.
/// </summary>
public class CountingS3Client : DispatchProxy
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private IAmazonS3? _inner;
    private long _partBytes;
    private long _putBytes;

    public long PartBytes => Interlocked.Read(ref _partBytes);

    public long PutBytes => Interlocked.Read(ref _putBytes);

    public static (IAmazonS3 Client, CountingS3Client Counts) Wrap(IAmazonS3 inner)
    {
        var client = Create<IAmazonS3, CountingS3Client>();
        var counts = (CountingS3Client)(object)client;
        counts._inner = inner;
        return (client, counts);
    }

    /// <summary>Calls of the operation (the client's method name, as <c>CopyPartAsync</c>).</summary>
    public int Calls(string operation) => _calls.GetValueOrDefault(operation);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _calls.AddOrUpdate(targetMethod.Name, 1, (_, count) => count + 1);
        switch (args)
        {
            case [UploadPartRequest part, ..]:
                Interlocked.Add(ref _partBytes, part.PartSize ?? part.InputStream.Length);
                break;
            case [PutObjectRequest put, ..] when put.InputStream is not null:
                Interlocked.Add(ref _putBytes, put.InputStream.Length);
                break;
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
