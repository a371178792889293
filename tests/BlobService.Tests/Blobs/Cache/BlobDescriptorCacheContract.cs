using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>What every blob descriptor cache must do, whatever holds the entries.</summary>
public abstract class BlobDescriptorCacheContract
{
    /// <summary>A TTL the implementation's clock can run past within a test.</summary>
    private protected abstract TimeSpan ShortTtl { get; }

    private protected static CancellationToken Token => TestContext.Current.CancellationToken;

    private protected abstract IBlobDescriptorCache CreateCache(BlobDescriptorCacheOptions options);

    /// <summary>Lets <paramref name="elapsed"/> pass on the cache's clock.</summary>
    private protected abstract Task AdvanceAsync(TimeSpan elapsed);

    [Fact]
    public async Task Content_that_was_set_is_read_back_with_its_size_and_media_type()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var descriptor = NewDescriptor(4242);

        await cache.SetAsync(descriptor, Token);

        Assert.Equal(descriptor, await cache.GetAsync(descriptor.Digest, Token));
    }

    [Fact]
    public async Task Content_never_set_is_a_miss()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());

        Assert.Null(await cache.GetAsync(NewDescriptor().Digest, Token));
        Assert.Null(await cache.GetAsync(TestContent.NewRepository(), NewDescriptor().Digest, Token));
    }

    [Fact]
    public async Task Membership_of_one_repository_is_not_membership_of_another()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var (member, other) = (TestContent.NewRepository(), TestContent.NewRepository());
        var descriptor = NewDescriptor(7);

        await cache.SetAsync(member, descriptor, Token);

        Assert.Equal(descriptor, await cache.GetAsync(member, descriptor.Digest, Token));
        Assert.Null(await cache.GetAsync(other, descriptor.Digest, Token));
    }

    [Fact]
    public async Task Content_in_the_cache_does_not_make_it_a_member_of_any_repository()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var descriptor = NewDescriptor();

        await cache.SetAsync(descriptor, Token);

        Assert.Null(await cache.GetAsync(TestContent.NewRepository(), descriptor.Digest, Token));
    }

    [Fact]
    public async Task A_removed_membership_is_a_miss()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var repository = TestContent.NewRepository();
        var descriptor = NewDescriptor();
        await cache.SetAsync(repository, descriptor, Token);

        await cache.RemoveAsync(repository, descriptor.Digest, Token);

        Assert.Null(await cache.GetAsync(repository, descriptor.Digest, Token));
    }

    [Fact]
    public async Task A_fill_from_a_stat_that_raced_with_the_removal_does_not_bring_the_blob_back()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var repository = TestContent.NewRepository();
        var descriptor = NewDescriptor();
        await cache.SetAsync(repository, descriptor, Token);
        await cache.RemoveAsync(repository, descriptor.Digest, Token);

        await cache.FillAsync(repository, descriptor, Token);

        Assert.Null(await cache.GetAsync(repository, descriptor.Digest, Token));
    }

    [Fact]
    public async Task A_push_after_a_removal_makes_the_blob_a_member_again()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var repository = TestContent.NewRepository();
        var descriptor = NewDescriptor();
        await cache.RemoveAsync(repository, descriptor.Digest, Token);

        await cache.SetAsync(repository, descriptor, Token);

        Assert.Equal(descriptor, await cache.GetAsync(repository, descriptor.Digest, Token));
    }

    [Fact]
    public async Task A_fill_records_membership_where_there_was_none()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions());
        var repository = TestContent.NewRepository();
        var descriptor = NewDescriptor(99);

        await cache.FillAsync(repository, descriptor, Token);

        Assert.Equal(descriptor, await cache.GetAsync(repository, descriptor.Digest, Token));
    }

    [Fact]
    public async Task Every_entry_expires_after_its_ttl()
    {
        var cache = CreateCache(new BlobDescriptorCacheOptions { Ttl = ShortTtl, RemovalTtl = ShortTtl });
        var repository = TestContent.NewRepository();
        var (member, removed) = (NewDescriptor(), NewDescriptor());
        await cache.SetAsync(member, Token);
        await cache.SetAsync(repository, member, Token);
        await cache.SetAsync(repository, removed, Token);
        await cache.RemoveAsync(repository, removed.Digest, Token);
        Assert.Equal(member, await cache.GetAsync(repository, member.Digest, Token));
        Assert.Equal(member, await cache.GetAsync(member.Digest, Token));

        await AdvanceAsync(ShortTtl + ShortTtl / 2);

        Assert.Null(await cache.GetAsync(repository, member.Digest, Token));
        Assert.Null(await cache.GetAsync(member.Digest, Token));
        // The tombstone has gone too: storage's answer may be cached again.
        await cache.FillAsync(repository, removed, Token);
        Assert.Equal(removed, await cache.GetAsync(repository, removed.Digest, Token));
    }

    private static BlobDescriptor NewDescriptor(long size = 64) =>
        new(Digest.Compute(Guid.NewGuid().ToByteArray()), size, MediaTypes.OctetStream);
}
