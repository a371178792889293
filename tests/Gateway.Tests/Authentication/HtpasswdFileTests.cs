using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>The htpasswd file on its own, its clock driven by hand.</summary>
public sealed class HtpasswdFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _path;

    public HtpasswdFileTests() => _path = Path.Combine(_directory.Path, "htpasswd");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_bcrypt_user_is_verified_with_the_right_password_only()
    {
        var file = Open(Htpasswd.Bcrypt("alice", "secret"));

        Assert.True(file.Verify("alice", "secret"));
        Assert.False(file.Verify("alice", "Secret"));
        Assert.False(file.Verify("alice", ""));
        Assert.False(file.Verify("bob", "secret"));
        Assert.False(file.Verify("Alice", "secret"));
    }

    [Theory]
    [InlineData("$2a$")]
    [InlineData("$2b$")]
    [InlineData("$2y$")]
    public void Bcrypt_entries_of_every_revision_are_accepted(string revision)
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("secret", workFactor: 4);
        var file = Open($"alice:{revision}{hash[4..]}");

        Assert.True(file.Verify("alice", "secret"));
    }

    [Fact]
    public void Entries_that_are_not_bcrypt_are_skipped_and_the_rest_still_load()
    {
        var file = Open(
            "# users",
            "",
            Htpasswd.Sha1("bob", "bobs password"),
            "dave:daves password",
            "carol:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/",
            "no colon at all",
            ":" + BCrypt.Net.BCrypt.HashPassword("nameless", workFactor: 4),
            "  " + Htpasswd.Bcrypt("alice", "secret") + "  ");

        Assert.False(file.Verify("bob", "bobs password"));
        Assert.False(file.Verify("dave", "daves password"));
        Assert.False(file.Verify("", "nameless"));
        Assert.True(file.Verify("alice", "secret"));
    }

    [Fact]
    public void A_changed_file_is_read_again_once_a_second_has_passed()
    {
        var file = Open(Htpasswd.Bcrypt("alice", "old"));
        Assert.True(file.Verify("alice", "old"));

        Rewrite(Htpasswd.Bcrypt("alice", "new"), Htpasswd.Bcrypt("carol", "hers"));
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.False(file.Verify("carol", "hers"));
        Assert.True(file.Verify("alice", "old"));

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(file.Verify("carol", "hers"));
        Assert.True(file.Verify("alice", "new"));
        Assert.False(file.Verify("alice", "old"));
    }

    [Fact]
    public void A_user_removed_from_the_file_is_refused_even_after_a_remembered_success()
    {
        var file = Open(Htpasswd.Bcrypt("alice", "secret"), Htpasswd.Bcrypt("bob", "his"));
        Assert.True(file.Verify("alice", "secret"));

        Rewrite(Htpasswd.Bcrypt("bob", "his"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(file.Verify("alice", "secret"));
        Assert.True(file.Verify("bob", "his"));
    }

    [Fact]
    public void A_file_that_disappears_keeps_the_users_last_read()
    {
        var file = Open(Htpasswd.Bcrypt("alice", "secret"));
        Assert.True(file.Verify("alice", "secret"));

        File.Delete(_path);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(file.Verify("alice", "secret"));
        Assert.False(file.Verify("alice", "wrong"));
    }

    [Fact]
    public void Loading_a_missing_file_fails_naming_auth_htpasswd_path_and_the_file()
    {
        var file = new HtpasswdFile(_path, _time, NullLogger<HtpasswdFile>.Instance);

        var error = Assert.ThrowsAny<IOException>(file.Load);

        Assert.Contains("auth.htpasswd.path", error.Message, StringComparison.Ordinal);
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_not_in_the_file_costs_one_bcrypt_check_at_the_files_cost_like_a_wrong_password()
    {
        File.WriteAllLines(_path, [Htpasswd.Bcrypt("alice", "secret")]);
        var checks = new List<string>();
        var file = new HtpasswdFile(_path, _time, NullLogger<HtpasswdFile>.Instance, verify: (password, hash) =>
        {
            checks.Add(hash);
            return BCrypt.Net.BCrypt.Verify(password, hash);
        });
        file.Load();

        Assert.False(file.Verify("mallory", "guess"));
        Assert.False(file.Verify("alice", "guess"));

        // Both refusals ran bcrypt once, on hashes of the same cost: their time tells nothing apart.
        Assert.Equal(2, checks.Count);
        Assert.Equal(checks[1][..7], checks[0][..7]);
        Assert.NotEqual(checks[1], checks[0]);
    }

    private HtpasswdFile Open(params string[] lines)
    {
        File.WriteAllLines(_path, lines);
        var file = new HtpasswdFile(_path, _time, NullLogger<HtpasswdFile>.Instance);
        file.Load();
        return file;
    }

    [Fact]
    public async Task A_bcrypt_check_runs_on_the_pool_and_never_holds_the_callers_thread()
    {
        Htpasswd.Rewrite(_path, [Htpasswd.Bcrypt("alice", "secret")]);
        using var release = new ManualResetEventSlim();
        var checkedOnPool = new List<bool>();
        var file = new HtpasswdFile(_path, _time, NullLogger<HtpasswdFile>.Instance, verify: (password, hash) =>
        {
            lock (checkedOnPool)
            {
                checkedOnPool.Add(Thread.CurrentThread.IsThreadPoolThread);
            }

            // bcrypt takes 50-250 ms: here it takes until the test says.
            release.Wait(TimeSpan.FromSeconds(30));
            return BCrypt.Net.BCrypt.Verify(password, hash);
        });
        file.Load();

        // Called from a thread of its own, as a socket engine's thread would be: the call must come
        // back before the check ends, and the check must not run on this thread.
        Task<bool>? pending = null;
        var caller = new Thread(() => pending = file.VerifyAsync("alice", "secret"));
        caller.Start();
        Assert.True(caller.Join(TimeSpan.FromSeconds(10)), "VerifyAsync held its caller's thread for the bcrypt check");
        Assert.NotNull(pending);
        Assert.False(pending.IsCompleted);

        release.Set();
        Assert.True(await pending);
        Assert.Equal([true], checkedOnPool);

        // Remembered: answered at once, with no second check.
        var again = file.VerifyAsync("alice", "secret");
        Assert.True(again.IsCompletedSuccessfully);
        Assert.True(await again);
        Assert.Single(checkedOnPool);

        // A wrong password is never remembered: checked again, on the pool.
        Assert.False(await file.VerifyAsync("alice", "Secret"));
        Assert.Equal([true, true], checkedOnPool);
    }

    private void Rewrite(params string[] lines) => Htpasswd.Rewrite(_path, lines);
}
