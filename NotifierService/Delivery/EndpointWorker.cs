using System.Diagnostics;
using RegistryCloud.Events.Redis;
using RegistryCloud.NotifierService.DeadLetters;
using RegistryCloud.NotifierService.Endpoints;
using RegistryCloud.NotifierService.Extensions;
using RegistryCloud.NotifierService.Status;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// Delivers one endpoint's events, strictly in stream order: the next batch is read only once
/// the last one is acknowledged or dead-lettered, so event n+1 never reaches the endpoint before
/// event n. It runs only on the replica holding the endpoint's lease. It first takes over what
/// earlier consumers left pending, oldest first, then reads new events.
/// </summary>
internal sealed partial class EndpointWorker(
    EndpointSettings endpoint,
    EndpointStream stream,
    WebhookSender sender,
    DeadLetterStore deadLetters,
    EndpointStatusStore status,
    NotifierMetrics metrics,
    EndpointState state,
    NotifierOptions options,
    TimeProvider time,
    ILogger logger)
{
    public const string MaxAgeReason = "max-age";
    public const string MaxAttemptsReason = "max-attempts";
    public const string MalformedReason = "malformed";

    private readonly RetryPolicy _retry = new(endpoint.Threshold, endpoint.Backoff, options.MaxBackoff);
    private int _consecutiveFailures;

    /// <summary>
    /// Runs until <paramref name="stopping"/>: an attempt in flight is finished (and acknowledged)
    /// first, so a graceful stop delivers nothing twice. <paramref name="abort"/> (the lease is
    /// lost; it also cancels <paramref name="stopping"/>) drops the attempt in flight at once.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        var ready = false;
        var ownPending = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!ready)
                {
                    await stream.EnsureGroupAsync();
                    while (!await stream.ClaimAbandonedAsync(options.ClaimIdleTime))
                    {
                        await Task.Delay(options.PollInterval, time, stopping);
                    }

                    ready = true;
                    ownPending = true;
                }

                var entries = ownPending
                    ? await stream.ReadOwnPendingAsync(options.BatchSize)
                    : await stream.ReadNewAsync(options.BatchSize);
                if (entries.Length == 0)
                {
                    if (!ownPending)
                    {
                        await Task.Delay(options.PollInterval, time, stopping);
                    }

                    ownPending = false;
                    continue;
                }

                await DeliverAsync(entries, stopping, abort);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (RedisFailure.IsUnavailable(e, stopping))
            {
                // Whatever was read stays pending to this consumer; start over from it.
                LogRedisUnavailable(logger, endpoint.Name, e.Message);
                ready = false;
                await DelayUnlessStoppedAsync(_retry.Backoff, stopping);
            }
        }
    }

    private async Task DeliverAsync(StreamEntry[] entries, CancellationToken stopping, CancellationToken abort)
    {
        var deliverable = new List<PendingEvent>(entries.Length);
        var malformed = new List<PendingEvent>();
        var skipped = new List<RedisValue>();
        var ignored = 0;
        foreach (var entry in entries)
        {
            var pending = PendingEvent.From(entry);
            if (pending is null || (pending.OnlyFor is { } only && only != endpoint.Name))
            {
                // Content gone, or a dead letter replayed for another endpoint.
                skipped.Add(entry.Id);
            }
            else if (!pending.IsWellFormed)
            {
                malformed.Add(pending);
            }
            else if (endpoint.Ignores(pending.Action, pending.MediaType))
            {
                skipped.Add(entry.Id);
                ignored++;
            }
            else
            {
                deliverable.Add(pending);
            }
        }

        if (skipped.Count > 0)
        {
            await stream.AcknowledgeAsync([.. skipped]);
            if (ignored > 0)
            {
                metrics.Ignored(endpoint.Name, ignored);
                status.Counted(endpoint.Name, "ignored", ignored);
            }
        }

        if (malformed.Count > 0)
        {
            await DeadLetterAsync(malformed, MalformedReason, DeliveryOutcome.NoResponse("the stored event is not JSON", TimeSpan.Zero), _ => true);
        }

        if (deliverable.Count > 0)
        {
            await DeliverInOrderAsync(deliverable, stopping, abort);
        }
    }

    /// <summary>Sends the batch until it is accepted or dead-lettered, backing off as configured.</summary>
    private async Task DeliverInOrderAsync(List<PendingEvent> batch, CancellationToken stopping, CancellationToken abort)
    {
        var last = DeliveryOutcome.NoResponse("not attempted", TimeSpan.Zero);
        while (true)
        {
            if (options.MaxAge > TimeSpan.Zero)
            {
                var now = time.GetUtcNow();
                batch = await DeadLetterAsync(batch, MaxAgeReason, last, pending => now - pending.AcceptedAt > options.MaxAge);
            }

            if (batch.Count == 0)
            {
                return;
            }

            // A graceful stop starts no new attempt; what is left stays pending for the next owner.
            stopping.ThrowIfCancellationRequested();
            var ids = batch.Select(pending => pending.Id).ToArray();
            last = await SendAsync(batch, abort);
            state.LastStatus = last.Status;
            if (last.Delivered)
            {
                await stream.AcknowledgeAsync(ids);
                _consecutiveFailures = 0;
                metrics.Delivered(endpoint.Name, batch.Count, last.Elapsed);
                status.Delivered(endpoint.Name, batch.Count, last);
                return;
            }

            _consecutiveFailures++;
            metrics.Failed(endpoint.Name, last.Status, last.Elapsed);
            status.Failed(endpoint.Name, _consecutiveFailures, last);
            var attempts = await stream.AddFailedAttemptAsync(ids);
            var delay = _retry.DelayAfter(_consecutiveFailures);
            LogAttemptFailed(logger, endpoint.Name, last.Status, last.Error, _consecutiveFailures, delay);
            if (options.MaxAttempts > 0)
            {
                var attemptsById = ids.Zip(attempts).ToDictionary(pair => pair.First, pair => pair.Second);
                batch = await DeadLetterAsync(batch, MaxAttemptsReason, last, pending => attemptsById[pending.Id] >= options.MaxAttempts, attemptsById);
            }

            if (batch.Count > 0 && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, stopping);
            }
        }
    }

    private async Task<DeliveryOutcome> SendAsync(List<PendingEvent> batch, CancellationToken abort)
    {
        using var activity = NotifierServiceTelemetry.ActivitySource.StartActivity("notifier.deliver", ActivityKind.Client);
        activity?.SetTag(NotifierMetrics.EndpointTag, endpoint.Name);
        activity?.SetTag("registry.notifier.events", batch.Count);
        var outcome = await sender.SendAsync(EnvelopeWriter.Write(batch), abort);
        activity?.SetTag("http.response.status_code", outcome.Status);
        if (!outcome.Delivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        }

        return outcome;
    }

    private async Task<List<PendingEvent>> DeadLetterAsync(
        List<PendingEvent> batch, string reason, DeliveryOutcome last, Func<PendingEvent, bool> expired, Dictionary<RedisValue, long>? attempts = null)
    {
        var kept = new List<PendingEvent>(batch.Count);
        foreach (var pending in batch)
        {
            if (!expired(pending))
            {
                kept.Add(pending);
                continue;
            }

            var count = attempts?.GetValueOrDefault(pending.Id) ?? await stream.FailedAttemptsAsync(pending.Id);
            await deadLetters.MoveAsync(stream, pending, reason, count, last);
            metrics.DeadLettered(endpoint.Name, reason);
            status.Counted(endpoint.Name, "deadLettered", 1);
            LogDeadLettered(logger, pending.Id.ToString(), endpoint.Name, reason, count);
        }

        return kept;
    }

    private async Task DelayUnlessStoppedAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, time, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The loop ends on its own.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint {Endpoint}: delivery failed ({Status}: {Error}); {Failures} failures in a row, next attempt in {Delay}")]
    private static partial void LogAttemptFailed(ILogger logger, string endpoint, int status, string? error, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EntryId} moved to the dead letters of endpoint {Endpoint} ({Reason}, {Attempts} failed attempts)")]
    private static partial void LogDeadLettered(ILogger logger, string entryId, string endpoint, string reason, long attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint {Endpoint}: Redis is unavailable ({Error}); delivery resumes when it answers")]
    private static partial void LogRedisUnavailable(ILogger logger, string endpoint, string error);
}
