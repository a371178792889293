namespace RegistryCloud.Oci;

/// <summary>The <c>&lt;reference&gt;</c> of a manifest path: a tag or a digest.</summary>
public readonly record struct Reference
{
    private Reference(string? tag, Digest digest)
    {
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The tag, or null when the reference is a digest.</summary>
    public string? Tag { get; }

    public Digest Digest { get; }

    public bool IsDigest => Tag is null;

    public override string ToString() => Tag ?? Digest.ToString();

    /// <summary>
    /// Parses a reference. Anything with a ':' is meant as a digest (tags cannot hold one),
    /// so a malformed digest is reported as such rather than as a bad tag.
    /// </summary>
    public static ReferenceParseResult TryParse(string? value, out Reference reference)
    {
        reference = default;
        if (string.IsNullOrEmpty(value))
        {
            return ReferenceParseResult.InvalidTag;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (!Digest.TryParse(value, out var digest))
            {
                return ReferenceParseResult.InvalidDigest;
            }

            reference = new Reference(null, digest);
            return ReferenceParseResult.Ok;
        }

        if (!Oci.Tag.IsValid(value))
        {
            return ReferenceParseResult.InvalidTag;
        }

        reference = new Reference(value, default);
        return ReferenceParseResult.Ok;
    }

    public static Reference FromDigest(Digest digest) => new(null, digest);
}

public enum ReferenceParseResult
{
    Ok,
    InvalidTag,
    InvalidDigest,
}
