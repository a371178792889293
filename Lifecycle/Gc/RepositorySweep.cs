using RegistryCloud.Lifecycle.Retention;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Gc;

public sealed partial class GarbageCollector
{
    /// <summary>One repository's mark and sweep: its manifests, their references, its links.</summary>
    private sealed class RepositorySweep(Run run, string repository)
    {
        private readonly GarbageCollector _collector = run.Collector;
        private readonly IStorageDriver _driver = run.Collector.Driver;
        private readonly DigestSet _manifests = new();
        private readonly DigestSet _blobs = new();
        private readonly List<Digest> _marked = [];

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            if (run.Retention.Applies(repository))
            {
                await ApplyRetentionAsync(cancellationToken);
            }

            var revisions = await ListLinksAsync(RegistryPaths.ManifestRevisionsDirectory(repository), cancellationToken);
            var roots = new List<Digest>(await TaggedAsync(cancellationToken));
            foreach (var (digest, link) in revisions)
            {
                // Kept untagged manifests are roots; so are young ones, tagged or not yet.
                if (!run.Options.DeleteUntagged || await IsYoungAsync(link, cancellationToken))
                {
                    roots.Add(digest);
                }
            }

            await MarkAsync(roots, cancellationToken);
            await MarkReferrersAsync(cancellationToken);

            foreach (var (digest, link) in revisions)
            {
                if (_manifests.Contains(digest))
                {
                    continue;
                }

                run.ManifestsEligible++;
                _collector.Emit($"manifest eligible for deletion: {{{repository} {digest}}}");
                if (await _collector.RemoveAsync(run, link, repository, digest, cancellationToken) is { Removed: true })
                {
                    run.ManifestsRemoved++;
                    if (!run.Options.DryRun)
                    {
                        await ForgetManifestAsync(digest, cancellationToken);
                    }
                }
                else
                {
                    KeepManifest(digest);
                }
            }

            foreach (var (digest, link) in await ListLinksAsync(RegistryPaths.LayersDirectory(repository), cancellationToken))
            {
                if (_blobs.Contains(digest) || _manifests.Contains(digest))
                {
                    continue;
                }

                _collector.Emit($"{repository}: layer link eligible for deletion: {digest}");
                if (await _collector.RemoveAsync(run, link, repository, digest, cancellationToken) is { Removed: true })
                {
                    run.LinksRemoved++;
                }
                else
                {
                    run.Live.Add(digest);
                }
            }
        }

        /// <summary>Removes the tags retention expires, before anything is marked from the tags.</summary>
        private async Task ApplyRetentionAsync(CancellationToken cancellationToken)
        {
            var tags = await TagRetention.ReadAsync(_driver, repository, cancellationToken);
            var removed = false;
            foreach (var (tag, rule) in run.Retention.Expired(repository, tags, run.Started))
            {
                _collector.Emit($"{repository}: tag {tag.Name} eligible for deletion by {rule.Path}");
                if (run.Options.DryRun || await RemoveTagAsync(tag, cancellationToken))
                {
                    run.TagsRemoved++;
                    removed |= !run.Options.DryRun;
                }
            }

            // The collector runs without Redis too (offline gc): the repository's tag index, built
            // for the old stamp, is no longer trusted by any replica and is rebuilt on its next listing.
            if (removed)
            {
                await ListingStamps.RenewAsync(_driver, RegistryPaths.TagsListingStamp(repository), cancellationToken);
            }
        }

        /// <summary>
        /// Removes a tag unless it was pushed again since it was read: its current link is set aside
        /// first, and put back when it is not the one read. A push that lands in between writes a
        /// new current link into a folder this then leaves in place (only empty folders go).
        /// </summary>
        private async Task<bool> RemoveTagAsync(TagFacts tag, CancellationToken cancellationToken)
        {
            var current = RegistryPaths.TagCurrentLink(repository, tag.Name);
            var aside = current + TombstoneSuffix;
            if (!await _driver.MoveAsync(current, aside, cancellationToken))
            {
                return false;
            }

            if (await _driver.StatAsync(aside, cancellationToken) is not { } setAside || setAside.ModifiedAt != tag.PushedAt)
            {
                await _driver.MoveAsync(aside, current, cancellationToken);
                run.Restored++;
                return false;
            }

            var folder = RegistryPaths.TagDirectory(repository, tag.Name);
            await _driver.DeleteAsync(RegistryPaths.DigestTagMarker(repository, tag.Digest, tag.Name), cancellationToken);
            await _driver.DeleteAsync(aside, cancellationToken);
            await _driver.DeleteAsync(folder + "/index", cancellationToken);
            await _driver.DeleteAsync(RegistryPaths.TagPulledAt(repository, tag.Name), cancellationToken);
            await _driver.DeleteIfEmptyAsync(StoragePath.Parent(current), cancellationToken);
            await _driver.DeleteIfEmptyAsync(folder, cancellationToken);

            // Pushed again meanwhile: its reverse-index marker must name the new manifest.
            if (await _driver.GetContentAsync(current, cancellationToken) is { } link && RegistryPaths.ParseLink(link) is { } again)
            {
                await _driver.PutContentAsync(RegistryPaths.DigestTagMarker(repository, again, tag.Name), ReadOnlyMemory<byte>.Empty, cancellationToken);
            }

            return true;
        }

