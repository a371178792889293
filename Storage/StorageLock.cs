namespace RegistryCloud.Storage;

/// <summary>What <see cref="IStorageDriver.TryLockAsync"/> found.</summary>
public enum StorageLockStatus
{
    /// <summary>The caller holds the lock until it disposes the <see cref="StorageLock"/>.</summary>
    Held,

    /// <summary>Another holder, in this process or another one sharing the storage, has it.</summary>
    Busy,

    /// <summary>The directory the lock lives in does not exist (what it guarded is gone).</summary>
    Missing,
}

/// <summary>
/// An exclusive lock on a storage path, or the reason it was not taken. Disposing releases a held
/// lock; a process that dies releases its locks with it.
/// </summary>
public sealed class StorageLock : IDisposable
{
    public static readonly StorageLock Busy = new(StorageLockStatus.Busy, null);
    public static readonly StorageLock Missing = new(StorageLockStatus.Missing, null);

    private Action? _release;

    private StorageLock(StorageLockStatus status, Action? release)
    {
        Status = status;
        _release = release;
    }

    public StorageLockStatus Status { get; }

    public bool IsHeld => Status == StorageLockStatus.Held;

    public static StorageLock Held(Action release) => new(StorageLockStatus.Held, release);

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
