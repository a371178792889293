using System.Text;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Tests;

/// <summary>
/// What every storage driver must do, run once per driver: the services rely on these
/// semantics (sizes as upload offsets, moves as commits, empty lists for missing folders).
/// </summary>
public abstract partial class StorageDriverSuite
{
    protected abstract IStorageDriver Driver { get; }

    /// <summary>Another instance of the driver on the same storage, as another replica has (the same one where state is per process).</summary>
    protected virtual IStorageDriver SecondDriver => Driver;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Content_put_at_a_path_is_read_back()
    {
        await Driver.PutContentAsync("/a/b/file", Bytes("hello"), Token);

        Assert.Equal("hello", Text(await Driver.GetContentAsync("/a/b/file", Token)));
    }

    [Fact]
    public async Task Content_of_a_missing_path_is_null()
    {
        Assert.Null(await Driver.GetContentAsync("/nothing/here", Token));
    }

    [Fact]
    public async Task Putting_content_again_replaces_it()
    {
        await Driver.PutContentAsync("/file", Bytes("a longer first version"), Token);
        await Driver.PutContentAsync("/file", Bytes("short"), Token);

        Assert.Equal("short", Text(await Driver.GetContentAsync("/file", Token)));
    }

    [Fact]
    public async Task Reading_at_an_offset_starts_there()
    {
        await Driver.PutContentAsync("/blob", Bytes("0123456789"), Token);

        var stream = await Driver.OpenReadAsync("/blob", 4, Token);

        Assert.NotNull(stream);
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            Assert.Equal("456789", await reader.ReadToEndAsync(Token));
        }
    }

    [Fact]
    public async Task Opening_a_missing_file_for_reading_gives_null()
    {
        Assert.Null(await Driver.OpenReadAsync("/missing", 0, Token));
    }

    [Fact]
    public async Task A_new_writer_creates_the_file_and_counts_what_it_wrote()
    {
        var writer = await Driver.OpenWriterAsync("/upload/data", append: false, Token);
        await using (writer)
        {
            await writer.WriteAsync(Bytes("abc"), Token);
            await writer.WriteAsync(Bytes("de"), Token);
            Assert.Equal(5, writer.Size);
            await writer.CommitAsync(Token);
        }

        Assert.Equal("abcde", Text(await Driver.GetContentAsync("/upload/data", Token)));
    }

    [Fact]
    public async Task A_file_exists_empty_as_soon_as_a_writer_opened_it()
    {
        var writer = await Driver.OpenWriterAsync("/upload/data", append: false, Token);
        await writer.DisposeAsync();

        var entry = await Driver.StatAsync("/upload/data", Token);

        Assert.NotNull(entry);
        Assert.False(entry.IsDirectory);
        Assert.Equal(0, entry.Size);
    }

    [Fact]
    public async Task An_appending_writer_continues_after_the_existing_bytes()
    {
        await Driver.PutContentAsync("/upload/data", Bytes("abc"), Token);

        var writer = await Driver.OpenWriterAsync("/upload/data", append: true, Token);
        await using (writer)
        {
            Assert.Equal(3, writer.Size);
            await writer.WriteAsync(Bytes("def"), Token);
            Assert.Equal(6, writer.Size);
            await writer.CommitAsync(Token);
        }

        Assert.Equal("abcdef", Text(await Driver.GetContentAsync("/upload/data", Token)));
        Assert.Equal(6, (await Driver.StatAsync("/upload/data", Token))?.Size);
    }

    [Fact]
    public async Task A_writer_that_does_not_append_truncates_the_existing_file()
    {
        await Driver.PutContentAsync("/upload/data", Bytes("old content"), Token);

        var writer = await Driver.OpenWriterAsync("/upload/data", append: false, Token);
        await using (writer)
        {
            await writer.WriteAsync(Bytes("new"), Token);
            await writer.CommitAsync(Token);
        }

        Assert.Equal("new", Text(await Driver.GetContentAsync("/upload/data", Token)));
    }

    [Fact]
    public async Task Stat_tells_files_from_directories_and_null_for_missing()
    {
        await Driver.PutContentAsync("/dir/sub/file", Bytes("12345"), Token);

        var file = await Driver.StatAsync("/dir/sub/file", Token);
        var directory = await Driver.StatAsync("/dir/sub", Token);

        Assert.NotNull(file);
        Assert.False(file.IsDirectory);
        Assert.Equal(5, file.Size);
        Assert.Equal("/dir/sub/file", file.Path);
        Assert.NotNull(directory);
        Assert.True(directory.IsDirectory);
        Assert.Null(await Driver.StatAsync("/dir/other", Token));
    }

    [Fact]
    public async Task List_gives_the_full_paths_of_direct_children_only()
    {
        await Driver.PutContentAsync("/r/a/file", Bytes("1"), Token);
        await Driver.PutContentAsync("/r/a/deep/file", Bytes("2"), Token);
        await Driver.PutContentAsync("/r/b", Bytes("3"), Token);

        Assert.Equal(["/r/a", "/r/b"], Sorted(await Driver.ListAsync("/r", Token)));
        Assert.Equal(["/r/a/deep", "/r/a/file"], Sorted(await Driver.ListAsync("/r/a", Token)));
    }

    [Fact]
    public async Task List_names_a_directory_whose_files_all_lie_deeper()
    {
        // As a repository's tags are kept: nothing directly in a tag's directory.
        await Driver.PutContentAsync("/r/tags/v1/current/link", Bytes("1"), Token);
        await Driver.PutContentAsync("/r/tags/v2/index/sha256/abc/link", Bytes("2"), Token);

        Assert.Equal(["/r/tags/v1", "/r/tags/v2"], Sorted(await Driver.ListAsync("/r/tags", Token)));
        Assert.Equal(["/r/tags"], Sorted(await Driver.ListAsync("/r", Token)));
    }

    [Fact]
    public async Task List_of_the_root_gives_the_top_level_entries()
    {
        await Driver.PutContentAsync("/top/file", Bytes("1"), Token);
        await Driver.PutContentAsync("/other", Bytes("2"), Token);

        Assert.Equal(["/other", "/top"], Sorted(await Driver.ListAsync("/", Token)));
    }

    [Fact]
    public async Task List_of_a_missing_directory_is_empty()
    {
        Assert.Empty(await Driver.ListAsync("/no/such/dir", Token));
    }

    [Fact]
    public async Task Move_keeps_the_modification_time_as_a_rename_does()
    {
        // The collector sets a file aside with a move and tells a file written again meanwhile by
        // its modification time, so a move must not make what it moves look new.
        await Driver.PutContentAsync("/m/source", Bytes("1"), Token);
        var written = (await Driver.StatAsync("/m/source", Token))!.ModifiedAt;
        await Poll.UntilAsync(
            async () =>
            {
                await Driver.PutContentAsync("/m/clock", Bytes("2"), Token);
                return (await Driver.StatAsync("/m/clock", Token))!.ModifiedAt > written;
            },
            "the storage's clock did not move past the first write");

        Assert.True(await Driver.MoveAsync("/m/source", "/m/aside", Token));
        Assert.True(await Driver.MoveAsync("/m/aside", "/m/back", Token));

        Assert.Equal(written, (await Driver.StatAsync("/m/back", Token))!.ModifiedAt);
    }

    [Fact]
    public async Task Move_replaces_the_destination_and_removes_the_source()
    {
        await Driver.PutContentAsync("/uploads/x/data", Bytes("new bytes"), Token);
        await Driver.PutContentAsync("/blobs/ab/data", Bytes("old"), Token);

        Assert.True(await Driver.MoveAsync("/uploads/x/data", "/blobs/ab/data", Token));

        Assert.Equal("new bytes", Text(await Driver.GetContentAsync("/blobs/ab/data", Token)));
        Assert.Null(await Driver.GetContentAsync("/uploads/x/data", Token));
    }

    [Fact]
    public async Task Move_creates_the_destination_directories()
    {
        await Driver.PutContentAsync("/src", Bytes("content"), Token);

        Assert.True(await Driver.MoveAsync("/src", "/new/deep/dest", Token));

        Assert.Equal("content", Text(await Driver.GetContentAsync("/new/deep/dest", Token)));
    }

    [Fact]
    public async Task Move_of_a_missing_source_is_false_and_leaves_the_destination()
    {
        await Driver.PutContentAsync("/dest", Bytes("kept"), Token);

        Assert.False(await Driver.MoveAsync("/missing", "/dest", Token));

        Assert.Equal("kept", Text(await Driver.GetContentAsync("/dest", Token)));
    }

    [Fact]
    public async Task Delete_removes_a_file()
    {
        await Driver.PutContentAsync("/d/file", Bytes("x"), Token);
        await Driver.PutContentAsync("/d/sibling", Bytes("y"), Token);

        Assert.True(await Driver.DeleteAsync("/d/file", Token));

        Assert.Null(await Driver.StatAsync("/d/file", Token));
        Assert.Equal("y", Text(await Driver.GetContentAsync("/d/sibling", Token)));
    }

    [Fact]
    public async Task Delete_removes_a_whole_tree_and_nothing_beside_it()
    {
        await Driver.PutContentAsync("/t/a/1", Bytes("1"), Token);
        await Driver.PutContentAsync("/t/a/b/2", Bytes("2"), Token);
        await Driver.PutContentAsync("/t/ab", Bytes("3"), Token);

        Assert.True(await Driver.DeleteAsync("/t/a", Token));

        Assert.Null(await Driver.StatAsync("/t/a", Token));
        Assert.Null(await Driver.GetContentAsync("/t/a/b/2", Token));
        Assert.Equal(["/t/ab"], Sorted(await Driver.ListAsync("/t", Token)));
    }

    [Fact]
    public async Task Delete_of_a_missing_path_is_false()
    {
        Assert.False(await Driver.DeleteAsync("/never/written", Token));
    }

    [Fact]
    public async Task Every_allowed_character_may_appear_in_a_path()
    {
        const string Path = "/docker/registry/v2/AZaz09._-:x/sha256:ab";

        await Driver.PutContentAsync(Path, Bytes("ok"), Token);

        Assert.Equal("ok", Text(await Driver.GetContentAsync(Path, Token)));
    }

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("/..")]
    [InlineData("/a/./b")]
    [InlineData("//a")]
    [InlineData("/a//b")]
    [InlineData("a/b")]
    [InlineData("/a/")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/a b")]
    [InlineData("/a\\b")]
    [InlineData("/a*")]
    [InlineData("/caf\u00e9")]
    [InlineData("/a\0b")]
    public async Task Invalid_paths_are_refused_by_every_operation(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.GetContentAsync(path, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.PutContentAsync(path, Bytes("x"), Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.OpenReadAsync(path, 0, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.OpenWriterAsync(path, append: true, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.StatAsync(path, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.DeleteAsync(path, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.MoveAsync(path, "/ok", Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.MoveAsync("/ok", path, Token));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? content) => content is null ? null : Encoding.UTF8.GetString(content);

    [Fact]
    public async Task Deleting_a_directory_if_empty_keeps_one_that_holds_a_file()
    {
        await Driver.PutContentAsync("/dir/sub/file", Bytes("x"), Token);

        Assert.False(await Driver.DeleteIfEmptyAsync("/dir/sub", Token));
        Assert.NotNull(await Driver.GetContentAsync("/dir/sub/file", Token));

        await Driver.DeleteAsync("/dir/sub/file", Token);
        Assert.True(await Driver.DeleteIfEmptyAsync("/dir/sub", Token));
        Assert.Null(await Driver.StatAsync("/dir/sub", Token));
    }

    [Fact]
    public async Task Content_put_into_a_directory_removed_since_it_was_last_written_is_stored()
    {
        await Driver.PutContentAsync("/links/a/link", Bytes("old"), Token);
        await Driver.DeleteAsync("/links/a/link", Token);
        await Driver.DeleteIfEmptyAsync("/links/a", Token);

        await Driver.PutContentAsync("/links/a/link", Bytes("new"), Token);

        Assert.Equal("new", Text(await Driver.GetContentAsync("/links/a/link", Token)));
    }

    [Fact]
    public async Task A_lock_is_held_by_one_caller_until_it_is_released()
    {
        await Driver.PutContentAsync("/session/data", Bytes("x"), Token);

        using (var first = await Driver.TryLockAsync("/session/lock", Token))
        {
            Assert.Equal(StorageLockStatus.Held, first.Status);
            using var second = await Driver.TryLockAsync("/session/lock", Token);
            Assert.Equal(StorageLockStatus.Busy, second.Status);
        }

        using var third = await Driver.TryLockAsync("/session/lock", Token);
        Assert.Equal(StorageLockStatus.Held, third.Status);
    }

    [Fact]
    public async Task A_lock_in_a_directory_that_does_not_exist_is_missing_and_creates_nothing()
    {
        using var missing = await Driver.TryLockAsync("/gone/session/lock", Token);

        Assert.Equal(StorageLockStatus.Missing, missing.Status);
        Assert.Null(await Driver.StatAsync("/gone", Token));
    }

    [Fact]
    public async Task Locks_on_different_paths_do_not_exclude_each_other()
    {
        await Driver.PutContentAsync("/one/data", Bytes("x"), Token);
        await Driver.PutContentAsync("/two/data", Bytes("x"), Token);

        using var one = await Driver.TryLockAsync("/one/lock", Token);
        using var two = await Driver.TryLockAsync("/two/lock", Token);

        Assert.True(one.IsHeld && two.IsHeld);
    }

    [Fact]
    public async Task Of_many_callers_racing_for_a_lock_exactly_one_holds_it()
    {
        await Driver.PutContentAsync("/race/data", Bytes("x"), Token);
        using var start = new Barrier(8);

        var locks = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(Token);
            return Driver.TryLockAsync("/race/lock", Token);
        }, Token)));

        Assert.Single(locks, held => held.IsHeld);
        foreach (var held in locks)
        {
            held.Dispose();
        }
    }

    private static string[] Sorted(IReadOnlyList<string> paths) => [.. paths.Order(StringComparer.Ordinal)];
}