        /// <summary>What the repository's tags point at.</summary>
        private async Task<List<Digest>> TaggedAsync(CancellationToken cancellationToken)
        {
            var tagged = new List<Digest>();
            foreach (var tag in await _driver.ListAsync(RegistryPaths.TagsDirectory(repository), cancellationToken))
            {
                var current = tag + "/current/link";
                if (StoragePath.IsValid(current)
                    && await _driver.GetContentAsync(current, cancellationToken) is { } link
                    && RegistryPaths.ParseLink(link) is { } digest)
                {
                    tagged.Add(digest);
                }
            }

            return tagged;
        }

        private async Task MarkAsync(IEnumerable<Digest> roots, CancellationToken cancellationToken)
        {
            var pending = new Queue<Digest>(roots);
            while (pending.TryDequeue(out var digest))
            {
                if (!KeepManifest(digest))
                {
                    continue;
                }

                run.ManifestsMarked++;
                _collector.Emit($"{repository}: marking manifest {digest} ");
                var references = await _collector.ReadReferencesAsync(run, digest, cancellationToken);
                foreach (var blob in references.Blobs)
                {
                    if (_blobs.Add(blob))
                    {
                        run.Live.Add(blob);
                        _collector.Emit($"{repository}: marking blob {blob}");
                    }
                }

                foreach (var child in references.Manifests)
                {
                    pending.Enqueue(child);
                }
            }
        }

        /// <summary>Manifests whose subject is marked are marked, and what they reach, until nothing new is.</summary>
        private async Task MarkReferrersAsync(CancellationToken cancellationToken)
        {
            for (var next = 0; next < _marked.Count; next++)
            {
                var referrers = new List<Digest>();
                foreach (var algorithm in await _driver.ListAsync(RegistryPaths.ReferrersDirectory(repository, _marked[next]), cancellationToken))
                {
                    foreach (var entry in await _driver.ListAsync(algorithm, cancellationToken))
                    {
                        if (Digest.TryParse(StoragePath.FileName(algorithm) + ":" + StoragePath.FileName(entry), out var referrer)
                            && !_manifests.Contains(referrer)
                            && await _driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, referrer), cancellationToken) is not null)
                        {
                            referrers.Add(referrer);
                        }
                    }
                }

                await MarkAsync(referrers, cancellationToken);
            }
        }

        /// <summary>Marks a manifest this repository keeps; false when it was marked already.</summary>
        private bool KeepManifest(Digest digest)
        {
            if (!_manifests.Add(digest))
            {
                return false;
            }

            _marked.Add(digest);
            run.Live.Add(digest);
            return true;
        }

        /// <summary>
        /// What pointed at a removed manifest besides its revision link: its entry in its subject's
        /// referrers, its tags' history, and stale reverse-index markers.
        /// </summary>
        private async Task ForgetManifestAsync(Digest digest, CancellationToken cancellationToken)
        {
            if ((await _collector.ReadReferencesAsync(run, digest, cancellationToken)).Subject is { } subject)
            {
                await _driver.DeleteAsync(StoragePath.Parent(RegistryPaths.ReferrerDescriptor(repository, subject, digest)), cancellationToken);
            }

            foreach (var tag in await _driver.ListAsync(RegistryPaths.TagsDirectory(repository), cancellationToken))
            {
                if (StoragePath.IsValid(tag))
                {
                    await _driver.DeleteAsync(StoragePath.Parent(RegistryPaths.TagIndexLink(repository, StoragePath.FileName(tag), digest)), cancellationToken);
                }
            }

            await _driver.DeleteAsync(RegistryPaths.DigestTagsDirectory(repository, digest), cancellationToken);
            await _driver.DeleteAsync(RegistryPaths.RevisionPulledAt(repository, digest), cancellationToken);
        }

        private async Task<bool> IsYoungAsync(string path, CancellationToken cancellationToken) =>
            await _driver.StatAsync(path, cancellationToken) is not { } entry || entry.ModifiedAt >= run.KeepAfter;

        /// <summary>The <c>&lt;alg&gt;/&lt;hex&gt;/link</c> files below a folder, by digest.</summary>
        private async Task<List<(Digest Digest, string Link)>> ListLinksAsync(string folder, CancellationToken cancellationToken)
        {
            var links = new List<(Digest, string)>();
            foreach (var algorithm in await _driver.ListAsync(folder, cancellationToken))
            {
                foreach (var entry in await _driver.ListAsync(algorithm, cancellationToken))
                {
                    if (Digest.TryParse(StoragePath.FileName(algorithm) + ":" + StoragePath.FileName(entry), out var digest)
                        && await _collector.ExistsAsync(run, entry + "/link", cancellationToken) is not null)
                    {
                        links.Add((digest, entry + "/link"));
                    }
                }
            }

            return links;
        }
    }

    /// <summary>A stored manifest's references; none (and an error) when its bytes cannot be read.</summary>
    private async Task<ManifestReferences> ReadReferencesAsync(Run run, Digest digest, CancellationToken cancellationToken)
    {
        var data = RegistryPaths.BlobData(digest);
        if (await driver.StatAsync(data, cancellationToken) is not { IsDirectory: false } entry
            || entry.Size > MaxManifestSize
            || await driver.GetContentAsync(data, cancellationToken) is not { } content)
        {
            run.Errors++;
            Emit($"failed to read manifest {digest}: its content is missing or too large; kept");
            return ManifestReferences.None;
        }

        return ManifestReferences.Read(content);
    }
}
